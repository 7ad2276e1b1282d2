#!/usr/bin/env python3
"""The reference side of docs/PERFORMANCE.md's SGDET section, in PyTorch 1.13 (Debian python3-torch,
python3-torchvision): torchvision's roi_align(aligned=False) on 90 union boxes over 8 maps of 1024 x 38 x 67 (the
boxes are written to ROIS so that the kit's RoiAlign can be timed on the same ones), and STTran's detector trunk,
ResNet-101 to layer 3 on a 600 x 1067 frame plus layer 4 on 12 RoIs, with random weights.
Usage: /usr/bin/python3 tools/torch-reference/sgdet_speed.py [ROIS.npy]"""
import sys
import time

import numpy as np
import torch
import torchvision

torch.manual_seed(1)
torch.set_num_threads(2)
fm = torch.rand(8, 1024, 38, 67)
g = torch.Generator().manual_seed(1)
rois = []
for i in range(90):
    x1 = float(torch.rand(1, generator=g)) * 900
    y1 = float(torch.rand(1, generator=g)) * 450
    rois.append([i % 8, x1, y1, x1 + 100 + float(torch.rand(1, generator=g)) * 200,
                 y1 + 80 + float(torch.rand(1, generator=g)) * 150])
rois = torch.tensor(rois)
if len(sys.argv) > 1:
    np.save(sys.argv[1], rois.numpy().astype(np.float32))
best = float("inf")
for rep in range(3):
    t = time.time()
    torchvision.ops.roi_align(fm, rois, (7, 7), 1 / 16, 0, aligned=False)
    best = min(best, time.time() - t)
print("torchvision roi_align, 90 union boxes on 8 x 1024 x 38 x 67: %.1f ms" % (best * 1e3))
m = torchvision.models.resnet101().eval()
x = torch.rand(1, 3, 600, 1067)
with torch.no_grad():
    for rep in range(2):
        t = time.time()
        y = m.layer3(m.layer2(m.layer1(m.maxpool(m.relu(m.bn1(m.conv1(x)))))))
        t3 = time.time() - t
    r = torchvision.ops.roi_align(y, torch.tensor([[0, 0, 0, 300, 300.]] * 12), (14, 14), 1 / 16, 0, aligned=False)
    t = time.time()
    m.layer4(r).mean(3).mean(2)
    t4 = time.time() - t
print("ResNet-101 to layer3 at 600x1067: %.0f ms; layer4 on 12 RoIs (14x14): %.0f ms" % (t3 * 1e3, t4 * 1e3))
