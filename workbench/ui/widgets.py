"""ipywidgets dashboards over the workbench's functions. ipywidgets is imported inside the
functions that build widgets, so ``import workbench`` never needs it.

The rule for every dashboard here: all numbers come from a *plain* function of the widget values
(``shortlist_update`` for the shortlist) that has its own unit tests and catches user-input errors
(it returns them as text instead of raising, since an exception inside a widget callback breaks a
notebook run). The widget callback only reads the values, calls that function and shows the result.
A notebook drives a dashboard in code (``dash.controls["cost"].value = 0.6``) and prints
``dash.view`` in a checked cell.

Every dashboard's outer box (:func:`dashboard_box`) states the question it helps answer, carries
the CSS class ``workbench-dashboard`` (the browser test finds it by that) and reads, as plain text
(a notebook opened before it is run, or not trusted), as one line saying to run the cells above
instead of a ``VBox(children=...)`` repr. Numbers are shown formatted for people
(:func:`human_table`); charts are ``Image`` widgets and tables ``HTML`` widgets whose values are
replaced whole, so a redraw is one state update and a chart can never be shown twice.

Each area keeps its dashboard in clearly named functions (shortlist: :func:`shortlist_update`,
:func:`shortlist_widget`, :class:`ShortlistDashboard`).
"""
from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field

import pandas as pd

from workbench.catalog.licences import browse
from workbench.catalog.load import Catalog
from workbench.errors import WorkbenchError, fail
from workbench.mdr.record import short_source
from workbench.routing.availability import chain_members
from workbench.routing.report import routing_whatif
from workbench.scenario.load import Scenario
from workbench.shortlist.constraints import with_constraints
from workbench.shortlist.pool import Candidates, candidates
from workbench.shortlist.ranking import ShortlistResult, shortlist
from workbench.ui.plots import pareto_plot

# --------------------------------------------------------------------------------------------
# shared by every dashboard: the outer box, numbers for people, tables and charts as widget values
# --------------------------------------------------------------------------------------------

DASHBOARD_CLASS = "workbench-dashboard"
NOT_RUN_TEXT = "{title}: run the cells above to get the dashboard."


def dashboard_box(title: str, question: str, children: list):
    """The outer box of a dashboard: a heading with ``title`` and the ``question`` it helps answer,
    then ``children``. Its plain-text form (what a notebook shows before the cell runs, or when the
    notebook is not trusted) is the one line :data:`NOT_RUN_TEXT`, not a widget repr."""
    import ipywidgets as w

    class DashboardBox(w.VBox):
        def __repr__(self):
            return NOT_RUN_TEXT.format(title=title)

    head = w.HTML(f"<b>{html.escape(title)}</b>: {html.escape(question)}")
    box = DashboardBox([head, *children])
    box.add_class(DASHBOARD_CLASS)
    return box


def human_number(v, kind: str = "number") -> str:
    """One value as a person reads it: ``count`` 15047120 -> "15,047,120"; ``usd`` 4240.740628 ->
    "4,241", 12.3456 -> "12.35", 0.00018453 -> "0.000185", 0.30 -> "0.3" (up to three significant digits
    below 1, never an exponent); ``pct`` 0.8123 -> "81.2 %"; ``availability`` 0.9999812 -> "99.9981 %"; ``number``
    1466.2 -> "1,466", 0.93271 -> "0.933"; ``score`` 0.5 -> "0.500"; ``seconds`` 2.799 -> "2.8 s";
    ``yesno`` True -> "yes";
    missing (None, NaN) -> "–"."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return "–"
    if kind == "text":
        return str(v)
    if kind == "yesno":
        return "yes" if bool(v) else "no"
    x = float(v)
    if kind == "count":
        return f"{round(x):,}"
    if kind == "pct":
        return f"{100 * x:.1f} %"
    if kind == "availability":
        return f"{100 * x:.4f} %"
    if kind == "seconds":
        return f"{x:,.1f} s"
    if kind == "score":
        return f"{x:.3f}"
    if kind in ("usd", "number"):
        a = abs(x)
        if a >= 100:
            return f"{x:,.0f}"
        if a >= 1 or a == 0:
            return f"{x:,.2f}"
        digits = 2 - math.floor(math.log10(a))  # three significant digits, trailing zeros dropped
        return f"{x:.{digits}f}".rstrip("0")
    raise fail("dashboard table", f"kind '{kind}'", "unknown number format",
               "use count, usd, pct, availability, number, score, seconds, yesno or text")


def human_table(df: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The ``columns`` of ``df`` (name -> (label with its unit, :func:`human_number` kind)) as strings
    for people, in that order, labelled."""
    out = pd.DataFrame(index=range(len(df)))
    for name, (label, kind) in columns.items():
        out[label] = [human_number(v, kind) for v in df[name].tolist()]
    return out


def table_html(table: pd.DataFrame, wrap: tuple[str, ...] = ()) -> str:
    """A small HTML table of strings (from :func:`human_table`): every value escaped, numbers right-aligned,
    the ``wrap`` columns allowed to wrap (" | " starts a new line), the others kept on one line."""
    if table.empty:
        return "<i>(no rows)</i>"
    numeric = {c: all(ch in "0123456789,.-–% s" for ch in "".join(table[c])) for c in table.columns}
    cell = ("<{t} style='text-align:{a};padding:2px 8px;white-space:{ws};vertical-align:top'>{v}</{t}>")
    head = "".join(cell.format(t="th", a="right" if numeric[c] else "left", ws="normal", v=html.escape(str(c)))
                   for c in table.columns)
    rows = []
    for r in table.itertuples(index=False):
        tds = []
        for c, v in zip(table.columns, r):
            text = html.escape(str(v))
            if c in wrap:
                text = text.replace(" | ", "<br>")
            tds.append(cell.format(t="td", a="right" if numeric[c] else "left",
                                   ws="normal;max-width:320px;overflow-wrap:anywhere" if c in wrap else "nowrap",
                                   v=text))
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (f"<table style='border-collapse:collapse;font-size:12px;line-height:1.35'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def figure_png(fig) -> bytes:
    """A matplotlib figure as PNG bytes, for an ``ipywidgets.Image`` (set whole, in one update)."""

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return buf.getvalue()


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
SHORTLIST_QUESTION = ("which offerings pass this step's hard constraints, and how does their ranking change "
                      "with your weights and constraints?")
# what the dashboard's tables show: column -> (label with its unit, human_number kind)
SHORTLIST_TABLE_LABELS = {
    "rank": ("rank", "count"), "offering_id": ("offering", "text"), "score": ("score (0-1)", "score"),
    "quality": ("quality", "number"), "usd_per_request": ("USD / request", "usd"),
    "typical_latency_s": ("typical latency", "seconds"), "pareto": ("Pareto", "yesno"),
    "p_first": ("P(rank 1)", "pct"), "p_top3": ("P(top 3)", "pct")}
SHORTLIST_EXCLUDED_LABELS = {"offering_id": ("offering", "text"), "n_reasons": ("reasons", "count"),
                             "reasons": ("why excluded", "text")}


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
               f"{int(res.ranked['pareto'].sum())} on the Pareto frontier\n{lead}")
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
        self.table_html, self.excluded_html = w.HTML(), w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="100%"))
        toggles = [self.controls[k] for k in (*SHORTLIST_SCENARIO_TOGGLES, *SHORTLIST_STEP_TOGGLES)]
        tabs = w.Tab(children=[self.table_html, self.excluded_html, self.chart] if plot else
                     [self.table_html, self.excluded_html])
        for i, title in enumerate(("ranked", "why excluded", "Pareto plot")[:len(tabs.children)]):
            tabs.set_title(i, title)
        self.box = dashboard_box("Shortlist dashboard", SHORTLIST_QUESTION, [
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
        """Recompute from the current values and redraw: each table and the chart is one widget value
        set whole (nothing printed, so nothing leaks into the notebook cell that changed a control)."""
        view = shortlist_update(self.candidates, self.scenario, top=self.top, **self.values(), **self.options)
        self.view = view
        self.summary.value = _html_escape(view.summary).replace("\n", "<br>")
        if view.error:
            self.table_html.value = f"<b>error</b>: {_html_escape(view.error)}"
            self.excluded_html.value = ""
            self.chart.value = b""
            return view
        self.table_html.value = table_html(human_table(view.table, SHORTLIST_TABLE_LABELS))
        self.excluded_html.value = table_html(human_table(view.why_excluded, SHORTLIST_EXCLUDED_LABELS),
                                              wrap=(SHORTLIST_EXCLUDED_LABELS["reasons"][0],))
        if self.plot:
            self.chart.value = figure_png(pareto_plot(view.result))
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

CATALOG_QUESTION = ("which offerings have this openness, access mode and model type, what do the cheapest "
                    "charge, and where does each price come from?")
CATALOG_TABLE_LABELS = {
    "offering_id": ("offering", "text"), "access_mode": ("access", "text"),
    "usd_per_mtok_in": ("USD / M input tokens", "usd"), "usd_per_mtok_out": ("USD / M output tokens", "usd"),
    "output_tokens_per_s": ("output tokens / s", "number"), "source": ("price source (short)", "text"),
    "as_of": ("as of", "text")}


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
        self.table_html = w.HTML()
        self.box = dashboard_box("Catalog browser", CATALOG_QUESTION,
                                 [w.HBox(list(self.controls.values())), self.count, self.table_html])
        for c in self.controls.values():
            c.observe(self.on_change, names="value")
        self.on_change()

    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items()}

    def on_change(self, change: dict | None = None) -> None:
        """The widget callback: filter with :func:`browse` and redraw (one widget value, so nothing
        leaks into the cell that changed a control)."""

        full = browse(self.catalog, **self.values())
        self.table = full.head(self.top)
        self.count.value = f"{len(full)} offerings match; the {min(self.top, len(full))} cheapest by output price:"

        shown = self.table.assign(source=self.table["source"].map(short_source))  # the full text: b.table
        self.table_html.value = table_html(human_table(shown, CATALOG_TABLE_LABELS),
                                           wrap=(CATALOG_TABLE_LABELS["source"][0],))


def catalog_browser(catalog: Catalog, top: int = 12) -> CatalogBrowser:
    """Build the catalog browser (display ``b.box``). Introduced in ``00_start_here.ipynb``."""
    return CatalogBrowser(catalog, top)


# --------------------------------------------------------------------------------------------
# routing and fallbacks (notebook 05)
# --------------------------------------------------------------------------------------------

ROUTING_QUESTION = ("how do the traffic mix and a provider's bad month change what the routed system costs "
                    "a month and how long it is down?")
ROUTING_TABLE_LABELS = {
    "route": ("route", "text"), "share": ("share of requests", "pct"), "chain": ("chain (primary > fallback)", "text"),
    "availability": ("availability", "availability"),
    "availability_if_independent": ("if failures were independent", "availability"),
    "fallback_share": ("served by a fallback", "pct")}


def mix_note(mix: dict) -> str:
    """What the dashboard does with traffic-mix sliders (route -> share, any non-negative numbers)
    that do not add up to 1: each is divided by their total, and the note says so with the shares
    used. Introduced in ``05_routing_and_fallbacks.ipynb``."""
    total = sum(v for v in mix.values() if v > 0)
    if total <= 0:
        return "traffic mix: every slider is at 0 %; give at least one route a share."
    if abs(total - 1) < 5e-4:
        return "traffic mix: the sliders add up to 100 %."
    used = ", ".join(f"{r} {human_number(v / total, 'pct')}" for r, v in mix.items())
    return (f"traffic mix: the sliders add up to {human_number(total, 'pct')}, not 100 %, so each is divided by "
            f"{total:.3g}.\nshares used: {used}.")


@dataclass
class RoutingView:
    """What the routing dashboard shows: ``totals`` (cost per month, availability, downtime),
    ``routes`` (per route: share, chain, availability), a ``summary``, or ``error``; ``mix_note``
    says how the traffic-mix sliders were rescaled (:func:`mix_note`)."""

    totals: dict
    routes: pd.DataFrame
    summary: str
    error: str | None = None
    values: dict = field(default_factory=dict)
    mix_note: str = ""


def routing_update(config, scenario: Scenario, catalog: Catalog, mix: dict, provider_availability: dict | None = None
                   ) -> RoutingView:
    """Everything the routing dashboard shows, from its values: ``mix`` (route -> share of traffic,
    any non-negative numbers) and ``provider_availability`` (provider -> availability, 0..1), through
    :func:`workbench.routing.routing_whatif`. A :class:`~workbench.errors.WorkbenchError` (every share
    zero, an unknown route) comes back as ``view.error``. No I/O."""

    values = {"mix": dict(mix), "provider_availability": dict(provider_availability or {})}
    note = mix_note(mix)
    try:
        w = routing_whatif(config, scenario, catalog, mix, provider_availability)
    except WorkbenchError as e:
        return RoutingView({}, pd.DataFrame(), f"error: {e}", error=str(e), values=values, mix_note=note)
    totals = {k: v for k, v in w.items() if k != "routes"}
    summary = (f"{w['usd_per_month']:,.2f} USD/month: {w['usd_per_month_models']:,.2f} models, "
               f"{w['usd_per_month_human']:,.2f} people, {w['usd_per_month_fallback_extra']:,.4f} extra when a "
               f"fallback serves\navailability {human_number(w['availability'], 'availability')} = "
               f"{w['downtime_min_per_month']:,.1f} minutes of downtime a month")
    return RoutingView(totals, w["routes"], summary, values=values, mix_note=note)


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
        self.mix_note, self.summary, self.routes_html = w.HTML(), w.HTML(), w.HTML()
        mix_box = w.VBox([c for k, c in self.controls.items() if k.startswith("mix:")])
        prov_box = w.VBox([c for k, c in self.controls.items() if k.startswith("provider:")])
        self.box = dashboard_box("Routing dashboard", ROUTING_QUESTION,
                                 [w.HBox([mix_box, prov_box]), self.mix_note, self.summary, self.routes_html])
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
        values = self.values()
        self.view = routing_update(self.config, self.scenario, self.catalog, **values)
        self.mix_note.value = _html_escape(self.view.mix_note).replace("\n", "<br>")
        self.summary.value = _html_escape(self.view.summary).replace("\n", "<br>")
        self.routes_html.value = "" if self.view.error else table_html(human_table(self.view.routes,
                                                                                   ROUTING_TABLE_LABELS))
        return self.view


def routing_widget(config, scenario: Scenario, catalog: Catalog, mix: dict) -> RoutingDashboard:
    """Build the routing dashboard (display ``dash.box``; drive it with
    ``dash.controls["mix:strong"].value = 20``; read ``dash.view``). ``mix`` sets the starting
    traffic mix (route -> share). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    return RoutingDashboard(config, scenario, catalog, mix)
