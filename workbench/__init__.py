"""Model Selection Workbench: choose LLMs for production with sourced, dated numbers.

The public API is imported lazily, so ``import workbench`` stays fast and never pulls in
matplotlib or ipywidgets. See README.md for the notebooks that teach each function.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    # errors and the catalog (notebook 00)
    "WorkbenchError": "errors",
    "Problem": "errors",
    "Catalog": "catalog.load",
    "load_catalog": "catalog.load",
    "catalog_from_frames": "catalog.load",
    "summary": "catalog.load",
    "licence_restrictions": "catalog.licences",
    # scenarios (notebook 01)
    "Scenario": "scenario.load",
    "load_scenario": "scenario.load",
    "scenario_from_text": "scenario.load",
    "workflow_table": "scenario.workflow",
    # shortlisting (notebook 02); the function ``shortlist`` is workbench.shortlist.shortlist
    "shortlist_all": "shortlist.ranking",
    "candidates": "shortlist.pool",
    "ShortlistResult": "shortlist.ranking",
    "crosscheck": "shortlist.leaderboards",
    "diligence_table": "catalog.diligence",
    "diligence_for_scenario": "catalog.diligence",
    # cost and latency (notebook 03)
    "request_cost_usd": "costs.request",
    "request_cost_for_step": "costs.steps",
    "monthly_costs": "costs.request",
    "usd_per_success_for": "costs.request",
    "latency_table": "costs.latency",
    "rate_limit_headroom": "costs.latency",
    "break_even_table": "costs.breakeven",
    # evaluation (notebook 04)
    "load_golden": "evals.golden",
    "run_eval": "evals.runner",
    "summarize": "evals.report",
    # routing (notebook 05)
    "routing_config": "routing.config",
    "route_request": "routing.router",
    "routing_report": "routing.report",
    "detect_pii": "routing.pii",
    "redact_pii": "routing.pii",
    # decision records (notebook 06)
    "draft_record": "pipeline",
    "lint": "mdr.linting",
    "render_markdown": "mdr.markdown",
    "parse_markdown": "mdr.markdown",
    "review_record": "mdr.review",
}


def __getattr__(name: str):
    if name in _API:
        module = importlib.import_module(f".{_API[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API))
