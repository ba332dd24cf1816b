"""Benchmark: the full per-request cost formula on 1,000,000 rows, and the same arithmetic row by row in
plain Python, reported as a speed-up ratio.

Rows are SYNTHETIC: offerings drawn with replacement from the catalog's priced offerings (the
project's snapshot, or ``--catalog DIR``), each with a random token mix (seeded) that exercises every
term: cached share, cache writes, reasoning tokens, tool turns, batch share, and prompts on both sides
of long-context tiers. Goals: >= 5 million rows/s vectorised, >= 100x the row-by-row loop. The two
results are compared row by row (they must agree to 1e-9), so the loop is a check, not a second formula.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.bench.harness import Case
from workbench.catalog.load import load_catalog
from workbench.costs.request import request_cost_usd

ROWS = 1_000_000
LOOP_ROWS = 20_000
GOAL_ROWS_PER_S = 5e6
GOAL_RATIO = 100.0
PRICE_COLUMNS = ("usd_per_mtok_in", "usd_per_mtok_out", "usd_per_mtok_cached_in", "usd_per_mtok_cache_write",
                 "usd_per_mtok_reasoning", "batch_discount", "tier_above_tokens", "usd_per_mtok_in_above_tier",
                 "usd_per_mtok_out_above_tier")


def synthetic_rows(offerings: pd.DataFrame, n: int = ROWS, seed: int = 7) -> tuple[pd.DataFrame, dict]:
    """``n`` priced offerings drawn with replacement (their price columns, as the catalog types them)
    and ``n`` random token mixes (seeded). For timing only."""
    priced = offerings[offerings["access_mode"] != "self-hosted"]
    priced = priced[pd.to_numeric(priced["usd_per_mtok_out"], errors="coerce").notna()]
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(priced), size=n)
    offers = priced[[c for c in PRICE_COLUMNS if c in priced]].iloc[pick].reset_index(drop=True)
    cached = rng.uniform(0, 0.8, n)
    mix = {
        "input_tokens": np.where(rng.random(n) < 0.05, rng.integers(150_000, 400_000, n), rng.integers(50, 20_000, n)).astype(float),
        "output_tokens": rng.integers(1, 2000, n).astype(float),
        "reasoning_tokens": np.where(rng.random(n) < 0.3, rng.integers(0, 4000, n), 0).astype(float),
        "cached_share": cached,
        "cache_write_share": rng.uniform(0, 1, n) * (1 - cached) * 0.2,
        "batch_share": np.where(rng.random(n) < 0.2, 1.0, 0.0),
        "tool_turns": rng.integers(0, 3, n).astype(float),
    }
    return offers, mix


def _nan(x) -> float:
    return float("nan") if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else float(x)


def cost_row_by_row(offers: pd.DataFrame, mix: dict, rows: int) -> list[float]:
    """The same arithmetic as :func:`workbench.costs.request.request_cost_usd`, one row at a time in plain Python:
    the baseline the vectorised formula is measured against (and checked with), not used elsewhere."""
    cols = [offers[c].astype(object).tolist()[:rows] if c in offers else [None] * rows for c in PRICE_COLUMNS]
    m = [mix[k][:rows].tolist() for k in ("input_tokens", "output_tokens", "reasoning_tokens", "cached_share",
                                           "cache_write_share", "batch_share", "tool_turns")]
    out = []
    for i in range(rows):
        p_in, p_out, p_c, p_w, p_r, disc, tier, t_in, t_out = (_nan(col[i]) for col in cols)
        tin, tout, tr, c, w, b, turns = (v[i] for v in m)
        above = not math.isnan(tier) and tin > tier
        ti = p_in if math.isnan(t_in) else t_in
        to = p_out if math.isnan(t_out) else t_out
        pin, pout = (ti, to) if above else (p_in, p_out)
        r_in, r_out = (ti / p_in, to / p_out) if above else (1.0, 1.0)
        pc = (p_in if math.isnan(p_c) else p_c) * r_in
        pw = (p_in if math.isnan(p_w) else p_w) * r_in
        pr = pout if math.isnan(p_r) else p_r * r_out
        sent = tin * (1 + turns)
        usd = 0.0
        for tokens, price in ((sent * (1 - c - w), pin), (sent * c, pc), (sent * w, pw), (tout, pout), (tr, pr)):
            usd += tokens * price / 1e6 if tokens > 0 else 0.0
        d = 0.0 if math.isnan(disc) else disc
        out.append(usd - usd * (b * d if b > 0 else 0.0))
    return out


def cases(options) -> list[Case]:
    seed = getattr(options, "seed", 7)
    cat = load_catalog(getattr(options, "catalog", None))
    offers, mix = synthetic_rows(cat.offerings, ROWS, seed)
    args = [mix[k] for k in ("input_tokens", "output_tokens", "reasoning_tokens", "cached_share", "cache_write_share",
                             "batch_share", "tool_turns")]
    shared: dict = {}

    def vectorised():
        return request_cost_usd(offers, *args)

    def check_vectorised(row):
        shared["vectorised_s"] = row["median_s"]
        rate = ROWS / row["median_s"]
        return rate, "rows/s", rate >= GOAL_ROWS_PER_S

    def loop():
        return cost_row_by_row(offers, mix, LOOP_ROWS)

    def check_loop(row):
        loop_rate = LOOP_ROWS / row["median_s"]
        vec_rate = ROWS / shared["vectorised_s"]
        ref = np.asarray(row["result"])
        vec = vectorised().to_numpy()[:LOOP_ROWS]
        both = ~np.isnan(ref)
        agree = np.array_equal(np.isnan(ref), np.isnan(vec)) and np.allclose(vec[both], ref[both], rtol=1e-9, atol=0)
        row["row_by_row_rows_per_s"] = loop_rate
        row["max_rel_diff"] = float(np.max(np.abs(vec[both] - ref[both]) / np.maximum(np.abs(ref[both]), 1e-300)))
        row["agree"] = bool(agree)
        ratio = vec_rate / loop_rate
        return ratio, "x faster than row by row", bool(agree and ratio >= GOAL_RATIO)

    where = f"{ROWS:,} synthetic rows resampled from {cat.path}, seed {seed}"
    return [
        Case(name=f"cost formula, vectorised ({ROWS:,} rows)", run=vectorised, repeat=7,
             goal=f">= {GOAL_ROWS_PER_S / 1e6:g}M rows/s", check=check_vectorised, extra={"rows": ROWS, "data": where}),
        Case(name=f"cost formula, plain-Python loop ({LOOP_ROWS:,} rows) vs vectorised", run=loop, repeat=3,
             goal=f">= {GOAL_RATIO:g}x; results agree to 1e-9", check=check_loop,
             extra={"rows": LOOP_ROWS, "data": where}),
    ]
