#!/usr/bin/env bash
# The detector benchmark of docs/PERFORMANCE.md ("Detector"), both sides in one run: PyTorch
# (detector_speed.py), the kit's plain build (M3SGG_PROFILE=plain: im2col + OpenBLAS convolutions) and its
# default oneDNN build (bin/m3sgg bench --kind detector), one after the other on the same frames and resolution, with the load average before
# each. Run by hand; the kit's launcher rebuilds when the profile changes (not timed).
#
# Usage: [PYTHON=/usr/bin/python3] [FRAMES=2] [REPEATS=2] [THREADS=2] [TORCH_OMP_WAIT_POLICY=PASSIVE]
#        tools/torch-reference/detector_bench.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
py="${PYTHON:-/usr/bin/python3}"
frames="${FRAMES:-2}"
repeats="${REPEATS:-2}"
threads="${THREADS:-2}"
"$py" -c "import torch, torchvision" 2>/dev/null || { echo "detector_bench.sh: $py has no torch/torchvision (set PYTHON)" >&2; exit 2; }
echo "== $(date -u +%FT%TZ) $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== PyTorch (OMP_WAIT_POLICY=${TORCH_OMP_WAIT_POLICY:-PASSIVE}, as the kit's threads wait)"
OMP_WAIT_POLICY="${TORCH_OMP_WAIT_POLICY:-PASSIVE}" "$py" "$here/tools/torch-reference/detector_speed.py" --frames "$frames" --repeats "$repeats" --warmup 1 \
  --threads "$threads"
echo "== kit, plain build; load $(cut -d' ' -f1-3 /proc/loadavg)"
M3SGG_PROFILE=plain "$here/bin/m3sgg" bench --kind detector --frames "$frames" --repeats "$repeats" --warmup 1
echo "== kit, oneDNN build (the default); load $(cut -d' ' -f1-3 /proc/loadavg)"
M3SGG_PROFILE=cpu "$here/bin/m3sgg" bench --kind detector --frames "$frames" --repeats "$repeats" --warmup 1
echo "== end; load $(cut -d' ' -f1-3 /proc/loadavg)"
