"""The seven-column comparison of a record (task fit, expected quality, latency, cost, privacy,
lock-in and operational risk), each level from a stated rule in :data:`COMPARISON_RULES`.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.mdr.record import (
    BUDGET_SHARE_LOW,
    BUDGET_SHARE_MEDIUM,
    COMPARISON_COLUMNS,
    COST_RATIO_LOW,
    COST_RATIO_MEDIUM,
    LATENCY_RATIO_LOW,
    LATENCY_RATIO_MEDIUM,
    LEVELS,
    QUALITY_PCT_HIGH,
    QUALITY_PCT_MEDIUM,
    Record,
)

# ------------------------------------------------------------------------------------------------
# the seven comparison columns
# ------------------------------------------------------------------------------------------------

def _band(x: np.ndarray, cut_low: float, cut_medium: float, *, inclusive: bool = True,
          higher_is_better: bool = False) -> np.ndarray:
    """low/medium/high by two cuts; NaN -> high risk (or low quality when ``higher_is_better``)."""
    x = np.asarray(x, dtype=float)
    if higher_is_better:
        lvl = np.select([x >= cut_low, x >= cut_medium], ["high", "medium"], "low")
        return np.where(np.isnan(x), "low", lvl)
    le = (lambda a, b: a <= b) if inclusive else (lambda a, b: a < b)
    lvl = np.select([le(x, cut_low), le(x, cut_medium)], ["low", "medium"], "high")
    return np.where(np.isnan(x), "high", lvl)


def _yes_no(v: Any) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "unknown"
    return "yes" if bool(v) else "no"


def _num(s: pd.Series | None, n: int) -> np.ndarray:
    if s is None:
        return np.full(n, np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def comparison_levels(inputs: pd.DataFrame, budget_usd_per_month: float | None = None,
                      required_regions: tuple[str, ...] = ()) -> pd.DataFrame:
    """The exercise's seven columns (low | medium | high) for each row of ``inputs``, by the rules in
    :data:`COMPARISON_RULES`, each with the number behind it.

    ``inputs`` columns: ``checks_met``, ``checks_total``, ``quality_percentile`` (0..100),
    ``typical_latency_s``, ``latency_target_s`` (total_s), ``p95_s``, ``p95_target_s``,
    ``usd_per_month``, ``trains_on_data``, ``zero_data_retention`` (True/False/NA), ``regions``
    (``us;eu`` or empty), ``access_mode``, ``peak_rpm``, ``limit_use`` (peak / the tighter of the RPM
    and TPM limits, :func:`workbench.costs.latency.rate_limit_headroom`), ``providers_serving_model``,
    ``openness``. Returns, per column
    ``c``, ``c`` (the level), ``c_value`` (the number) and ``c_shown`` (the number as text).
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    n = len(inputs)
    g = inputs.get
    out = pd.DataFrame(index=inputs.index)

    met, total = _num(g("checks_met"), n), _num(g("checks_total"), n)
    missing = total - met
    out["task_fit"] = np.where(np.isnan(missing), "low", np.select([missing <= 0, missing <= 1], ["high", "medium"], "low"))
    out["task_fit_value"] = np.where(total > 0, met / np.where(total > 0, total, 1), np.nan)
    out["task_fit_shown"] = [f"{m:.0f}/{t:.0f} checks met" if not (np.isnan(m) or np.isnan(t)) else "not checked"
                             for m, t in zip(met, total)]

    pct = _num(g("quality_percentile"), n)
    out["expected_quality"] = _band(pct, QUALITY_PCT_HIGH, QUALITY_PCT_MEDIUM, higher_is_better=True)
    out["expected_quality_value"] = pct
    out["expected_quality_shown"] = [f"percentile {p:.0f}" if not np.isnan(p) else "no score" for p in pct]

    lat, target = _num(g("typical_latency_s"), n), _num(g("latency_target_s"), n)
    p95, p95_target = _num(g("p95_s"), n), _num(g("p95_target_s"), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_typ = np.where(np.isnan(target), 0.0, lat / target)
        r_p95 = np.where(np.isnan(p95_target) | np.isnan(p95), 0.0, p95 / p95_target)
    ratio = np.where(np.isnan(lat), np.nan, np.fmax(r_typ, r_p95))
    out["latency_risk"] = _band(ratio, LATENCY_RATIO_LOW, LATENCY_RATIO_MEDIUM)
    out["latency_risk_value"] = ratio
    shown = []
    for a, t, q, qt in zip(lat, target, p95, p95_target):
        if np.isnan(a):
            shown.append("no speed data")
            continue
        txt = f"typical {a:.2f} s" + (f" of {t:g} s" if not np.isnan(t) else "")
        if not np.isnan(q):
            txt += f"; p95 {q:.2f} s" + (f" of {qt:g} s" if not np.isnan(qt) else "")
        shown.append(txt)
    out["latency_risk_shown"] = shown

    usd = _num(g("usd_per_month"), n)
    if budget_usd_per_month:
        share = usd / float(budget_usd_per_month)
        out["cost_risk"] = _band(share, BUDGET_SHARE_LOW, BUDGET_SHARE_MEDIUM, inclusive=False)
        out["cost_risk_value"] = share
        out["cost_risk_shown"] = [f"{u:,.2f} USD/month = {s:.1%} of {budget_usd_per_month:,.0f} budget"
                                  if not np.isnan(u) else "no price" for u, s in zip(usd, share)]
    else:
        cheapest = np.nanmin(usd) if n and not np.all(np.isnan(usd)) else np.nan
        rel = usd / cheapest if cheapest and not np.isnan(cheapest) else np.full(n, np.nan)
        out["cost_risk"] = _band(rel, COST_RATIO_LOW, COST_RATIO_MEDIUM)
        out["cost_risk_value"] = rel
        out["cost_risk_shown"] = [f"{u:,.2f} USD/month = {r:.1f}x the cheapest" if not np.isnan(u) else "no price"
                                  for u, r in zip(usd, rel)]

    trains = list(g("trains_on_data", pd.Series([None] * n, index=inputs.index)))
    zdr = list(g("zero_data_retention", pd.Series([None] * n, index=inputs.index)))
    regions = list(g("regions", pd.Series([None] * n, index=inputs.index)))
    req = {r.lower() for r in required_regions}
    priv_level, priv_value, priv_shown = [], [], []
    for t, z, r in zip(trains, zdr, regions):
        rset = set() if r is None or (isinstance(r, float) and math.isnan(r)) or r == "" else set(str(r).split(";"))
        region_ok = (not req) or bool(rset & req)
        t_s, z_s = _yes_no(t), _yes_no(z)
        level = "high" if (t_s != "no" or not region_ok) else ("medium" if z_s != "yes" else "low")
        priv_level.append(level)
        priv_value.append({"low": 0.0, "medium": 1.0, "high": 2.0}[level])
        priv_shown.append(f"trains: {t_s}; ZDR: {z_s}; regions: {';'.join(sorted(rset)) or 'unknown'}")
    out["privacy_risk"], out["privacy_risk_value"], out["privacy_risk_shown"] = priv_level, priv_value, priv_shown

    mode = pd.Series(g("access_mode", pd.Series([""] * n, index=inputs.index))).astype(str).to_numpy()
    base = np.select([mode == "managed-api", mode == "hosted-inference"], ["low", "medium"], "high")
    peak, use = _num(g("peak_rpm"), n), _num(g("limit_use"), n)
    over = ~np.isnan(use) & (use > 1)
    out["operational_burden"] = np.where(over, "high", base)
    out["operational_burden_value"] = use
    out["operational_burden_shown"] = [
        f"{m}; peak {p:.1f} rpm" + (f", {u:.0%} of the tighter rate limit" if not np.isnan(u) else ", no listed limit")
        for m, p, u in zip(mode, peak, use)]

    prov = _num(g("providers_serving_model"), n)
    openw = pd.Series(g("openness", pd.Series([""] * n, index=inputs.index))).astype(str).isin(
        ["open-weight", "open-source"]).to_numpy()
    score = np.select([prov >= 3, prov >= 2], [0, 1], 2) - openw.astype(int)
    score = np.clip(score, 0, 2)
    out["migration_difficulty"] = np.array(LEVELS)[score]
    out["migration_difficulty_value"] = prov
    out["migration_difficulty_shown"] = [f"{p:.0f} provider{'s' if p != 1 else ''}" + ("; open weights" if o else "")
                                         for p, o in zip(np.nan_to_num(prov), openw)]
    return out


def comparison_frame(record: Record, step: str | None = None) -> pd.DataFrame:
    """The comparison table of a record (one row per compared candidate): step, offering, role in the
    decision, then the seven columns as ``level (number)``."""
    rows = []
    for c in record.candidates:
        if step is not None and c.step != step:
            continue
        d = record.decision(c.step)
        role = ("default" if d and d.default == c.offering_id else "fallback" if d and d.fallback == c.offering_id
                else "candidate")
        row = {"step": c.step, "offering_id": c.offering_id, "picked_as": c.picked_as, "decision": role}
        for col in COMPARISON_COLUMNS:
            lv = c.comparison.get(col)
            row[col] = f"{lv.level} ({lv.shown})" if lv else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["step", "offering_id", "picked_as", "decision", *COMPARISON_COLUMNS])
