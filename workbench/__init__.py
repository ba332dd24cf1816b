"""Model Selection Workbench: choose LLMs for production with sourced, dated numbers.

The public API is imported lazily, so ``import workbench`` stays fast and never pulls in
matplotlib or ipywidgets. See README.md for the notebooks that teach each function.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    "WorkbenchError": "errors",
    "Problem": "errors",
    "Catalog": "catalog",
    "load_catalog": "catalog",
    "catalog_from_frames": "catalog",
    "summary": "catalog",
    "Scenario": "scenario",
    "load_scenario": "scenario",
    "shortlist": "shortlist",
}


def __getattr__(name: str):
    if name in _API:
        module = importlib.import_module(f".{_API[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API))
