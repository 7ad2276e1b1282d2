#!/usr/bin/env bash
# Reads environment/jvm.options (the kit's JVM flags and environment, one place; see the file's header).
#   jvm-opts.sh           the flags on one line (for M3SGG_JAVA_OPTS)
#   jvm-opts.sh --lines   one flag per line (setup.sh builds the kernel spec's argv from it)
#   jvm-opts.sh --env     the environment, one NAME=VALUE per line (from the '#env NAME=VALUE' lines)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
flags=()
env=()
while IFS= read -r line || [ -n "$line" ]; do
  if [[ "$line" =~ ^#env[[:space:]]+([A-Za-z_][A-Za-z0-9_]*=.*)$ ]]; then
    env+=("$(echo "${BASH_REMATCH[1]}" | xargs)")
    continue
  fi
  line="${line%%#*}"
  line="$(echo "$line" | xargs)"   # trim
  [ -z "$line" ] && continue
  flags+=("$line")
done < "$here/jvm.options"
case "${1:-}" in
  --lines) printf '%s\n' "${flags[@]}" ;;
  --env) [ ${#env[@]} -eq 0 ] || printf '%s\n' "${env[@]}" ;;
  "") echo "${flags[*]}" ;;
  *) echo "jvm-opts.sh: unknown option '$1' (expected --lines or --env)" >&2; exit 2 ;;
esac
