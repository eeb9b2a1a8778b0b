"""Peak memory of a process and of everything it started (workers of a local engine), sampled
in a background thread: ru_maxrss sees one process only, and a child's ru_maxrss starts at its
parent's size when it is forked."""

from __future__ import annotations

import os
import resource
import threading

MIB = 1024 * 1024


def proc_tree_rss(pid: int) -> tuple[int, int, int]:
    """(driver RSS, RSS of driver + all descendants, process count) in bytes, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        child = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(child)
        rss[child] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, count, todo = 0, 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        count += 1
        todo.extend(children.get(current, []))
    return rss.get(pid, 0), total, count


class MemorySampler:
    """Samples this process's RSS and its whole process tree's summed RSS every `interval` s in a
    background thread; `phase()` resets the peaks and `peaks()` reads them."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.pid = os.getpid()
        try:
            import psutil

            self._process = psutil.Process(self.pid)
            self._psutil = psutil
            self.method = "psutil"
        except ImportError:
            self._process = None
            self.method = "/proc VmRSS"
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.phase()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()

    def _sample(self) -> tuple[int, int, int]:
        if self._process is None:
            return proc_tree_rss(self.pid)
        driver = self._process.memory_info().rss
        total, count = driver, 1
        for child in self._process.children(recursive=True):
            try:
                total += child.memory_info().rss
                count += 1
            except (self._psutil.NoSuchProcess, self._psutil.AccessDenied, self._psutil.ZombieProcess):
                continue
        return driver, total, count

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        try:
            driver, total, count = self._sample()
        except Exception:  # a process vanishing mid-read: skip this sample
            return
        with self._lock:
            self._driver = max(self._driver, driver)
            self._tree = max(self._tree, total)
            self._processes = max(self._processes, count)

    def phase(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            self._driver = self._tree = self._processes = 0

    def peaks(self) -> dict[str, float]:
        self.sample()
        with self._lock:
            return {
                "driver_mib": self._driver / MIB,
                "tree_mib": self._tree / MIB,
                "processes": self._processes,
                "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
