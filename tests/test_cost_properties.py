"""Properties that must hold for any prices and any token mix (hypothesis).

Cost never decreases when volume, tokens or the failure rate grow; the share of requests meeting a
latency target never increases when the target tightens. Prices are generated (SYNTHETIC), with
long-context tier prices at or above the base prices, as every provider lists them.
"""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.costs.latency import share_within, simulate_latency_s
from workbench.costs.request import monthly_costs, request_cost_usd

price = st.floats(0.01, 100.0)
share = st.floats(0.0, 1.0)
tokens = st.integers(0, 400_000)


@st.composite
def offering(draw):
    p_in, p_out = draw(price), draw(price)
    row = {"usd_per_mtok_in": p_in, "usd_per_mtok_out": p_out,
           "usd_per_mtok_cached_in": p_in * draw(share), "usd_per_mtok_cache_write": p_in * (1 + draw(share)),
           "usd_per_mtok_reasoning": draw(st.one_of(st.just(np.nan), price)),
           "batch_discount": draw(st.floats(0.0, 0.9))}
    if draw(st.booleans()):
        row.update(tier_above_tokens=draw(st.integers(1000, 300_000)),
                   usd_per_mtok_in_above_tier=p_in * (1 + draw(share)), usd_per_mtok_out_above_tier=p_out * (1 + draw(share)))
    return pd.DataFrame([row])


@st.composite
def mix(draw):
    c = draw(share)
    return dict(input_tokens=draw(tokens), output_tokens=draw(st.integers(0, 50_000)),
                reasoning_tokens=draw(st.integers(0, 50_000)), cached_share=c, cache_write_share=draw(share) * (1 - c),
                batch_share=draw(share), tool_turns=draw(st.integers(0, 5)))


def cost(o, m):
    return float(request_cost_usd(o, **m).iloc[0])


@settings(max_examples=300, deadline=None)
@given(offering(), mix(), st.sampled_from(["input_tokens", "output_tokens", "reasoning_tokens", "tool_turns"]),
       st.integers(1, 100_000))
def test_more_tokens_never_cost_less(o, m, key, more):
    bigger = dict(m, **{key: m[key] + (more if key != "tool_turns" else 1)})
    assert cost(o, bigger) >= cost(o, m) * (1 - 1e-12)


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-6, 10.0), st.floats(0, 1e7), st.floats(0, 1e7), st.floats(0.01, 1.0), st.integers(1, 10),
       share, st.floats(0, 100), st.booleans())
def test_more_volume_never_costs_less(usd, vol, extra, p, n, e, u, fail_to_human):
    a = monthly_costs(usd, vol, p, n, e, u, fail_to_human)["usd_per_month"].iloc[0]
    b = monthly_costs(usd, vol + extra, p, n, e, u, fail_to_human)["usd_per_month"].iloc[0]
    assert b >= a * (1 - 1e-12)


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-6, 10.0), st.floats(1, 1e7), st.floats(0.02, 1.0), st.floats(0.0, 0.99), st.integers(1, 10),
       st.floats(0, 0.9), st.floats(0, 100), st.booleans())
def test_a_higher_failure_rate_never_costs_less(usd, vol, p, worse, n, e, u, fail_to_human):
    p_worse = p * (1 - worse)
    if p_worse < 0.01:
        return
    good = monthly_costs(usd, vol, p, n, e, u, fail_to_human).iloc[0]
    bad = monthly_costs(usd, vol, p_worse, n, e, u, fail_to_human).iloc[0]
    assert bad["usd_per_month"] >= good["usd_per_month"] * (1 - 1e-12)
    assert bad["usd_per_success"] >= good["usd_per_success"] * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(5.0, 500.0), st.integers(0, 2000), st.floats(0.0, 1.0), st.floats(0.0, 0.5),
       st.floats(0.3, 1.0), st.integers(1, 4), st.floats(0.1, 120.0), st.floats(0.0, 60.0), st.integers(0, 1000))
def test_a_tighter_latency_target_never_has_a_larger_share_within_it(ttft, tps, out, s_ttft, s_tps, p, n, target,
                                                                      tighter, seed):
    samples = simulate_latency_s(ttft, tps, out, success_rate=p, max_attempts=n, n=2000, seed=seed,
                                 sigma_ttft=s_ttft, sigma_tokens_per_s=s_tps)
    loose = share_within(samples, [target])[0]
    tight = share_within(samples, [max(target - tighter, 0.0)])[0]
    assert tight <= loose
