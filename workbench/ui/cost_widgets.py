"""The cost dashboard of ``notebooks/03_cost_and_latency.ipynb``: sliders for monthly volume (log
scale), tokens in/out, reasoning tokens, cache-hit share, batch share, success rate, retry cap,
escalation cost, GPU price and GPU utilisation, driving monthly cost, cost per successful task and
the self-hosting break-even for the shortlisted candidates.

As in :mod:`workbench.ui.widgets`: every number comes from the plain function :func:`cost_update`
(unit-tested, returns a user error as text instead of raising, because an exception inside a widget
callback breaks a notebook run); the callback only reads the sliders and calls it. A notebook drives
the dashboard in code (``dash.controls["requests_per_month"].value = 1e6``) and prints
``dash.view`` in a checked cell. ipywidgets and matplotlib are imported inside the functions that
need them. (Kept apart from ``widgets.py`` so that two areas do not edit one file at once.)
"""
from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.costs.breakeven import break_even_table
from workbench.costs.selfhost import (
    SelfHostAssumptions,
    cost_vs_volume,
    gpu_prices,
    selfhost_parameters,
)
from workbench.costs.steps import step_costs, steps_frame
from workbench.errors import WorkbenchError, did_you_mean, fail
from workbench.scenario.load import Step
from workbench.ui.cost_plots import break_even_plot
from workbench.ui.widgets import dashboard_box, figure_png, human_number, human_table, table_html

# name -> (label, min, max, step); requests_per_month is a log-scale slider (min/max are powers of 10)
COST_CONTROLS = {
    "requests_per_month": ("requests / month", 2, 8, 0.05),
    "input_tokens": ("input tokens", 0, 20_000, 50),
    "output_tokens": ("output tokens", 0, 4_000, 10),
    "reasoning_tokens": ("reasoning tokens", 0, 8_000, 50),
    "cached_share": ("cache-hit share", 0.0, 1.0, 0.05),
    "batch_share": ("batch share", 0.0, 1.0, 0.05),
    "success_rate": ("success rate / attempt", 0.05, 1.0, 0.01),
    "max_attempts": ("retry cap (attempts)", 1, 5, 1),
    "usd_per_escalation": ("USD / escalation", 0.0, 20.0, 0.1),
    "usd_per_gpu_hour": ("GPU USD / hour", 0.1, 10.0, 0.01),
    "utilisation": ("GPU utilisation", 0.1, 1.0, 0.05),
}
COST_TABLE_COLUMNS = ("offering_id", "access_mode", "usd_per_request", "usd_per_month_model", "usd_per_month_escalation",
                      "usd_per_month", "usd_per_success")
COST_QUESTION = ("what does this step cost a month and per successful task, and from what monthly volume does "
                 "renting GPUs beat paying an API?")
# what the dashboard shows: column -> (label with its unit, workbench.widgets.human_number kind)
COST_TABLE_LABELS = {
    "offering_id": ("offering", "text"), "access_mode": ("access", "text"),
    "usd_per_request": ("USD / request (retries included)", "usd"),
    "usd_per_month_model": ("USD / month: model calls", "usd"),
    "usd_per_month_escalation": ("USD / month: people (escalations)", "usd"),
    "usd_per_month": ("USD / month: all in", "usd"), "usd_per_success": ("USD / successful task", "usd")}
BREAK_EVEN_LABELS = {
    "api_offering_id": ("API offering", "text"), "api_usd_per_month": ("API: USD / month, model calls", "usd"),
    "selfhosted_offering_id": ("self-hosted offering", "text"), "gpus_needed": ("GPUs needed", "count"),
    "selfhost_usd_per_month": ("self-hosted: USD / month, GPUs + operations", "usd"),
    "break_even_requests_per_month": ("break-even, requests / month", "count"),
    "cheaper_at_volume": ("cheaper at this volume", "text")}
BREAK_EVEN_COLUMNS = ("api_offering_id", "api_usd_per_request", "selfhosted_offering_id", "gpus_needed", "selfhost_usd_per_month",
                      "api_usd_per_month", "break_even_requests_per_month", "cheaper_at_volume")
CURVE_VOLUMES = np.geomspace(1e2, 1e8, 121)


@dataclass
class CostView:
    """What the cost dashboard shows: the cost table, the break-even table, the cost-vs-volume curve
    (long format, :func:`workbench.costs.selfhost.cost_vs_volume`), a summary line, or ``error`` instead."""

    table: pd.DataFrame
    break_even: pd.DataFrame
    curve: pd.DataFrame
    summary: str
    error: str | None = None
    values: dict = field(default_factory=dict)


def cost_defaults(step: Step, gpus: pd.DataFrame | None, selfhosted: pd.DataFrame | None = None,
                  assumptions: SelfHostAssumptions | None = None) -> dict:
    """Starting slider values: the step's own assumptions; the GPU price of the first self-hosted
    offering's GPU from the ``gpus`` table in USD per GPU-hour (or 1.0 when there is none to compare)."""
    a = assumptions or SelfHostAssumptions()
    t, r = step.tokens, step.reliability
    usd_h = 1.0
    if selfhosted is not None and len(selfhosted):
        usd_h = float(gpu_prices(gpus, a.gpu_market).loc[selfhosted["gpu"].iloc[0], "usd_per_hour"])
    return {"requests_per_month": float(step.requests_per_month), "input_tokens": t.input, "output_tokens": t.output,
            "reasoning_tokens": t.reasoning, "cached_share": t.cached_share, "batch_share": t.batch_share,
            "success_rate": r.success_rate, "max_attempts": r.max_attempts,
            "usd_per_escalation": r.usd_per_escalation, "usd_per_gpu_hour": usd_h, "utilisation": a.utilisation}


def what_if_step(step: Step, values: dict) -> Step:
    """The step with the slider values applied; an impossible value is a :class:`WorkbenchError`."""
    v = dict(values)
    unknown = sorted(set(v) - set(COST_CONTROLS))
    if unknown:
        raise fail("cost dashboard", unknown[0], "unknown control", did_you_mean(unknown[0], COST_CONTROLS))
    checks = [("requests_per_month", v.get("requests_per_month", 0) >= 0, "requests per month cannot be negative"),
              ("success_rate", 0 < v.get("success_rate", 1) <= 1, "a success rate lies in (0, 1]"),
              ("max_attempts", v.get("max_attempts", 1) >= 1, "at least one attempt"),
              ("cached_share", 0 <= v.get("cached_share", 0) <= 1 - step.tokens.cache_write_share,
               "the cache-hit share plus the cache-write share must be at most 1"),
              ("batch_share", 0 <= v.get("batch_share", 0) <= 1, "a share lies in 0..1")]
    for key, ok, msg in checks:
        if not ok:
            raise fail("cost dashboard", key, msg, "move the slider back into range", value=v.get(key))
    t = step.tokens
    tok = dataclasses.replace(t, input=int(v.get("input_tokens", t.input)), output=int(v.get("output_tokens", t.output)),
                              reasoning=int(v.get("reasoning_tokens", t.reasoning)),
                              cached_share=float(v.get("cached_share", t.cached_share)),
                              batch_share=float(v.get("batch_share", t.batch_share)))
    rel = dataclasses.replace(step.reliability, success_rate=float(v.get("success_rate", step.reliability.success_rate)),
                              max_attempts=int(v.get("max_attempts", step.reliability.max_attempts)),
                              usd_per_escalation=float(v.get("usd_per_escalation", step.reliability.usd_per_escalation)))
    return dataclasses.replace(step, tokens=tok, reliability=rel,
                               requests_per_month=int(round(v.get("requests_per_month", step.requests_per_month))))


def cost_update(offers: pd.DataFrame, gpus: pd.DataFrame | None, step: Step, values: dict,
                volumes=CURVE_VOLUMES) -> CostView:
    """All numbers of the cost dashboard for ``offers`` (API candidates and self-hosted offerings) at the
    slider ``values`` (:data:`COST_CONTROLS` keys): USD per request, per month and per success, the
    break-even of every API candidate against every self-hosted offering, and the cost-vs-volume curve.
    A :class:`WorkbenchError` becomes ``view.error`` (the callback never raises). Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    try:
        st = what_if_step(step, values)
        a = SelfHostAssumptions(utilisation=float(values.get("utilisation", SelfHostAssumptions.utilisation)),
                                usd_per_gpu_hour=values.get("usd_per_gpu_hour"))
        costs = step_costs(offers, steps_frame([st]), gpus, selfhost=a)
        be = break_even_table(offers, st, gpus, a)
        api = costs[costs["access_mode"] != "self-hosted"][["offering_id", "usd_per_request"]]
        selfh = offers[offers["access_mode"] == "self-hosted"]
        params = selfhost_parameters(selfh, st, gpus, a) if len(selfh) else pd.DataFrame()
        curve = cost_vs_volume(np.union1d(np.asarray(volumes, float), [float(st.requests_per_month)]), api, params)
    except WorkbenchError as e:
        empty = pd.DataFrame()
        return CostView(empty, empty, empty, "", error=str(e), values=dict(values))
    table = costs[list(COST_TABLE_COLUMNS)].reset_index(drop=True)
    cheapest = table.loc[table["usd_per_success"].idxmin()] if table["usd_per_success"].notna().any() else None
    summary = f"{st.requests_per_month:,} requests/month"
    if cheapest is not None:
        summary += (f"; cheapest per successful task: {cheapest['offering_id']} at "
                    f"{cheapest['usd_per_success']:.4f} USD\n({human_number(cheapest['usd_per_month'], 'usd')} USD/month "
                    f"all in: {human_number(cheapest['usd_per_month_model'], 'usd')} model calls + "
                    f"{human_number(cheapest['usd_per_month_escalation'], 'usd')} people)")
    return CostView(table, be[list(BREAK_EVEN_COLUMNS)].reset_index(drop=True), curve, summary, values=dict(values))


@dataclass
class CostDashboard:
    """The widget (``box``), its controls by name, and the latest :class:`CostView` (``view``)."""

    box: object
    controls: dict
    view: CostView


def cost_widget(offers: pd.DataFrame, gpus: pd.DataFrame | None, step: Step, values: dict | None = None,
                plot: bool = True) -> CostDashboard:
    """Sliders over :func:`cost_update` with the tables and the break-even chart
    (:func:`workbench.ui.cost_plots.break_even_plot`) below them. Introduced in ``03_cost_and_latency.ipynb``."""
    import ipywidgets as w

    selfh = offers[offers["access_mode"] == "self-hosted"]
    start = dict(cost_defaults(step, gpus, selfh) if values is None else values)
    controls = {}
    for name, (label, lo, hi, inc) in COST_CONTROLS.items():
        style = {"description_width": "160px"}
        layout = w.Layout(width="460px")
        if name == "requests_per_month":
            c = w.FloatLogSlider(value=start[name], base=10, min=lo, max=hi, step=inc, description=label,
                                 readout_format=",.0f", style=style, layout=layout)
        elif isinstance(inc, int) and not isinstance(inc, bool) and isinstance(lo, int):
            c = w.IntSlider(value=int(start[name]), min=lo, max=hi, step=inc, description=label, style=style, layout=layout)
        else:
            c = w.FloatSlider(value=float(start[name]), min=lo, max=hi, step=inc, description=label, style=style,
                              layout=layout, readout_format=".2f")
        controls[name] = c
    summary, tables, chart = w.HTML(), w.HTML(), w.Image(format="png", layout=w.Layout(max_width="100%"))
    dash = CostDashboard(box=None, controls=controls, view=cost_update(offers, gpus, step, start))

    def show():
        """Redraw: each part is one widget value set whole. (Appending to an ``Output`` widget, as this
        did before, sent one update per item after a clear; JupyterLab renders those asynchronously,
        so quick slider moves could leave the chart drawn twice.)"""
        v = dash.view
        if v.error:
            summary.value, tables.value, chart.value = f"<b>error</b>: {html.escape(v.error)}", "", b""
            return
        summary.value = html.escape(v.summary).replace("\n", "<br>")
        tables.value = (table_html(human_table(v.table, COST_TABLE_LABELS))
                        + "<p><b>Self-hosting break-even</b> (model cost only; people cost the same either way)</p>"
                        + table_html(human_table(v.break_even, BREAK_EVEN_LABELS)))
        if plot:
            chart.value = figure_png(break_even_plot(v.curve, volume=v.values["requests_per_month"],
                                                     break_even=v.break_even))

    def on_change(_change):
        dash.view = cost_update(offers, gpus, step, {k: c.value for k, c in controls.items()})
        show()

    for c in controls.values():
        c.observe(on_change, names="value")
    dash.box = dashboard_box("Cost dashboard", COST_QUESTION, [
        w.HBox([w.VBox(list(controls.values())[:6]), w.VBox(list(controls.values())[6:])]), summary, tables,
        *([chart] if plot else [])])
    show()
    return dash
