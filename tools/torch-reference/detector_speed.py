#!/usr/bin/env python3
"""Times STTran's Faster R-CNN in PyTorch on CPU, the counterpart of `bin/m3sgg bench --kind detector`: the
published-size network (ResNet-101 [3, 4, 23, 3], published widths, 37 classes; detector_reference.py's rewrite of
the faster-rcnn.pytorch code paths) on N seeded random preprocessed frames of 600 x 1067 (Action Genome's 480 x 270
frames at a short side of 600), through STTran's SGDET test loop (chunks of 10 frames, 100 RoIs per frame).
Weights: the reference initialisation (seeded), or --checkpoint. The compiled NMS kernel is stood in for by
torchvision's compiled `nms` on boxes widened by one pixel (the same work as faster-rcnn.pytorch's `_C.nms`; the
fixture script's exact legacy NMS is a Python loop and would not time the reference fairly), RoIAlign by
torchvision's `roi_align(aligned=False)`.

Prints frames/s (median of the timed runs), seconds per frame and stage, the peak resident set (VmHWM), torch's
threads and the thread environment. Run by hand:
  /usr/bin/python3 tools/torch-reference/detector_speed.py --frames 4 --threads 2
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import detector_reference as ref  # noqa: E402

HEIGHT, WIDTH = 600, 1067


def vm(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return -1


@torch.no_grad()
def init(net, gen):
    """faster-rcnn.pytorch's initialisation, batch norms near identity (the last of each branch at a fifth)."""
    for name, m in net.named_modules():
        if isinstance(m, nn.Conv2d):
            n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
            m.weight.normal_(0, math.sqrt(2.0 / n), generator=gen)
        elif isinstance(m, nn.BatchNorm2d):
            gain = 0.2 if name.endswith("bn3") else 1.0
            c = m.num_features
            m.weight.copy_(gain * (1 + 0.1 * torch.randn(c, generator=gen)))
            m.bias.copy_(gain * 0.1 * torch.randn(c, generator=gen))
            m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
            m.running_var.copy_(1 + 0.05 * torch.randn(c, generator=gen).abs())
    for m, std in ((net.RCNN_rpn.RPN_Conv, 0.01), (net.RCNN_rpn.RPN_cls_score, 0.01),
                   (net.RCNN_rpn.RPN_bbox_pred, 0.01), (net.RCNN_cls_score, 0.01), (net.RCNN_bbox_pred, 0.001)):
        m.weight.normal_(0, std, generator=gen)
        m.bias.zero_()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--frames", type=int, default=4, help="frames per timed run (default 4)")
    p.add_argument("--warmup", type=int, default=1, help="untimed one-frame runs first (default 1)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs, median reported (default 3)")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads (default: cores)")
    p.add_argument("--checkpoint", help="a faster-rcnn.pytorch checkpoint (default: seeded random weights)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    net = ref.build("full", ref.load_checkpoint(a.checkpoint) if a.checkpoint else None)
    if not a.checkpoint:
        init(net, torch.Generator().manual_seed(7))
    det = ref.Detector(net, nms=ref.nms_fast, notes=False)
    rng = np.random.default_rng(11)
    im = torch.from_numpy((rng.random((a.frames, 3, HEIGHT, WIDTH), dtype=np.float32) * 255 - 115))
    info = torch.tensor([[HEIGHT, WIDTH, HEIGHT / 270.0]], dtype=torch.float32).repeat(a.frames, 1)
    for _ in range(a.warmup):
        det.forward(im[:1], info[:1], keep_all=False)
    runs, stages, dets = [], [], 0
    cpu0 = time.process_time()
    for _ in range(a.repeats):
        det.times = {k: 0.0 for k in det.times}
        t0 = time.perf_counter()
        out = det.forward(im, info, keep_all=False)
        runs.append(time.perf_counter() - t0)
        stages.append(dict(det.times))
        dets = int(out["final_labels"].numel())
    cpu = (time.process_time() - cpu0) / a.repeats
    med = statistics.median(runs)
    st = stages[runs.index(sorted(runs)[(len(runs) - 1) // 2])]
    env = {k: os.environ.get(k, "unset") for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                   "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    r = {"kind": "detector-torch", "torch": torch.__version__, "frames": a.frames, "height": HEIGHT,
         "width": WIDTH, "frames_per_second": a.frames / med, "median_seconds": med, "runs_seconds": runs,
         "cpu_seconds_per_run": cpu,
         "stage_seconds": st, "detections": dets, "peak_rss_bytes": vm("VmHWM:"),
         "torch_threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(), "env": env}
    if a.json:
        print(json.dumps(r, indent=1))
        return 0
    f = a.frames
    print("detector (PyTorch %s): ResNet-101 Faster R-CNN, %d frames of %d x %d, weights %s" % (
        torch.__version__, f, HEIGHT, WIDTH, a.checkpoint or "random (seed 7)"))
    print("  frames/s          %.3f  (median %.2f s per run of %d frames; runs %s)" % (
        f / med, med, f, ["%.2f" % x for x in runs]))
    print("  CPU per frame     %.2f s (all threads, mean of the timed runs)" % (cpu / f))
    print("  per frame         base %.2f s | proposals %.3f s | RoIAlign %.3f s | head %.2f s | detections %.3f s"
          % (st["base"] / f, st["proposals"] / f, st["roi_align"] / f, st["head"] / f, st["detections"] / f))
    print("  detections        %d" % dets)
    print("  peak RSS (VmHWM)  %.0f MB" % (r["peak_rss_bytes"] / 1e6))
    print("  threads           torch %d (mkldnn %s) %s" % (
        r["torch_threads"], r["mkldnn"], " ".join("%s=%s" % kv for kv in env.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
