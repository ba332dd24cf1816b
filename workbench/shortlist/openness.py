"""Closed, open-weight and open-source models: the chapter's trade-off table, filled from the catalog.

Each column counts a catalog fact per openness class (``models.openness``), so the table changes when
the catalog does and no cell is an opinion: how many models, how many providers serve each one (the
more, the easier to switch), how many can be self-hosted (a self-hosted offering in the catalog), how
many allow commercial use without restrictions and fine-tuning (``commercial_use``, ``fine_tuning``),
how many publish their training data and code (open-source by definition), and the median of each
model's cheapest blended API price (3:1, USD per million tokens). Introduced in
``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

import pandas as pd

from workbench.catalog.schema import OPENNESS
from workbench.costs.request import blended_usd_per_mtok_3to1

CLASSES = ("closed", "open-weight", "open-source")


def openness_tradeoffs(models: pd.DataFrame, offerings: pd.DataFrame) -> pd.DataFrame:
    """One row per openness class (closed, open-weight, open-source; ``unknown`` too when present) of the
    chat models in ``models`` with: ``models``, ``median_providers_per_model``, ``self_hostable``
    (models with a self-hosted offering), ``commercial_use_yes``, ``fine_tuning_yes``,
    ``data_and_code_published`` (open-source models), ``median_cheapest_usd_per_mtok_blended``
    (each model's cheapest priced offering, 3:1 blend; NaN = none priced). Counts are of models.
    Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``."""
    m = models
    if "model_type" in m:
        m = m[m["model_type"] == "chat"]
    o = offerings[offerings["model_id"].isin(m["model_id"])].copy()
    o["blended"] = blended_usd_per_mtok_3to1(o)
    per_model = pd.DataFrame({
        "providers": o[o["access_mode"] != "self-hosted"].groupby("model_id")["provider"].nunique(),
        "self_hostable": o.assign(s=o["access_mode"] == "self-hosted").groupby("model_id")["s"].any(),
        "cheapest": o.groupby("model_id")["blended"].min(),
    })
    t = m.set_index("model_id")[["openness", "commercial_use", "fine_tuning"]].join(per_model)
    t["providers"] = t["providers"].fillna(0)
    t["self_hostable"] = t["self_hostable"].astype("boolean").fillna(False).astype(bool)
    present = [c for c in OPENNESS if c in set(t["openness"])]
    rows = []
    for cls in [c for c in CLASSES if c in present] + [c for c in present if c not in CLASSES]:
        g = t[t["openness"] == cls]
        rows.append({"openness": cls, "models": len(g), "median_providers_per_model": float(g["providers"].median()),
                     "self_hostable": int(g["self_hostable"].sum()),
                     "commercial_use_yes": int((g["commercial_use"] == "yes").sum()),
                     "fine_tuning_yes": int(g["fine_tuning"].astype("boolean").fillna(False).sum()),
                     "data_and_code_published": len(g) if cls == "open-source" else 0,
                     "median_cheapest_usd_per_mtok_blended": float(g["cheapest"].median())})
    return pd.DataFrame(rows)
