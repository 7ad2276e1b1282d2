"""Writes the OED resize fixture (src/test/resources/reference/oed-resize/): PIL's bilinear resampling of small
seeded RGB images to sizes that shrink, enlarge and mix, and the output size of OED's evaluation resize
(short side 600, long side <= 1000) for a list of frame sizes.

The size rule is written out here as OED's datasets/transforms_single.py computes it (get_size_with_aspect_ratio);
the resampling is PIL's own Image.resize(..., Image.BILINEAR), which torchvision 0.14's F.resize calls on PIL images.

Run with Debian's python3 (python3-numpy, python3-pil): /usr/bin/python3 oed_resize_reference.py OUT_DIR
"""
import json
import sys
from pathlib import Path

import numpy as np
import PIL
from PIL import Image


def eval_size(w, h, size=600, max_size=1000):
    # OED's get_size_with_aspect_ratio (Python's round: half to even)
    min_side = float(min((w, h)))
    max_side = float(max((w, h)))
    if max_side / min_side * size > max_size:
        size = int(round(max_size * min_side / max_side))
    if (w <= h and w == size) or (h <= w and h == size):
        return h, w
    if w < h:
        ow = size
        oh = int(size * h / w)
    else:
        oh = size
        ow = int(size * w / h)
    return oh, ow


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.RandomState(7)
    cases = []
    # (source h, w) -> list of (target h, w)
    plan = [((37, 53), [(20, 31), (61, 90), (50, 30), (9, 13), (37, 53)]),
            ((24, 40), [(10, 100), (7, 16), (24, 41)])]
    for i, ((h, w), targets) in enumerate(plan):
        img = rng.randint(0, 256, size=(h, w, 3)).astype(np.uint8)
        # a smooth part so that rounding of near-equal neighbours is exercised too
        img[: h // 2, : w // 2, 0] = (np.arange(w // 2)[None, :] * 5 % 256).astype(np.uint8)
        np.save(out / f"src{i}.npy", img)
        for (th, tw) in targets:
            res = np.asarray(Image.fromarray(img).resize((tw, th), Image.BILINEAR))
            name = f"src{i}_to_{th}x{tw}.npy"
            np.save(out / name, np.ascontiguousarray(res))
            cases.append({"source": f"src{i}.npy", "height": th, "width": tw, "file": name})
    frame_sizes = [(480, 270), (270, 480), (480, 360), (1280, 720), (640, 480), (600, 600), (1000, 600),
                   (601, 1000), (2000, 500), (500, 2000), (232, 152), (1920, 1080), (320, 240), (853, 480),
                   (1003, 601)]
    sizes = [{"width": w, "height": h, "resized": list(eval_size(w, h))} for (w, h) in frame_sizes]
    meta = {"pil_version": PIL.__version__, "numpy_version": np.__version__, "resample": "Image.BILINEAR",
            "cases": cases, "eval_sizes": sizes}
    (out / "cases.json").write_text(json.dumps(meta, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
