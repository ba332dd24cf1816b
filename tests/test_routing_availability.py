"""Chain availability: the independent formula, the shared-provider (common-mode) model, the seeded
outage simulation against the formula (|sim - formula| < 4 standard errors), and what a fallback
costs in latency and money when it serves. Availabilities are low on purpose (0.8, 0.9) so that the
difference between the models is many standard errors wide."""
import numpy as np
import pytest

from workbench.catalog.load import load_catalog
from workbench.routing.availability import (
    chain_availability,
    chain_members,
    chain_summary,
    fallback_expectations,
    independent_chain_availability,
    served_shares,
    simulate_outages,
    with_component,
)
from workbench.routing.config import Availability

CAT = load_catalog("tests/fixtures/routing/")
AV = Availability(providers={"alpha": 0.8, "beta": 0.8}, default_offering=0.9)


def test_independent_formula_by_hand():
    # 1 - (1 - 0.9)(1 - 0.8) = 1 - 0.1 x 0.2 = 0.98
    assert independent_chain_availability([0.9, 0.8]) == pytest.approx(0.98)
    assert independent_chain_availability([0.99]) == pytest.approx(0.99)


def test_members_on_different_providers_fail_independently():
    members, comps = chain_members(["alpha/small", "beta/small"], CAT, AV)
    assert list(members["availability_total"]) == pytest.approx([0.72, 0.72])       # 0.9 own x 0.8 provider
    # different providers: 1 - (1 - 0.72)^2 = 1 - 0.0784 = 0.9216
    assert chain_availability(members, comps) == pytest.approx(0.9216)
    assert independent_chain_availability(members["availability_total"]) == pytest.approx(0.9216)
    s = served_shares(members, comps)
    # primary serves 0.72; the fallback when the primary is down and it is up: 0.28 x 0.72 = 0.2016
    assert list(s) == pytest.approx([0.72, 0.2016, 0.0784])


def test_the_correlated_failure_trap_same_provider():
    members, comps = chain_members(["alpha/small", "alpha/large"], CAT, AV)
    # one provider component (0.8) under both: A = 0.8 x (1 - 0.1 x 0.1) = 0.792, not 0.9216
    assert chain_availability(members, comps) == pytest.approx(0.792)
    s = served_shares(members, comps)
    # fallback serves only when the provider is up and the primary alone is down: 0.8 x 0.1 x 0.9 = 0.072
    assert list(s) == pytest.approx([0.72, 0.072, 0.208])
    summary = chain_summary(members, comps)
    assert summary["chain_if_independent"] == pytest.approx(0.9216)
    assert summary["chain"] == pytest.approx(0.792)
    assert summary["downtime_min_per_month_chain"] == pytest.approx(0.208 * 43_800)


def test_a_shared_region_lowers_a_cross_provider_chain():
    members, comps = chain_members(["alpha/small", "beta/small"], CAT, AV)
    m2, c2 = with_component(members, comps, "region:us-east", 0.95, ["alpha/small", "beta/small"])
    # 0.95 x 0.9216 = 0.87552: the region takes both down at once
    assert chain_availability(m2, c2) == pytest.approx(0.87552)
    assert list(m2["availability_total"]) == pytest.approx([0.684, 0.684])
    assert chain_availability(members, comps) == pytest.approx(0.9216)            # the original is unchanged


@pytest.mark.parametrize("ids", [["alpha/small", "beta/small"], ["alpha/small", "alpha/large"],
                                 ["alpha/small", "alpha/large", "beta/small"]])
def test_simulation_agrees_with_the_formula_within_four_standard_errors(ids):
    members, comps = chain_members(ids, CAT, AV)
    sim = simulate_outages(members, comps, minutes=200_000, seed=7)
    formula = chain_availability(members, comps)
    assert sim.formula == pytest.approx(formula)
    assert sim.std_error == pytest.approx(np.sqrt(sim.availability * (1 - sim.availability) / 200_000))
    assert abs(sim.availability - formula) < 4 * sim.std_error
    # the shares each member serves agree too (binomial standard error of each share)
    exact = served_shares(members, comps)
    se = np.sqrt(exact * (1 - exact) / 200_000)
    assert (abs(sim.served - exact) < 4 * se + 1e-12).all()


def test_simulation_refutes_the_independence_assumption_for_a_shared_provider():
    members, comps = chain_members(["alpha/small", "alpha/large"], CAT, AV)
    sim = simulate_outages(members, comps, minutes=200_000, seed=3)
    wrong = independent_chain_availability(members["availability_total"])
    assert abs(sim.availability - wrong) > 40 * sim.std_error


def test_outages_with_a_duration_keep_the_long_run_availability():
    members, comps = chain_members(["alpha/small", "alpha/large"], CAT, AV)
    sim = simulate_outages(members, comps, minutes=400_000, seed=11, mean_outage_min=30, batches=40)
    assert sim.mean_outage_min == 30
    assert abs(sim.availability - sim.formula) < 4 * sim.std_error
    # correlated minutes: the batch-means standard error is larger than the binomial one
    assert sim.std_error > np.sqrt(sim.formula * (1 - sim.formula) / 400_000)


def test_simulation_is_seeded():
    members, comps = chain_members(["alpha/small", "beta/small"], CAT, AV)
    a = simulate_outages(members, comps, minutes=10_000, seed=5)
    b = simulate_outages(members, comps, minutes=10_000, seed=5)
    assert a.availability == b.availability


def test_fallback_extra_latency_and_cost_by_hand():
    members, comps = chain_members(["alpha/small", "beta/small"], CAT, AV)
    av = Availability(timeout_s=10, fast_fail_s=0.3, hang_share=0.3)
    t = fallback_expectations(members, comps, {"alpha/small": 0.002, "beta/small": 0.004},
                              {"alpha/small": 5.5, "beta/small": 6.0}, av).set_index("offering_id")
    # a failed member costs 0.3 x 10 s + 0.7 x 0.3 s = 3.21 s before the next one is asked
    assert t.loc["alpha/small", "detect_s"] == 0
    assert t.loc["beta/small", "detect_s"] == pytest.approx(3.21)
    assert t.loc["beta/small", "extra_latency_s"] == pytest.approx(3.21 + 0.5)
    assert t.loc["beta/small", "extra_usd"] == pytest.approx(0.002)
    assert t.loc["beta/small", "share"] == pytest.approx(0.2016)


def test_unknown_offering_in_a_chain_is_an_error_with_a_hint():
    from workbench.errors import WorkbenchError
    with pytest.raises(WorkbenchError, match="did you mean 'alpha/small'"):
        chain_members(["alpha/smal"], CAT, AV)
