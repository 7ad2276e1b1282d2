#!/usr/bin/env bash
# Training identity check: trains every registered relation model in both modes, with dropout on, with one and two
# videos per step, on a slice of the bundled world, and prints one SHA-256 per run over its history.csv and steps.csv, its final
# and best parameters and optimiser state. Run it before and after a refactor that must not change training:
#   tools/identity/check.sh OUT_DIR > before.txt   (on the old commit)
#   tools/identity/check.sh OUT_DIR > after.txt    (on the new one); diff before.txt after.txt
# DROPOUT=0 tools/identity/check.sh ... runs them without dropout.
# A run that fails prints FAILED and its last error line (so a crash is compared too).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: check.sh OUT_DIR}"
mkdir -p "$out"
for model in sttran tempura stket dsg-detr; do
  for mode in predcls sgcls; do
    for vps in 1 2; do
      run="$out/$model-$mode-v$vps"
      rm -rf "$run"
      if "$here/bin/m3sgg" train --model "$model" --mode "$mode" --out "$run" \
          --set train.epochs=2 --set data.max_train_videos=8 --set data.max_test_videos=2 \
          --set model.dropout="${DROPOUT:-0.1}" --set train.videos_per_step="$vps" --set train.checkpoint_every=3 \
          >"$run.log" 2>&1; then
        # every checkpoint's tensors plus the history; names are sorted so the hash is stable
        # history.csv's wall-clock column (seconds, the 5th) is left out: it differs on every run
        files=$(cd "$run" && find . -name '*.npz' | LC_ALL=C sort)
        sum=$(cd "$run" && { cat $files; cut -d, -f1-4,6- history.csv; cat steps.csv; } | sha256sum | cut -c1-16)
        echo "$model $mode vps=$vps $sum ($(echo $files | wc -w) files)"
      else
        echo "$model $mode vps=$vps FAILED: $(grep -v '^\s*at \|WARN' "$run.log" | tail -1)"
      fi
    done
  done
done
