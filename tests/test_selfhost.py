"""Self-hosting: GPUs for the peak, monthly cost, break-even against an API, worked by hand.

GPU prices and throughputs here are SYNTHETIC (tests/fixtures/mini_catalog and inline frames).
"""
import math

import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.costs.breakeven import break_even_table
from workbench.costs.request import SECONDS_PER_MONTH
from workbench.costs.selfhost import (
    SelfHostAssumptions,
    break_even_requests_per_month,
    cost_vs_volume,
    gpu_prices,
    gpus_needed,
    peak_tokens_per_s,
    selfhost_monthly_usd,
    selfhost_parameters,
)
from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario

FIXTURE = "tests/fixtures/mini_catalog"


def test_seconds_in_a_month():
    # 365 x 24 / 12 = 730 hours; x 3,600 = 2,628,000 s
    assert SECONDS_PER_MONTH == 2_628_000


def test_gpus_for_the_peak_come_in_whole_replicas():
    # 14,000 requests x 4 (peak) x 287.5 tokens / 2,628,000 s = 6.1263 tokens/s
    peak = float(peak_tokens_per_s(14_000, 4, 287.5))
    assert peak == pytest.approx(14_000 * 4 * 287.5 / 2_628_000)
    # 800 tok/s per GPU at 60 %: 480 usable; 6.1 tok/s -> one replica of one GPU
    assert float(gpus_needed(peak, 800, 0.6, 1)) == 1
    # 1,000 tok/s peak: 1,000 / 480 = 2.08 -> 3 GPUs; in replicas of 2 GPUs (960 each): 2 replicas = 4 GPUs
    assert float(gpus_needed(1000, 800, 0.6, 1)) == 3
    assert float(gpus_needed(1000, 800, 0.6, 2)) == 4
    # exactly at capacity: 960 tok/s fits one 2-GPU replica
    assert float(gpus_needed(960, 800, 0.6, 2)) == 2
    # no traffic still runs one replica (always on)
    assert float(gpus_needed(0, 800, 0.6, 2)) == 2


def test_monthly_cost_gpus_plus_operations():
    # 3 GPUs x 2.00 USD/h x 730 h = 4,380 + 3,125 ops = 7,505
    assert float(selfhost_monthly_usd(3, 2.0, 3125)) == pytest.approx(7505.0)
    assert SelfHostAssumptions().ops_usd_per_month == pytest.approx(12_500 * 0.25)


def test_gpu_price_is_the_cheapest_row_of_the_market_with_its_source():
    gpus = pd.DataFrame({
        "gpu": ["H100", "H100", "H100", "A10"], "provider": ["a", "b", "c", "a"],
        "market": ["on-demand", "on-demand", "community", "community"],
        "usd_per_hour": [2.99, 2.49, 1.99, 0.5], "source": ["s1", "s2", "s3", "s4"],
        "as_of": pd.to_datetime(["2026-08-01"] * 4)})
    p = gpu_prices(gpus, "on-demand")
    assert p.loc["H100", "usd_per_hour"] == 2.49 and p.loc["H100", "source"] == "s2"
    # A10 has no on-demand row: its cheapest row of any market
    assert p.loc["A10", "usd_per_hour"] == 0.5
    with pytest.raises(WorkbenchError, match="catalog.gpus"):
        gpu_prices(None)


def test_break_even_by_hand():
    # 287.5 generated tokens per request (250 x 1.15 attempts), peak 4, 800 tok/s/GPU, 1 GPU, 60 %, 0.99 USD/h, ops 3,125
    # one replica serves floor(800 x 0.6 x 2,628,000 / (4 x 287.5)) = floor(1,096,904.35) = 1,096,904 requests a month
    # and costs 0.99 x 730 + 3,125 = 3,847.70; an API at 0.0115 USD per request reaches that at
    # ceil(3,847.70 / 0.0115) = ceil(334,582.6) = 334,583 requests, inside the first replica's range
    n = break_even_requests_per_month(0.0115, 287.5, 4, 800, 1, 0.99, 0.6, 3125)
    assert n == 334_583


def test_break_even_past_several_replicas_and_never():
    # an API at 0.0008625 per request earns 0.0008625 x 1,096,904 = 946.08 per replica-full of traffic,
    # more than a replica's 722.70, so self-hosting catches up once k x (946.08 - 722.70) >= 3,125 (ops):
    # k >= 13.99 -> 14 replicas. They cost 14 x 722.70 + 3,125 = 13,242.80, which the API reaches at
    # ceil(13,242.80 / 0.0008625) = ceil(15,353,971.01) = 15,353,972 requests, inside replica 14's range
    # (13 x 1,096,904.35 = 14,259,756 < 15,353,972 <= 14 x 1,096,904.35 = 15,356,660)
    n = break_even_requests_per_month(0.0008625, 287.5, 4, 800, 1, 0.99, 0.6, 3125)
    assert n == 15_353_972
    # an API at 0.0005 earns at most 548.45 per replica: never
    assert math.isnan(break_even_requests_per_month(0.0005, 287.5, 4, 800, 1, 0.99, 0.6, 3125))


def test_break_even_agrees_with_the_cost_curve():
    cat = load_catalog(FIXTURE)
    step = load_scenario("data/scenarios/support_assistant.yaml").step("answer_with_citations")
    table = break_even_table(cat.offerings, step, cat.gpus)
    assert list(table["api_offering_id"]) == ["acme/alpha", "host/beta"]
    params = selfhost_parameters(cat.offerings[cat.offerings["access_mode"] == "self-hosted"], step, cat.gpus)
    for r in table.itertuples():
        n = r.break_even_requests_per_month
        api = pd.DataFrame({"offering_id": [r.api_offering_id], "usd_per_request": [r.api_usd_per_request]})
        curve = cost_vs_volume([n - 1, n], api, params).pivot(index="requests_per_month", columns="kind",
                                                               values="usd_per_month")
        # one request below the break-even self-hosting costs more, at it no more than the API
        assert curve.loc[n - 1, "self-hosted"] > curve.loc[n - 1, "api"]
        assert curve.loc[n, "self-hosted"] <= curve.loc[n, "api"]
    # at the scenario's 14,000 requests the API is cheaper
    assert set(table["cheaper_at_volume"]) == {"api"}


def test_the_curve_is_linear_for_apis_and_steps_for_self_hosting():
    api = pd.DataFrame({"offering_id": ["api"], "usd_per_request": [0.01]})
    sh = pd.DataFrame({"offering_id": ["gpu"], "generated_tokens_per_request": [100.0], "peak_to_average": [1.0],
                       "tokens_per_s_per_gpu": [100.0], "gpu_count": [1], "usd_per_gpu_hour": [1.0],
                       "utilisation": [1.0], "ops_usd_per_month": [0.0]})
    # one GPU serves 100 tok/s x 2,628,000 s / 100 tokens = 2,628,000 requests a month for 730 USD
    c = cost_vs_volume([1_000_000, 2_628_000, 2_628_001], api, sh)
    assert c[c.kind == "api"]["usd_per_month"].tolist() == pytest.approx([10_000, 26_280, 26_280.01])
    assert c[c.kind == "self-hosted"]["usd_per_month"].tolist() == pytest.approx([730, 730, 1460])


def test_assumptions_are_checked():
    with pytest.raises(WorkbenchError, match="utilisation"):
        SelfHostAssumptions(utilisation=60)
    with pytest.raises(WorkbenchError, match="usd_per_gpu_hour"):
        SelfHostAssumptions(usd_per_gpu_hour=0)


def test_gpu_price_override_and_unknown_gpu():
    cat = load_catalog(FIXTURE)
    step = load_scenario("data/scenarios/support_assistant.yaml").step("answer_with_citations")
    selfh = cat.offerings[cat.offerings["access_mode"] == "self-hosted"]
    p = selfhost_parameters(selfh, step, cat.gpus, SelfHostAssumptions(usd_per_gpu_hour=2.0))
    assert p.loc[0, "usd_per_gpu_hour"] == 2.0 and "assumption" in p.loc[0, "gpu_price_source"]
    with pytest.raises(WorkbenchError, match="L40S.*has no rental price"):
        selfhost_parameters(selfh, step, cat.gpus.assign(gpu="H100"))


def test_prompt_tokens_count_only_with_a_stated_weight():
    from workbench.costs.selfhost import gpu_tokens_per_request
    # 250 output, 3,000 input of which 30 % cached, 1.15 attempts: weight 0 -> 1.15 x 250 = 287.5
    assert float(gpu_tokens_per_request(250, 0, 3000, 0, 0.3, 1.15, 0.0)) == pytest.approx(287.5)
    # weight 0.1: + 0.1 x 3,000 x 0.7 = 210 per attempt -> 1.15 x 460 = 529
    assert float(gpu_tokens_per_request(250, 0, 3000, 0, 0.3, 1.15, 0.1)) == pytest.approx(529.0)
    cat = load_catalog(FIXTURE)
    step = load_scenario("data/scenarios/support_assistant.yaml").step("answer_with_citations")
    selfh = cat.offerings[cat.offerings["access_mode"] == "self-hosted"]
    p0 = selfhost_parameters(selfh, step, cat.gpus)
    p1 = selfhost_parameters(selfh, step, cat.gpus, SelfHostAssumptions(input_token_weight=0.1))
    assert p0.loc[0, "generated_tokens_per_request"] == pytest.approx(287.5)
    assert p1.loc[0, "generated_tokens_per_request"] == pytest.approx(529.0)
    # fewer requests per replica -> a later break-even: cap = 800 x 0.6 x 2,628,000 / (4 x 529) = 596,142 per replica;
    # 3,847.70 / 0.0115 = 334,583 still fits in the first replica
    assert break_even_requests_per_month(0.0115, 529.0, 4, 800, 1, 0.99, 0.6, 3125) == 334_583
    with pytest.raises(WorkbenchError, match="input_token_weight"):
        SelfHostAssumptions(input_token_weight=-1)
