"""One measurement per process, so that a peak memory reading (ru_maxrss) is that measurement's
alone: each step runs as `script --one STEP --sizes SIZE --work DIR ...` and prints its result
as a line of JSON."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_isolated(command: list[str], log: Path) -> str | None:
    """The last JSON line `command` prints, or None if it failed (stderr kept in `log`)."""
    with open(log, "w") as errors:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=errors, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return None
    return lines[-1]


def run_steps(script: str, size: int, steps: list[str], work: Path, *extra: str) -> None:
    """Each step of one size in its own process, printed as it ends; a failed step prints its
    log and ends the size (later steps need its results)."""
    for step in steps:
        command = [sys.executable, script, "--one", step, "--sizes", str(size), "--work", str(work), *extra]
        log = work / f"{size}-{step}.log"
        result = run_isolated(command, log)
        if result is None:
            print(f"{size:,} {step}: failed\n{log.read_text()[-3000:]}", flush=True)
            return
        print(f"{size:,} {step}: {result}", flush=True)
