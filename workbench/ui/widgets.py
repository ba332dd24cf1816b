"""ipywidgets dashboards over the workbench's functions. ipywidgets is imported inside the
functions that build widgets, so ``import workbench`` never needs it.

The rule for every dashboard here: all numbers come from a *plain* function of the widget values
(``shortlist_update`` for the shortlist) that has its own unit tests and catches user-input errors
(it returns them as text instead of raising, since an exception inside a widget callback breaks a
notebook run). The widget callback only reads the values, calls that function and shows the result.
A notebook drives a dashboard in code (``dash.controls["cost"].value = 0.6``) and prints
``dash.view`` in a checked cell.

Each area keeps its dashboard in clearly named functions (shortlist: :func:`shortlist_update`,
:func:`shortlist_widget`, :class:`ShortlistDashboard`).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from workbench.catalog.licences import browse
from workbench.catalog.load import Catalog
from workbench.errors import WorkbenchError
from workbench.routing.availability import chain_members
from workbench.routing.report import routing_whatif
from workbench.scenario.load import Scenario
from workbench.shortlist.constraints import with_constraints
from workbench.shortlist.pool import Candidates, candidates
from workbench.shortlist.ranking import ShortlistResult, shortlist
from workbench.ui.plots import pareto_plot

# --------------------------------------------------------------------------------------------
# shortlist (notebook 02)
# --------------------------------------------------------------------------------------------

# constraint toggles the shortlist dashboard offers: scenario-wide ones, then the step's capabilities
SHORTLIST_SCENARIO_TOGGLES = ("gpu_operations", "no_training_on_prompts", "zero_data_retention", "regions",
                              "commercial_use")
SHORTLIST_STEP_TOGGLES = ("structured_outputs", "tool_calling", "prompt_caching", "batch_api")
SHORTLIST_TOGGLE_LABELS = {
    "gpu_operations": "team runs GPUs (allow self-hosting)",
    "no_training_on_prompts": "no training on prompts",
    "zero_data_retention": "zero data retention",
    "regions": "data stays in the scenario's regions",
    "commercial_use": "commercial use allowed",
    "structured_outputs": "step needs structured outputs",
    "tool_calling": "step needs tool calling",
    "prompt_caching": "step needs prompt caching",
    "batch_api": "step needs a batch API",
}
SHORTLIST_TABLE_COLUMNS = ("rank", "offering_id", "score", "quality", "usd_per_request", "typical_latency_s",
                           "pareto", "p_first", "p_top3")


@dataclass
class ShortlistView:
    """What the shortlist dashboard shows: the full result, the top-N ranked table, the
    "why excluded" table, a one-line summary, or ``error`` (the readable message) instead."""

    result: ShortlistResult | None
    table: pd.DataFrame
    why_excluded: pd.DataFrame
    summary: str
    error: str | None = None
    values: dict = field(default_factory=dict)


def shortlist_toggles(scenario: Scenario, step: str | None = None) -> dict[str, bool]:
    """The dashboard's constraint toggles as the scenario file sets them (on/off) for a step."""
    st = scenario.step(step)
    sc = scenario.constraints
    out = {"gpu_operations": sc.gpu_operations, "no_training_on_prompts": sc.no_training_on_prompts,
           "zero_data_retention": sc.zero_data_retention, "regions": bool(sc.regions),
           "commercial_use": sc.commercial_use}
    out.update({k: bool(getattr(st.constraints, k)) for k in SHORTLIST_STEP_TOGGLES})
    return out


def shortlist_toggle_changes(scenario: Scenario, toggles: dict[str, bool]) -> dict:
    """Turn the dashboard's on/off toggles into :func:`~workbench.shortlist.with_constraints`
    arguments: a step capability off means "no requirement" (None); ``regions`` on means the
    scenario's own regions (off: any region; on when the scenario names none: no effect)."""
    changes = {}
    for k, on in toggles.items():
        if k in SHORTLIST_STEP_TOGGLES:
            changes[k] = True if on else None
        elif k == "regions":
            changes[k] = tuple(scenario.constraints.regions) if on else ()
        else:
            changes[k] = bool(on)
    return changes


def shortlist_update(source: Catalog | Candidates, scenario: Scenario, step: str | None = None,
                     quality: float = 0.5, cost: float = 0.3, latency: float = 0.2,
                     toggles: dict[str, bool] | None = None, top: int = 10, **options) -> ShortlistView:
    """Everything the shortlist dashboard shows, from its values: the step, the three weights
    (any non-negative numbers; they are divided by their sum), the constraint toggles
    (:func:`shortlist_toggles` names them; missing ones keep the scenario's setting) and ``top``.
    ``options`` go to :func:`~workbench.shortlist.shortlist` (seed, samples, normalisation...).
    A :class:`~workbench.errors.WorkbenchError` (all weights zero, an unknown toggle) comes back as
    ``view.error`` instead of being raised. No I/O. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``.
    """
    values = {"step": step, "quality": quality, "cost": cost, "latency": latency, "toggles": dict(toggles or {}),
              "top": top}
    try:
        scen = scenario
        if toggles:
            scen = with_constraints(scenario, step, **shortlist_toggle_changes(scenario, toggles))
        res = shortlist(source, scen, step, weights={"quality": quality, "cost": cost, "latency": latency}, **options)
    except WorkbenchError as e:
        empty = pd.DataFrame()
        return ShortlistView(None, empty, empty, f"error: {e}", error=str(e), values=values)
    table = res.top(top, SHORTLIST_TABLE_COLUMNS)
    scored = res.scored
    lead = (f"rank 1: {scored['offering_id'].iloc[0]} (score {scored['score'].iloc[0]:.3f}, "
            f"P(rank 1) {scored['p_first'].iloc[0]:.2f})" if len(scored) else "no candidate could be scored")
    summary = (f"{res.step}: {len(res.ranked)} passed ({len(scored)} scored), {len(res.excluded)} excluded; "
               f"{int(res.ranked['pareto'].sum())} on the Pareto frontier; {lead}")
    return ShortlistView(res, table, res.why_excluded(top), summary, values=values)


class ShortlistDashboard:
    """The shortlist dashboard: a step selector, three weight sliders and constraint toggles
    driving the ranked table, the "why excluded" table and the Pareto plot.

    ``box`` is the widget to display; ``controls`` maps ``"step"``, ``"quality"``, ``"cost"``,
    ``"latency"`` and each toggle name to its widget; ``view`` is the latest
    :class:`ShortlistView`. Changing a control calls :meth:`on_change`, which calls
    :func:`shortlist_update` and redraws. Build it with :func:`shortlist_widget`.
    """

    def __init__(self, source: Catalog | Candidates, scenario: Scenario, step: str | None = None, top: int = 10,
                 plot: bool = True, **options):
        import ipywidgets as w

        self.candidates = source if isinstance(source, Candidates) else candidates(source)
        self.scenario = scenario
        self.top = top
        self.plot = plot
        self.options = options
        self._hold = False
        first = scenario.step(step)
        weights = scenario.weights_for(first)
        slider = dict(min=0.0, max=1.0, step=0.05, continuous_update=False, readout_format=".2f",
                      style={"description_width": "70px"})
        self.controls = {
            "step": w.Dropdown(options=[s.name for s in scenario.workflow], value=first.name, description="step"),
            "quality": w.FloatSlider(value=weights["quality"], description="quality", **slider),
            "cost": w.FloatSlider(value=weights["cost"], description="cost", **slider),
            "latency": w.FloatSlider(value=weights["latency"], description="latency", **slider),
        }
        for k, on in shortlist_toggles(scenario, first.name).items():
            self.controls[k] = w.Checkbox(value=on, description=SHORTLIST_TOGGLE_LABELS[k], indent=False)
        self.summary = w.HTML()
        self.out_table, self.out_excluded, self.out_plot = w.Output(), w.Output(), w.Output()
        toggles = [self.controls[k] for k in (*SHORTLIST_SCENARIO_TOGGLES, *SHORTLIST_STEP_TOGGLES)]
        tabs = w.Tab(children=[self.out_table, self.out_excluded, self.out_plot])
        for i, title in enumerate(("ranked", "why excluded", "Pareto plot")):
            tabs.set_title(i, title)
        self.box = w.VBox([
            w.HBox([self.controls["step"], w.VBox([self.controls[k] for k in ("quality", "cost", "latency")])]),
            w.GridBox(toggles, layout=w.Layout(grid_template_columns="repeat(3, 320px)")),
            self.summary, tabs])
        for name, c in self.controls.items():
            c.observe(self.on_change, names="value")
        self.view: ShortlistView = self.refresh()

    def values(self) -> dict:
        """The current widget values, as :func:`shortlist_update` takes them."""
        c = self.controls
        return {"step": c["step"].value, "quality": c["quality"].value, "cost": c["cost"].value,
                "latency": c["latency"].value,
                "toggles": {k: bool(c[k].value) for k in (*SHORTLIST_SCENARIO_TOGGLES, *SHORTLIST_STEP_TOGGLES)}}

    def on_change(self, change: dict | None = None) -> None:
        """The widget callback: a new step resets the sliders and the step's capability toggles to
        that step's settings (scenario-wide toggles stay as set); any change recomputes and redraws
        (errors are shown, never raised)."""
        if self._hold:
            return
        if change is not None and change.get("owner") is self.controls["step"]:
            self._hold = True
            try:
                st = self.scenario.step(change["new"])
                for k, v in self.scenario.weights_for(st).items():
                    self.controls[k].value = v
                for k in SHORTLIST_STEP_TOGGLES:
                    self.controls[k].value = shortlist_toggles(self.scenario, st.name)[k]
            finally:
                self._hold = False
        self.view = self.refresh()

    def refresh(self) -> ShortlistView:
        """Recompute from the current values and redraw the three outputs. The outputs are set as
        widget state (``Output.outputs``), not printed inside ``with output:``, so nothing leaks
        into the notebook cell that changed a control (which would break nbval's comparison)."""
        view = shortlist_update(self.candidates, self.scenario, top=self.top, **self.values(), **self.options)
        self.view = view
        self.summary.value = _html_escape(view.summary)
        for out in (self.out_table, self.out_excluded, self.out_plot):
            out.outputs = ()
        if view.error:
            self.out_table.append_stdout(view.error + "\n")
            return view
        self.out_table.append_display_data(view.table)
        self.out_excluded.append_display_data(view.why_excluded)
        if self.plot:
            self.out_plot.append_display_data(pareto_plot(view.result))
        return view


def _html_escape(text: str) -> str:
    return html.escape(text)


def shortlist_widget(source: Catalog | Candidates, scenario: Scenario, step: str | None = None, top: int = 10,
                     plot: bool = True, **options) -> ShortlistDashboard:
    """Build the shortlist dashboard (display ``dash.box``; drive it with ``dash.controls[...]``;
    read ``dash.view``). ``options`` go to :func:`~workbench.shortlist.shortlist`. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``."""
    return ShortlistDashboard(source, scenario, step, top, plot, **options)


# --------------------------------------------------------------------------------------------
# catalog browser (notebook 00)
# --------------------------------------------------------------------------------------------

@dataclass
class CatalogBrowser:
    """Three dropdowns (openness, access mode, model type) driving a table of offerings with their
    source and as_of. The numbers come from the plain function :func:`workbench.catalog.licences.browse`;
    drive it in code with ``b.controls["openness"].value = "open-weight"`` and read ``b.table``.
    Build it with :func:`catalog_browser`."""

    catalog: Catalog
    top: int = 12
    controls: dict = field(default_factory=dict)
    table: pd.DataFrame | None = None

    def __post_init__(self):
        import ipywidgets as w

        m, o = self.catalog.models, self.catalog.offerings
        opts = lambda values: ["all", *sorted(values.dropna().unique())]
        self.controls = {
            "openness": w.Dropdown(options=opts(m["openness"]), value="all", description="openness"),
            "access_mode": w.Dropdown(options=opts(o["access_mode"]), value="all", description="access mode"),
            "model_type": w.Dropdown(options=opts(m["model_type"]), value="all", description="model type"),
        }
        self.count = w.HTML()
        self.out = w.Output()
        self.box = w.VBox([w.HBox(list(self.controls.values())), self.count, self.out])
        for c in self.controls.values():
            c.observe(self.on_change, names="value")
        self.on_change()

    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items()}

    def on_change(self, change: dict | None = None) -> None:
        """The widget callback: filter with :func:`browse` and redraw (as widget state, so nothing
        leaks into the cell that changed a control)."""

        full = browse(self.catalog, **self.values())
        self.table = full.head(self.top)
        self.count.value = f"{len(full)} offerings match; the {min(self.top, len(full))} cheapest by output price:"
        self.out.outputs = ()
        self.out.append_display_data(self.table)


def catalog_browser(catalog: Catalog, top: int = 12) -> CatalogBrowser:
    """Build the catalog browser (display ``b.box``). Introduced in ``00_start_here.ipynb``."""
    return CatalogBrowser(catalog, top)


# --------------------------------------------------------------------------------------------
# routing and fallbacks (notebook 05)
# --------------------------------------------------------------------------------------------

@dataclass
class RoutingView:
    """What the routing dashboard shows: ``totals`` (cost per month, availability, downtime),
    ``routes`` (per route: share, chain, availability), a one-line ``summary``, or ``error``."""

    totals: dict
    routes: pd.DataFrame
    summary: str
    error: str | None = None
    values: dict = field(default_factory=dict)


def routing_update(config, scenario: Scenario, catalog: Catalog, mix: dict, provider_availability: dict | None = None
                   ) -> RoutingView:
    """Everything the routing dashboard shows, from its values: ``mix`` (route -> share of traffic,
    any non-negative numbers) and ``provider_availability`` (provider -> availability, 0..1), through
    :func:`workbench.routing.routing_whatif`. A :class:`~workbench.errors.WorkbenchError` (every share
    zero, an unknown route) comes back as ``view.error``. No I/O."""

    values = {"mix": dict(mix), "provider_availability": dict(provider_availability or {})}
    try:
        w = routing_whatif(config, scenario, catalog, mix, provider_availability)
    except WorkbenchError as e:
        return RoutingView({}, pd.DataFrame(), f"error: {e}", error=str(e), values=values)
    totals = {k: v for k, v in w.items() if k != "routes"}
    summary = (f"{w['usd_per_month']:,.2f} USD/month ({w['usd_per_month_models']:,.2f} models, "
               f"{w['usd_per_month_human']:,.2f} people, {w['usd_per_month_fallback_extra']:,.4f} extra when a "
               f"fallback serves); availability {w['availability']:.6f} = {w['downtime_min_per_month']:,.1f} "
               "minutes of downtime a month")
    return RoutingView(totals, w["routes"], summary, values=values)


class RoutingDashboard:
    """Sliders for the traffic mix (percent of requests per route) and each provider's availability
    (percent) driving monthly cost and availability (:func:`routing_update`). ``box`` is the widget
    to display; ``controls`` maps ``"mix:<route>"`` and ``"provider:<name>"`` to sliders; ``view`` is
    the latest :class:`RoutingView`. Build it with :func:`routing_widget`."""

    def __init__(self, config, scenario: Scenario, catalog: Catalog, mix: dict):
        import ipywidgets as w

        self.config, self.scenario, self.catalog = config, scenario, catalog
        style = {"description_width": "110px"}
        self.controls = {f"mix:{r}": w.FloatSlider(value=round(100 * float(mix.get(r, 0.0)), 1), min=0, max=100,
                                                   step=0.5, description=f"{r} %", continuous_update=False, style=style)
                         for r in config.routes}
        providers = []
        for r in config.routes.values():
            if r.chain:
                providers += list(chain_members(r.chain, catalog, config.availability)[0]["provider"])
        for p in dict.fromkeys(providers):
            self.controls[f"provider:{p}"] = w.FloatSlider(
                value=round(100 * config.availability.provider(p), 3), min=99.0, max=100.0, step=0.01,
                readout_format=".2f", description=f"{p} up %", continuous_update=False, style=style)
        self.summary = w.HTML()
        self.out = w.Output()
        mix_box = w.VBox([c for k, c in self.controls.items() if k.startswith("mix:")])
        prov_box = w.VBox([c for k, c in self.controls.items() if k.startswith("provider:")])
        self.box = w.VBox([w.HBox([mix_box, prov_box]), self.summary, self.out])
        for c in self.controls.values():
            c.observe(self.on_change, names="value")
        self.view: RoutingView = self.on_change()

    def values(self) -> dict:
        """The current slider values, as :func:`routing_update` takes them (percent -> share)."""
        c = self.controls
        return {"mix": {k[4:]: c[k].value / 100 for k in c if k.startswith("mix:")},
                "provider_availability": {k[9:]: c[k].value / 100 for k in c if k.startswith("provider:")}}

    def on_change(self, change: dict | None = None) -> RoutingView:
        """The widget callback: recompute and redraw (as widget state; errors are shown, never raised)."""
        self.view = routing_update(self.config, self.scenario, self.catalog, **self.values())
        self.summary.value = _html_escape(self.view.summary)
        self.out.outputs = ()
        if not self.view.error:
            self.out.append_display_data(self.view.routes)
        return self.view


def routing_widget(config, scenario: Scenario, catalog: Catalog, mix: dict) -> RoutingDashboard:
    """Build the routing dashboard (display ``dash.box``; drive it with
    ``dash.controls["mix:strong"].value = 20``; read ``dash.view``). ``mix`` sets the starting
    traffic mix (route -> share). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    return RoutingDashboard(config, scenario, catalog, mix)
