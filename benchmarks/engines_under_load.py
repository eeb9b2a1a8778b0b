"""The engine tests on a machine whose cores are all busy: each run's result and time.

    python benchmarks/engines_under_load.py [--runs 5] [--loops 2]

CI once failed in tests/test_engines.py (Dask: "lost dependencies") while the machine was busy.
This runs that file `--runs` times in a row while `--loops` busy loops (one per core here) keep
every core busy, and prints each run's outcome and wall time. The loops end with the script.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUSY = "while True: pass"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds a run may take")
    args = parser.parse_args()
    loops = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.loops)]
    passed = 0
    try:
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "pytest", "tests/test_engines.py", "-q", "-p", "no:cacheprovider"],
                    cwd=ROOT, capture_output=True, text=True, timeout=args.timeout,
                )  # fmt: skip
                tail = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
                ok = done.returncode == 0
            except subprocess.TimeoutExpired:
                tail, ok = f"timed out after {args.timeout:.0f} s", False
            passed += ok
            print(f"run {run}: {'passed' if ok else 'FAILED'} in {time.perf_counter() - started:.0f} s: {tail}", flush=True)
    finally:
        for loop in loops:
            loop.kill()
    print(f"{passed} of {args.runs} runs passed with {args.loops} busy loops")
    sys.exit(0 if passed == args.runs else 1)


if __name__ == "__main__":
    main()
