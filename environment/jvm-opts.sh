#!/usr/bin/env bash
# Prints the flags of environment/jvm.options on one line, ${HOME} expanded, for M3SGG_JAVA_OPTS.
# With --lines, prints one flag per line (setup.sh uses that to build the kernel spec's argv).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
flags=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"
  line="$(echo "$line" | xargs)"   # trim
  [ -z "$line" ] && continue
  flags+=("${line//\$\{HOME\}/$HOME}")
done < "$here/jvm.options"
if [ "${1:-}" = "--lines" ]; then
  printf '%s\n' "${flags[@]}"
else
  echo "${flags[*]}"
fi
