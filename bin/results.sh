#!/usr/bin/env bash
# Reproduces the table of docs/RESULTS.md: every model's quick config on the bundled world, PredCLS and SGCLS,
# seeds 0 1 2; each run prints its test table next to the frequency baseline (fit on the same training videos)
# and leaves its run folder under runs/results/<mode>-<variant>-s<seed>/. Then bin/results-table.py prints the
# table. Finished runs (a test.scores.json present) are skipped, so an interrupted sweep continues where it
# stopped; delete the folder to rerun one.
#
# Usage: bin/results.sh [VARIANT ...]    (default: all of them)
#   SEEDS="0 1 2" MODES="predcls sgcls" bin/results.sh sttran stket
#   MODES=sgdet bin/results.sh sttran tempura stket dsg-detr      # the SGDET rows (the world's detections)
# Variants: sttran-spatial (STTran without temporal layers), sttran, tempura, stket, stket-nopriors (STKET
# without its spatial and temporal priors), dsg-detr, oed-spatial and oed (OED's second stage: the PRM trained on the
# frozen oed-spatial run of the same mode and seed, which must come first; OED trains in predcls and sgdet:
#   MODES="predcls sgdet" bin/results.sh oed-spatial oed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
read -r -a seeds <<< "${SEEDS:-0 1 2}"
read -r -a modes <<< "${MODES:-predcls sgcls}"
variants=("$@")
[ ${#variants[@]} -eq 0 ] && variants=(sttran-spatial sttran tempura stket stket-nopriors dsg-detr)
out="$here/runs/results"
mkdir -p "$out"
for variant in "${variants[@]}"; do
  case "$variant" in
    sttran-spatial) flags=(--model sttran --set model.temporal_decoder=false) ;;
    sttran|tempura|stket|dsg-detr) flags=(--model "$variant") ;;
    stket-nopriors) flags=(--model stket --set model.spatial_prior=false --set model.temporal_prior=false) ;;
    oed-spatial) flags=(--model oed) ;;
    oed) flags=(--model oed --set model.temporal=true --set train.epochs=1) ;;
    *) echo "results.sh: unknown variant '$variant' (sttran-spatial sttran tempura stket stket-nopriors dsg-detr" \
            "oed-spatial oed)" >&2
       exit 2 ;;
  esac
  for mode in "${modes[@]}"; do
    for seed in "${seeds[@]}"; do
      run="$out/$mode-$variant-s$seed"
      if [ -f "$run/test.scores.json" ]; then
        echo "== $mode $variant seed $seed: done before ($run)"
        continue
      fi
      rm -rf "$run"
      extra=()
      [ "$variant" = oed ] && extra=(--init-from "$out/$mode-oed-spatial-s$seed")
      start=$(date +%s)
      "$here/bin/m3sgg" train --mode "$mode" --out "$run" "${flags[@]}" "${extra[@]}" --set "train.seed=$seed" \
        > "$run.log" 2>&1
      echo "== $mode $variant seed $seed ($(( $(date +%s) - start )) s)"
      sed -n '/^== test split/,/^run folder/p' "$run.log"
    done
  done
done
