"""The shortlist dashboard: the plain update function, the toggles, and the widget driven in code
(as notebook 02 does), on the synthetic fixture catalog in tests/fixtures/shortlist."""
import pytest

from workbench.catalog.load import load_catalog
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import candidates
from workbench.ui.widgets import (
    SHORTLIST_TABLE_COLUMNS,
    shortlist_toggle_changes,
    shortlist_toggles,
    shortlist_update,
    shortlist_widget,
)

FIXTURE = "tests/fixtures/shortlist"


@pytest.fixture(scope="module")
def cand():
    return candidates(load_catalog(FIXTURE))


@pytest.fixture(scope="module")
def scen():
    return load_scenario(f"{FIXTURE}/scenario.yaml")


def test_toggles_as_the_scenario_sets_them(scen):
    assert shortlist_toggles(scen, "answer") == {
        "gpu_operations": False, "no_training_on_prompts": True, "zero_data_retention": False, "regions": True,
        "commercial_use": True, "structured_outputs": True, "tool_calling": False, "prompt_caching": False,
        "batch_api": False}


def test_toggle_changes(scen):
    assert shortlist_toggle_changes(scen, {"structured_outputs": False, "regions": False, "gpu_operations": True}) == {
        "structured_outputs": None, "regions": (), "gpu_operations": True}
    assert shortlist_toggle_changes(scen, {"regions": True, "tool_calling": True}) == {
        "regions": ("us", "eu"), "tool_calling": True}


def test_update_matches_the_scenario_by_default(cand, scen):
    view = shortlist_update(cand, scen, "answer", 0.5, 0.3, 0.2, toggles=shortlist_toggles(scen, "answer"))
    assert view.error is None
    assert list(view.table.columns) == list(SHORTLIST_TABLE_COLUMNS)
    assert view.table["offering_id"].tolist() == ["fastinfer/beta", "acme/alpha"]
    assert view.summary.startswith("answer: 2 passed (2 scored), 8 excluded; 2 on the Pareto frontier\n"
                                   "rank 1: fastinfer/beta (score 0.500")
    assert len(view.why_excluded) == 8


def test_update_dropping_the_training_rule_lets_cheapinfer_in(cand, scen):
    toggles = {**shortlist_toggles(scen, "answer"), "no_training_on_prompts": False}
    view = shortlist_update(cand, scen, "answer", 0.5, 0.3, 0.2, toggles=toggles)
    # cheapinfer/beta: cheapest (0.00016 USD) but slowest (0.1 + 0.8 + 200/50 = 4.9 s), quality 1300 like fastinfer
    assert "cheapinfer/beta" in view.table["offering_id"].tolist()
    assert len(view.result.excluded) == 7


def test_update_weights_need_not_sum_to_one(cand, scen):
    a = shortlist_update(cand, scen, "answer", 1, 1, 0)
    b = shortlist_update(cand, scen, "answer", 0.5, 0.5, 0)
    assert a.table["offering_id"].tolist() == b.table["offering_id"].tolist()
    assert a.result.weights == {"quality": 0.5, "cost": 0.5, "latency": 0.0}


def test_update_returns_errors_instead_of_raising(cand, scen):
    view = shortlist_update(cand, scen, "answer", 0, 0, 0)
    assert view.result is None and "weights are all zero" in view.error and view.table.empty
    view = shortlist_update(cand, scen, "answer", toggles={"zero_data_retension": True})
    assert "did you mean 'zero_data_retention'" in view.error


def test_dashboard_driven_in_code(cand, scen):
    dash = shortlist_widget(cand, scen, plot=False)
    assert dash.view.table["offering_id"].iloc[0] == "fastinfer/beta"
    # more weight on quality: alpha (1400) beats beta (1300). quality 0.8, cost 0.1, latency 0.1:
    # alpha 0.8 x 1 + 0.1 x 0 + 0.1 x 0 = 0.8; beta 0.8 x 0 + 0.1 x 1 + 0.1 x 1 = 0.2
    dash.controls["quality"].value = 0.8
    dash.controls["cost"].value = 0.1
    dash.controls["latency"].value = 0.1
    assert dash.view.table["offering_id"].tolist() == ["acme/alpha", "fastinfer/beta"]
    assert dash.view.table["score"].tolist() == pytest.approx([0.8, 0.2])
    dash.controls["no_training_on_prompts"].value = False
    assert len(dash.view.table) == 3
    # all weights zero: shown as an error, never raised from the callback
    for k in ("quality", "cost", "latency"):
        dash.controls[k].value = 0.0
    assert "weights are all zero" in dash.view.error


def test_changing_step_resets_weights_and_step_toggles_but_keeps_scenario_toggles(cand, scen):
    dash = shortlist_widget(cand, scen, plot=False)
    dash.controls["no_training_on_prompts"].value = False
    dash.controls["step"].value = "embed"
    assert (dash.controls["quality"].value, dash.controls["cost"].value, dash.controls["latency"].value) == (0, 1, 0)
    assert dash.controls["structured_outputs"].value is False
    assert dash.controls["no_training_on_prompts"].value is False
    assert dash.view.table["offering_id"].tolist() == ["acme/vec"]
    assert dash.view.values["step"] == "embed"


def test_dashboard_with_plot_builds_a_figure(cand, scen):
    from workbench.ui.plots import pareto_plot, stability_plot
    dash = shortlist_widget(cand, scen, plot=True)
    fig = pareto_plot(dash.view.result)
    assert fig.axes[0].get_ylabel() == "quality: arena_text"
    assert len(stability_plot(dash.view.result).axes) == 1
