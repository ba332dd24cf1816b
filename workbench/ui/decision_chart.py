"""The record's decision chart: each decided step's Pareto view with the default and fallback marked.
Drawn here (matplotlib) and saved beside the record by the ``decide`` verb or the notebook.
"""
from __future__ import annotations

import math

import numpy as np

from workbench.mdr.record import Record
from workbench.ui.plots import pareto_plot

# ------------------------------------------------------------------------------------------------
# the chart saved beside the record
# ------------------------------------------------------------------------------------------------

def decision_chart(record: Record, shortlists: dict):
    """A matplotlib Figure: for each decided step, the shortlist's Pareto view
    (:func:`workbench.ui.plots.pareto_plot`: quality against USD per request, colour = latency, frontier
    ringed) with the record's default (star), fallback (diamond) and other compared candidates (cross)
    marked. Steps without a candidate that has quality, cost and latency are left out.
    Introduced in ``06_model_decision_record.ipynb``."""
    from matplotlib.figure import Figure


    def drawable(res) -> bool:
        r = res.ranked
        return bool((r["quality"].notna() & r["usd_per_request"].notna() & r["typical_latency_s"].notna()).any())

    steps = [d.step for d in record.decisions if d.step in shortlists and drawable(shortlists[d.step])]
    n = max(len(steps), 1)
    cols = 2 if n > 1 else 1
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(7.0 * cols, 4.6 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax, step in zip(axes, steps):
        res = shortlists[step]
        pareto_plot(res, ax=ax)
        d = record.decision(step)
        for c in [c for c in record.candidates if c.step == step]:
            x, y = c.fact("usd_per_request"), c.fact("quality")
            if x is None or y is None:
                continue
            marker, color, label = (("*", "crimson", "default") if c.offering_id == d.default else
                                    ("D", "darkorange", "fallback") if c.offering_id == d.fallback else
                                    ("X", "dimgray", "compared"))
            ax.scatter([x], [y], marker=marker, s=180 if marker == "*" else 90, color=color, edgecolors="black",
                       linewidths=0.6, zorder=5, label=label)
        handles, labels = ax.get_legend_handles_labels()
        uniq = dict(zip(labels, handles))
        ax.legend(uniq.values(), uniq.keys(), loc="best", fontsize=7)
    for ax in axes[len(steps):]:
        ax.set_visible(False)
    fig.suptitle(f"{record.number:04d}: quality vs cost of the shortlisted offerings (as_of {record.date.isoformat()})",
                 fontsize=11)
    return fig
