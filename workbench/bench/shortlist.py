"""Benchmark: one update of the shortlist widget (constraints, scoring, Pareto, rank stability and
the ranked and why-excluded tables) on a catalog of at least 3,000 offerings. Every run re-checks
the constraints (the candidate table caches them per constraint setting, so a slider move alone
is faster than what is timed here); the step's prices and latencies stay cached, as in the widget.

Without ``--catalog`` the catalog is *synthetic*: :func:`resample_catalog` draws 3,000 offerings
with replacement from the project's snapshot (seeded) and jitters their prices and speeds, so the
frontier is not made of exact duplicates. With ``--catalog DIR`` (e.g. an imported LiteLLM map) it
times that catalog as it is. Goal: median <= 50 ms. The figure is drawn outside the timed part
(matplotlib's rendering is not the workbench's computation).
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from workbench.bench.harness import Case
from workbench.catalog.load import Catalog, load_catalog
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import candidates
from workbench.ui.widgets import shortlist_toggles, shortlist_update
from workbench.util import data_dir

OFFERINGS = 3000
GOAL_S = 0.050
SCENARIO = "support_assistant.yaml"
STEP = "answer_with_citations"
JITTER_SIGMA = 0.25  # lognormal sigma of the price and speed jitter of resampled rows


def resample_catalog(catalog: Catalog, n: int = OFFERINGS, seed: int = 7) -> Catalog:
    """A synthetic catalog for timing: ``n`` offerings drawn with replacement from ``catalog``'s,
    each price multiplied by one lognormal factor and each speed by another (sigma
    :data:`JITTER_SIGMA`, seeded), ids made unique (``<id>#<k>``), ``source`` marked synthetic.
    Models, scores and providers are kept. Not for any decision: only for ``python -m workbench bench``.
    """
    rng = np.random.default_rng(seed)
    o = catalog.offerings
    pick = rng.integers(0, len(o), size=n)
    out = o.iloc[pick].reset_index(drop=True).copy()
    out["offering_id"] = out["offering_id"].astype(str) + "#" + pd.Series(np.arange(n)).astype(str)
    price = np.exp(rng.normal(0.0, JITTER_SIGMA, n))
    speed = np.exp(rng.normal(0.0, JITTER_SIGMA, n))
    for col in [c for c in out.columns if c.startswith("usd_per_mtok")]:
        out[col] = out[col] * price
    out["output_tokens_per_s"] = out["output_tokens_per_s"] * speed
    out["ttft_s"] = out["ttft_s"] / speed
    out["source"] = "synthetic: resampled from " + out["source"].astype(str) + " for the benchmark"
    tables = {name: getattr(catalog, name) for name in ("models", "scores", "gpus", "name_map", "price_history",
                                                         "providers")}
    return Catalog(offerings=out, **tables, path=f"<{n} offerings resampled from {catalog.path}, seed {seed}>",
                   files=dict(catalog.files))


def cases(options) -> list[Case]:
    seed = getattr(options, "seed", 7)
    if getattr(options, "catalog", None):
        cat = load_catalog(options.catalog)
    else:
        cat = resample_catalog(load_catalog(), OFFERINGS, seed)
    scenario = load_scenario(data_dir() / "scenarios" / SCENARIO)
    cand = candidates(cat)
    bench = scenario.step(STEP).quality_benchmark or scenario.quality_benchmark
    has_quality = bench in cand.benchmarks()
    toggles = shortlist_toggles(scenario, STEP)
    # slider positions visited in turn, as a user dragging the weights would
    weights = itertools.cycle([(0.5, 0.3, 0.2), (0.3, 0.5, 0.2), (0.4, 0.2, 0.4), (0.6, 0.3, 0.1)])

    def run():
        q, c, l = next(weights)
        cand.clear_cache("constraints")  # re-check every constraint: the full update, not only a slider move
        return shortlist_update(cand, scenario, STEP, q if has_quality else 0.0, c, l, toggles=toggles, top=10)

    def check(row):
        view = row["result"]
        if view.error:
            return row["median_s"] * 1000, "ms", False
        return row["median_s"] * 1000, "ms", row["median_s"] <= GOAL_S

    run()  # warm the candidate table's cached columns, as the widget's first draw does
    return [Case(name=f"shortlist widget update ({len(cat.offerings):,} offerings)", run=run, repeat=21,
                 goal=f"median <= {GOAL_S * 1000:.0f} ms", goal_s=GOAL_S, check=check,
                 extra={"offerings": int(len(cat.offerings)), "catalog": cat.path, "step": STEP,
                        "quality_benchmark": bench if has_quality else f"{bench} (absent: quality weight 0)"})]
