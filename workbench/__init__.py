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
    "Catalog": "catalog",
    "load_catalog": "catalog",
    "catalog_from_frames": "catalog",
    "summary": "catalog",
    "licence_restrictions": "openness",
    # scenarios (notebook 01)
    "Scenario": "scenario",
    "load_scenario": "scenario",
    "scenario_from_text": "scenario",
    "workflow_table": "workflow",
    # shortlisting (notebook 02)
    "shortlist": "shortlist",
    "shortlist_all": "shortlist",
    "candidates": "shortlist",
    "ShortlistResult": "shortlist",
    "crosscheck": "crosscheck",
    "diligence_table": "diligence",
    "diligence_for_scenario": "diligence",
    # cost and latency (notebook 03)
    "request_cost_usd": "cost",
    "request_cost_for_step": "cost",
    "monthly_costs": "cost",
    "usd_per_success_for": "cost",
    "latency_table": "latency",
    "rate_limit_headroom": "latency",
    "break_even_table": "selfhost",
    # evaluation (notebook 04)
    "load_golden": "evals.golden",
    "run_eval": "evals.runner",
    "summarize": "evals.report",
    # routing (notebook 05)
    "routing_config": "routing",
    "route_request": "routing",
    "routing_report": "routing",
    "detect_pii": "pii",
    "redact_pii": "pii",
    # decision records (notebook 06)
    "draft_record": "mdr_draft",
    "lint": "mdr",
    "render_markdown": "mdr_markdown",
    "parse_markdown": "mdr_markdown",
    "review_record": "mdr_review",
}


def __getattr__(name: str):
    if name in _API:
        module = importlib.import_module(f".{_API[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API))
