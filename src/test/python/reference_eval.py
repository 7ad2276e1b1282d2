#!/usr/bin/env python3
"""Re-implementation, in plain numpy, of the Python reference evaluator loop used for Action Genome.

What this is: a port of the evaluation loop of STTran's ``lib/evaluation_recall.py`` (yrcong/STTran), with the
per-predicate hit/count bookkeeping of TEMPURA (sayaknag/unbiasedSGG, pooled ``mR@K``) and the per-frame mean
recall collection of DSG-DETR (Shengyu-Feng/DSG-DETR, ``mR_frame@K``). It keeps the reference's structure on
purpose (per video: concatenated boxes, global pair indices, ``im_idx`` masks recomputed for every use, candidate
rows built with ``np.concatenate``, ``argsort_desc``, ``intersect_2d``, the +1 IoU loop, ``reduce(np.union1d)``),
so that its running time stands for the reference's. torch is replaced by numpy arrays; nothing else is changed
on purpose. It is NOT used by the Java kit: it exists to

  1. cross-check the numbers in ``src/test/resources/reference/evaluator/reference_scores.json`` (``--check``), and
  2. time the reference loop on a large predictions file, for comparison with the Java scorer (``--time``).

Input: a predictions file in the format of ``m3sgg evaluate-predictions`` (``{"frames": [...]}``). Consecutive
frames with the same ``video`` form one video, as the reference evaluates one video per call.

Usage:
  python3 reference_eval.py FILE [--check REFERENCE_SCORES_JSON] [--json]
"""
import argparse
import json
import sys
import time
from functools import reduce

import numpy as np

ATTENTION = ['looking_at', 'not_looking_at', 'unsure']
SPATIAL = ['above', 'beneath', 'in_front_of', 'behind', 'on_the_side_of', 'in']
CONTACTING = ['carrying', 'covered_by', 'drinking_from', 'eating', 'have_it_on_the_back', 'holding', 'leaning_on',
              'lying_on', 'not_contacting', 'other_relationship', 'sitting_on', 'standing_on', 'touching',
              'twisting', 'wearing', 'wiping', 'writing_on']
ALL_PREDICATES = ATTENTION + SPATIAL + CONTACTING
KS = (10, 20, 50, 100)


# ---------------------------------------------------------------- helpers of the reference (numpy versions)
def intersect_2d(x1, x2):
    """[m1, n] x [m2, n] -> [m1, m2] bool: rows equal."""
    if x1.shape[1] != x2.shape[1]:
        raise ValueError("Input arrays must have same #columns")
    return (x1[..., None] == x2.T[None, ...]).all(1)


def argsort_desc(scores):
    """Indices [numel, ndim] that visit ``scores`` in descending order (numpy default sort: ties unspecified)."""
    return np.column_stack(np.unravel_index(np.argsort(-scores.ravel()), scores.shape))


def bbox_overlaps(boxes, query_boxes):
    """IoU with the legacy +1 pixel convention; [N, 4] x [K, 4] -> [N, K] (the reference's Cython loop)."""
    n_boxes = boxes.shape[0]
    k_boxes = query_boxes.shape[0]
    overlaps = np.zeros((n_boxes, k_boxes))
    for k in range(k_boxes):
        box_area = (query_boxes[k, 2] - query_boxes[k, 0] + 1) * (query_boxes[k, 3] - query_boxes[k, 1] + 1)
        for n in range(n_boxes):
            iw = min(boxes[n, 2], query_boxes[k, 2]) - max(boxes[n, 0], query_boxes[k, 0]) + 1
            if iw > 0:
                ih = min(boxes[n, 3], query_boxes[k, 3]) - max(boxes[n, 1], query_boxes[k, 1]) + 1
                if ih > 0:
                    ua = float((boxes[n, 2] - boxes[n, 0] + 1) * (boxes[n, 3] - boxes[n, 1] + 1) + box_area - iw * ih)
                    overlaps[n, k] = iw * ih / ua
    return overlaps


# ---------------------------------------------------------------- the evaluator
class Evaluator:
    """One constraint ('with', 'semi' or 'no'); accumulates over videos like BasicSceneGraphEvaluator."""

    def __init__(self, constraint, semithreshold=0.9, iou_threshold=0.5):
        self.constraint = constraint
        self.semithreshold = semithreshold
        self.iou_threshold = iou_threshold
        self.num_rel = len(ALL_PREDICATES)
        self.recall = {k: [] for k in KS}
        self.hit = {k: [0] * self.num_rel for k in KS}          # pooled (TEMPURA)
        self.count = {k: [0] * self.num_rel for k in KS}
        self.collect = {k: [[] for _ in range(self.num_rel)] for k in KS}   # per frame (DSG-DETR)

    def evaluate_scene_graph(self, gt, pred):
        # The attention distribution arrives as probabilities: no softmax here (TEMPURA's version, and the
        # predictions-file contract).
        for idx, frame_gt in enumerate(gt):
            gt_boxes = np.zeros([len(frame_gt), 4])
            gt_classes = np.zeros(len(frame_gt))
            gt_relations = []
            human_idx = 0
            gt_classes[human_idx] = 1
            gt_boxes[human_idx] = frame_gt[0]['person_bbox']
            for m, n in enumerate(frame_gt[1:]):
                gt_boxes[m + 1, :] = n['bbox']
                gt_classes[m + 1] = n['class']
                # the reference indexes the list with a one-element LongTensor; numpy needs the scalar
                gt_relations.append([human_idx, m + 1, ALL_PREDICATES.index(
                    ATTENTION[int(n['attention_relationship'][0])])])
                for spatial in n['spatial_relationship'].tolist():
                    gt_relations.append([m + 1, human_idx, ALL_PREDICATES.index(SPATIAL[spatial])])
                for contact in n['contacting_relationship'].tolist():
                    gt_relations.append([human_idx, m + 1, ALL_PREDICATES.index(CONTACTING[contact])])
            gt_entry = {'gt_classes': gt_classes, 'gt_relations': np.array(gt_relations), 'gt_boxes': gt_boxes}

            mask = pred['im_idx'] == idx
            rels_i = np.concatenate((pred['pair_idx'][pred['im_idx'] == idx].copy(),
                                     pred['pair_idx'][pred['im_idx'] == idx].copy()[:, ::-1],
                                     pred['pair_idx'][pred['im_idx'] == idx].copy()), axis=0)
            n_pairs = pred['pair_idx'][mask].shape[0]
            s1 = np.concatenate((pred['attention_distribution'][pred['im_idx'] == idx],
                                 np.zeros([n_pairs, pred['spatial_distribution'].shape[1]]),
                                 np.zeros([n_pairs, pred['contacting_distribution'].shape[1]])), axis=1)
            s2 = np.concatenate((np.zeros([n_pairs, pred['attention_distribution'].shape[1]]),
                                 pred['spatial_distribution'][pred['im_idx'] == idx],
                                 np.zeros([n_pairs, pred['contacting_distribution'].shape[1]])), axis=1)
            s3 = np.concatenate((np.zeros([n_pairs, pred['attention_distribution'].shape[1]]),
                                 np.zeros([n_pairs, pred['spatial_distribution'].shape[1]]),
                                 pred['contacting_distribution'][pred['im_idx'] == idx]), axis=1)
            pred_entry = {'pred_boxes': pred['boxes'][:, 1:].copy(), 'pred_classes': pred['labels'].copy(),
                          'pred_rel_inds': rels_i, 'obj_scores': pred['scores'].copy(),
                          'rel_scores': np.concatenate((s1, s2, s3), axis=0)}
            self._evaluate_from_dict(gt_entry, pred_entry)

    def _evaluate_from_dict(self, gt_entry, pred_entry):
        gt_rels = gt_entry['gt_relations']
        gt_boxes = gt_entry['gt_boxes'].astype(float)
        gt_classes = gt_entry['gt_classes']
        pred_rel_inds = pred_entry['pred_rel_inds']
        rel_scores = pred_entry['rel_scores']
        pred_boxes = pred_entry['pred_boxes'].astype(float)
        pred_classes = pred_entry['pred_classes']
        obj_scores = pred_entry['obj_scores']
        threshold = self.semithreshold

        if self.constraint == 'semi':
            pred_rels = []
            predicate_scores = []
            for i, j in enumerate(pred_rel_inds):
                if rel_scores[i, 0] + rel_scores[i, 1] > 0:
                    pred_rels.append(np.append(j, rel_scores[i].argmax()))
                    predicate_scores.append(rel_scores[i].max())
                elif rel_scores[i, 3] + rel_scores[i, 4] > 0:
                    for k in np.where(rel_scores[i] > threshold)[0]:
                        pred_rels.append(np.append(j, k))
                        predicate_scores.append(rel_scores[i, k])
                elif rel_scores[i, 9] + rel_scores[i, 10] > 0:
                    for k in np.where(rel_scores[i] > threshold)[0]:
                        pred_rels.append(np.append(j, k))
                        predicate_scores.append(rel_scores[i, k])
            pred_rels = np.array(pred_rels)
            predicate_scores = np.array(predicate_scores)
        elif self.constraint == 'no':
            obj_scores_per_rel = obj_scores[pred_rel_inds].prod(1)
            overall_scores = obj_scores_per_rel[:, None] * rel_scores
            score_inds = argsort_desc(overall_scores)[:100]
            pred_rels = np.column_stack((pred_rel_inds[score_inds[:, 0]], score_inds[:, 1]))
            predicate_scores = rel_scores[score_inds[:, 0], score_inds[:, 1]]
        else:
            pred_rels = np.column_stack((pred_rel_inds, rel_scores.argmax(1)))
            predicate_scores = rel_scores.max(1)

        pred_to_gt = self._evaluate_recall(gt_rels, gt_boxes, gt_classes, pred_rels, pred_boxes, pred_classes,
                                           predicate_scores, obj_scores)

        for k in KS:
            match = reduce(np.union1d, pred_to_gt[:k])
            frame_hit = [0] * self.num_rel
            frame_count = [0] * self.num_rel
            for idx in range(len(match)):
                label = int(gt_rels[int(match[idx]), 2])
                self.hit[k][label] += 1
                frame_hit[label] += 1
            for idx in range(gt_rels.shape[0]):
                label = int(gt_rels[idx, 2])
                self.count[k][label] += 1
                frame_count[label] += 1
            for n in range(self.num_rel):
                if frame_count[n] > 0:
                    self.collect[k][n].append(float(frame_hit[n] / frame_count[n]))
            self.recall[k].append(float(len(match)) / float(gt_rels.shape[0]))

    def _evaluate_recall(self, gt_rels, gt_boxes, gt_classes, pred_rels, pred_boxes, pred_classes,
                         rel_scores, cls_scores):
        if pred_rels.size == 0:
            return [[]]
        assert gt_rels.shape[0] != 0
        gt_triplets, gt_triplet_boxes, _ = _triplet(gt_rels[:, 2], gt_rels[:, :2], gt_classes, gt_boxes)
        assert pred_rels[:, :2].max() < pred_classes.shape[0]
        pred_triplets, pred_triplet_boxes, relation_scores = _triplet(
            pred_rels[:, 2], pred_rels[:, :2], pred_classes, pred_boxes, rel_scores, cls_scores)
        sorted_scores = relation_scores.prod(1)
        pred_triplets = pred_triplets[sorted_scores.argsort()[::-1], :]
        pred_triplet_boxes = pred_triplet_boxes[sorted_scores.argsort()[::-1], :]
        return _compute_pred_matches(gt_triplets, pred_triplets, gt_triplet_boxes, pred_triplet_boxes,
                                     self.iou_threshold)

    def summary(self):
        out = {}
        for k in KS:
            out['R@%d' % k] = float(np.mean(self.recall[k]))
        for k in KS:
            out['mR@%d' % k] = sum(float(self.hit[k][c]) / float(self.count[k][c] + 1e-10)
                                   for c in range(self.num_rel)) / self.num_rel
        for k in KS:
            total = 0.0
            for c in range(self.num_rel):
                total += 0.0 if len(self.collect[k][c]) == 0 else np.mean(self.collect[k][c])
            out['mR_frame@%d' % k] = float(total / float(self.num_rel))
        return out


def _triplet(predicates, relations, classes, boxes, predicate_scores=None, class_scores=None):
    assert predicates.shape[0] == relations.shape[0]
    sub_ob_classes = classes[relations[:, :2]]
    triplets = np.column_stack((sub_ob_classes[:, 0], predicates, sub_ob_classes[:, 1]))
    triplet_boxes = np.column_stack((boxes[relations[:, 0]], boxes[relations[:, 1]]))
    triplet_scores = None
    if predicate_scores is not None and class_scores is not None:
        triplet_scores = np.column_stack((class_scores[relations[:, 0]], class_scores[relations[:, 1]],
                                          predicate_scores))
    return triplets, triplet_boxes, triplet_scores


def _compute_pred_matches(gt_triplets, pred_triplets, gt_boxes, pred_boxes, iou_thresh):
    keeps = intersect_2d(gt_triplets, pred_triplets)
    gt_has_match = keeps.any(1)
    pred_to_gt = [[] for _ in range(pred_boxes.shape[0])]
    for gt_ind, gt_box, keep_inds in zip(np.where(gt_has_match)[0], gt_boxes[gt_has_match], keeps[gt_has_match]):
        boxes = pred_boxes[keep_inds]
        sub_iou = bbox_overlaps(gt_box[None, :4], boxes[:, :4])[0]
        obj_iou = bbox_overlaps(gt_box[None, 4:], boxes[:, 4:])[0]
        inds = (sub_iou >= iou_thresh) & (obj_iou >= iou_thresh)
        for i in np.where(keep_inds)[0][inds]:
            pred_to_gt[i].append(int(gt_ind))
    return pred_to_gt


# ---------------------------------------------------------------- predictions file -> reference inputs
def videos_from_file(frames):
    """Groups consecutive frames by video into (gt, pred) as the reference loader/model would hand them over."""
    videos = []
    start = 0
    while start < len(frames):
        end = start
        while end < len(frames) and frames[end]['video'] == frames[start]['video']:
            end += 1
        videos.append(_video(frames[start:end]))
        start = end
    return videos


def _video(frames):
    gt = []
    boxes, labels, scores, pair_idx, im_idx, att, spa, con = [], [], [], [], [], [], [], []
    offset = 0
    for t, f in enumerate(frames):
        g = f['gt']
        frame_gt = [{'person_bbox': np.array([g['person_box']]), 'frame': f['video'] + '/' + f['frame']}]
        for o in g['objects']:
            frame_gt.append({'bbox': np.array(o['box']), 'class': o['label'],
                             'attention_relationship': np.array(o['attention'], dtype=np.int64),
                             'spatial_relationship': np.array(o['spatial'], dtype=np.int64),
                             'contacting_relationship': np.array(o['contacting'], dtype=np.int64)})
        gt.append(frame_gt)
        p = f['pred']
        for b in p['boxes']:
            boxes.append([t] + list(b))
        labels += p['labels']
        scores += p['scores']
        for s, o in p['pairs']:
            pair_idx.append([s + offset, o + offset])
            im_idx.append(t)
        att += p['attention']
        spa += p['spatial']
        con += p['contacting']
        offset += len(p['boxes'])
    pred = {'boxes': np.array(boxes, dtype=float).reshape(-1, 5), 'labels': np.array(labels, dtype=np.int64),
            'scores': np.array(scores, dtype=float), 'pair_idx': np.array(pair_idx, dtype=np.int64).reshape(-1, 2),
            'im_idx': np.array(im_idx, dtype=float),
            'attention_distribution': np.array(att, dtype=float).reshape(-1, 3),
            'spatial_distribution': np.array(spa, dtype=float).reshape(-1, 6),
            'contacting_distribution': np.array(con, dtype=float).reshape(-1, 17)}
    return gt, pred


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('file')
    ap.add_argument('--check', help='reference_scores.json to compare with (tolerance 1e-9)')
    ap.add_argument('--json', action='store_true', help='print the scores as JSON')
    args = ap.parse_args()

    t0 = time.perf_counter()
    c0 = time.process_time()
    with open(args.file) as fh:
        frames = json.load(fh)['frames']
    videos = videos_from_file(frames)
    t1 = time.perf_counter()
    c1 = time.process_time()
    evaluators = {c: Evaluator(c) for c in ('with', 'semi', 'no')}
    for gt, pred in videos:
        for ev in evaluators.values():
            ev.evaluate_scene_graph(gt, pred)
    t2 = time.perf_counter()
    c2 = time.process_time()
    scores = {c: ev.summary() for c, ev in evaluators.items()}
    if args.json:
        print(json.dumps(scores, indent=1))
    print('frames %d, videos %d: load+convert %.3f s (cpu %.3f s), score (3 constraints) %.3f s (cpu %.3f s)'
          % (len(frames), len(videos), t1 - t0, c1 - c0, t2 - t1, c2 - c1), file=sys.stderr)
    if args.check:
        with open(args.check) as fh:
            ref = json.load(fh)
        worst = 0.0
        for c in ref:
            for name, value in ref[c].items():
                worst = max(worst, abs(value - scores[c][name]))
        print('max |difference| to %s: %.3g' % (args.check, worst), file=sys.stderr)
        if worst > 1e-9:
            sys.exit(1)


if __name__ == '__main__':
    main()
