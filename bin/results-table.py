#!/usr/bin/env python3
"""Aggregates the runs of bin/results.sh (runs/results/<mode>-<variant>-s<seed>/test.scores.json, plus the
frequency-baseline rows each run's log prints) into the Markdown table of docs/RESULTS.md: mean and sample
standard deviation over seeds, in percent. Usage: bin/results-table.py [RUNS_DIR]"""
import json, os, re, statistics, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "runs", "results")
metrics = ["R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50"]
labels = {"sttran-spatial": "STTran, no temporal layers", "sttran": "STTran", "tempura": "TEMPURA",
          "stket": "STKET", "stket-nopriors": "STKET, no priors", "dsg-detr": "DSG-DETR",
          "oed-spatial": "OED, spatial", "oed": "OED, with PRM"}
rows = {}
baseline = {}
for name in sorted(os.listdir(root)):
    m = re.fullmatch(r"(predcls|sgcls|sgdet)-([a-z-]+)-s(\d+)", name)
    scores = os.path.join(root, name, "test.scores.json")
    if not m or m.group(2) not in labels or not os.path.exists(scores):
        continue
    mode, variant, seed = m.groups()
    d = json.load(open(scores))
    for c in ("with", "no"):
        rows.setdefault((mode, variant, c), []).append([100 * d[c][k] for k in metrics])
    log = os.path.join(root, name + ".log")
    if os.path.exists(log) and (mode, "with") not in baseline:
        for line in open(log):
            parts = line.split()
            if len(parts) == 8 and parts[0] == "frequency" and parts[1] in ("with", "no"):
                baseline[(mode, parts[1])] = [float(x) for x in parts[2:]]

print("| mode | constraint | model | seeds | " + " | ".join(metrics) + " |")
print("|---|---|---|---|" + "---|" * len(metrics))
for mode in ("predcls", "sgcls", "sgdet"):
    for c in ("with", "no"):
        if (mode, c) in baseline:
            print(f"| {mode} | {c} | frequency baseline | - | "
                  + " | ".join(f"{v:.2f}" for v in baseline[(mode, c)]) + " |")
        for variant in labels:
            runs = rows.get((mode, variant, c))
            if not runs:
                continue
            cells = []
            for i in range(len(metrics)):
                vals = [r[i] for r in runs if r[i] == r[i]]
                if not vals:
                    cells.append("-")
                    continue
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                cells.append(f"{statistics.mean(vals):.2f} ± {sd:.2f}")
            print(f"| {mode} | {c} | {labels[variant]} | {len(runs)} | " + " | ".join(cells) + " |")

# SGCLS / SGDET object labels (test.objects.json): top-1 accuracy and label consistency between consecutive appearances
for mode in ("sgcls", "sgdet"):
    objects = {}
    for name in sorted(os.listdir(root)):
        m = re.fullmatch(mode + r"-([a-z-]+)-s(\d+)", name)
        f = os.path.join(root, name, "test.objects.json")
        if m and m.group(1) in labels and os.path.exists(f):
            d = json.load(open(f))
            # a run without consecutive appearances writes "NaN" (no label consistency to measure)
            cons = d["label_consistency"]
            objects.setdefault(m.group(1), []).append((100 * d["accuracy"],
                                                       float("nan") if isinstance(cons, str) else 100 * cons))
    if objects:
        print()
        print(f"| {mode.upper()} objects | seeds | top-1 accuracy | label consistency |")
        print("|---|---|---|---|")
        for variant in labels:
            runs = objects.get(variant)
            if not runs:
                continue
            cells = []
            for i in range(2):
                vals = [r[i] for r in runs if r[i] == r[i]]
                if not vals:
                    cells.append("-")
                    continue
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                cells.append(f"{statistics.mean(vals):.2f} ± {sd:.2f}")
            print(f"| {labels[variant]} | {len(runs)} | " + " | ".join(cells) + " |")
