"""The cost dashboard's plain callback, the widget driven in code, and the figures (SYNTHETIC fixture prices)."""
import math

import numpy as np
import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.costs.latency import step_latency_samples
from workbench.scenario.load import load_scenario
from workbench.ui.cost_widgets import (
    COST_CONTROLS,
    cost_defaults,
    cost_update,
    cost_widget,
    what_if_step,
)

FIXTURE = "tests/fixtures/mini_catalog"


@pytest.fixture(scope="module")
def setup():
    cat = load_catalog(FIXTURE)
    step = load_scenario("data/scenarios/support_assistant.yaml").step("answer_with_citations")
    return cat, step


def test_defaults_are_the_steps_assumptions_and_the_listed_gpu_price(setup):
    cat, step = setup
    d = cost_defaults(step, cat.gpus, cat.offerings[cat.offerings["access_mode"] == "self-hosted"])
    assert set(d) == set(COST_CONTROLS)
    assert d["requests_per_month"] == 14000 and d["input_tokens"] == 3000 and d["cached_share"] == 0.3
    assert d["success_rate"] == 0.85 and d["max_attempts"] == 2 and d["usd_per_escalation"] == 3.0
    assert d["usd_per_gpu_hour"] == 0.99 and d["utilisation"] == 0.6


def test_update_at_the_defaults_by_hand(setup):
    cat, step = setup
    v = cost_update(cat.offerings, cat.gpus, step, cost_defaults(step, cat.gpus, cat.offerings.iloc[[2]]))
    assert v.error is None
    t = v.table.set_index("offering_id")
    # acme/alpha: 0.01 per attempt x 1.15 = 0.0115 per request; month 14,000 x 0.0115 + 4,200 escalation = 4,361
    assert t.loc["acme/alpha", "usd_per_request"] == pytest.approx(0.0115)
    assert t.loc["acme/alpha", "usd_per_month"] == pytest.approx(4361.0)
    # self/beta: 3,847.70 a month of GPU + ops, + 4,200 escalation
    assert t.loc["self/beta", "usd_per_month"] == pytest.approx(3847.70 + 4200)
    be = v.break_even.set_index("api_offering_id")
    assert be.loc["acme/alpha", "break_even_requests_per_month"] == 334_583  # see test_selfhost.py
    assert "host/beta" in v.summary


def test_moving_the_volume_changes_the_month_not_the_break_even(setup):
    cat, step = setup
    values = cost_defaults(step, cat.gpus, cat.offerings.iloc[[2]])
    big = cost_update(cat.offerings, cat.gpus, step, dict(values, requests_per_month=1_000_000))
    be = big.break_even.set_index("api_offering_id")
    assert be.loc["acme/alpha", "break_even_requests_per_month"] == 334_583
    assert be.loc["acme/alpha", "cheaper_at_volume"] == "self-hosted"
    # acme/alpha at 1,000,000: 1e6 x 0.0115 = 11,500 USD of model calls
    assert be.loc["acme/alpha", "api_usd_per_month"] == pytest.approx(11_500)
    # the curve holds the current volume, for the chart's marker
    assert 1_000_000 in set(big.curve["requests_per_month"])


def test_gpu_price_and_utilisation_sliders_move_the_break_even(setup):
    cat, step = setup
    values = cost_defaults(step, cat.gpus, cat.offerings.iloc[[2]])
    cheaper_gpu = cost_update(cat.offerings, cat.gpus, step, dict(values, usd_per_gpu_hour=0.5))
    # 0.5 x 730 + 3,125 = 3,490 USD: ceil(3,490 / 0.0115) = 303,479 requests
    assert cheaper_gpu.break_even.set_index("api_offering_id").loc["acme/alpha", "break_even_requests_per_month"] == 303_479


def test_other_sliders_reach_the_formula(setup):
    cat, step = setup
    values = cost_defaults(step, cat.gpus, cat.offerings.iloc[[2]])
    v = cost_update(cat.offerings.iloc[[0]], cat.gpus, step,
                    dict(values, input_tokens=1000, output_tokens=100, reasoning_tokens=100, cached_share=0.0,
                         batch_share=0.0, success_rate=1.0, max_attempts=1, usd_per_escalation=0.0))
    # acme/alpha (2.5 in, 10 out): 1,000 x 2.5 + 100 x 10 + 100 x 10 (reasoning at the output price) = 4,500 -> 0.0045
    row = v.table.iloc[0]
    assert row["usd_per_request"] == pytest.approx(0.0045)
    assert row["usd_per_success"] == pytest.approx(0.0045 / 0.9)  # the step's 10 % escalation: not a success


def test_a_bad_value_is_returned_as_text_never_raised(setup):
    cat, step = setup
    v = cost_update(cat.offerings, cat.gpus, step, {"success_rate": 0.0})
    assert v.error is not None and "success_rate" in v.error
    v = cost_update(cat.offerings, cat.gpus, step, {"succes_rate": 0.9})
    assert "did you mean 'success_rate'" in v.error
    v = cost_update(cat.offerings, None, step, {})
    assert "catalog.gpus" in v.error


def test_what_if_step_leaves_the_original_alone(setup):
    _, step = setup
    s = what_if_step(step, {"input_tokens": 10, "max_attempts": 3})
    assert s.tokens.input == 10 and s.reliability.max_attempts == 3
    assert step.tokens.input == 3000 and step.reliability.max_attempts == 2


def test_the_widget_recomputes_when_a_slider_moves(setup):
    pytest.importorskip("ipywidgets")
    cat, step = setup
    dash = cost_widget(cat.offerings, cat.gpus, step, plot=False)
    assert dash.view.values["requests_per_month"] == pytest.approx(14000)
    dash.controls["requests_per_month"].value = 1_000_000
    be = dash.view.break_even.set_index("api_offering_id")
    assert be.loc["acme/alpha", "cheaper_at_volume"] == "self-hosted"
    dash.controls["success_rate"].value = 0.5
    assert dash.view.values["success_rate"] == 0.5 and dash.view.error is None


def test_figures_have_a_line_per_option(setup):
    pytest.importorskip("matplotlib")
    from workbench.ui.cost_plots import break_even_plot, crossing_plot, latency_plot

    cat, step = setup
    v = cost_update(cat.offerings, cat.gpus, step, cost_defaults(step, cat.gpus, cat.offerings.iloc[[2]]))
    fig = break_even_plot(v.curve, volume=14_000, break_even=v.break_even)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and len(ax.get_legend().get_texts()) == 3
    opts = pd.DataFrame({"offering_id": ["cheap", "reliable"], "usd_per_attempt": [0.002, 0.01],
                         "success_rate": [0.7, 0.95]})
    fig = crossing_plot(opts, 1, 0.1, 1.0)
    assert len(fig.axes[0].get_legend().get_texts()) == 2
    offers = pd.DataFrame([{"offering_id": "syn/a", "ttft_s": 0.5, "output_tokens_per_s": 50.0},
                           {"offering_id": "syn/none", "ttft_s": np.nan, "output_tokens_per_s": np.nan}])
    rows, samples = step_latency_samples(offers, step, n=2000)
    assert math.isnan(samples[1, 0])
    fig = latency_plot(rows, samples, step.latency.total_s, step.latency.p95_s)
    assert len(fig.axes[0].get_legend().get_texts()) == 1
