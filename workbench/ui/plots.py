"""Matplotlib figures over the workbench's results. Every function returns a ``Figure`` and never
calls ``plt.show()``; a notebook displays it (in an ``# NBVAL_IGNORE_OUTPUT`` cell) and prints the
numbers behind it in a checked cell. Figures are made with ``matplotlib.figure.Figure`` (not
pyplot), so nothing piles up in pyplot's global state. matplotlib is imported inside the
functions: ``import workbench`` stays light.

Each area keeps its figures in clearly named functions (shortlist: :func:`pareto_plot`,
:func:`stability_plot`).
"""
from __future__ import annotations

import numpy as np


def _figure(width: float = 7.0, height: float = 4.5):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


# --------------------------------------------------------------------------------------------
# shortlist (notebook 02)
# --------------------------------------------------------------------------------------------

def pareto_plot(result, label: int = 6, log_cost: bool = True, ax=None):
    """Quality against USD per request for the scored candidates of a
    :class:`~workbench.shortlist.ShortlistResult`; colour = typical latency (s); the Pareto
    frontier (over quality, cost *and* latency) ringed in black; the first ``label`` ranked and the
    frontier labelled by model. A frontier point can sit below another in this 2-D view: it wins on
    latency. Introduced in ``02_shortlist_from_leaderboards.ipynb``.
    """
    r = result.ranked
    pts = r[r["quality"].notna() & r["usd_per_request"].notna() & r["typical_latency_s"].notna()]
    if ax is None:
        fig, ax = _figure()
    else:
        fig = ax.figure
    if pts.empty:
        ax.text(0.5, 0.5, "no candidate has quality, cost and latency", ha="center", va="center",
                transform=ax.transAxes)
        return fig
    sc = ax.scatter(pts["usd_per_request"], pts["quality"], c=pts["typical_latency_s"], cmap="viridis_r",
                    s=36, alpha=0.85, zorder=2)
    front = pts[pts["pareto"]]
    ax.scatter(front["usd_per_request"], front["quality"], s=110, facecolors="none", edgecolors="black",
               linewidths=1.4, zorder=3, label="Pareto frontier (quality, cost, latency)")
    shown = pts[(pts["rank"].fillna(10**9) <= label) | pts["pareto"]].drop_duplicates("model_id")
    for row in shown.itertuples():
        ax.annotate(str(row.model_id), (row.usd_per_request, row.quality), xytext=(4, 4),
                    textcoords="offset points", fontsize=7)
    if log_cost:
        ax.set_xscale("log")
    fig.colorbar(sc, ax=ax, label="typical latency (s)")
    ax.set_xlabel(f"USD per request (step '{result.step}' token mix)" + (", log scale" if log_cost else ""))
    ax.set_ylabel(f"quality: {result.quality_benchmark}")
    ax.set_title(f"{result.step}: {len(pts)} scored candidates, {int(front.shape[0])} on the frontier", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def stability_plot(result, top: int = 8, ax=None):
    """Horizontal bars: each of the first ``top`` ranked candidates' probability of ranking first
    and of reaching the top 3 when the weights are resampled around the chosen ones
    (``p_first``, ``p_top3``). Introduced in ``02_shortlist_from_leaderboards.ipynb``.
    """
    r = result.ranked[result.ranked["scored"]].head(top)
    if ax is None:
        fig, ax = _figure(7.0, 0.35 * max(len(r), 3) + 1.2)
    else:
        fig = ax.figure
    y = np.arange(len(r))[::-1]
    ax.barh(y + 0.2, r["p_top3"], height=0.4, color="#9ecae1", label="P(top 3)")
    ax.barh(y - 0.2, r["p_first"], height=0.4, color="#08519c", label="P(rank 1)")
    ax.set_yticks(y, [f"{int(k)}. {o}" for k, o in zip(r["rank"], r["offering_id"])], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of {result.params.get('samples', '?')} weight draws "
                  f"(Dirichlet, concentration {result.params.get('concentration', '?')})")
    ax.set_title(f"{result.step}: rank stability", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


# --------------------------------------------------------------------------------------------
# routing and fallbacks (notebook 05)
# --------------------------------------------------------------------------------------------

def chain_trap_plot(curve, ax=None):
    """Minutes of downtime per 30-day month (log scale) against the providers' availability, for
    one offering alone, a fallback on a different provider and a fallback on the same provider;
    ``curve`` is :func:`workbench.routing.trap_curve`. Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    if ax is None:
        fig, ax = _figure(7.0, 4.0)
    else:
        fig = ax.figure
    x = curve["provider_availability"] * 100
    for col, label, style in (("downtime_min_primary_only", "primary alone", "-"),
                              ("downtime_min_same_provider", "fallback on the same provider", "--"),
                              ("downtime_min_different_providers", "fallback on another provider", "-.")):
        ax.plot(x, curve[col], style, label=label, linewidth=2)
    ax.set_yscale("log")
    ax.set_xlabel("each provider's availability, % (provider-wide outages; an ASSUMPTION to vary)")
    ax.set_ylabel("downtime, minutes per 30-day month")
    ax.set_title("The correlated-failure trap: a fallback on the same provider shares its outages", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    return fig


def routed_vs_single_plot(systems, step: str | None = None, ax=None):
    """Success rate on the golden set against model cost per month for the routed system and each
    single-model system (rows of ``RoutingReport.systems``); marker size grows with the p95 latency of
    ``step`` when given. Systems without a model cost (the rule baseline) sit at x = 0.
    Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    if ax is None:
        fig, ax = _figure(7.0, 4.0)
    else:
        fig = ax.figure
    col = f"p95_s:{step}" if step else None
    for _, d in systems.iterrows():
        p95 = float(d[col]) if col and col in systems.columns else float("nan")
        size = 40.0 if np.isnan(p95) else 30 + 4 * p95
        ax.scatter(d["usd_per_month_models"], d["success_rate"], s=size, alpha=0.8,
                   marker="*" if d["system"] == "routed" else "o", zorder=3)
        ax.annotate(str(d["system"]), (d["usd_per_month_models"], d["success_rate"]), xytext=(5, 4),
                    textcoords="offset points", fontsize=8)
    ax.set_xlabel("model cost, USD per month (scenario volumes x list prices; people not included)")
    ax.set_ylabel("success rate on the golden set")
    ax.set_title("Routed vs single model" + (f" (marker size: p95 of {step})" if col else ""), fontsize=10)
    ax.grid(alpha=0.3)
    return fig
