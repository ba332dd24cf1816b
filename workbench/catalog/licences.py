"""Open source, open weights, or open-washing: what a model's licence really allows.

The chapter's lesson: "open" covers three different things. Open-source models publish weights,
training data and code under terms that allow any use; open-weight models publish weights only,
sometimes under a permissive licence (Apache-2.0, MIT) and sometimes under a custom licence with
field-of-use or user-count clauses; calling the latter "open source" is open-washing.
:func:`licence_restrictions` reads the catalog's licence columns and says which restriction each
model carries and why. Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import importlib
import platform
import re
import sys

import pandas as pd

from workbench.catalog.diligence import licence_terms

# What a clause says, by the words it uses. Checked against license + license_notes.
CLAUSES = (
    ("user-count", re.compile(r"monthly active users|\bmau\b|\d+\s*(m|million)\s+(monthly\s+)?users|user[- ]count", re.I)),
    ("non-commercial", re.compile(r"non[- ]?commercial|research[- ]only|\bnc\b|cc-by-nc", re.I)),
    ("field-of-use", re.compile(r"acceptable use|prohibited use|use polic|use restriction|field[- ]of[- ]use|responsible ai|openrail|may not be used", re.I)),
    ("region", re.compile(r"european union|domiciled|territor(y|ies) excluded", re.I)),
    ("attribution/naming", re.compile(r"built with|must (display|include) .*(name|attribution)|display .* prominently|prefix .* name", re.I)),
)


def licence_restrictions(models: pd.DataFrame) -> pd.DataFrame:
    """One row per non-closed model: its licence, the restrictions found, and a verdict.

    Restrictions are found by the words of ``license`` and ``license_notes`` (see :data:`CLAUSES`)
    and by ``commercial_use`` (restricted/no). Verdicts: ``open source`` (openness open-source and a
    permissive licence), ``open weights, permissive``, ``open weights with restrictions`` (the
    open-washing risk: "open" in name, conditions in the licence), ``licence unknown``.
    """
    m = models[models["openness"] != "closed"].copy()
    text = (m["license"].fillna("") + " " + m["license_notes"].fillna("")).str.strip()
    found = []
    for t, cu in zip(text, m["commercial_use"].fillna("unknown")):
        hits = [name for name, rx in CLAUSES if rx.search(t)]
        if cu == "no" and "non-commercial" not in hits:
            hits.append("non-commercial")
        if cu == "restricted" and not hits:
            hits.append("commercial use restricted (see licence)")
        found.append(hits)
    m["restrictions"] = ["; ".join(h) if h else "none found" for h in found]
    permissive = m["license"].map(lambda name: getattr(licence_terms(name), "kind", None) == "permissive")
    unknown = m["license"].fillna("").str.lower().str.startswith("unknown") | (m["commercial_use"] == "unknown")
    restricted = pd.Series([bool(h) for h in found], index=m.index)

    def verdict(i):
        if unknown[i]:
            return "licence unknown: check the model card"
        if restricted[i]:
            return "open weights with restrictions"
        if m.at[i, "openness"] == "open-source" and permissive[i]:
            return "open source"
        return "open weights, permissive" if permissive[i] else "open weights, licence to review"
    m["verdict"] = [verdict(i) for i in m.index]
    cols = ["model_id", "creator", "openness", "license", "commercial_use", "restrictions", "verdict", "source", "as_of"]
    return m[cols].sort_values(["verdict", "model_id"]).reset_index(drop=True)


def browse(catalog, openness: str = "all", access_mode: str = "all", model_type: str = "all") -> pd.DataFrame:
    """Offerings joined to their model, filtered by openness, access mode and model type ("all" = no
    filter), cheapest output price first, with each row's source and as_of. Drives the catalog
    browser widget in ``00_start_here.ipynb``."""
    o = catalog.offerings.merge(catalog.models[["model_id", "name", "creator", "openness", "model_type", "license"]],
                                on="model_id", how="left")
    if openness != "all":
        o = o[o["openness"] == openness]
    if access_mode != "all":
        o = o[o["access_mode"] == access_mode]
    if model_type != "all":
        o = o[o["model_type"] == model_type]
    cols = ["offering_id", "creator", "openness", "access_mode", "usd_per_mtok_in", "usd_per_mtok_out",
            "output_tokens_per_s", "speed_as_of", "source", "as_of"]
    return o.sort_values(["usd_per_mtok_out", "offering_id"], na_position="last")[cols].reset_index(drop=True)


def environment_report() -> dict:
    """Versions of Python and the packages the notebooks use, and whether each is new enough."""

    need = {"pandas": "2.2", "numpy": "1.26", "yaml": "6.0", "matplotlib": "3.8", "ipywidgets": "8.0"}
    report = {"python": platform.python_version(), "python_ok": sys.version_info >= (3, 11)}
    for name, minimum in need.items():
        try:
            version = importlib.import_module(name).__version__
        except ImportError:
            version = None
        report[name] = version
        report[f"{name}_ok"] = version is not None and _version_tuple(version) >= _version_tuple(minimum)
    return report


def _version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])
