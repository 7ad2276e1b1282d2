#!/usr/bin/env bash
# Reproduces docs/RESULTS.md: the frequency baseline, STTran without temporal layers and full STTran, in PredCLS
# and SGCLS, quick config on the bundled world, seeds 0 1 2. Each run prints its test table next to the baseline
# (fit on the same training videos) and leaves its run folder under runs/results/.
# Usage: bin/results.sh [SEEDS...]   (default: 0 1 2). About 3-5 minutes per run on 2 free cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds=("${@:-0 1 2}")
[ $# -eq 0 ] && seeds=(0 1 2)
out="$here/runs/results"
mkdir -p "$out"
for mode in predcls sgcls; do
  for variant in full spatial; do
    for seed in "${seeds[@]}"; do
      run="$out/$mode-$variant-s$seed"
      flags=(--set "train.seed=$seed")
      [ "$variant" = spatial ] && flags+=(--set model.temporal_decoder=false)
      rm -rf "$run"
      "$here/bin/m3sgg" train --mode "$mode" --out "$run" "${flags[@]}" > "$run.log" 2>&1
      echo "== $mode $variant seed $seed"
      sed -n '/^== test split/,/^run folder/p' "$run.log"
    done
  done
done
