"""The cost formulas applied to workflow steps: one row per offering x step with requests per month, cost
per attempt, retries, escalation, monthly cost and cost per successful task; self-hosted rows priced
by :mod:`workbench.costs.selfhost`. Taught in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.costs.request import expected_attempts, monthly_costs, request_cost_usd
from workbench.costs.selfhost import SelfHostAssumptions, selfhost_costs

# --------------------------------------------------------------------------------------------
# offerings x steps
# --------------------------------------------------------------------------------------------

ID_COLUMNS = ("offering_id", "model_id", "provider", "access_mode")


def steps_frame(steps, volume: float | None = None) -> pd.DataFrame:
    """Scenario steps (``workbench.scenario.Step``) as one row each: token mix, volume, peak and reliability.

    ``volume`` (requests per month) replaces every step's ``requests_per_month`` when given. Every
    column except ``step`` and ``role`` is a scenario assumption. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``.
    """
    rows = []
    for s in steps:
        t, r, lat = s.tokens, s.reliability, s.latency
        rows.append({
            "step": s.name, "role": s.role,
            "requests_per_month": float(s.requests_per_month if volume is None else volume),
            "peak_to_average": s.peak_to_average,
            "input_tokens": t.input, "output_tokens": t.output, "reasoning_tokens": t.reasoning,
            "cached_share": t.cached_share, "cache_write_share": t.cache_write_share,
            "batch_share": t.batch_share, "tool_turns": t.tool_turns,
            "success_rate": r.success_rate, "max_attempts": r.max_attempts,
            "escalation_rate": r.escalation_rate, "usd_per_escalation": r.usd_per_escalation,
            "network_s": lat.network_s, "retrieval_s": lat.retrieval_s, "tool_call_s": lat.tool_call_s,
            "target_ttft_s": np.nan if lat.ttft_s is None else lat.ttft_s,
            "target_total_s": np.nan if lat.total_s is None else lat.total_s,
            "target_p95_s": np.nan if lat.p95_s is None else lat.p95_s,
        })
    return pd.DataFrame(rows)


def cross(offers: pd.DataFrame, steps_df: pd.DataFrame) -> pd.DataFrame:
    """Every offering x every step row (offering columns first), index reset. Used by cost and latency;
    introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    o = offers.reset_index(drop=True)
    s = steps_df.reset_index(drop=True)
    left = o.loc[np.repeat(np.arange(len(o)), len(s))].reset_index(drop=True)
    right = s.loc[np.tile(np.arange(len(s)), len(o))].reset_index(drop=True)
    right = right[[c for c in right.columns if c not in left.columns]]
    return pd.concat([left, right], axis=1)


def step_costs(offers: pd.DataFrame, steps, gpus: pd.DataFrame | None = None, volume: float | None = None,
               selfhost=None, failures_escalated: bool = False) -> pd.DataFrame:
    """Cost of every offering on every step: per attempt, per request, per month, per successful task.

    ``steps`` is a step, a list of steps or a :func:`steps_frame`; ``volume`` overrides the steps'
    requests per month. API and hosted-inference rows are priced by :func:`request_cost_usd`
    (``pricing`` = ``list price``). Self-hosted rows are priced by the self-hosting model
    (:func:`workbench.costs.selfhost.selfhost_costs`: GPUs for the peak, GPU-hours from ``gpus`` plus an
    operations share, ``selfhost`` = :class:`workbench.costs.selfhost.SelfHostAssumptions`), spread over the
    month's requests; ``pricing`` says so. A row whose price is unknown says ``no list price`` and
    keeps NaN, which a ranking must show as unknown, never as free. ``failures_escalated``: see
    :func:`monthly_costs`.

    Columns: the offering's ids, ``step``, ``requests_per_month``, ``usd_per_attempt``, then those
    of :func:`monthly_costs`, ``pricing``. Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """

    sf = steps if isinstance(steps, pd.DataFrame) else steps_frame(
        steps if isinstance(steps, (list, tuple)) else [steps], volume)
    if volume is not None and isinstance(steps, pd.DataFrame):
        sf = sf.assign(requests_per_month=float(volume))
    g = cross(offers, sf)
    per_attempt = request_cost_usd(g, g["input_tokens"].to_numpy(float), g["output_tokens"].to_numpy(float),
                                   g["reasoning_tokens"].to_numpy(float), g["cached_share"].to_numpy(float),
                                   g["cache_write_share"].to_numpy(float), g["batch_share"].to_numpy(float),
                                   g["tool_turns"].to_numpy(float)).to_numpy().copy()
    pricing = np.where(np.isnan(per_attempt), "no list price", "list price").astype(object)
    selfh = (g["access_mode"] == "self-hosted").to_numpy() if "access_mode" in g else np.zeros(len(g), bool)
    if selfh.any():
        sh = selfhost_costs(g[selfh], gpus, selfhost or SelfHostAssumptions())
        attempts = expected_attempts(g.loc[selfh, "success_rate"].to_numpy(float), g.loc[selfh, "max_attempts"].to_numpy(float))
        vol = g.loc[selfh, "requests_per_month"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            per_attempt[selfh] = np.where(vol > 0, sh["usd_per_month"].to_numpy() / (vol * attempts), np.inf)
        pricing[selfh] = sh["pricing"].to_numpy()
    m = monthly_costs(per_attempt, g["requests_per_month"].to_numpy(float), g["success_rate"].to_numpy(float),
                      g["max_attempts"].to_numpy(float), g["escalation_rate"].to_numpy(float),
                      g["usd_per_escalation"].to_numpy(float), failures_escalated)
    ids = [c for c in ID_COLUMNS if c in g]
    out = pd.concat([g[ids + ["step", "requests_per_month"]], pd.DataFrame({"usd_per_attempt": per_attempt}), m],
                    axis=1)
    out["pricing"] = pricing
    return out


def cost_assumptions(step, selfhost=None) -> pd.DataFrame:
    """The assumptions behind a step's costs, each with its value, unit and where it is set.

    Introduced in ``notebooks/03_cost_and_latency.ipynb``; printed under ``python -m workbench cost``.
    """

    t, r = step.tokens, step.reliability
    k = step.name
    rows = [
        ("requests_per_month", step.requests_per_month, "requests/month", f"{k}.requests_per_month"),
        ("peak_to_average", step.peak_to_average, "ratio", f"{k}.peak_to_average"),
        ("input_tokens", t.input, "tokens/request", f"{k}.tokens.input"),
        ("output_tokens", t.output, "tokens/request", f"{k}.tokens.output"),
        ("reasoning_tokens", t.reasoning, "tokens/request", f"{k}.tokens.reasoning"),
        ("cached_share", t.cached_share, "share of input", f"{k}.tokens.cached_share"),
        ("cache_write_share", t.cache_write_share, "share of input", f"{k}.tokens.cache_write_share"),
        ("batch_share", t.batch_share, "share of requests", f"{k}.tokens.batch_share"),
        ("tool_turns", t.tool_turns, "turns/request", f"{k}.tokens.tool_turns"),
        ("success_rate", r.success_rate, "per attempt", f"{k}.reliability.success_rate"),
        ("max_attempts", r.max_attempts, "attempts", f"{k}.reliability.max_attempts"),
        ("escalation_rate", r.escalation_rate, "share of requests", f"{k}.reliability.escalation_rate"),
        ("usd_per_escalation", r.usd_per_escalation, "USD", f"{k}.reliability.usd_per_escalation"),
    ]
    sh = selfhost or SelfHostAssumptions()
    rows += [(name, value, unit, "SelfHostAssumptions." + name) for name, value, unit in sh.rows()]
    return pd.DataFrame(rows, columns=["assumption", "value", "unit", "set_in"])


def request_cost_for_step(offers: pd.DataFrame, step, gpus: pd.DataFrame | None = None, selfhost=None,
                          volume: float | None = None) -> pd.Series:
    """USD per attempt of a scenario step's token mix (``workbench.scenario.Step``) on each offering.

    API and hosted-inference rows: :func:`request_cost_usd` at list prices. Self-hosted rows have no
    per-token price: with ``gpus`` (``catalog.gpus``) they get the self-hosting model's cost per
    attempt at the step's volume (or ``volume``), as in :func:`step_costs`; without it they stay NaN,
    so pass ``gpus`` whenever a ranking may hold self-hosted rows.
    """
    t = step.tokens
    usd = request_cost_usd(offers, t.input, t.output, t.reasoning, t.cached_share, t.cache_write_share,
                           t.batch_share, t.tool_turns)
    if gpus is not None and "access_mode" in offers and (offers["access_mode"] == "self-hosted").any():
        selfh = (offers["access_mode"] == "self-hosted").to_numpy()
        sh = step_costs(offers[selfh], step, gpus, volume, selfhost)["usd_per_attempt"].to_numpy()
        usd = usd.copy()
        usd.iloc[np.flatnonzero(selfh)] = sh
    return usd
