#!/usr/bin/env bash
# Runs every notebooks/*.ipynb top to bottom, headless, with the kit's kernel; exits non-zero on the first notebook
# with a failing cell (nbconvert stops at the failing cell and prints its error).
#
#   bash environment/run-notebooks.sh                 # executed copies go to target/notebooks/
#   bash environment/run-notebooks.sh --inplace       # rewrite the notebooks with their outputs (to commit them)
#   bash environment/run-notebooks.sh notebooks/00_environment.ipynb
#
# Environment: QUICK (default 1: notebooks use the tiny configs; set QUICK=0 for full runs), NB_TIMEOUT (seconds
# per cell, default 1800), M3SGG_KERNEL_NAME (default: the name setup.sh installed this clone's kernel under).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export QUICK="${QUICK:-1}"
timeout="${NB_TIMEOUT:-1800}"

inplace=0
notebooks=()
for a in "$@"; do
  case "$a" in
    --inplace) inplace=1 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) notebooks+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")") ;;
  esac
done
if [ ${#notebooks[@]} -eq 0 ]; then
  shopt -s nullglob
  notebooks=("$repo"/notebooks/*.ipynb)
fi
[ ${#notebooks[@]} -gt 0 ] || { echo "run-notebooks: no notebooks found" >&2; exit 1; }

# quick when nothing changed; rebuilds the kit and the kernel and refreshes the spec after source changes
bash "$repo/environment/setup.sh"
kernel="${M3SGG_KERNEL_NAME:-$(cat "$repo/environment/.kernel/kernel-name")}"
jupyter_bin="/usr/bin/jupyter"
[ -x "$jupyter_bin" ] || jupyter_bin="$(command -v jupyter)"

out="$repo/target/notebooks"
mkdir -p "$out"
target=(--output-dir "$out")
[ "$inplace" -eq 1 ] && target=(--inplace)
for nb in "${notebooks[@]}"; do
  start=$(date +%s)
  # a start answers in a few seconds (environment/kernel/kernel_check.py starts measures it); 120 s leaves room
  # for a heavily loaded machine, and a kernel that does not answer fails the run instead of being retried
  if "$jupyter_bin" nbconvert --to notebook --execute "${target[@]}" \
      --ExecutePreprocessor.kernel_name="$kernel" \
      --ExecutePreprocessor.timeout="$timeout" \
      --ExecutePreprocessor.startup_timeout="${NB_STARTUP_TIMEOUT:-120}" \
      "$nb"; then
    echo "run-notebooks: ok   $(basename "$nb") ($(( $(date +%s) - start )) s, QUICK=$QUICK, kernel $kernel)" >&2
  else
    echo "run-notebooks: FAIL $(basename "$nb")" >&2
    exit 1
  fi
done
