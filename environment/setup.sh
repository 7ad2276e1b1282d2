#!/usr/bin/env bash
# One-command notebook environment for M3SGG-J on Debian 12 (run as root, or with sudo available for apt).
#
#   bash environment/setup.sh
#
# 1. installs Jupyter (nbconvert, nbclient, jupyter-client, classic notebook, ipykernel) and headless fonts from
#    Debian's packages, plus a JDK 17 and Maven when they are missing;
# 2. builds the kit (target/classes + target/classpath.txt) through bin/m3sgg, which rebuilds only when needed;
# 3. builds the kit's Jupyter kernel (environment/kernel: an IJava-compatible JShell kernel on
#    jupyter-jvm-basekernel) into the git-ignored environment/.kernel/;
# 4. installs its Jupyter kernel spec for this clone (see "Kernel name" below), started with environment/jvm.options,
#    with the kit on its class path (IJAVA_CLASSPATH).
# Every step checks before acting, so a second run only compares files and exits in a few seconds.
#
# Kernel name: "m3sgg-java" (the name the notebooks ask for) when no other clone owns it, else
# "m3sgg-java-<hash of this clone's path>", said on stderr. A spec whose clone is gone is taken over. The name used
# is written to environment/.kernel/kernel-name (run-notebooks.sh reads it).
# Environment: M3SGG_PROFILE=cpu|plain|cuda (Maven profile, default cpu: libnd4j's oneDNN build, see bin/m3sgg); M3SGG_KERNEL_NAME forces a name (refused when
# another existing clone owns it).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="$repo/environment/.kernel"   # git-ignored: the kernel's jars and the spec folder

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

# ---- 3. the kernel --------------------------------------------------------------------------------------------
kernel_src="$repo/environment/kernel"
kernel_jar="$kernel_src/target/m3sgg-kernel.jar"
if [ ! -s "$kernel_jar" ] || [ -n "$(find "$kernel_src/pom.xml" "$kernel_src/src/main" -newer "$kernel_jar" -print -quit)" ]; then
  log "building the kernel (environment/kernel)"
  rm -rf "$kernel_src/target/lib"
  build_log="$(mktemp)"
  if ! (cd "$kernel_src" && mvn -q -B -Dstyle.color=never package -DskipTests) >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    log "the kernel did not build"
    exit 1
  fi
  rm -f "$build_log"
fi
mkdir -p "$stage/lib"
if ! cmp -s "$kernel_jar" "$stage/m3sgg-kernel.jar" || ! diff -rq "$kernel_src/target/lib" "$stage/lib" >/dev/null; then
  rm -rf "$stage/lib"
  cp -r "$kernel_src/target/lib" "$stage/lib"
  cp "$kernel_jar" "$stage/m3sgg-kernel.jar"
fi

# ---- 4. the kernel spec ---------------------------------------------------------------------------------------
kernels_dir="$("$jupyter_bin" --data-dir)/kernels"
mapfile -t jvm_flags < <("$repo/environment/jvm-opts.sh" --lines)
# the oneDNN build's flag (javacpp's platform extension) only for the default profile, as bin/m3sgg does
case "${M3SGG_PROFILE:-cpu}" in
  cpu | onednn) ;;
  *) for i in "${!jvm_flags[@]}"; do
       [[ "${jvm_flags[$i]}" == -Dorg.bytedeco.javacpp.platform.extension=* ]] && unset 'jvm_flags[i]'
     done ;;
esac
jvm_env="$("$repo/environment/jvm-opts.sh" --env)"
# the spec folder (kernel.json) and the name it installs under; one line on stderr when it cannot be m3sgg-java
name="$(/usr/bin/python3 - "$stage" "$kernels_dir" "$repo" "${M3SGG_KERNEL_NAME:-}" "$jvm_env" "${jvm_flags[@]}" <<'PY'
import hashlib, json, os, sys
stage, kernels_dir, repo, forced, jvm_env, *flags = sys.argv[1:]
classpath = ":".join([os.path.join(repo, "target", "classes"),
                      open(os.path.join(repo, "target", "classpath.txt")).read().strip()])

def owner(name):
    """The clone a spec serves (None when there is no spec), from its metadata or, for older specs, M3SGG_HOME."""
    try:
        spec = json.load(open(os.path.join(kernels_dir, name, "kernel.json")))
    except (OSError, ValueError):
        return None
    meta = spec.get("metadata", {}).get("m3sgg")
    home = meta.get("home") if isinstance(meta, dict) else spec.get("env", {}).get("M3SGG_HOME")
    return home or "an unknown program"

def free_for_us(name):
    o = owner(name)
    return o is None or o == repo or (o.startswith("/") and not os.path.isfile(os.path.join(o, "pom.xml")))

if forced:
    if not free_for_us(forced):
        sys.exit(f"setup: the kernel spec '{forced}' belongs to the clone {owner(forced)}; "
                 "pick another M3SGG_KERNEL_NAME (or none: a name of this clone's own is chosen)")
    name = forced
elif free_for_us("m3sgg-java"):
    name = "m3sgg-java"
else:
    name = "m3sgg-java-" + hashlib.sha256(repo.encode()).hexdigest()[:8]
    print(f"setup: 'm3sgg-java' belongs to the clone {owner('m3sgg-java')}; this clone's kernel is '{name}' "
          "(pick it in Jupyter's kernel menu)", file=sys.stderr)
display = "Java (M3SGG-J)" if name == "m3sgg-java" else f"Java (M3SGG-J, {repo})"
spec = {
    # the kernel jar is also its agent: it redefines snippet classes in place (variables survive later imports)
    "argv": ["java", *flags, "-javaagent:" + os.path.join(stage, "m3sgg-kernel.jar"),
             "-cp", os.path.join(stage, "m3sgg-kernel.jar") + ":" + os.path.join(stage, "lib", "*"),
             "org.m3sgg.kernel.M3sggKernel", "{connection_file}"],
    "display_name": display,
    "language": "java",
    "interrupt_mode": "message",   # a SIGINT would end the JVM; the kernel stops the cell on interrupt_request
    "env": {
        "IJAVA_CLASSPATH": classpath,   # the kit and its dependencies (IJava's variable, ':'-separated)
        "M3SGG_HOME": repo,             # lets org.m3sgg.report.Notebook find configs and datasets
        # and the '#env NAME=VALUE' lines of environment/jvm.options
        **dict(line.split("=", 1) for line in jvm_env.splitlines() if line),
    },
    "metadata": {"m3sgg": {"home": repo, "note": "written by environment/setup.sh; rerun it after changing "
                                                 "pom.xml or jvm.options, or after moving the clone"}},
}
os.makedirs(os.path.join(stage, "spec"), exist_ok=True)
with open(os.path.join(stage, "spec", "kernel.json"), "w") as f:
    json.dump(spec, f, indent=1)
    f.write("\n")
print(name)
PY
)"
echo "$name" > "$stage/kernel-name"

installed="$kernels_dir/$name"
if cmp -s "$stage/spec/kernel.json" "$installed/kernel.json"; then
  log "kernel '$name' is up to date ($installed)"
else
  "$jupyter_bin" kernelspec install --user --replace --name "$name" "$stage/spec" >/dev/null 2>&1 \
    || { log "jupyter kernelspec install failed for $installed"; exit 1; }
  log "installed kernel '$name' into $installed"
fi
