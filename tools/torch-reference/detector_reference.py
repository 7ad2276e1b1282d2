#!/usr/bin/env python3
"""Writes a Faster R-CNN reference fixture for `bin/m3sgg parity --kind faster-rcnn`, in the layout of
src/test/resources/reference/detector-reference (same file names, a dims.json of the same kind).

What it computes is STTran's detector (yrcong/STTran 6b559e1, lib/object_detector.py `detector.forward` in SGDET
test mode) on jwyang's faster-rcnn.pytorch code paths (Caffe-style ResNet, `resnet(classes, 101)`: RCNN_base =
conv1..layer3, RCNN_top = layer4, RPN, proposal layer, RoIAlign, class-specific box head), written here again in
plain PyTorch so that it runs without the compiled `_C` extension: torchvision's `roi_align(aligned=False)` stands in
for the RoIAlign kernel and a legacy (+1 pixel) NMS written in torch for the NMS kernel (suppress at IoU above the
threshold, kept indices in input order, as the CUDA kernel STTran ran).

  --reduced   the committed fixture's network: one bottleneck per layer, every ResNet width / 4, RPN width 128,
              loader target size 96, two 60 x 100 frames
  --full      the published network: ResNet-101 [3, 4, 23, 3], published widths (layer 3: 1024, layer 4: 2048), RPN
              width 512, target size 600, two 480 x 270 frames (-> 600 x 1067, Action Genome's input)

Weights are seeded random (the reference initialisation, then batch-norm statistics measured on the frames and
perturbed, RPN and classifier weights scaled so that the probabilities neither saturate nor stay at 1/K), or read
from --checkpoint. Frames are seeded random smooth images, or read from --frames (uint8 [T, H, W, 3] RGB .npy).
--compare DIR prints, for every .npy of DIR that this run also wrote, the largest absolute difference: run with
DIR's own checkpoint and frames to check this script against an existing fixture.

Run by hand (never by the build), with Debian's PyTorch 1.13:
  apt-get install -y python3-torch python3-torchvision python3-scipy python3-opencv libopenblas0-pthread
  /usr/bin/python3 tools/torch-reference/detector_reference.py --full --out /tmp/det-full
  bin/m3sgg parity --kind faster-rcnn --fixture /tmp/det-full
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

PIXEL_MEANS_BGR = np.array([[[102.9801, 115.9465, 122.7717]]], dtype=np.float64)
ANCHOR_SCALES = [4, 8, 16, 32]
ANCHOR_RATIOS = [0.5, 1, 2]
FEAT_STRIDE = 16
PRE_NMS, POST_NMS, RPN_NMS = 6000, 100, 0.7
POOL = 7
SCORE_THRESHOLD, DETECTION_NMS = 0.1, 0.4
DELTA_STDS = [0.1, 0.1, 0.2, 0.2]
CHUNK = 10
CLASSES = 37  # Action Genome's 36 objects and the background

SIZES = {
    "reduced": dict(blocks=[1, 1, 1, 1], div=4, rpn=128, target=96, raw_hw=(60, 100)),
    "full": dict(blocks=[3, 4, 23, 3], div=1, rpn=512, target=600, raw_hw=(270, 480)),
}


# ---------------------------------------------------------------- the network (faster-rcnn.pytorch's resnet.py)

class Bottleneck(nn.Module):
    """Caffe-style bottleneck: the stride sits on the first 1x1 convolution."""

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.downsample = downsample

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        residual = x if self.downsample is None else self.downsample(x)
        return F.relu(out + residual)


def make_layer(inplanes, planes, blocks, stride):
    downsample = None
    if stride != 1 or inplanes != planes * 4:
        downsample = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, stride=stride, bias=False),
                                   nn.BatchNorm2d(planes * 4))
    layers = [Bottleneck(inplanes, planes, stride, downsample)]
    layers += [Bottleneck(planes * 4, planes) for _ in range(1, blocks)]
    return nn.Sequential(*layers)


class RPN(nn.Module):
    def __init__(self, din, width, anchors_per_cell):
        super().__init__()
        self.RPN_Conv = nn.Conv2d(din, width, 3, 1, 1, bias=True)
        self.RPN_cls_score = nn.Conv2d(width, 2 * anchors_per_cell, 1, 1, 0)
        self.RPN_bbox_pred = nn.Conv2d(width, 4 * anchors_per_cell, 1, 1, 0)


class FasterRcnn(nn.Module):
    """State-dict keys as faster-rcnn.pytorch's `resnet` (RCNN_base.0/1/4/5/6, RCNN_top.0, RCNN_rpn.*, ...)."""

    def __init__(self, blocks, div, rpn_width, classes):
        super().__init__()
        w = [64 // div, 128 // div, 256 // div, 512 // div]
        conv1 = nn.Conv2d(3, w[0], 7, stride=2, padding=3, bias=False)
        maxpool = nn.MaxPool2d(3, stride=2, padding=0, ceil_mode=True)
        layer1 = make_layer(w[0], w[0], blocks[0], 1)
        layer2 = make_layer(w[0] * 4, w[1], blocks[1], 2)
        layer3 = make_layer(w[1] * 4, w[2], blocks[2], 2)
        layer4 = make_layer(w[2] * 4, w[3], blocks[3], 2)
        self.RCNN_base = nn.Sequential(conv1, nn.BatchNorm2d(w[0]), nn.ReLU(), maxpool, layer1, layer2, layer3)
        self.RCNN_top = nn.Sequential(layer4)
        self.RCNN_rpn = RPN(w[2] * 4, rpn_width, len(ANCHOR_SCALES) * len(ANCHOR_RATIOS))
        self.RCNN_cls_score = nn.Linear(w[3] * 4, classes)
        self.RCNN_bbox_pred = nn.Linear(w[3] * 4, 4 * classes)
        self.widths = dict(conv1=w[0], planes=w, base_channels_layer3=w[2] * 4, head_channels_layer4=w[3] * 4,
                           rpn_conv=rpn_width)


# ---------------------------------------------------------------- host steps (rpn/, roi_layers, object_detector)

def generate_anchors(base_size=16, ratios=ANCHOR_RATIOS, scales=ANCHOR_SCALES):
    """generate_anchors.py: ratio then scale enumeration around (0, 0, 15, 15), +1 widths, np.round."""
    def whctrs(a):
        w, h = a[2] - a[0] + 1, a[3] - a[1] + 1
        return w, h, a[0] + 0.5 * (w - 1), a[1] + 0.5 * (h - 1)

    def mk(ws, hs, x, y):
        ws, hs = ws[:, None], hs[:, None]
        return np.hstack((x - 0.5 * (ws - 1), y - 0.5 * (hs - 1), x + 0.5 * (ws - 1), y + 0.5 * (hs - 1)))

    base = np.array([1, 1, base_size, base_size], dtype=np.float64) - 1
    w, h, x, y = whctrs(base)
    ws = np.round(np.sqrt(w * h / np.array(ratios, dtype=np.float64)))
    hs = np.round(ws * np.array(ratios, dtype=np.float64))
    ratio_anchors = mk(ws, hs, x, y)
    out = []
    for r in ratio_anchors:
        w, h, x, y = whctrs(r)
        sc = np.array(scales, dtype=np.float64)
        out.append(mk(w * sc, h * sc, x, y))
    return np.vstack(out)


def bbox_transform_inv(boxes, deltas):
    """bbox_transform.py: +1 widths, x2' = ctr + 0.5 w' (no -1). boxes [B, N, 4], deltas [B, N, 4k]."""
    widths = boxes[:, :, 2] - boxes[:, :, 0] + 1.0
    heights = boxes[:, :, 3] - boxes[:, :, 1] + 1.0
    ctr_x = boxes[:, :, 0] + 0.5 * widths
    ctr_y = boxes[:, :, 1] + 0.5 * heights
    dx, dy, dw, dh = deltas[:, :, 0::4], deltas[:, :, 1::4], deltas[:, :, 2::4], deltas[:, :, 3::4]
    pcx = dx * widths.unsqueeze(2) + ctr_x.unsqueeze(2)
    pcy = dy * heights.unsqueeze(2) + ctr_y.unsqueeze(2)
    pw = torch.exp(dw) * widths.unsqueeze(2)
    ph = torch.exp(dh) * heights.unsqueeze(2)
    out = deltas.clone()
    out[:, :, 0::4] = pcx - 0.5 * pw
    out[:, :, 1::4] = pcy - 0.5 * ph
    out[:, :, 2::4] = pcx + 0.5 * pw
    out[:, :, 3::4] = pcy + 0.5 * ph
    return out


def clip_boxes(boxes, im_shape, batch_size):
    """bbox_transform.py clip_boxes: only the first `batch_size` entries of the batch are clipped."""
    for i in range(batch_size):
        boxes[i, :, 0::4].clamp_(0, float(im_shape[i, 1]) - 1)
        boxes[i, :, 1::4].clamp_(0, float(im_shape[i, 0]) - 1)
        boxes[i, :, 2::4].clamp_(0, float(im_shape[i, 1]) - 1)
        boxes[i, :, 3::4].clamp_(0, float(im_shape[i, 0]) - 1)
    return boxes


def nms_legacy(boxes, thresh):
    """The compiled kernel's NMS on boxes already sorted by score: +1 widths, float32 IoU, suppress when IoU >
    thresh (the CUDA kernel), kept indices in input order."""
    n = boxes.shape[0]
    if n == 0:
        return torch.zeros(0, dtype=torch.long)
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    suppressed = np.zeros(n, dtype=bool)
    keep = []
    for i in range(n):
        if suppressed[i]:
            continue
        keep.append(i)
        if i + 1 == n:
            break
        w = (torch.minimum(x2[i], x2[i + 1:]) - torch.maximum(x1[i], x1[i + 1:]) + 1).clamp(min=0)
        h = (torch.minimum(y2[i], y2[i + 1:]) - torch.maximum(y1[i], y1[i + 1:]) + 1).clamp(min=0)
        inter = w * h
        iou = inter / (areas[i] + areas[i + 1:] - inter)
        suppressed[i + 1:] |= (iou > thresh).numpy()
    return torch.tensor(keep, dtype=torch.long)


def nms_fast(boxes, thresh):
    """For timing only: torchvision's compiled NMS on boxes widened by one pixel (the +1 convention's IoU up to
    float rounding); boxes are sorted already, so its order is the input order but for exact score ties."""
    scores = torch.arange(boxes.shape[0], 0, -1, dtype=torch.float32)
    b = boxes.clone()
    b[:, 2:] += 1
    return torchvision.ops.nms(b, scores, thresh)


def sort_desc(x):
    """Stable descending sort (the reference's torch.sort is not stable; see `ties`)."""
    return torch.sort(x, descending=True, stable=True)


def ties(sorted_values):
    return int((sorted_values[1:] == sorted_values[:-1]).sum())


class Detector:
    """STTran's `detector.forward` in SGDET test mode around the network; every intermediate is kept."""

    def __init__(self, net, nms=nms_legacy, notes=True):
        self.net = net.eval()
        self.nms = nms
        self.record_notes = notes
        self.times = dict(base=0.0, proposals=0.0, roi_align=0.0, head=0.0, detections=0.0)
        self.anchors = torch.from_numpy(generate_anchors()).float()
        self.A = self.anchors.shape[0]
        self.notes = dict(rpn_score_ties_in_top_n=[], rpn_sort_order_equals_unstable_sort=[],
                          class_score_ties=0)

    def rpn(self, base_feat):
        r = self.net.RCNN_rpn
        conv = F.relu(r.RPN_Conv(base_feat))
        score = r.RPN_cls_score(conv)
        b, c, h, w = score.shape
        prob = F.softmax(score.view(b, 2, c * h // 2, w), 1).view(b, c, h, w)
        return score, prob, r.RPN_bbox_pred(conv)

    def proposals(self, prob, deltas, im_info):
        """proposal_layer.py in test mode: every anchor decoded and clipped, top 6000, NMS 0.7, top 100."""
        b, _, h, w = prob.shape
        scores = prob[:, self.A:].permute(0, 2, 3, 1).reshape(b, -1)
        sx, sy = np.meshgrid(np.arange(w) * FEAT_STRIDE, np.arange(h) * FEAT_STRIDE)
        shifts = torch.from_numpy(np.vstack((sx.ravel(), sy.ravel(), sx.ravel(), sy.ravel())).T).contiguous().float()
        anchors = (self.anchors.view(1, self.A, 4) + shifts.view(-1, 1, 4)).view(1, -1, 4).expand(b, -1, 4)
        d = deltas.permute(0, 2, 3, 1).reshape(b, -1, 4)
        props = clip_boxes(bbox_transform_inv(anchors, d), im_info, b)
        rois = torch.zeros(b, POST_NMS, 5)
        for i in range(b):
            values, order = sort_desc(scores[i])
            top = order[:PRE_NMS]
            if self.record_notes:
                self.notes["rpn_score_ties_in_top_n"].append(ties(values[:PRE_NMS]))
                unstable = torch.sort(scores[i], descending=True)[1][:PRE_NMS]
                self.notes["rpn_sort_order_equals_unstable_sort"].append(bool(torch.equal(unstable, top)))
            keep = self.nms(props[i][top], RPN_NMS)[:POST_NMS]
            rois[i, :, 0] = i
            rois[i, :keep.numel(), 1:] = props[i][top][keep]
        return props, scores, rois

    def head(self, base_feat, rois):
        t0 = time.perf_counter()
        pooled = torchvision.ops.roi_align(base_feat, rois.view(-1, 5), (POOL, POOL), 1.0 / FEAT_STRIDE, 0,
                                           aligned=False)
        t1 = time.perf_counter()
        self.times["roi_align"] += t1 - t0
        feat = self.net.RCNN_top(pooled).mean(3).mean(2)
        self.times["head"] += time.perf_counter() - t1
        return feat, F.softmax(self.net.RCNN_cls_score(feat), 1), self.net.RCNN_bbox_pred(feat)

    @torch.no_grad()
    def forward(self, im_data, im_info, keep_all=True):
        out = {k: [] for k in ("base_feat", "rpn_cls_score", "rpn_cls_prob", "rpn_bbox_pred", "proposals_all",
                               "proposal_scores_all", "rois", "cls_prob", "bbox_pred", "roi_features",
                               "pred_boxes")}
        fb, fl, fs, ff = [], [], [], []
        k = CLASSES
        for start in range(0, im_data.shape[0], CHUNK):
            data, info = im_data[start:start + CHUNK], im_info[start:start + CHUNK]
            t0 = time.perf_counter()
            base_feat = self.net.RCNN_base(data)
            score, prob, deltas = self.rpn(base_feat)
            t1 = time.perf_counter()
            props, pscores, rois = self.proposals(prob, deltas, info)
            t2 = time.perf_counter()
            self.times["base"] += t1 - t0
            self.times["proposals"] += t2 - t1
            b = rois.shape[0]
            feat, cls_prob, bbox_pred = self.head(base_feat, rois)
            t3 = time.perf_counter()
            cls_prob, bbox_pred = cls_prob.view(b, POST_NMS, -1), bbox_pred.view(b, POST_NMS, -1)
            feat = feat.view(b, POST_NMS, -1)
            k = cls_prob.shape[2]
            box_deltas = bbox_pred.reshape(-1, 4) * torch.tensor(DELTA_STDS)
            box_deltas = box_deltas.view(-1, POST_NMS, 4 * k)
            pred = clip_boxes(bbox_transform_inv(rois[:, :, 1:5], box_deltas), im_info, 1)
            pred /= info[0, 2]
            for i in range(b):
                scores, boxes = cls_prob[i], pred[i]
                for j in range(1, k):
                    inds = torch.nonzero(scores[:, j] > SCORE_THRESHOLD).view(-1)
                    if inds.numel() == 0:
                        continue
                    cls_scores = scores[:, j][inds]
                    values, order = sort_desc(cls_scores)
                    self.notes["class_score_ties"] += ties(values)
                    cls_boxes = boxes[inds][:, j * 4:(j + 1) * 4]
                    dets = torch.cat((cls_boxes, cls_scores.unsqueeze(1)), 1)[order]
                    keep = self.nms(cls_boxes[order, :], DETECTION_NMS)
                    dets = dets[keep]
                    if j == 1:  # the person: only the highest score
                        dets = dets[:1]
                        rows = inds[order[keep][:1]]
                    else:
                        rows = inds[order[keep]]
                    fb.append(torch.cat((torch.full((dets.shape[0], 1), float(start + i)), dets[:, :4]), 1))
                    fl.append(torch.full((dets.shape[0],), j, dtype=torch.int64))
                    fs.append(dets[:, 4])
                    ff.append(feat[i, rows])
            self.times["detections"] += time.perf_counter() - t3
            g = rois.clone()
            g[:, :, 0] += start
            if keep_all:
                for name, v in (("base_feat", base_feat), ("rpn_cls_score", score), ("rpn_cls_prob", prob),
                                ("rpn_bbox_pred", deltas), ("proposals_all", props),
                                ("proposal_scores_all", pscores), ("rois", g), ("cls_prob", cls_prob),
                                ("bbox_pred", bbox_pred), ("roi_features", feat), ("pred_boxes", pred)):
                    out[name].append(v)
        out = {n: torch.cat(v, 0) for n, v in out.items() if v}
        dim = self.net.RCNN_cls_score.in_features
        out["final_boxes"] = torch.clamp(torch.cat(fb, 0) if fb else torch.zeros(0, 5), 0)
        out["final_labels"] = torch.cat(fl, 0) if fl else torch.zeros(0, dtype=torch.int64)
        out["final_scores_detector"] = torch.cat(fs, 0) if fs else torch.zeros(0)
        out["final_features"] = torch.cat(ff, 0) if ff else torch.zeros(0, dim)
        dist = torch.softmax(self.net.RCNN_cls_score(out["final_features"])[:, 1:], dim=1)
        scores, labels = torch.max(dist, dim=1)
        out["distribution"] = dist
        out["final_scores"] = scores  # the test entry's 'scores', which STTran overwrites
        out["pred_scores"] = scores
        out["pred_labels"] = labels + 1
        return out


# ---------------------------------------------------------------- frames, preprocessing, weights

def random_frames(t, hw, rng):
    """Seeded smooth random RGB frames: a coarse random colour field, bilinearly enlarged, with rectangles."""
    import cv2
    h, w = hw
    frames = []
    for _ in range(t):
        coarse = rng.integers(0, 256, size=(max(2, h // 30), max(2, w // 30), 3)).astype(np.float32)
        im = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_LINEAR)
        for _ in range(6):
            y0, x0 = rng.integers(0, h - 4), rng.integers(0, w - 4)
            y1, x1 = rng.integers(y0 + 2, h), rng.integers(x0 + 2, w)
            im[y0:y1, x0:x1] = rng.integers(0, 256, size=3)
        im += rng.normal(0, 8, size=im.shape)
        frames.append(np.clip(im, 0, 255).astype(np.uint8))
    return np.stack(frames)


def preprocess(frames_rgb, target):
    """action_genome.py __getitem__: RGB -> BGR, prep_im_for_blob (float32, minus pixel means, short side to
    `target` with cv2 INTER_LINEAR, no max-size cap), im_list_to_blob, im_info = (H, W, first scale) per frame."""
    import cv2
    ims, scales = [], []
    for rgb in frames_rgb:
        im = rgb[:, :, ::-1].astype(np.float32, copy=False)
        im -= PIXEL_MEANS_BGR
        scale = float(target) / float(np.min(im.shape[0:2]))
        ims.append(cv2.resize(im, None, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR))
        scales.append(scale)
    shape = np.array([im.shape for im in ims]).max(axis=0)
    blob = np.zeros((len(ims), shape[0], shape[1], 3), dtype=np.float32)
    for i, im in enumerate(ims):
        blob[i, :im.shape[0], :im.shape[1], :] = im
    info = np.array([[blob.shape[1], blob.shape[2], scales[0]]], dtype=np.float32).repeat(len(ims), 0)
    # the loader's NHWC blob permuted to NCHW, made contiguous (values unchanged)
    return torch.from_numpy(blob).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(info)


def _scale_to(module_weight, bias, output, target_std):
    s = float(output.std())
    if s > 0:
        module_weight.mul_(target_std / s)
        if bias is not None:
            bias.mul_(target_std / s)


@torch.no_grad()
def random_weights(net, im_data, im_info, gen):
    """The reference initialisation (convs N(0, sqrt(2 / (k k out))), RPN and classifier N(0, 0.01 / 0.001)), then
    batch-norm statistics measured on the frames (base) and on the proposals' pooled maps (layer 4), perturbed;
    the RPN's and classifier's weights scaled so that logits have a spread (std 0.7 RPN: foreground probabilities spread over (0, 1) rather than crowded at 1; 2 classes) and the
    deltas a visible one (std 0.3 RPN, 1 boxes)."""
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
            m.weight.normal_(0, math.sqrt(2.0 / n), generator=gen)
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.fill_(1)
            m.bias.zero_()
    for m, std in ((net.RCNN_rpn.RPN_Conv, 0.01), (net.RCNN_rpn.RPN_cls_score, 0.01),
                   (net.RCNN_rpn.RPN_bbox_pred, 0.01), (net.RCNN_cls_score, 0.01), (net.RCNN_bbox_pred, 0.001)):
        m.weight.normal_(0, std, generator=gen)
        m.bias.zero_()

    def calibrate(seq, x):
        for m in seq.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.reset_running_stats()
                m.momentum = None  # cumulative average over the calibration pass
        seq.train()
        seq(x)
        seq.eval()
        for name, m in seq.named_modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                # a residual branch adds a fifth of the stream's scale, as in trained ResNets, so that 23 blocks
                # keep the layer-3 map of order 1 (unit gains would grow it to ~100 and the float32 rounding with
                # it)
                gain = 0.2 if name.endswith("bn3") else 1.0
                m.running_mean.add_(0.05 * torch.randn(c, generator=gen) * m.running_var.sqrt())
                m.running_var.mul_(torch.exp(0.1 * torch.randn(c, generator=gen)))
                m.weight.copy_(gain * (1 + 0.1 * torch.randn(c, generator=gen)))
                m.bias.copy_(gain * 0.1 * torch.randn(c, generator=gen))
                m.momentum = 0.1

    calibrate(net.RCNN_base, im_data)
    base = net.RCNN_base(im_data)
    r = net.RCNN_rpn
    conv = F.relu(r.RPN_Conv(base))
    _scale_to(r.RPN_Conv.weight, None, r.RPN_Conv(base), 1.0)
    conv = F.relu(r.RPN_Conv(base))
    _scale_to(r.RPN_cls_score.weight, None, r.RPN_cls_score(conv), 0.7)
    _scale_to(r.RPN_bbox_pred.weight, None, r.RPN_bbox_pred(conv), 0.3)
    det = Detector(net)
    _, prob, deltas = det.rpn(base)
    _, _, rois = det.proposals(prob, deltas, im_info)
    pooled = torchvision.ops.roi_align(base, rois.view(-1, 5), (POOL, POOL), 1.0 / FEAT_STRIDE, 0, aligned=False)
    calibrate(net.RCNN_top, pooled)
    feat = net.RCNN_top(pooled).mean(3).mean(2)
    net.RCNN_cls_score.bias.normal_(0, 0.5, generator=gen)
    _scale_to(net.RCNN_cls_score.weight, None, net.RCNN_cls_score(feat), 2.0)
    _scale_to(net.RCNN_bbox_pred.weight, None, net.RCNN_bbox_pred(feat), 1.0)


def load_checkpoint(path):
    ck = torch.load(path, map_location="cpu")
    return ck["model"] if "model" in ck else ck


def build(size, state_dict=None):
    s = SIZES[size]
    net = FasterRcnn(s["blocks"], s["div"], s["rpn"], CLASSES)
    if state_dict is not None:
        net.load_state_dict(state_dict, strict=True)
    return net.eval()


# ---------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--reduced", action="store_true")
    g.add_argument("--full", action="store_true")
    p.add_argument("--out", required=True, help="the fixture folder to write")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--frames", help="uint8 [T, H, W, 3] RGB .npy instead of two seeded random frames")
    p.add_argument("--checkpoint", help="a faster-rcnn.pytorch checkpoint instead of seeded random weights")
    p.add_argument("--compare", help="a fixture folder: print the largest difference of every common .npy")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args(argv)
    size = "full" if a.full else "reduced"
    s = SIZES[size]
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    frames = np.load(a.frames) if a.frames else random_frames(2, s["raw_hw"], rng)
    im_data, im_info = preprocess(frames, s["target"])
    net = build(size, load_checkpoint(a.checkpoint) if a.checkpoint else None)
    if not a.checkpoint:
        random_weights(net, im_data, im_info, gen)
    det = Detector(net)
    out = det.forward(im_data, im_info)

    os.makedirs(a.out, exist_ok=True)
    sd = net.state_dict()
    ck = {"session": 1, "epoch": 1, "model": sd, "optimizer": {}, "pooling_mode": "align", "class_agnostic": False}
    torch.save(ck, os.path.join(a.out, "faster_rcnn_ag.zip.tar"))
    torch.save(ck, os.path.join(a.out, "faster_rcnn_ag.legacy.tar"), _use_new_zipfile_serialization=False)
    files = {"in_frames_rgb": frames, "in_im_data": im_data.numpy(), "in_im_info": im_info.numpy(),
             "out_anchors": det.anchors.numpy()}
    for name in ("base_feat", "rpn_cls_score", "rpn_cls_prob", "rpn_bbox_pred", "proposals_all",
                 "proposal_scores_all", "rois", "cls_prob", "bbox_pred", "roi_features", "pred_boxes",
                 "final_boxes", "final_labels", "final_scores", "final_features", "distribution", "pred_scores",
                 "pred_labels"):
        files["out_" + name] = out[name].numpy()
    for name, v in files.items():
        np.save(os.path.join(a.out, name + ".npy"), v)
    per_frame = np.bincount(out["final_boxes"][:, 0].long().numpy(), minlength=frames.shape[0]).tolist()
    dims = {
        "reference": {
            "repo": "yrcong/STTran", "commit": "6b559e13ae891db4da913378a4153ddb444d4875",
            "made_by": "tools/torch-reference/detector_reference.py (a plain-PyTorch rewrite of the code paths; "
                       "roi_align(aligned=False) and a legacy +1 NMS in torch for the compiled ops)",
            "torch": torch.__version__, "torchvision": torchvision.__version__,
            "weights": a.checkpoint or "seeded random (seed %d)" % a.seed,
            "frames": a.frames or "seeded random (seed %d)" % a.seed,
        },
        "full": size == "full",
        "blocks": s["blocks"], "bottleneck_expansion": 4, "widths": net.widths,
        "object_classes": CLASSES, "class_agnostic": False,
        "anchors": {"scales": ANCHOR_SCALES, "ratios": ANCHOR_RATIOS, "base_size": 16, "feat_stride": FEAT_STRIDE,
                    "per_location": det.A},
        "rpn_test": {"pre_nms_top_n": PRE_NMS, "post_nms_top_n": POST_NMS, "nms_thresh": RPN_NMS},
        "roi": {"pooling_mode": "align", "pooling_size": POOL, "spatial_scale": 1.0 / FEAT_STRIDE,
                "sampling_ratio": 0, "aligned": False},
        "detections": {"score_threshold": SCORE_THRESHOLD, "nms_thresh": DETECTION_NMS,
                       "bbox_normalize_stds": DELTA_STDS, "chunk": CHUNK},
        "image": {"raw_hw": list(frames.shape[1:3]), "target_size": s["target"],
                  "im_scale": float(im_info[0, 2]), "blob_hw": list(im_data.shape[2:])},
        "rpn_score_ties_in_top_n": det.notes["rpn_score_ties_in_top_n"],
        "rpn_sort_order_equals_unstable_sort": det.notes["rpn_sort_order_equals_unstable_sort"],
        "class_score_ties": det.notes["class_score_ties"],
        "base_feat_hw": list(out["base_feat"].shape[2:]),
        "anchors_total_per_image": int(out["proposals_all"].shape[1]),
        "final_detections": int(out["final_labels"].numel()), "final_per_image": per_frame,
        "parameters": int(sum(v.numel() for v in net.parameters())),
        "checkpoint_top_level_keys": list(ck.keys()),
        "files": {n: [str(v.dtype), list(v.shape)] for n, v in sorted(files.items())},
    }
    with open(os.path.join(a.out, "dims.json"), "w") as f:
        json.dump(dims, f, indent=1)
    print("wrote %s: %s, %d detections %s, RPN ties in the top %d: %s" % (
        a.out, size, dims["final_detections"], per_frame, PRE_NMS, dims["rpn_score_ties_in_top_n"]))
    if a.compare:
        worst = 0.0
        for name in sorted(files):
            ref = os.path.join(a.compare, name + ".npy")
            if not os.path.exists(ref):
                continue
            r, m = np.load(ref), files[name]
            if r.shape != m.shape:
                print("%-26s shape %s, reference %s" % (name, m.shape, r.shape))
                worst = math.inf
                continue
            d = float(np.max(np.abs(m.astype(np.float64) - r.astype(np.float64)))) if r.size else 0.0
            worst = max(worst, d)
            print("%-26s %.3e" % (name, d))
        print("largest difference: %.3e" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
