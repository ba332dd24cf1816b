"""``python -m workbench bench``: timed operations with goals, median of repeated runs.

Speed and memory goals live here, not in timed tests. Each other module in ``workbench/bench/``
defines ``cases(options) -> list[Case]``; this file times them and prints one table.
"""
from __future__ import annotations

import gc
import importlib
import pkgutil
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Case:
    """One timed operation. ``run`` is called ``repeat`` times after ``setup`` once.

    ``goal`` is a human sentence; ``check(result) -> (value, unit, met)`` turns the measurements
    into the reported figure (default: the median seconds, met when under ``goal_s``).
    """

    name: str
    run: Callable[[], object]
    repeat: int = 7
    goal: str = ""
    goal_s: float | None = None
    check: Callable[[dict], tuple[float, str, bool | None]] | None = None
    extra: dict = field(default_factory=dict)


def time_case(case: Case) -> dict:
    times = []
    result = None
    for _ in range(case.repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = case.run()
        times.append(time.perf_counter() - t0)
    row = {"name": case.name, "median_s": statistics.median(times), "min_s": min(times), "runs": case.repeat,
           "goal": case.goal, "result": result}
    if case.check is not None:
        value, unit, met = case.check(row)
    else:
        value, unit = row["median_s"], "s"
        met = None if case.goal_s is None else row["median_s"] <= case.goal_s
    row.update(value=value, unit=unit, met=met)
    row.update(case.extra)
    return row


def all_cases(options) -> list[Case]:
    cases: list[Case] = []
    package = importlib.import_module("workbench.bench")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "harness":
            continue
        mod = importlib.import_module(f"workbench.bench.{info.name}")
        if options.only and not any(o in info.name for o in options.only):
            continue
        cases += mod.cases(options)
    return cases
