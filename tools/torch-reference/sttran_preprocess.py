#!/usr/bin/env python3
"""STTran's loader preprocessing (RGB -> BGR, pixel means, cv2.resize INTER_LINEAR to a short side, padding to one
blob) run on images of assorted sizes, for the kit's org.m3sgg.video.DetectorInput.

Not part of the kit: it needs Debian's python3-opencv and python3-numpy and a checkout of yrcong/STTran (6b559e1),
whose fasterRCNN/lib/model/utils/blob.py (prep_im_for_blob, im_list_to_blob) it imports and runs unchanged.

    /usr/bin/python3 tools/torch-reference/sttran_preprocess.py --sttran /path/to/STTran \
        --out src/test/resources/reference/sttran-preprocess

writes for each case NAME: NAME.png (the frame, RGB), NAME_blob.npy (prep_im_for_blob's output, float32 H x W x 3,
BGR) and cases.json (sizes, targets, scales); the case "video_*" frames also go through im_list_to_blob with the
loader's im_info (video_blob.npy, video_im_info.npy).
"""
import argparse
import importlib.util
import json
import os

import cv2
import numpy as np

# (name, height, width, target short side): odd sizes up and down, OpenCV's special cases (an exact halving, which
# cv2 computes as a 2x2 area mean; an unchanged size, which it copies), a one-pixel-wide frame, Charades' 480x270
# aspect, an exact third
CASES = [
    ("up_5x7_to_9", 5, 7, 9),
    ("down_13x11_to_4", 13, 11, 4),
    ("half_40x30_to_15", 30, 40, 15),
    ("half_odd_30x41_to_15", 30, 41, 15),
    ("half_odd_30x43_to_15", 30, 43, 15),
    ("half_odd_31x42_to_15", 31, 42, 15),
    ("third_33x45_to_11", 33, 45, 11),
    ("same_20x23_to_20", 20, 23, 20),
    ("one_wide_3x1_to_5", 3, 1, 5),
    ("charades_27x48_to_60", 27, 48, 60),
]


def load_blob_module(sttran):
    path = os.path.join(sttran, "fasterRCNN", "lib", "model", "utils", "blob.py")
    spec = importlib.util.spec_from_file_location("sttran_blob", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def loader_frame(png):
    """The loader's imread (RGB, uint8) then im[:, :, ::-1]; scipy.misc.imread is gone, cv2 reads BGR already."""
    rgb = cv2.imread(png, cv2.IMREAD_COLOR)[:, :, ::-1]
    return rgb[:, :, ::-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sttran", required=True, help="checkout of yrcong/STTran")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    blob = load_blob_module(args.sttran)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    cases = list(CASES)
    for k in range(4):
        h, w = (int(v) for v in rng.integers(2, 80, size=2))
        t = int(rng.integers(2, 60))
        cases.append((f"random{k}_{h}x{w}_to_{t}", h, w, t))
    meta = []
    for name, h, w, target in cases:
        # smooth gradients plus noise: neither flat (which hides interpolation errors) nor pure noise
        yy, xx = np.mgrid[0:h, 0:w]
        base = np.stack([(xx * 255 // max(w - 1, 1)), (yy * 255 // max(h - 1, 1)), ((xx + yy) * 7) % 256], -1)
        rgb = np.clip(base + rng.integers(-40, 41, size=(h, w, 3)), 0, 255).astype(np.uint8)
        png = os.path.join(args.out, name + ".png")
        cv2.imwrite(png, rgb[:, :, ::-1])
        im = loader_frame(png)
        assert np.array_equal(im[:, :, ::-1], rgb)
        out, scale = blob.prep_im_for_blob(im, [[[102.9801, 115.9465, 122.7717]]], target, 1000)
        np.save(os.path.join(args.out, name + "_blob.npy"), out.astype(np.float32))
        meta.append({"name": name, "height": h, "width": w, "target": target, "scale": scale,
                     "out_height": int(out.shape[0]), "out_width": int(out.shape[1])})
    # one video: three frames of different sizes at target 20, as the loader batches them
    video = []
    for i, (h, w) in enumerate([(17, 25), (30, 20), (21, 21)]):
        rgb = rng.integers(0, 256, size=(h, w, 3)).astype(np.uint8)
        png = os.path.join(args.out, f"video_{i}.png")
        cv2.imwrite(png, rgb[:, :, ::-1])
        video.append(blob.prep_im_for_blob(loader_frame(png), [[[102.9801, 115.9465, 122.7717]]], 20, 1000))
    b = blob.im_list_to_blob([v[0] for v in video])
    im_info = np.array([[b.shape[1], b.shape[2], video[0][1]]], dtype=np.float32).repeat(b.shape[0], 0)
    np.save(os.path.join(args.out, "video_blob.npy"), np.ascontiguousarray(b.transpose(0, 3, 1, 2)))
    np.save(os.path.join(args.out, "video_im_info.npy"), im_info)
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump({"opencv": cv2.__version__, "numpy": np.__version__, "seed": args.seed, "video_target": 20,
                   "cases": meta}, f, indent=1)
    print(f"{len(meta)} cases and a 3-frame video written to {args.out} (cv2 {cv2.__version__})")


if __name__ == "__main__":
    main()
