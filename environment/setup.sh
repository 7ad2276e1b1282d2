#!/usr/bin/env bash
# One-command notebook environment for M3SGG-J on Debian 12 (run as root, or with sudo available for apt).
#
#   bash environment/setup.sh
#
# 1. installs Jupyter (nbconvert, nbclient, jupyter-client, classic notebook, ipykernel) and headless fonts from
#    Debian's packages, plus a JDK 17 and Maven when they are missing;
# 2. builds the kit (target/classes + target/classpath.txt) through bin/m3sgg, which rebuilds only when needed;
# 3. fetches io.github.padreati:rapaio-jupyter-kernel from Maven Central;
# 4. installs the Jupyter kernel spec "m3sgg-java": the rapaio JShell kernel started with environment/jvm.options,
#    with the kit on its classpath (RJK_CLASSPATH).
# Every step checks before acting, so a second run only compares files and exits in a few seconds.
# Environment: M3SGG_PROFILE=cpu|cuda (Maven profile, default cpu), M3SGG_KERNEL_NAME (default m3sgg-java).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernel_name="${M3SGG_KERNEL_NAME:-m3sgg-java}"
rjk_version="3.0.1"
rjk_jar="rapaio-jupyter-kernel-${rjk_version}.jar"
stage="$repo/environment/.kernel/$kernel_name"   # git-ignored staging folder for the spec and the jar

log() { echo "setup: $*" >&2; }

# ---- 1. system packages --------------------------------------------------------------------------------------
packages=(jupyter-core jupyter-client python3-jupyter-client jupyter-nbconvert python3-nbconvert python3-nbclient
          python3-ipykernel jupyter-notebook fontconfig fonts-dejavu-core)
command -v javac >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)

missing=()
for p in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Jupyter's own interpreter: Debian's. A python3 earlier on PATH (pyenv, conda) usually lacks the packages.
jupyter_bin="/usr/bin/jupyter"
[ -x "$jupyter_bin" ] || jupyter_bin="$(command -v jupyter)"

# ---- 2. the kit -----------------------------------------------------------------------------------------------
"$repo/bin/m3sgg" --version >/dev/null
[ -s "$repo/target/classpath.txt" ] || { log "target/classpath.txt missing after the build"; exit 1; }

# ---- 3. the kernel jar ----------------------------------------------------------------------------------------
mkdir -p "$stage"
if [ ! -s "$stage/$rjk_jar" ]; then
  log "fetching io.github.padreati:rapaio-jupyter-kernel:$rjk_version from Maven Central"
  (cd "$repo" && mvn -q -B dependency:copy \
      -Dartifact="io.github.padreati:rapaio-jupyter-kernel:${rjk_version}:jar" \
      -DoutputDirectory="$stage" -Dmdep.overWriteReleases=false)
fi

# the start-up wrapper (environment/kernel/M3sggKernel.java: works around a start-up race in the kernel)
launcher_src="$repo/environment/kernel/M3sggKernel.java"
if [ ! -s "$stage/launcher/M3sggKernel.class" ] || [ "$launcher_src" -nt "$stage/launcher/M3sggKernel.class" ] \
    || [ "$stage/$rjk_jar" -nt "$stage/launcher/M3sggKernel.class" ]; then
  mkdir -p "$stage/launcher"
  javac -nowarn -d "$stage/launcher" -cp "$stage/$rjk_jar" "$launcher_src"
fi

# ---- 4. the kernel spec ---------------------------------------------------------------------------------------
kernels_dir="$("$jupyter_bin" --data-dir)/kernels"
installed="$kernels_dir/$kernel_name"
# rapaio splits RJK_CLASSPATH on ';' (not the platform's ':'), each entry a path or a glob.
classpath="$repo/target/classes;$(tr ':' ';' < "$repo/target/classpath.txt")"

# argv: java <jvm.options> -cp <installed jar>:<installed launcher> M3sggKernel {connection_file}.
mapfile -t jvm_flags < <("$repo/environment/jvm-opts.sh" --lines)
jvm_env="$("$repo/environment/jvm-opts.sh" --env)"
/usr/bin/python3 - "$stage/kernel.json" "$installed/$rjk_jar" "$classpath" "$repo" "$jvm_env" "${jvm_flags[@]}" <<'PY'
import json, os, sys
out, jar, classpath, repo, jvm_env, *flags = sys.argv[1:]
spec = {
    "argv": ["java", *flags, "-cp", jar + ":" + os.path.join(os.path.dirname(jar), "launcher"), "M3sggKernel",
             "{connection_file}"],
    "display_name": "Java (M3SGG-J)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "RJK_CLASSPATH": classpath,       # the kit and its dependencies, added to the JShell class path
        "RJK_TIMEOUT_MILLIS": "-1",       # no per-cell limit: nbconvert's --ExecutePreprocessor.timeout governs
        "RJK_COMPILER_OPTIONS": "",
        "RJK_INIT_SCRIPT": "",
        "M3SGG_HOME": repo,               # lets org.m3sgg.report.Notebook find configs and datasets
        # and the '#env NAME=VALUE' lines of environment/jvm.options
        **dict(line.split("=", 1) for line in jvm_env.splitlines() if line),
    },
    "metadata": {"m3sgg": "written by environment/setup.sh; rerun it after changing pom.xml or jvm.options"},
}
with open(out, "w") as f:
    json.dump(spec, f, indent=1)
    f.write("\n")
PY

if cmp -s "$stage/kernel.json" "$installed/kernel.json" && cmp -s "$stage/$rjk_jar" "$installed/$rjk_jar" \
    && cmp -s "$stage/launcher/M3sggKernel.class" "$installed/launcher/M3sggKernel.class"; then
  log "kernel '$kernel_name' is up to date ($installed)"
else
  "$jupyter_bin" kernelspec install --user --replace --name "$kernel_name" "$stage" >/dev/null
  log "installed kernel '$kernel_name' into $installed"
fi
