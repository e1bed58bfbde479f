"""Timing helpers the benches share: repeated runs, their median and spread,
and a line saying what machine (and how busy) the figures come from."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Spread:
    """Milliseconds per run over `runs` runs."""

    median: float
    p10: float
    p90: float
    runs: int

    @classmethod
    def of(cls, times_ms: list[float]) -> Spread:
        p10, median, p90 = np.percentile(np.asarray(times_ms, dtype=np.float64), [10, 50, 90])
        return cls(float(median), float(p10), float(p90), len(times_ms))

    def __str__(self) -> str:
        return f"{self.median:.3f} ({self.p10:.3f}/{self.p90:.3f})"


def time_runs(
    fn: Callable[[], object], repeats: int, budget_s: float = float("inf"), min_runs: int = 3
) -> list[float]:
    """Run `fn` up to `repeats` times (fewer once `budget_s` is spent, but at
    least `min_runs`), returning each run's wall time in milliseconds."""
    times: list[float] = []
    spent = 0.0
    while len(times) < repeats and (len(times) < min_runs or spent < budget_s):
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        spent += dt
        times.append(dt * 1e3)
    return times


def machine() -> str:
    """CPU model, core count and load: the figures are only as steady as this."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores{load} (shared with other engineers' work)"
