"""OED's matcher and set criterion on seeded random outputs: the fixture of the kit's OedCriterion.

Runs guanw-pku/OED (commit 4880df7) code unchanged, imported from a checkout given as the first argument:
  models/matcher.py            HungarianMatcherDSGG
  models/dsgg_single_sgdet.py  SetCriterionDSGG (SGDET: Hungarian matching per layer, aux losses)
  models/dsgg_single_xcls.py   SetCriterionDSGG (PredCLS: query i is ground-truth pair i, no matching)
in float64 on CPU. Writes one JSON file (second argument): for every case the arguments, the outputs of the
last layer and of each auxiliary layer, the targets, the matched indices per layer and every loss term.

  /usr/bin/python3 tools/torch-reference/oed_criterion.py /path/to/OED out/criterion.json
"""
import json
import sys
import types
from argparse import Namespace

import torch

sys.path.insert(0, sys.argv[1])
# word_vectors.py imports tqdm at module level (only for downloading GloVe, unused here)
_tqdm = types.ModuleType('tqdm')
_tqdm.tqdm = lambda x=None, **k: x
sys.modules.setdefault('tqdm', _tqdm)

from models.matcher import HungarianMatcherDSGG  # noqa: E402
from models.dsgg_single_sgdet import SetCriterionDSGG as SgdetCriterion  # noqa: E402
from models.dsgg_single_xcls import SetCriterionDSGG as XclsCriterion  # noqa: E402

torch.set_default_dtype(torch.float64)
NUM_OBJ = 37  # 'ag' in dataset_file: 36 + 1 classes, plus the no-object logit
A, S, C = 3, 6, 17


def args_for(task, **over):
    a = dict(set_cost_obj_class=1.0, set_cost_rel_class=1.0, set_cost_bbox=2.5, set_cost_giou=1.0,
             set_cost_matching=1.0, use_matching=False, obj_loss_coef=1.0, rel_loss_coef=2.0,
             bbox_loss_coef=2.5, giou_loss_coef=1.0, eos_coef=0.1, alpha=0.5, num_attn_classes=A,
             num_spatial_classes=S, num_contacting_classes=C, dsgg_task=task, obj_reweight=False,
             rel_reweight=False, use_static_weights=False, queue_size=4704.0, p_obj=0.7, p_rel=0.7)
    a.update(over)
    return Namespace(**a)


def random_boxes(g, n):
    cxcy = torch.rand(n, 2, generator=g) * 0.6 + 0.2
    wh = torch.rand(n, 2, generator=g) * 0.3 + 0.05
    return torch.cat([cxcy, wh], 1)


def random_outputs(g, q):
    return {
        'pred_obj_logits': torch.randn(1, q, NUM_OBJ + 1, generator=g) * 2,
        'pred_sub_boxes': random_boxes(g, q)[None],
        'pred_obj_boxes': random_boxes(g, q)[None],
        'pred_attn_logits': torch.randn(1, q, A + 1, generator=g) * 2,
        'pred_spatial_logits': torch.randn(1, q, S, generator=g) * 2,
        'pred_contacting_logits': torch.randn(1, q, C, generator=g) * 2,
    }


def random_targets(g, t, zero_obj_box=None, no_spatial=False):
    attn = torch.zeros(t, A)
    attn[torch.arange(t), torch.randint(0, A, (t,), generator=g)] = 1
    spatial = (torch.rand(t, S, generator=g) < 0.3).double()
    contact = (torch.rand(t, C, generator=g) < 0.15).double()
    if no_spatial:
        spatial.zero_()
    obj_boxes = random_boxes(g, t)
    if zero_obj_box is not None:
        obj_boxes[zero_obj_box] = 0
    return {'obj_labels': torch.randint(1, 37, (t,), generator=g), 'sub_boxes': random_boxes(g, t),
            'obj_boxes': obj_boxes, 'attn_labels': attn, 'spatial_labels': spatial, 'contacting_labels': contact}


def lst(x):
    return x.tolist()


def run_case(name, task, seed, q, t, aux, args, **tk):
    g = torch.Generator().manual_seed(seed)
    outputs = random_outputs(g, q)
    outputs['aux_outputs'] = [random_outputs(g, q) for _ in range(aux)]
    targets = [random_targets(g, t, **tk)]
    matcher = HungarianMatcherDSGG(args.set_cost_obj_class, args.set_cost_rel_class, args.set_cost_bbox,
                                   args.set_cost_giou, args.set_cost_matching, args.use_matching)
    weight_dict = {'loss_obj_ce': args.obj_loss_coef, 'loss_attn_ce': args.rel_loss_coef,
                   'loss_spatial_ce': args.rel_loss_coef, 'loss_contacting_ce': args.rel_loss_coef,
                   'loss_sub_bbox': args.bbox_loss_coef, 'loss_obj_bbox': args.bbox_loss_coef,
                   'loss_sub_giou': args.giou_loss_coef, 'loss_obj_giou': args.giou_loss_coef}
    for i in range(aux):
        weight_dict.update({k + f'_{i}': v for k, v in list(weight_dict.items()) if not k[-1].isdigit()})
    if task == 'sgdet':
        crit = SgdetCriterion(NUM_OBJ, q, matcher, weight_dict, args.eos_coef,
                              ['obj_labels', 'relation_labels', 'sub_obj_boxes', 'obj_cardinality'], args)
        layer_outputs = [{k: v for k, v in outputs.items() if k != 'aux_outputs'}] + outputs['aux_outputs']
        indices = [[(lst(i), lst(j)) for i, j in matcher(o, targets)] for o in layer_outputs]
    else:
        outputs['valid_num_list'] = [t]
        for o in outputs['aux_outputs']:
            o['valid_num_list'] = [t]
        crit = XclsCriterion(NUM_OBJ, q, matcher, weight_dict, args.eos_coef,
                             ['obj_labels', 'relation_labels', 'sub_obj_boxes'], args)
        indices = [[(list(range(t)), list(range(t)))] for _ in range(aux + 1)]
    losses = crit(outputs, targets)
    total = sum(losses[k] * weight_dict[k] for k in losses if k in weight_dict)
    layers = [{k: lst(v[0]) for k, v in o.items() if k.startswith('pred_')}
              for o in [outputs] + outputs['aux_outputs']]
    return {
        'name': name, 'task': task, 'queries': q,
        'args': {k: getattr(args, k) for k in ['set_cost_obj_class', 'set_cost_rel_class', 'set_cost_bbox',
                                               'set_cost_giou', 'obj_loss_coef', 'rel_loss_coef',
                                               'bbox_loss_coef', 'giou_loss_coef', 'eos_coef', 'alpha']},
        'layers': layers,
        'targets': {k: lst(v) for k, v in targets[0].items()},
        'indices': [ix[0] for ix in indices],
        'losses': {k: float(v) for k, v in losses.items() if k in weight_dict},
        'total': float(total),
    }


cases = [
    run_case('sgdet_defaults', 'sgdet', 0, 8, 3, 2, args_for('sgdet')),
    run_case('sgdet_zero_obj_box', 'sgdet', 1, 7, 4, 2, args_for('sgdet'), zero_obj_box=1),
    run_case('sgdet_other_weights', 'sgdet', 2, 6, 5, 1,
             args_for('sgdet', set_cost_obj_class=2.0, set_cost_rel_class=0.5, set_cost_bbox=5.0,
                      set_cost_giou=2.0, obj_loss_coef=1.5, rel_loss_coef=1.0, bbox_loss_coef=5.0,
                      giou_loss_coef=2.0, eos_coef=0.2, alpha=0.25)),
    run_case('sgdet_no_spatial_positive', 'sgdet', 3, 5, 2, 0, args_for('sgdet'), no_spatial=True),
    run_case('predcls_defaults', 'predcls', 4, 4, 4, 2, args_for('predcls')),
]
with open(sys.argv[2], 'w') as f:
    json.dump({'source': 'guanw-pku/OED 4880df7', 'cases': cases}, f)
for c in cases:
    print(c['name'], c['indices'], round(c['total'], 6))
