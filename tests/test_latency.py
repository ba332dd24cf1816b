"""Latency budget, tail latency by simulation, spreads from real percentile data, rate-limit headroom.

Speeds and limits of the offerings here are SYNTHETIC unless a test says otherwise; the spread
derivation runs on a 7-row excerpt of Artificial Analysis's provider table (tests/excerpts/).
"""
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.costs.latency import (
    Z95,
    derive_latency_spreads,
    latency_sigmas,
    latency_table,
    load_latency_spreads,
    peak_per_minute,
    rate_limit_headroom,
    share_within,
    simulate_latency_s,
    typical_latency_s,
    typical_ttft_s,
)
from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario

EXCERPT = Path(__file__).parent / "excerpts" / "aa_providers_latency_excerpt.csv"


def step(name="answer_with_citations"):
    return load_scenario("data/scenarios/support_assistant.yaml").step(name)


# synthetic speeds: TTFT 0.5 s, 50 tokens/s
FAST = dict(offering_id="syn/a", model_id="a", provider="syn", access_mode="managed-api", ttft_s=0.5,
            output_tokens_per_s=50.0, rpm_limit=1, tpm_limit=1_000_000)


def test_typical_latency_adds_the_budget_terms():
    # retrieval 0.15 + network 0.05 + TTFT 0.5 + 250 tokens / 50 tok/s = 0.15 + 0.55 + 5 = 5.7 s
    assert float(typical_latency_s(0.5, 50, 250, 0, 0.05, 0.15)) == pytest.approx(5.7)
    # two tool turns of 0.3 s: three calls, each with network and TTFT: 0.15 + 3 x 0.55 + 2 x 0.3 + 5 = 7.4 s
    assert float(typical_latency_s(0.5, 50, 250, 0, 0.05, 0.15, tool_turns=2, tool_call_s=0.3)) == pytest.approx(7.4)
    # 500 reasoning tokens at 50 tok/s add 10 s
    assert float(typical_latency_s(0.5, 50, 250, 500, 0.05, 0.15)) == pytest.approx(15.7)
    # first token: 0.15 + 0.05 + 0.5 = 0.7 s
    assert float(typical_ttft_s(0.5, 0.05, 0.15)) == pytest.approx(0.7)


def test_without_spread_or_failures_every_sample_is_the_typical_latency():
    s = simulate_latency_s(0.5, 50, 250, 0, 0.05, 0.15, n=1000, seed=1)
    assert s.shape == (1, 1000)
    assert np.allclose(s, 5.7)


def test_retries_add_whole_attempts():
    # p = 0.5, two attempts: half the tasks take one attempt (5.55 s + 0.15 retrieval), half two (2 x 5.55 + 0.15)
    s = simulate_latency_s(0.5, 50, 250, 0, 0.05, 0.15, success_rate=0.5, max_attempts=2, n=200_000, seed=3)[0]
    assert set(np.round(np.unique(s), 6)) == {5.7, 11.25}
    assert (s > 6).mean() == pytest.approx(0.5, abs=0.01)
    # mean: 0.15 + 5.55 x 1.5 expected attempts = 8.475
    assert s.mean() == pytest.approx(8.475, abs=0.02)


def test_lognormal_spread_reproduces_the_data_ratio_at_p95():
    # only TTFT (no output): p95 / median of TTFT x exp(sigma Z) is exp(1.645 sigma); sigma = ln(1.5484) / 1.645
    sigma = math.log(1.5484) / Z95
    s = simulate_latency_s(2.0, 50, 0, n=200_000, seed=5, sigma_ttft=sigma)[0]
    assert np.quantile(s, 0.5) == pytest.approx(2.0, rel=0.01)
    assert np.quantile(s, 0.95) == pytest.approx(2.0 * 1.5484, rel=0.01)


def test_simulation_is_seeded():
    a = simulate_latency_s([0.5, 1.0], [50, 80], 250, n=500, seed=9, sigma_ttft=0.3, sigma_tokens_per_s=0.1,
                           success_rate=0.8, max_attempts=3)
    b = simulate_latency_s([0.5, 1.0], [50, 80], 250, n=500, seed=9, sigma_ttft=0.3, sigma_tokens_per_s=0.1,
                           success_rate=0.8, max_attempts=3)
    assert a.shape == (2, 500)
    assert np.array_equal(a, b)


def test_share_within_a_target():
    s = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert share_within(s, [2.5]).tolist() == [0.5]
    assert share_within(s, [4.0]).tolist() == [1.0]  # at the target counts as within
    assert math.isnan(share_within(s, [np.nan])[0])


# ---------------------------------------------------------------------------------------------
# spreads from the real percentile table
# ---------------------------------------------------------------------------------------------

def test_spreads_derived_from_the_excerpt_by_hand():
    raw = pd.read_csv(EXCERPT, dtype=str, keep_default_na=False)
    got = derive_latency_spreads(raw, "excerpt", "2025-08-14").set_index(["metric", "statistic"])
    # the vLLM row has no numbers: 6 of 7 rows used
    assert set(got["n_rows"]) == {6}
    # TTFT P95/median per row: 361.95/66.95 = 5.4063, 68.13/28.28 = 2.4091, 89.08/31.87 = 2.7951,
    # 22.52/11.25 = 2.0018, 35.16/21.37 = 1.6453, 0.33/0.25 = 1.32 -> median (2.0018 + 2.4091) / 2
    med = (22.52 / 11.25 + 68.13 / 28.28) / 2
    assert got.loc[("ttft_s", "median"), "p95_over_median"] == pytest.approx(med, rel=1e-9)
    assert got.loc[("ttft_s", "median"), "lognormal_sigma"] == pytest.approx(math.log(med) / 1.6448536, rel=1e-6)
    # tokens/s P5/median (the "1,707.0" row parsed): 48.2/112.2 = 0.4296, 55.6/113.5 = 0.4899,
    # 75.6/88.9 = 0.8504, 75.1/104.5 = 0.7187, 68.7/79.2 = 0.8674, 1530.9/1707.0 = 0.8968
    # -> median (0.7187 + 0.8504) / 2; sigma from the slow side ln(median / P5) / 1.645
    med5 = (75.1 / 104.5 + 75.6 / 88.9) / 2
    assert got.loc[("output_tokens_per_s", "median"), "p5_over_median"] == pytest.approx(med5, rel=1e-9)
    assert got.loc[("output_tokens_per_s", "median"), "lognormal_sigma"] == pytest.approx(-math.log(med5) / 1.6448536,
                                                                                         rel=1e-6)
    # the p75 statistic is wider than the median one
    assert got.loc[("ttft_s", "p75"), "lognormal_sigma"] > got.loc[("ttft_s", "median"), "lognormal_sigma"]


def test_derivation_names_a_missing_column():
    raw = pd.read_csv(EXCERPT, dtype=str, keep_default_na=False).drop(columns=["P95 First Chunk (s)"])
    with pytest.raises(WorkbenchError, match="P95 First Chunk"):
        derive_latency_spreads(raw, "x", "2025-08-14", file="mine.csv")


def test_the_shipped_spreads_have_source_date_method_and_rows():
    s = load_latency_spreads()
    assert set(s["metric"]) == {"ttft_s", "output_tokens_per_s"}
    assert (s["n_rows"] == 505).all()
    assert s["source"].str.contains("Artificial Analysis").all()
    assert (s["as_of"] == "2025-08-14").all()
    # sigma is the fitted slow-side ratio: ln(1.5484) / 1.645 = 0.2658
    row = s[(s.metric == "ttft_s") & (s.statistic == "median")].iloc[0]
    assert row["lognormal_sigma"] == pytest.approx(math.log(row["p95_over_median"]) / Z95, abs=1e-4)
    assert latency_sigmas(s, "median") == (pytest.approx(0.2658), pytest.approx(0.1162))
    with pytest.raises(WorkbenchError, match="did you mean 'p75'"):
        latency_sigmas(s, "p57")


def test_a_broken_spreads_file_is_reported(tmp_path):
    f = tmp_path / "spreads.csv"
    f.write_text("metric,statistic,p5_over_median,p95_over_median,lognormal_sigma,n_rows,method,source,as_of\n"
                 "ttft,median,0.8,1.5,abc,10,m,s,2025-08-14\n")
    with pytest.raises(WorkbenchError) as e:
        load_latency_spreads(f)
    text = str(e.value)
    assert "row 2" in text and "lognormal_sigma" in text and "unknown metric" in text


# ---------------------------------------------------------------------------------------------
# the table per offering x step
# ---------------------------------------------------------------------------------------------

def test_latency_table_checks_the_steps_targets():
    slow = dict(FAST, offering_id="syn/slow", ttft_s=2.0, output_tokens_per_s=20.0)
    nospeed = dict(FAST, offering_id="syn/unknown", ttft_s=np.nan, output_tokens_per_s=np.nan)
    t = latency_table(pd.DataFrame([FAST, slow, nospeed]), step(), n=20_000, seed=0).set_index("offering_id")
    # targets: ttft 1.5 s, total 6 s, p95 8 s. FAST typical = 5.7 s (see above); slow: 0.15 + 2.05 + 12.5 = 14.7 s
    assert t.loc["syn/a", "typical_latency_s"] == pytest.approx(5.7)
    assert t.loc["syn/slow", "typical_latency_s"] == pytest.approx(14.7)
    assert bool(t.loc["syn/slow", "meets_latency_target"]) is False
    # with retries (p = 0.85, 2 attempts) about 15 % of FAST's tasks take two attempts (> 11 s): p95 is over 8 s
    assert t.loc["syn/a", "share_within_p95_s"] == pytest.approx(0.85, abs=0.02)
    assert bool(t.loc["syn/a", "meets_latency_target"]) is False
    # unknown speed: unknown, not met and not NaN-as-pass
    assert pd.isna(t.loc["syn/unknown", "meets_latency_target"])
    assert math.isnan(t.loc["syn/unknown", "p95_s"])


def test_a_step_without_retries_meets_its_target():
    s = step("classify_intent")  # 450 in, 8 out; targets ttft 0.8, total 1.0, p95 2.0; network 0.05
    t = latency_table(pd.DataFrame([dict(FAST, ttft_s=0.3, output_tokens_per_s=100.0)]), s, seed=0).iloc[0]
    # typical 0.05 + 0.3 + 8 / 100 = 0.43 s
    assert t["typical_latency_s"] == pytest.approx(0.43)
    assert bool(t["meets_latency_target"]) is True
    assert t["share_within_total_s"] > 0.9


# ---------------------------------------------------------------------------------------------
# rate limits
# ---------------------------------------------------------------------------------------------

def test_peak_per_minute_by_hand():
    # 14,000 a month x 4 peak / 43,800 minutes x 1.15 attempts = 1.47032 calls a minute;
    # tokens: x (3,000 + 250) = 4,778.5 a minute
    rpm, tpm = peak_per_minute(14_000, 4, 0.85, 2, 3000, 250)
    assert float(rpm) == pytest.approx(14_000 * 4 / 43_800 * 1.15)
    assert float(tpm) == pytest.approx(14_000 * 4 / 43_800 * 1.15 * 3250)
    # half batched: half the real-time load; one tool turn: two calls, the context twice
    rpm2, tpm2 = peak_per_minute(14_000, 4, 0.85, 2, 3000, 250, tool_turns=1, batch_share=0.5)
    assert float(rpm2) == pytest.approx(float(rpm))
    assert float(tpm2) == pytest.approx(14_000 * 4 / 43_800 * 1.15 * 0.5 * 6250)


def test_rate_limit_headroom_says_what_it_takes():
    unknown = dict(FAST, offering_id="syn/nolimit", rpm_limit=np.nan, tpm_limit=np.nan)
    roomy = dict(FAST, offering_id="syn/roomy", rpm_limit=500, tpm_limit=2_000_000)
    t = rate_limit_headroom(pd.DataFrame([FAST, unknown, roomy]), step()).set_index("offering_id")
    # FAST allows 1 request a minute; the peak is 1.47: over by 1.5x -> 2 keys, or batch 1 - 1/1.47 = 32 %
    assert t.loc["syn/a", "rpm_use"] == pytest.approx(1.47032, rel=1e-4)
    assert bool(t.loc["syn/a", "fits_rate_limits"]) is False
    assert t.loc["syn/a", "limit_multiple"] == 2
    assert t.loc["syn/a", "batch_share_to_fit"] == pytest.approx(1 - 1 / 1.47032, rel=1e-4)
    assert t.loc["syn/a", "to_fit"].startswith("over by 1.5x: use 2 keys/projects")
    assert pd.isna(t.loc["syn/nolimit", "fits_rate_limits"]) and t.loc["syn/nolimit", "to_fit"].startswith("unknown")
    assert bool(t.loc["syn/roomy", "fits_rate_limits"]) is True
    # 20x the volume: 29.4 requests a minute still fits 500
    assert bool(rate_limit_headroom(pd.DataFrame([roomy]), step(), volume=280_000)["fits_rate_limits"].iloc[0])


def test_an_unknown_or_zero_speed_gives_nan_not_infinity():
    assert math.isnan(float(typical_latency_s(0.5, 0.0, 250)))
    assert math.isnan(float(typical_latency_s(0.5, np.nan, 250)))
    # no output tokens: the speed is not needed
    assert float(typical_latency_s(0.5, 0.0, 0)) == pytest.approx(0.5)


def test_a_rows_samples_do_not_depend_on_the_other_rows():
    """Simulating an offering alone or beside others gives it the same p95 (common random numbers)."""
    import numpy as np

    from workbench.costs.latency import simulate_latency_s
    alone = simulate_latency_s(0.5, 80.0, 200, success_rate=0.9, max_attempts=1, n=5000, seed=3,
                               sigma_ttft=0.3, sigma_tokens_per_s=0.1)
    beside = simulate_latency_s([2.0, 0.5], [20.0, 80.0], 200, success_rate=[0.5, 0.9], max_attempts=[3, 1], n=5000,
                                seed=3, sigma_ttft=0.3, sigma_tokens_per_s=0.1)
    np.testing.assert_array_equal(alone[0], beside[1])
