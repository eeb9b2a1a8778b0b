"""The engine tests on a machine whose cores are all busy: each run's result and time.

    python benchmarks/engines_under_load.py [--runs 5] [--loops 2] [--timeout 1200] [--log DIR]

CI once failed in tests/test_engines.py (Dask: "lost dependencies") while the machine was busy.
This runs that file `--runs` times in a row while `--loops` busy loops (one per core here) keep
every core busy, and prints each run's outcome, wall time and CPU time (the tests' processes,
whatever the load), the load average, and the share of a core each busy loop got: about 0.6
on an otherwise idle 2-core machine, much less when something else is running too (then the
times say more about that than about the tests). Each run's full output, with pytest's
durations, goes to `--log` (kept on a timeout too). The loops end with the script.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUSY = "while True: pass"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a running process."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children_cpu() -> float:
    """CPU time of this script's finished children (and theirs, when they waited for them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_tests(output, timeout: float) -> tuple[bool, str]:
    """One run of the engine tests, its output written to `output` as it comes (unbuffered, so
    a run cut short still shows how far it got; a test running over half the time dumps every
    thread's stack). On a timeout the run's whole process group is killed: the Ray and Dask
    processes it started would otherwise keep running, and keep the next run's cores busy."""
    command = [sys.executable, "-m", "pytest", "tests/test_engines.py", "-q", "-p", "no:cacheprovider",
               "--durations=0", "-o", f"faulthandler_timeout={timeout / 2:.0f}"]  # fmt: skip
    tests = subprocess.Popen(
        command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        tests.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(tests.pid, signal.SIGKILL)
        tests.wait()
        return False, f"timed out after {timeout:.0f} s"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(tests.pid, signal.SIGKILL)  # whatever the run left behind
    output.flush()
    lines = Path(output.name).read_text(errors="replace").strip().splitlines()
    return tests.returncode == 0, (lines or ["(no output)"])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds a run may take")
    parser.add_argument(
        "--log", type=Path, default=Path("/tmp/engines_under_load"), help="folder for each run's output"
    )
    args = parser.parse_args()
    args.log.mkdir(parents=True, exist_ok=True)
    loops = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.loops)]
    passed = 0
    try:
        for run in range(1, args.runs + 1):
            started, cpu_before, load_before = time.perf_counter(), children_cpu(), load()
            loops_before = [cpu_seconds(loop.pid) for loop in loops]
            log = args.log / f"run-{run}.log"
            with log.open("w") as output:
                ok, tail = run_tests(output, args.timeout)
            wall = time.perf_counter() - started
            share = [
                (cpu_seconds(loop.pid) - before) / wall
                for loop, before in zip(loops, loops_before, strict=True)
            ]
            passed += ok
            print(
                f"run {run}: {'passed' if ok else 'FAILED'} in {wall:.0f} s ({children_cpu() - cpu_before:.0f} s CPU;"
                f" load {load_before} -> {load()}; busy loops got {', '.join(f'{s:.2f}' for s in share)} of a core):"
                f" {tail}",
                flush=True,
            )
    finally:
        for loop in loops:
            loop.kill()
    print(f"{passed} of {args.runs} runs passed with {args.loops} busy loops; output in {args.log}")
    sys.exit(0 if passed == args.runs else 1)


if __name__ == "__main__":
    main()
