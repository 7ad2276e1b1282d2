#!/usr/bin/python3
"""Drives the kit's kernel through jupyter_client, as Jupyter does; prints one JSON line with what it measured.

  kernel_check.py starts SPEC_DIR [COUNT]   start the kernel COUNT times (default 100); each start must answer
                                            kernel_info and then evaluate `1 + 1` to 2 within the time limits
  kernel_check.py interrupt SPEC_DIR        interrupt a training cell, a sleeping cell and a busy loop in one session;
                                            after each, `1 + 1` and a variable defined before must answer

SPEC_DIR holds the kernel.json to test (environment/.kernel/spec, written by environment/setup.sh); it is used
under a private name through a temporary JUPYTER_PATH, whatever kernels the user has installed. Needs Debian's
python3-jupyter-client. Exit status 0 when every check passed.
"""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

READY_TIMEOUT = 60      # seconds for a start to answer kernel_info
CELL_TIMEOUT = 120      # seconds for a small cell


def private_spec(spec_dir):
    root = tempfile.mkdtemp(prefix="m3sgg-kernel-check-")
    os.makedirs(os.path.join(root, "kernels"))
    shutil.copytree(spec_dir, os.path.join(root, "kernels", "m3sgg-java-under-test"))
    os.environ["JUPYTER_PATH"] = root
    return root


def manager():
    from jupyter_client.manager import KernelManager
    return KernelManager(kernel_name="m3sgg-java-under-test")


def run(kc, code, timeout=CELL_TIMEOUT, on_output=None):
    """Executes code; returns (reply status, plain text of results/streams, error lines)."""
    msg_id = kc.execute(code)
    text, errors = [], []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            text.append(content["text"])
            if on_output:
                on_output(content["text"])
        elif kind in ("execute_result", "display_data"):
            text.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            errors.extend(content["traceback"])
        elif kind == "status" and content["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
    return reply["content"]["status"], "".join(text), errors


def starts(spec_dir, count):
    private_spec(spec_dir)
    ready, first_cell, failures = [], [], []
    t_all = time.time()
    for i in range(count):
        km = manager()
        t0 = time.time()
        try:
            km.start_kernel()
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=READY_TIMEOUT)
            t_ready = time.time() - t0
            status, text, errors = run(kc, "1 + 1")
            if status != "ok" or text.strip() != "2":
                raise RuntimeError(f"1 + 1 gave {status} {text!r} {errors}")
            ready.append(t_ready)
            first_cell.append(time.time() - t0)
            kc.stop_channels()
        except Exception as e:  # noqa: BLE001 - every failure is counted and named
            failures.append(f"start {i + 1}: {type(e).__name__}: {e}")
        finally:
            km.shutdown_kernel(now=False)
    out = {"starts": count, "answered": len(ready), "failures": failures[:10],
           "seconds_total": round(time.time() - t_all, 1)}
    for name, xs in (("ready", ready), ("first_cell", first_cell)):
        if xs:
            out[name + "_median_s"] = round(statistics.median(xs), 2)
            out[name + "_max_s"] = round(max(xs), 2)
    print(json.dumps(out))
    return len(ready) == count


TRAIN_SETUP = """
import org.m3sgg.api.*;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.train.*;
import java.nio.file.*;
var nb = org.m3sgg.report.Notebook.setup();
int before = 41;
Path runDir = Files.createTempDirectory("m3sgg-kernel-interrupt");
var config = ConfigTree.load(nb.home().resolve("configs/quick/sttran.yaml"),
        List.of("train.epochs=500", "train.checkpoint_every=1"));
class Started implements TrainingListener {
    public void onStep(Step s) { if (s.globalStep() == 2) System.out.println("training started"); }
}
"""

TRAIN = """
var result = Trainer.fromConfig(runDir, config, "sttran", Mode.PREDCLS).addListener(new Started()).run();
System.out.println("returned: interrupted " + result.interrupted() + " after " + result.globalStep() + " steps");
"""


def interrupt(spec_dir):
    private_spec(spec_dir)
    km = manager()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    checks = {}
    try:
        kc.wait_for_ready(timeout=READY_TIMEOUT)
        status, _, errors = run(kc, TRAIN_SETUP, timeout=300)
        checks["setup"] = status == "ok" or errors

        def after(label):
            s1, t1, _ = run(kc, "1 + 1")
            s2, t2, _ = run(kc, "before + 1")
            checks[label + ": 1 + 1"] = (s1, t1.strip()) == ("ok", "2")
            checks[label + ": before + 1"] = (s2, t2.strip()) == ("ok", "42")

        # 1. training: stops at its next step through the kit's flag, returns its partial result normally
        seen = {}

        def interrupt_when_started(text):
            if "training started" in text and "t" not in seen:
                seen["t"] = time.time()
                km.interrupt_kernel()

        status, text, errors = run(kc, TRAIN, timeout=600, on_output=interrupt_when_started)
        returned = [l for l in text.splitlines() if l.startswith("returned:")]
        checks["training: interrupted cell returned"] = status == "ok" and returned != [] \
            and "interrupted true" in returned[0]
        checks["training: seconds from interrupt to reply"] = round(time.time() - seen.get("t", time.time()), 2)
        checks["training: result"] = returned[0] if returned else (status, errors[:3])
        after("training")
        s, t, _ = run(kc, "result.interrupted() && Files.isDirectory(Trainer.latestCheckpoint(runDir))")
        checks["training: partial result and checkpoint kept"] = (s, t.strip()) == ("ok", "true")

        def interrupt_running(label, code):
            """Starts a cell, interrupts it 2 s later, and records whether and how fast its reply came."""
            msg = kc.execute(code)
            time.sleep(2)
            t0 = time.time()
            km.interrupt_kernel()
            reply = kc.get_shell_msg(timeout=60)
            while reply["parent_header"].get("msg_id") != msg:
                reply = kc.get_shell_msg(timeout=60)
            checks[label + ": cell ended with an error"] = reply["content"]["status"] == "error"
            checks[label + ": seconds to reply"] = round(time.time() - t0, 2)
            after(label)

        # 2. a blocking call: the thread interrupt ends it at once
        interrupt_running("sleep", "Thread.sleep(600_000);")
        # 3. a busy loop that checks nothing: stopped by force after the grace period
        interrupt_running("busy loop", "long spins = 0; while (true) { spins++; }")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    ok = all(v is True for k, v in checks.items() if not k.endswith("to reply") and not k.endswith(": result")
             and "seconds" not in k)
    print(json.dumps({"ok": ok, "checks": checks}))
    return ok


def main(argv):
    if len(argv) < 2 or argv[0] not in ("starts", "interrupt"):
        print(__doc__, file=sys.stderr)
        return 2
    spec_dir = argv[1]
    if not os.path.isfile(os.path.join(spec_dir, "kernel.json")):
        print(f"kernel_check: no kernel.json in {spec_dir}; run bash environment/setup.sh", file=sys.stderr)
        return 2
    if argv[0] == "starts":
        return 0 if starts(spec_dir, int(argv[2]) if len(argv) > 2 else 100) else 1
    return 0 if interrupt(spec_dir) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
