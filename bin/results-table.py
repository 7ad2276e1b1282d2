#!/usr/bin/env python3
"""Aggregates the runs of bin/results.sh (runs/results/<mode>-<variant>-s<seed>/test.scores.json and the
frequency-baseline rows each run's log prints) into the Markdown table of docs/RESULTS.md: mean and sample
standard deviation over seeds, in percent."""
import json, os, re, statistics, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "runs", "results")
metrics = ["R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50"]
rows = {}
baseline = {}
for name in sorted(os.listdir(root)):
    m = re.fullmatch(r"(predcls|sgcls)-(full|spatial)-s(\d+)", name)
    scores = os.path.join(root, name, "test.scores.json")
    if not m or not os.path.exists(scores):
        continue
    mode, variant, seed = m.groups()
    d = json.load(open(scores))
    for c in ("with", "no"):
        rows.setdefault((mode, variant, c), []).append([100 * d[c][k] for k in metrics])
    log = os.path.join(root, name + ".log")
    if os.path.exists(log) and mode not in baseline:
        for line in open(log):
            parts = line.split()
            if len(parts) == 8 and parts[0] == "frequency" and parts[1] in ("with", "no"):
                baseline[(mode, parts[1])] = [float(x) for x in parts[2:]]

label = {"full": "STTran", "spatial": "STTran, no temporal layers"}
print("| mode | constraint | model | seeds | " + " | ".join(metrics) + " |")
print("|---|---|---|---|" + "---|" * len(metrics))
for mode in ("predcls", "sgcls"):
    for c in ("with", "no"):
        if (mode, c) in baseline:
            print(f"| {mode} | {c} | frequency baseline | - | " + " | ".join(f"{v:.2f}" for v in baseline[(mode, c)]) + " |")
        for variant in ("spatial", "full"):
            runs = rows.get((mode, variant, c))
            if not runs:
                continue
            cells = []
            for i in range(len(metrics)):
                vals = [r[i] for r in runs]
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                cells.append(f"{statistics.mean(vals):.2f} ± {sd:.2f}")
            print(f"| {mode} | {c} | {label[variant]} | {len(runs)} | " + " | ".join(cells) + " |")
