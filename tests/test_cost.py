"""Every term of the cost formula, worked by hand.

The offerings here are SYNTHETIC (made-up prices chosen so that the arithmetic is easy to follow);
real prices are checked in tests/test_cost_litellm.py.
"""
import math

import numpy as np
import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.costs.request import (
    crossing_success_rate,
    expected_attempts,
    monthly_costs,
    price_of,
    request_cost_terms,
    request_cost_usd,
    task_success_rate,
    usd_per_success_for,
)
from workbench.costs.steps import (
    cost_assumptions,
    request_cost_for_step,
    step_costs,
    steps_frame,
)
from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario, scenario_from_dict

FIXTURE = "tests/fixtures/mini_catalog"

# synthetic: input 2, output 8, cache read 0.5, cache write 2.5, reasoning 4 (not the output price),
# batch 50 % off, above 200,000 prompt tokens input 4 and output 12 (USD per million tokens)
FULL = dict(offering_id="syn/full", model_id="syn", provider="syn", access_mode="managed-api",
            usd_per_mtok_in=2.0, usd_per_mtok_out=8.0, usd_per_mtok_cached_in=0.5, usd_per_mtok_cache_write=2.5,
            usd_per_mtok_reasoning=4.0, batch_discount=0.5, tier_above_tokens=200_000,
            usd_per_mtok_in_above_tier=4.0, usd_per_mtok_out_above_tier=12.0)
# synthetic: only list prices
PLAIN = dict(offering_id="syn/plain", model_id="syn", provider="syn", access_mode="managed-api",
             usd_per_mtok_in=2.0, usd_per_mtok_out=8.0)


def one(row, *args, **kw) -> float:
    return float(request_cost_usd(pd.DataFrame([row]), *args, **kw).iloc[0])


def test_input_and_output_at_list_prices():
    # 1,000 x 2 / 1e6 + 500 x 8 / 1e6 = 0.002 + 0.004
    assert one(FULL, 1000, 500) == pytest.approx(0.006, rel=1e-12)


def test_cached_share_is_billed_at_the_cache_read_price():
    # 10,000 input, 60 % cached: 4,000 x 2 + 6,000 x 0.5 = 8,000 + 3,000 = 11,000 -> 0.011 USD
    assert one(FULL, 10_000, 0, cached_share=0.6) == pytest.approx(0.011, rel=1e-12)
    # without a cache price there is no discount: 10,000 x 2 = 0.02
    assert one(PLAIN, 10_000, 0, cached_share=0.6) == pytest.approx(0.02, rel=1e-12)


def test_cache_writes_are_billed_at_the_cache_write_price():
    # 10,000 input, 20 % written to the cache: 8,000 x 2 + 2,000 x 2.5 = 16,000 + 5,000 -> 0.021 USD
    assert one(FULL, 10_000, 0, cache_write_share=0.2) == pytest.approx(0.021, rel=1e-12)


def test_reasoning_tokens_at_their_own_price_or_the_output_price():
    # listed reasoning price 4: 1,000 x 4 / 1e6 = 0.004 (at the output price it would be 0.008)
    assert one(FULL, 0, 0, reasoning_tokens=1000) == pytest.approx(0.004, rel=1e-12)
    # none listed: the output price, 1,000 x 8 / 1e6 = 0.008
    assert one(PLAIN, 0, 0, reasoning_tokens=1000) == pytest.approx(0.008, rel=1e-12)


def test_tool_turns_resend_the_context():
    # 2 tool turns: the 1,000-token context is sent 3 times: 3,000 x 2 / 1e6 = 0.006; output once: 100 x 8 / 1e6
    assert one(PLAIN, 1000, 100, tool_turns=2) == pytest.approx(0.006 + 0.0008, rel=1e-12)


def test_batch_share_gets_the_batch_discount():
    # base 0.006 (first test); half the requests at 50 % off: 0.006 x (1 - 0.5 x 0.5) = 0.0045
    assert one(FULL, 1000, 500, batch_share=0.5) == pytest.approx(0.0045, rel=1e-12)
    # an unknown discount gives no discount
    assert one(PLAIN, 1000, 500, batch_share=1.0) == pytest.approx(0.006, rel=1e-12)


def test_a_request_that_crosses_the_long_context_tier_pays_tier_prices_on_all_tokens():
    # at the threshold (200,000, not above it): 200,000 x 2 + 1,000 x 8 = 408,000 -> 0.408 USD
    assert one(FULL, 200_000, 1000) == pytest.approx(0.408, rel=1e-12)
    # above it: every token at the tier: 250,000 x 4 + 1,000 x 12 = 1,012,000 -> 1.012 USD
    assert one(FULL, 250_000, 1000) == pytest.approx(1.012, rel=1e-12)
    # cache reads scale with the input price (x 4/2): 0.5 -> 1.0; 40 % cached of 250,000:
    # 150,000 x 4 + 100,000 x 1.0 + 1,000 x 12 = 600,000 + 100,000 + 12,000 -> 0.712 USD
    assert one(FULL, 250_000, 1000, cached_share=0.4) == pytest.approx(0.712, rel=1e-12)
    # a listed reasoning price scales with the output price (x 12/8): 4 -> 6; 1,000 x 6 / 1e6 = 0.006
    assert one(FULL, 250_000, 0, reasoning_tokens=1000) == pytest.approx(1.0 + 0.006, rel=1e-12)


def test_terms_add_up_and_name_the_tier():
    t = request_cost_terms(pd.DataFrame([FULL]), 250_000, 1000, reasoning_tokens=1000, cached_share=0.4,
                           batch_share=0.5).iloc[0]
    # 0.6 input + 0.1 cached + 0.012 output + 0.006 reasoning = 0.718; batch: -0.718 x 0.25 = -0.1795
    assert t["input_usd"] == pytest.approx(0.6)
    assert t["cached_input_usd"] == pytest.approx(0.1)
    assert t["output_usd"] == pytest.approx(0.012)
    assert t["reasoning_usd"] == pytest.approx(0.006)
    assert t["batch_discount_usd"] == pytest.approx(-0.1795)
    assert t["usd_per_request"] == pytest.approx(0.718 - 0.1795)
    assert bool(t["in_long_context_tier"]) is True


def test_a_missing_price_is_nan_never_zero_but_zero_tokens_of_it_cost_nothing():
    no_out = dict(PLAIN, usd_per_mtok_out=np.nan)
    assert math.isnan(one(no_out, 1000, 10))
    # an embedding offering bills input only: 120 x 2 / 1e6, and its zero output tokens do not make it NaN
    assert one(no_out, 120, 0) == pytest.approx(0.00024, rel=1e-12)


def test_arrays_price_many_token_mixes_at_once():
    offers = pd.DataFrame([PLAIN, PLAIN])
    got = request_cost_usd(offers, np.array([1000, 2000]), np.array([0, 500])).to_numpy()
    # 1,000 x 2 = 0.002; 2,000 x 2 + 500 x 8 = 8,000 -> 0.008
    assert got == pytest.approx([0.002, 0.008], rel=1e-12)


def test_price_of_names_the_offering_and_refuses_unpriced_rows():
    cat = load_catalog(FIXTURE)
    # acme/alpha: 2.5 in, 10 out: 1,000 x 2.5 + 100 x 10 = 3,500 -> 0.0035
    assert price_of(cat, "acme/alpha", 1000, 100) == pytest.approx(0.0035)
    with pytest.raises(WorkbenchError, match="self/beta.*no input or output price"):
        price_of(cat, "self/beta", 1000, 100)
    with pytest.raises(WorkbenchError, match="did you mean 'acme/alpha'"):
        price_of(cat, "acme/alfa", 1000, 100)


# ---------------------------------------------------------------------------------------------
# retries, escalation, success
# ---------------------------------------------------------------------------------------------

def test_expected_attempts_and_task_success():
    # p = 0.8, n = 3: 1 + 0.2 + 0.04 = 1.24 = (1 - 0.2^3) / 0.8 = 0.992 / 0.8
    assert float(expected_attempts(0.8, 3)) == pytest.approx(1.24, rel=1e-12)
    assert float(task_success_rate(0.8, 3)) == pytest.approx(0.992, rel=1e-12)
    # one attempt: exactly one, success p
    assert float(expected_attempts(0.8, 1)) == pytest.approx(1.0)
    assert float(task_success_rate(0.8, 1)) == pytest.approx(0.8)


def test_monthly_cost_retries_and_escalation_by_hand():
    m = monthly_costs(0.01, 10_000, 0.9, 2, escalation_rate=0.1, usd_per_escalation=2.0).iloc[0]
    # attempts: (1 - 0.1^2) / 0.9 = 0.99 / 0.9 = 1.1; per request 0.01 x 1.1 = 0.011
    assert m["attempts_per_request"] == pytest.approx(1.1)
    assert m["usd_per_request"] == pytest.approx(0.011)
    # model: 10,000 x 0.011 = 110; escalation: 10,000 x 0.1 x 2 = 2,000; month 2,110
    assert m["usd_per_month_model"] == pytest.approx(110.0)
    assert m["usd_per_month_escalation"] == pytest.approx(2000.0)
    assert m["usd_per_month"] == pytest.approx(2110.0)
    # escalated tasks are not automated successes: 10,000 x 0.99 x (1 - 0.1) = 8,910
    assert m["successful_tasks_per_month"] == pytest.approx(8910.0)
    assert m["usd_per_success"] == pytest.approx(2110.0 / 8910.0)


def test_an_escalated_task_is_not_counted_as_a_success():
    # same model, same attempts; only the escalation rate differs (its cost set to 0 to isolate the count)
    without = monthly_costs(0.01, 1000, 1.0, 1, escalation_rate=0.0).iloc[0]
    with_ = monthly_costs(0.01, 1000, 1.0, 1, escalation_rate=0.25, usd_per_escalation=0.0).iloc[0]
    assert without["successful_tasks_per_month"] == pytest.approx(1000)
    assert with_["successful_tasks_per_month"] == pytest.approx(750)  # 1,000 x (1 - 0.25)
    # the model still ran on all 1,000: 10 USD over 750 successes
    assert with_["usd_per_success"] == pytest.approx(10.0 / 750)


def test_cost_per_success_is_cost_per_request_over_success_rate_when_nothing_else_changes():
    # one attempt, no escalation: 0.01 / 0.8 = 0.0125
    one_try = monthly_costs(0.01, 5000, 0.8, 1).iloc[0]
    assert one_try["usd_per_success"] == pytest.approx(one_try["usd_per_request"] / 0.8)
    assert one_try["usd_per_success"] == pytest.approx(0.0125)
    # with retries the request costs 0.01 x 1.24 and succeeds 0.992 of the time: 0.0124 / 0.992 = 0.0125 again
    three = monthly_costs(0.01, 5000, 0.8, 3).iloc[0]
    assert three["usd_per_success"] == pytest.approx(three["usd_per_request"] / 0.992)
    assert three["usd_per_success"] == pytest.approx(0.0125)


def test_zero_volume_has_no_cost_per_success():
    m = monthly_costs(0.01, 0, 0.9, 2).iloc[0]
    assert m["usd_per_month"] == 0.0
    assert math.isnan(m["usd_per_success"])


def test_crossing_point_of_a_pricier_more_reliable_model():
    # cheap: 0.002 USD per attempt, p = 0.7, one attempt, escalation 10 % at 1 USD:
    #   month per request 0.002 + 0.1 = 0.102; successes 0.7 x 0.9 = 0.63 -> 0.102 / 0.63 per success
    cheap = float(usd_per_success_for(0.002, 0.7, 1, 0.1, 1.0)[0])
    assert cheap == pytest.approx(0.102 / 0.63)
    # pricier: 0.01 per attempt. It breaks even when (0.01 + 0.1) / (p x 0.9) = 0.102 / 0.63,
    # i.e. p = 0.11 x 0.63 / (0.102 x 0.9) = 0.0693 / 0.0918 = 0.754902
    p = crossing_success_rate(0.01, cheap, 1, 0.1, 1.0)
    assert p == pytest.approx(0.0693 / 0.0918, abs=1e-8)
    assert float(usd_per_success_for(0.01, p + 0.01, 1, 0.1, 1.0)[0]) < cheap
    # a model that costs more per attempt than the rival per success never crosses
    assert math.isnan(crossing_success_rate(1.0, cheap, 1, 0.1, 1.0))


# ---------------------------------------------------------------------------------------------
# offerings x steps, self-hosted rows
# ---------------------------------------------------------------------------------------------

def _scenario():
    return load_scenario("data/scenarios/support_assistant.yaml")


def test_step_costs_match_the_formula_for_every_offering_and_step():
    cat = load_catalog(FIXTURE)
    sc = _scenario()
    got = step_costs(cat.offerings, list(sc.workflow), cat.gpus)
    assert len(got) == len(cat.offerings) * len(sc.workflow)
    row = got[(got["offering_id"] == "acme/alpha") & (got["step"] == "answer_with_citations")].iloc[0]
    # acme/alpha 2.5 in, 10 out; 3,000 input with 30 % cached (no cache price -> full price), 250 output:
    # 3,000 x 2.5 + 250 x 10 = 7,500 + 2,500 = 10,000 -> 0.01 USD per attempt
    assert row["usd_per_attempt"] == pytest.approx(0.01)
    # p = 0.85, 2 attempts: 1.15 attempts -> 0.0115 per request; 14,000 requests -> 161 USD of model calls
    assert row["usd_per_request"] == pytest.approx(0.0115)
    assert row["usd_per_month_model"] == pytest.approx(161.0)
    # escalation 14,000 x 0.1 x 3 = 4,200 USD; successes 14,000 x 0.9775 x 0.9 = 12,316.5
    assert row["usd_per_month"] == pytest.approx(4361.0)
    assert row["usd_per_success"] == pytest.approx(4361.0 / 12316.5)
    assert row["pricing"] == "list price"


def test_volume_override_scales_the_month():
    cat = load_catalog(FIXTURE)
    step = _scenario().step("answer_with_citations")
    base = step_costs(cat.offerings.iloc[:1], step)
    tenfold = step_costs(cat.offerings.iloc[:1], step, volume=140_000)
    assert tenfold["usd_per_month"].iloc[0] == pytest.approx(10 * base["usd_per_month"].iloc[0])
    assert tenfold["usd_per_success"].iloc[0] == pytest.approx(base["usd_per_success"].iloc[0])


def test_a_self_hosted_row_is_priced_by_the_self_hosting_model_never_zero_or_nan():
    cat = load_catalog(FIXTURE)
    step = _scenario().step("answer_with_citations")
    row = step_costs(cat.offerings, step, cat.gpus).set_index("offering_id").loc["self/beta"]
    # 1 x L40S at 0.99 USD/h x 730 h = 722.70, + ops 12,500 x 0.25 = 3,125 -> 3,847.70 USD a month
    assert row["usd_per_month_model"] == pytest.approx(3847.70)
    # spread over 14,000 requests: 0.274836 USD each; per attempt / 1.15
    assert row["usd_per_request"] == pytest.approx(3847.70 / 14000)
    assert row["usd_per_attempt"] == pytest.approx(3847.70 / 14000 / 1.15)
    assert row["pricing"].startswith("self-hosting model: 1 x L40S at 0.99 USD/h")
    assert "assumption" in row["pricing"]
    # without a GPU price table it is an error that says what to pass, not a NaN
    with pytest.raises(WorkbenchError, match="catalog.gpus"):
        step_costs(cat.offerings, step, None)


def test_steps_frame_and_assumptions_name_every_input():
    step = _scenario().step("classify_intent")
    sf = steps_frame([step])
    assert sf.loc[0, "requests_per_month"] == 20000
    assert steps_frame([step], volume=5).loc[0, "requests_per_month"] == 5
    a = cost_assumptions(step).set_index("assumption")
    for name in ("requests_per_month", "cached_share", "success_rate", "max_attempts", "escalation_rate",
                 "usd_per_escalation", "utilisation", "engineer_share"):
        assert name in a.index
    assert a.loc["cached_share", "value"] == 0.7
    assert a.loc["cached_share", "set_in"] == "classify_intent.tokens.cached_share"


def test_scenario_dicts_work_too():
    sc = scenario_from_dict({
        "name": "t", "title": "t", "as_of": "2026-11-20",
        "checklist": {k: "x" for k in ("task_fit", "quality_bar", "latency_target", "cost_target", "context_needs",
                                       "output_contract", "privacy_and_compliance", "licensing",
                                       "operational_burden", "migration_path")},
        "workflow": [{"name": "s", "role": "generator", "requests_per_month": 1000,
                      "tokens": {"input": 1000, "output": 500}, "reliability": {"success_rate": 0.5, "max_attempts": 1}}],
    })
    got = step_costs(pd.DataFrame([PLAIN]), sc.step("s")).iloc[0]
    # 0.006 per attempt (first test) / 0.5 success = 0.012 per success
    assert got["usd_per_success"] == pytest.approx(0.012)


def test_request_cost_for_step_prices_self_hosted_rows_when_given_the_gpus():
    cat = load_catalog(FIXTURE)
    step = _scenario().step("answer_with_citations")
    plain = request_cost_for_step(cat.offerings, step)
    assert math.isnan(plain[cat.offerings["access_mode"] == "self-hosted"].iloc[0])
    priced = request_cost_for_step(cat.offerings, step, gpus=cat.gpus)
    # the API rows are unchanged (acme/alpha 0.01, see above); the self-hosted row: 3,847.70 / 14,000 / 1.15
    assert priced.iloc[0] == pytest.approx(0.01)
    assert priced[cat.offerings["access_mode"] == "self-hosted"].iloc[0] == pytest.approx(3847.70 / 14000 / 1.15)


def test_failed_tasks_can_go_to_a_human_too():
    # p = 0.8, one attempt, 10 % escalated anyway, 2 USD each, 0.01 per attempt, 1,000 requests.
    # escalated: 0.1 + 0.9 x 0.2 (all attempts failed) = 0.28 -> 1,000 x 0.28 x 2 = 560 USD; model 10 USD
    m = monthly_costs(0.01, 1000, 0.8, 1, 0.1, 2.0, failures_escalated=True).iloc[0]
    assert m["escalated_share"] == pytest.approx(0.28)
    assert m["usd_per_month"] == pytest.approx(570.0)
    # successes do not change: 1,000 x 0.8 x 0.9 = 720 -> 570 / 720 per success
    assert m["successful_tasks_per_month"] == pytest.approx(720.0)
    assert m["usd_per_success"] == pytest.approx(570.0 / 720.0)
    # by default only the stated escalation rate: 1,000 x 0.1 x 2 = 200 + 10
    assert monthly_costs(0.01, 1000, 0.8, 1, 0.1, 2.0).iloc[0]["usd_per_month"] == pytest.approx(210.0)


def test_crossing_when_failures_go_to_a_human():
    # cheap 0.002 at p = 0.7 vs pricier 0.01; one attempt; no other escalation; a failure costs 1 USD of a human:
    # cheap per success = (0.002 + 0.3 x 1) / 0.7 = 0.302 / 0.7; pricier at p: (0.01 + (1 - p)) / p
    # equal when 0.01 + 1 - p = p x 0.302 / 0.7 -> p = 1.01 / (1 + 0.302 / 0.7) = 0.705689...
    cheap = float(usd_per_success_for(0.002, 0.7, 1, 0.0, 1.0, failures_escalated=True)[0])
    assert cheap == pytest.approx(0.302 / 0.7)
    p = crossing_success_rate(0.01, cheap, 1, 0.0, 1.0, failures_escalated=True)
    assert p == pytest.approx(1.01 / (1 + 0.302 / 0.7), abs=1e-8)
