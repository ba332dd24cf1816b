"""The record's decision chart: each decided step's Pareto view with the default and fallback marked.
Drawn here (matplotlib) and saved beside the record by the ``decide`` verb or the notebook.
"""
from __future__ import annotations

import io

import numpy as np

from workbench.mdr.record import Record
from workbench.ui.plots import pareto_plot

# ------------------------------------------------------------------------------------------------
# the chart saved beside the record
# ------------------------------------------------------------------------------------------------

def _place_labels(ax, items) -> None:
    """Label points without collisions: each label takes the first of a few offsets whose box
    overlaps no label already placed and stays inside the axes; a label that fits nowhere is dropped
    (the point is still drawn; the table names it)."""
    fig = ax.figure
    renderer = fig._get_renderer()
    inside = ax.get_window_extent(renderer)
    placed = []
    offsets = [(5, 5, "left"), (5, -11, "left"), (-5, 5, "right"), (-5, -11, "right"), (5, 16, "left"),
               (5, -22, "left"), (-5, 16, "right"), (-5, -22, "right")]
    for x, y, text in items:
        for dx, dy, ha in offsets:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=7, ha=ha, zorder=6)
            box = t.get_window_extent(renderer).expanded(1.05, 1.15)
            ok = (box.x0 >= inside.x0 and box.x1 <= inside.x1 and box.y0 >= inside.y0 and box.y1 <= inside.y1
                  and not any(box.overlaps(b) for b in placed))
            if ok:
                placed.append(box)
                break
            t.remove()


def decision_chart(record: Record, shortlists: dict):
    """A matplotlib Figure: for each decided step, the shortlist's Pareto view
    (:func:`workbench.ui.plots.pareto_plot`: quality against USD per request, colour = latency, frontier
    ringed) with the record's default (star), fallback (diamond) and other compared candidates (cross)
    marked; one panel per step, stacked (no empty panel), one legend below them all (never over a
    point), labels placed so that they do not collide, cost ticks in plain USD.
    Steps without a candidate that has quality, cost and latency are left out.
    Introduced in ``06_model_decision_record.ipynb``."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    def drawable(res) -> bool:
        r = res.ranked
        return bool((r["quality"].notna() & r["usd_per_request"].notna() & r["typical_latency_s"].notna()).any())

    steps = [d.step for d in record.decisions if d.step in shortlists and drawable(shortlists[d.step])]
    n = max(len(steps), 1)
    fig = Figure(figsize=(8.5, 3.6 * n + 0.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(n, 1)).ravel()
    for ax, step in zip(axes, steps):
        res = shortlists[step]
        pareto_plot(res, ax=ax)
        for t in list(ax.texts):  # pareto_plot's labels may collide; placed again below
            t.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        d = record.decision(step)
        labels = []
        marked = set()
        for c in [c for c in record.candidates if c.step == step]:
            x, y = c.fact("usd_per_request"), c.fact("quality")
            if x is None or y is None:
                continue
            role = "default" if c.offering_id == d.default else "fallback" if c.offering_id == d.fallback else "compared"
            marker, color = {"default": ("*", "crimson"), "fallback": ("D", "darkorange"),
                             "compared": ("X", "dimgray")}[role]
            ax.scatter([x], [y], marker=marker, s=180 if marker == "*" else 90, color=color, edgecolors="black",
                       linewidths=0.6, zorder=5)
            labels.append((x, y, f"{c.model_id} ({role})"))
            marked.add(c.model_id)
        r = res.ranked
        front = r[r["pareto"] & r["quality"].notna() & r["usd_per_request"].notna() & r["typical_latency_s"].notna()]
        labels += [(row.usd_per_request, row.quality, str(row.model_id))
                   for row in front.drop_duplicates("model_id").itertuples() if row.model_id not in marked]
        ax.margins(x=0.12, y=0.14)
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.7f}".rstrip("0").rstrip(".")))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.tick_params(axis="x", labelsize=8)
        fig.draw_without_rendering()
        _place_labels(ax, labels)
    for ax in axes[len(steps):]:
        ax.set_visible(False)
    handles = [Line2D([], [], marker="o", ls="", mfc="none", mec="black", ms=9, label="Pareto frontier (quality, cost, latency)"),
               Line2D([], [], marker="*", ls="", color="crimson", mec="black", ms=13, label="default"),
               Line2D([], [], marker="D", ls="", color="darkorange", mec="black", ms=8, label="fallback"),
               Line2D([], [], marker="X", ls="", color="dimgray", mec="black", ms=9, label="other compared candidate")]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8, frameon=False)
    fig.suptitle(f"{record.number:04d}: quality vs cost of the shortlisted offerings (as_of {record.date.isoformat()})",
                 fontsize=11)
    return fig


def chart_png(figure, dpi: int = 110) -> bytes:
    """A Figure as PNG bytes (for ``IPython.display.Image``: an ``image/png`` output in any backend,
    never ``<Figure size ...>`` text). Introduced in ``06_model_decision_record.ipynb``."""
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()
