"""What every dashboard shares: numbers for people, the one-line text a notebook shows before it is
run, the question each dashboard states, one chart set whole, and the traffic-mix note (values by hand;
SYNTHETIC fixture catalogs)."""
import math

import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.errors import WorkbenchError
from workbench.routing.config import routing_config
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import candidates
from workbench.ui.cost_widgets import cost_defaults, cost_widget
from workbench.ui.widgets import (
    DASHBOARD_CLASS,
    catalog_browser,
    human_number,
    human_table,
    mix_note,
    routing_update,
    routing_widget,
    shortlist_widget,
    table_html,
)

PNG = b"\x89PNG"


@pytest.mark.parametrize("value, kind, text", [
    (1.504712e+07, "count", "15,047,120"), (19.0, "count", "19"), (4240.740628, "usd", "4,241"),
    (12.3456, "usd", "12.35"), (0.00018453, "usd", "0.000185"), (0.30, "usd", "0.3"), (0.0, "usd", "0.00"),
    (1.2e-05, "usd", "0.000012"), (1466.2, "number", "1,466"), (0.93271, "number", "0.933"), (0.5, "score", "0.500"),
    (0.8123, "pct", "81.2 %"), (0.9999812, "availability", "99.9981 %"), (2.799, "seconds", "2.8 s"),
    (True, "yesno", "yes"), (False, "yesno", "no"), (math.nan, "usd", "–"), (None, "count", "–"),
    ("bedrock/nova-lite", "text", "bedrock/nova-lite")])
def test_numbers_for_people(value, kind, text):
    assert human_number(value, kind) == text


def test_an_unknown_number_kind_is_a_readable_error():
    with pytest.raises(WorkbenchError, match="unknown number format"):
        human_number(1.0, "money")


def test_human_table_labels_orders_and_formats():
    df = pd.DataFrame({"b": [1234567.0, math.nan], "a": ["x", "y"]})
    t = human_table(df, {"a": ("offering", "text"), "b": ("break-even, requests / month", "count")})
    assert list(t.columns) == ["offering", "break-even, requests / month"]
    assert t.iloc[:, 1].tolist() == ["1,234,567", "–"]
    html = table_html(t)
    assert "<th style='text-align:right" in html and "1,234,567" in html      # numbers right-aligned
    assert table_html(pd.DataFrame({"v": ["<b>"]})).count("&lt;b&gt;") == 1   # values escaped
    assert table_html(pd.DataFrame({"why": ["a | b"]}), wrap=("why",)).count("a<br>b") == 1


def test_mix_note_says_how_the_sliders_are_rescaled():
    # 80 % + 82 % = 162 %: each divided by 1.62 -> 0.8 / 1.62 = 49.38 %, 0.82 / 1.62 = 50.62 %
    note = mix_note({"cheap": 0.80, "strong": 0.82})
    assert note == ("traffic mix: the sliders add up to 162.0 %, not 100 %, so each is divided by 1.62.\n"
                    "shares used: cheap 49.4 %, strong 50.6 %.")
    assert mix_note({"cheap": 0.8, "strong": 0.2}) == "traffic mix: the sliders add up to 100 %."
    assert "every slider is at 0 %" in mix_note({"cheap": 0.0})


def test_routing_view_carries_the_mix_note_even_on_error():
    fix = "tests/fixtures/routing/"
    cat, sc = load_catalog(fix), load_scenario(fix + "scenario.yaml")
    cfg = routing_config(sc, cat)
    v = routing_update(cfg, sc, cat, {"cheap": 0.5, "strong": 1.0})
    assert v.error is None and "divided by 1.5" in v.mix_note
    assert routing_update(cfg, sc, cat, {"cheap": 0.0}).mix_note.startswith("traffic mix: every slider")
    dash = routing_widget(cfg, sc, cat, {"cheap": 0.5, "strong": 0.5})
    _check_box(dash.box, "Routing dashboard", charts=0)
    assert "100 %" in dash.mix_note.value
    dash.controls["mix:strong"].value = 100   # 50 % + 100 %: shown, not silent
    assert "150.0 %" in dash.mix_note.value and "cheap 33.3 %" in dash.mix_note.value


def _images(box):
    import ipywidgets as w
    found, todo = [], [box]
    while todo:
        x = todo.pop()
        if isinstance(x, w.Image):
            found.append(x)
        todo += list(getattr(x, "children", ()))
    return found


def _check_box(box, title, charts):
    """The box reads as one line before it is run, carries the CSS class, states its question and
    holds ``charts`` Image widgets (PNG) and no Output widget."""
    import ipywidgets as w
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == f"{title}: run the cells above to get the dashboard."
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert DASHBOARD_CLASS in box._dom_classes
    head = box.children[0]
    assert isinstance(head, w.HTML) and head.value.startswith(f"<b>{title}</b>: ") and head.value.endswith("?")
    images = _images(box)
    assert len(images) == charts and all(bytes(i.value).startswith(PNG) for i in images)
    todo = [box]
    while todo:
        x = todo.pop()
        assert not isinstance(x, w.Output)
        todo += list(getattr(x, "children", ()))


def test_cost_dashboard_one_chart_replaced_whole_and_labelled_numbers():
    pytest.importorskip("matplotlib")
    cat = load_catalog("tests/fixtures/mini_catalog")
    step = load_scenario("data/scenarios/support_assistant.yaml").step("answer_with_citations")
    dash = cost_widget(cat.offerings, cat.gpus, step, cost_defaults(step, cat.gpus, cat.offerings.iloc[[2]]))
    _check_box(dash.box, "Cost dashboard", charts=1)
    chart = _images(dash.box)[0]
    first = bytes(chart.value)
    text = " ".join(c.value for c in dash.box.children[2:4])
    # acme/alpha at 14,000 requests: 161 USD of model calls + 4,200 USD of escalations = 4,361 USD all in
    assert "USD / month: all in" in text and "4,361" in text and "4,200" in text
    assert "break-even, requests / month" in text and "334,583" in text   # see test_cost_widgets.py
    assert "e+0" not in text
    dash.controls["requests_per_month"].value = 1_000_000
    assert _images(dash.box) == [chart] and bytes(chart.value) != bytes(first) and bytes(chart.value).startswith(PNG)


def test_shortlist_and_catalog_dashboards_state_their_question_and_read_as_one_line():
    pytest.importorskip("matplotlib")
    cat = load_catalog("tests/fixtures/shortlist")
    scen = load_scenario("tests/fixtures/shortlist/scenario.yaml")
    dash = shortlist_widget(candidates(cat), scen, "answer", samples=50, seed=0)
    _check_box(dash.box, "Shortlist dashboard", charts=1)
    assert "USD / request" in dash.table_html.value and "P(rank 1)" in dash.table_html.value
    b = catalog_browser(load_catalog("tests/fixtures/mini_catalog"))
    _check_box(b.box, "Catalog browser", charts=0)
    assert "USD / M output tokens" in b.table_html.value
