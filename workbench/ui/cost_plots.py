"""Figures of ``notebooks/03_cost_and_latency.ipynb``: the break-even chart (API cost linear in volume,
self-hosting in steps), cost per successful task against the success rate (the crossing point), and
simulated latency distributions against the step's targets.

Same rules as :mod:`workbench.ui.plots`: every function returns a ``matplotlib.figure.Figure`` (never
``plt.show()``, nothing left in pyplot's global state); matplotlib is imported inside the functions.
A notebook shows the figure in an ``# NBVAL_IGNORE_OUTPUT`` cell and prints the numbers behind it
in a checked cell. (Kept apart from ``plots.py`` so that two areas do not edit one file at once.)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.costs.request import usd_per_success_for


def _figure(width: float = 7.0, height: float = 4.5):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def break_even_plot(curve: pd.DataFrame, volume: float | None = None, break_even: pd.DataFrame | None = None):
    """Monthly model cost (USD, log) against requests per month (log) for each option of
    :func:`workbench.costs.selfhost.cost_vs_volume`: APIs as straight lines, self-hosting as steps; a dashed
    line at ``volume`` and a dot at each break-even of ``break_even``
    (:func:`workbench.costs.breakeven.break_even_table`). Introduced in ``03_cost_and_latency.ipynb``."""
    fig, ax = _figure()
    for (option, kind), g in curve.groupby(["option", "kind"], sort=False):
        g = g.sort_values("requests_per_month")
        if kind == "self-hosted":
            ax.step(g["requests_per_month"], g["usd_per_month"], where="post", lw=2, label=f"{option} (self-hosted)")
        else:
            ax.plot(g["requests_per_month"], g["usd_per_month"], lw=1.5, label=option)
    if break_even is not None and len(break_even):
        be = break_even.dropna(subset=["break_even_requests_per_month"])
        for r in be.itertuples():  # where the API line meets the self-hosting steps
            ax.plot([r.break_even_requests_per_month], [r.break_even_requests_per_month * r.api_usd_per_request],
                    "ko", ms=5)
    if volume:
        ax.axvline(volume, color="grey", ls="--", lw=1)
        ax.text(volume, ax.get_ylim()[1], f" {volume:,.0f}/month", va="top", fontsize=8, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("requests per month")
    ax.set_ylabel("model cost, USD per month (retries included)")
    ax.set_title("API cost grows with volume; self-hosting in steps of one replica")
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def crossing_plot(options: pd.DataFrame, max_attempts: int, escalation_rate: float = 0.0,
                  usd_per_escalation: float = 0.0, failures_escalated: bool = False, success_rates=None):
    """USD per successful task against the per-attempt success rate for each row of ``options``
    (``offering_id``, ``usd_per_attempt``, and optionally ``success_rate``: that option's assumed
    rate, marked with a dot); the escalation arguments as in :func:`workbench.costs.request.monthly_costs`.
    Introduced in ``03_cost_and_latency.ipynb``."""

    p = np.linspace(0.5, 1.0, 101) if success_rates is None else np.asarray(success_rates, float)
    fig, ax = _figure()
    for r in options.itertuples():
        ax.plot(p, usd_per_success_for(r.usd_per_attempt, p, max_attempts, escalation_rate, usd_per_escalation,
                                       failures_escalated), label=r.offering_id)
        if "success_rate" in options and np.isfinite(getattr(r, "success_rate", np.nan)):
            y = usd_per_success_for(r.usd_per_attempt, r.success_rate, max_attempts, escalation_rate, usd_per_escalation,
                                    failures_escalated)
            ax.plot([r.success_rate], y, "o", color=ax.lines[-1].get_color())
    ax.set_yscale("log")
    ax.set_xlabel("success rate per attempt")
    ax.set_ylabel("USD per successful task")
    ax.set_title(f"cost per success ({max_attempts} attempt(s), {escalation_rate:.0%} escalated"
                 + (" + failed tasks" if failures_escalated else "") + f" at {usd_per_escalation:g} USD)")
    ax.legend(fontsize=7)
    ax.grid(True, alpha=0.3)
    return fig


def latency_plot(rows: pd.DataFrame, samples: np.ndarray, target_total_s: float | None = None,
                 target_p95_s: float | None = None, bins: int = 80):
    """Histograms of simulated task latency (seconds) per row of
    :func:`workbench.costs.latency.step_latency_samples`, with each row's p95 and the step's targets.
    Introduced in ``03_cost_and_latency.ipynb``."""
    fig, ax = _figure()
    ok = ~np.isnan(samples[:, 0]) if samples.size else np.zeros(0, bool)
    if not ok.any():
        ax.text(0.5, 0.5, "no offering has speed data", ha="center", va="center", transform=ax.transAxes)
        return fig
    hi = float(np.nanquantile(samples[ok], 0.995))
    edges = np.linspace(0, hi, bins + 1)
    for i in np.flatnonzero(ok):
        ax.hist(samples[i], bins=edges, histtype="step", lw=1.5, density=True, label=str(rows["offering_id"].iloc[i]))
        ax.axvline(np.quantile(samples[i], 0.95), color=ax.patches[-1].get_edgecolor(), ls=":", lw=1)
    for t, name in ((target_total_s, "total_s target"), (target_p95_s, "p95_s target")):
        if t is not None and np.isfinite(t):
            ax.axvline(t, color="black", ls="--", lw=1)
            ax.text(t, ax.get_ylim()[1], f" {name} {t:g} s", va="top", fontsize=8)
    ax.set_xlabel("task latency, s (dotted: each option's p95)")
    ax.set_ylabel("density")
    ax.set_title("simulated task latency with retries")
    ax.legend(fontsize=7)
    return fig
