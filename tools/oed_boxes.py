"""Box diagnostics of an OED run's predictions file (docs/RESULTS.md, OED): the spread of the object boxes' centres
over a frame's queries, the share of test frames whose person some subject box covers at IoU >= 0.5, and the share
of ground-truth objects some object box covers at IoU >= 0.5 (any label).
Usage: python3 tools/oed_boxes.py RUN/test.predictions.json [...]"""
import json, sys, statistics as st

def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0])); iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    i = ix * iy
    u = (a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i
    return i / u if u > 0 else 0

for path in sys.argv[1:]:
    d = json.load(open(path))["frames"]
    spreads, cov_p, cov_o, n_o = [], 0, 0, 0
    for f in d:
        boxes = f["pred"]["boxes"]
        q = len(boxes) // 2
        objs = boxes[q:]
        cx = [(b[0]+b[2])/2 for b in objs]
        spreads.append(st.pstdev(cx))
        subs = boxes[:q]
        if any(iou(b, f["gt"]["person_box"]) >= 0.5 for b in subs):
            cov_p += 1
        for o in f["gt"]["objects"]:
            if o.get("box") is None:
                continue
            n_o += 1
            if any(iou(b, o["box"]) >= 0.5 for b in objs):
                cov_o += 1
    print(f"{path}: {len(d)} frames; object-box centre x spread per frame (px) median {st.median(spreads):.1f}; "
          f"person covered {100*cov_p/len(d):.1f}%; objects covered {100*cov_o/max(n_o,1):.1f}% of {n_o}")
