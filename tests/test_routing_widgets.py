"""The routing dashboard's plain function (by hand), the dashboard driven in code, and the figures."""
import pytest

from workbench.catalog.load import load_catalog
from workbench.routing.availability import trap_curve
from workbench.routing.config import routing_config
from workbench.routing.report import routing_whatif
from workbench.scenario.load import load_scenario
from workbench.ui.widgets import routing_update, routing_widget

FIX = "tests/fixtures/routing/"
CAT = load_catalog(FIX)
SC = load_scenario(FIX + "scenario.yaml")
CFG = routing_config(SC, CAT)


def test_whatif_cost_and_availability_by_hand():
    w = routing_whatif(CFG, SC, CAT, {"cheap": 1, "strong": 1})          # shares are divided by their sum: 1/2 each
    # models: classify 10,000 x (0.5 x 0.002 + 0.5 x 0.02) = 110; answer 1,000 x 0.011 = 11
    assert w["usd_per_month_models"] == pytest.approx(121.0)
    assert w["usd_per_month_human"] == 0
    # cheap: alpha/small > beta/small, two providers; each member 0.99 x 0.99 = 0.9801 -> 1 - 0.0199^2
    # strong: alpha/large > alpha/small on one provider -> 0.99 x (1 - 0.01^2)
    cheap, strong = 1 - 0.0199 ** 2, 0.99 * (1 - 0.01 ** 2)
    assert w["availability"] == pytest.approx(0.5 * cheap + 0.5 * strong)
    assert w["downtime_min_per_month"] == pytest.approx((1 - (0.5 * cheap + 0.5 * strong)) * 43_800)
    # fallback extra cost: cheap's fallback serves 0.0199 x 0.9801 of its requests at +0.002 USD each;
    # strong's fallback serves 0.99 x 0.01 x 0.99 at 0.002 - 0.02 = -0.018 USD (the fallback is cheaper)
    vol = 5000 + 500                                                      # half of each step's volume
    expected = vol * (0.0199 * 0.9801 * 0.002 + 0.99 * 0.01 * 0.99 * -0.018)
    assert w["usd_per_month_fallback_extra"] == pytest.approx(expected)
    routes = w["routes"].set_index("route")
    assert routes.loc["strong", "availability_if_independent"] == pytest.approx(cheap)   # the trap: 0.9996 claimed


def test_provider_outage_rates_override_the_assumptions():
    base = routing_whatif(CFG, SC, CAT, {"strong": 1})["availability"]
    worse = routing_whatif(CFG, SC, CAT, {"strong": 1}, {"alpha": 0.9})["availability"]
    assert base == pytest.approx(0.99 * (1 - 0.01 ** 2))
    assert worse == pytest.approx(0.9 * (1 - 0.01 ** 2))


def test_update_returns_errors_instead_of_raising():
    v = routing_update(CFG, SC, CAT, {"cheap": 0, "strong": 0})
    assert v.error and "every share is zero" in v.error
    v = routing_update(CFG, SC, CAT, {"cheep": 1})
    assert "did you mean 'cheap'?" in v.error
    v = routing_update(CFG, SC, CAT, {"cheap": -1, "strong": 1})
    assert "0 or more" in v.error
    v = routing_update(CFG, SC, CAT, {"cheap": 1})
    assert v.error is None and v.summary.startswith("22.00 USD/month")       # 11,000 x 0.002


def test_dashboard_driven_in_code():
    dash = routing_widget(CFG, SC, CAT, {"cheap": 1.0})
    assert set(dash.controls) == {"mix:cheap", "mix:strong", "mix:private", "mix:human",
                                  "provider:alpha", "provider:beta", "provider:vault"}
    assert dash.view.totals["usd_per_month"] == pytest.approx(22.0)
    dash.controls["mix:human"].value = 100                                # half cheap, half human
    # people: classify 10,000 x 0.5 x 2 USD + answer 1,000 x 0.5 x 3 USD = 11,500
    assert dash.view.totals["usd_per_month_human"] == pytest.approx(11_500)
    dash.controls["provider:alpha"].value = 99.5
    assert dash.view.values["provider_availability"]["alpha"] == pytest.approx(0.995)
    dash.controls["mix:cheap"].value = 0
    dash.controls["mix:human"].value = 0
    assert dash.view.error is not None                                    # shown in the widget, not raised


def test_figures_are_returned_not_shown():
    import pandas as pd
    from matplotlib.figure import Figure

    from workbench.ui.plots import chain_trap_plot, routed_vs_single_plot

    fig = chain_trap_plot(trap_curve([0.99, 0.999, 0.9999]))
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 3
    systems = pd.DataFrame({"system": ["routed", "only cheap"], "usd_per_month_models": [10.0, 4.0],
                            "success_rate": [0.9, 0.8], "p95_s:answer": [3.0, 2.0]})
    fig = routed_vs_single_plot(systems, step="answer")
    assert isinstance(fig, Figure) and len(fig.axes[0].collections) == 2


def test_trap_curve_by_hand():
    t = trap_curve([0.999], offering_availability=0.998).iloc[0]
    assert t["primary_only"] == pytest.approx(0.999 * 0.998)
    assert t["same_provider"] == pytest.approx(0.999 * (1 - 0.002 ** 2))
    assert t["different_providers"] == pytest.approx(1 - (1 - 0.999 * 0.998) ** 2)
