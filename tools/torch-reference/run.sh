#!/usr/bin/env bash
# Trains STTran in PyTorch (sttran_torch.py) on the kit's exported tensors for each mode, variant and seed, and
# leaves runs/torch-reference/<mode>-<variant>-s<seed>/ with test.scores.json, steps.csv and history.json, named
# like bin/results.sh's runs so that bin/results-table.py runs/torch-reference prints the same table.
# Finished runs (test.scores.json present) are skipped.
#
# Usage: PYTHON=/path/to/python-with-torch tools/torch-reference/run.sh [VARIANT ...]
#   SEEDS="0 1 2" MODES="predcls sgcls" tools/torch-reference/run.sh sttran sttran-spatial
#   DATA_PATH=DIR (another Action Genome folder), RUNS=DIR (instead of runs/torch-reference)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
py="${PYTHON:-python3}"
read -r -a seeds <<< "${SEEDS:-0 1 2}"
read -r -a modes <<< "${MODES:-predcls sgcls}"
variants=("$@")
[ ${#variants[@]} -eq 0 ] && variants=(sttran-spatial sttran)
out="${RUNS:-$here/runs/torch-reference}"
data=()
[ -n "${DATA_PATH:-}" ] && data=(--data-path "$DATA_PATH")
mkdir -p "$out"
"$py" -c "import torch" 2>/dev/null || { echo "run.sh: $py has no torch (set PYTHON)" >&2; exit 2; }
for variant in "${variants[@]}"; do
  case "$variant" in
    sttran-spatial) flags=(--set model.temporal_decoder=false) ;;
    sttran) flags=() ;;
    *) echo "run.sh: unknown variant '$variant' (sttran-spatial sttran)" >&2; exit 2 ;;
  esac
  for mode in "${modes[@]}"; do
    for seed in "${seeds[@]}"; do
      run="$out/$mode-$variant-s$seed"
      if [ -f "$run/test.scores.json" ]; then
        echo "== $mode $variant seed $seed: done before ($run)"
        continue
      fi
      rm -rf "$run" "$run.export"
      start=$(date +%s)
      "$here/bin/m3sgg" export --model sttran --mode "$mode" --out "$run.export" "${data[@]}" "${flags[@]}" \
        --set "train.seed=$seed" > "$run.log" 2>&1
      OMP_NUM_THREADS=1 "$py" "$here/tools/torch-reference/sttran_torch.py" --export "$run.export" --out "$run" \
        >> "$run.log" 2>&1
      rm -rf "$run.export"
      echo "== $mode $variant seed $seed ($(( $(date +%s) - start )) s)"
      sed -n '/^metric/,/^mR@20/p' "$run.log" | head -7
    done
  done
done
