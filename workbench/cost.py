"""Cost of a request, a month and a successful task, from catalog prices (USD per million tokens).

One formula, one place, vectorised over offerings: :func:`request_cost_usd` prices one request of a
token mix on every offering at once. Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``
(token-mix pricing vs the 3:1 blend) and ``notebooks/03_cost_and_latency.ipynb`` (term by term).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import fail

MTOK = 1_000_000


def _col(offers: pd.DataFrame, name: str) -> np.ndarray:
    if name not in offers:
        return np.full(len(offers), np.nan)
    return pd.to_numeric(offers[name], errors="coerce").to_numpy(dtype=float)


def _or(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a where known, else b."""
    return np.where(np.isnan(a), b, a)


def request_cost_usd(offers: pd.DataFrame, input_tokens, output_tokens, reasoning_tokens=0, cached_share=0.0,
                     cache_write_share=0.0, batch_share=0.0, tool_turns=0) -> pd.Series:
    """USD for one attempt of one request on each offering (rows of ``offers``).

    Terms (prices in USD per million tokens, token arguments scalars or arrays aligned with the rows):

    - input sent = ``input_tokens * (1 + tool_turns)``: each tool-loop turn re-sends the context;
    - of it, ``cached_share`` is billed at the cache-read price, ``cache_write_share`` at the
      cache-write price, the rest at the input price (a missing cache price means no discount);
    - output tokens at the output price; reasoning tokens at the reasoning price, or the output
      price where none is listed;
    - long-context tier: when one call's prompt (``input_tokens``) exceeds ``tier_above_tokens``,
      *all* tokens of the request are billed at the tier's prices (as providers bill); cache prices
      scale by the same ratio as the input price;
    - ``batch_share`` of requests get the offering's ``batch_discount`` (none where it is unknown).

    An offering without an input or output price gives NaN, never 0.
    """
    tin = np.asarray(input_tokens, dtype=float)
    tout = np.asarray(output_tokens, dtype=float)
    treason = np.asarray(reasoning_tokens, dtype=float)
    c = np.asarray(cached_share, dtype=float)
    w = np.asarray(cache_write_share, dtype=float)
    b = np.asarray(batch_share, dtype=float)
    turns = np.asarray(tool_turns, dtype=float)

    p_in, p_out = _col(offers, "usd_per_mtok_in"), _col(offers, "usd_per_mtok_out")
    p_cached = _or(_col(offers, "usd_per_mtok_cached_in"), p_in)
    p_write = _or(_col(offers, "usd_per_mtok_cache_write"), p_in)
    p_reason = _or(_col(offers, "usd_per_mtok_reasoning"), p_out)

    tier = _col(offers, "tier_above_tokens")
    in_tier = ~np.isnan(tier) & (tin > np.nan_to_num(tier, nan=np.inf))
    tier_in, tier_out = _col(offers, "usd_per_mtok_in_above_tier"), _col(offers, "usd_per_mtok_out_above_tier")
    ratio = np.where(in_tier, _or(tier_in, p_in) / p_in, 1.0)
    p_in_eff = np.where(in_tier, _or(tier_in, p_in), p_in)
    p_out_eff = np.where(in_tier, _or(tier_out, p_out), p_out)
    p_reason_eff = np.where(in_tier & np.isnan(_col(offers, "usd_per_mtok_reasoning")), p_out_eff, p_reason * ratio)

    sent = tin * (1 + turns)
    usd = (sent * (1 - c - w) * p_in_eff + sent * c * p_cached * ratio + sent * w * p_write * ratio
           + tout * p_out_eff + treason * p_reason_eff) / MTOK
    discount = np.nan_to_num(_col(offers, "batch_discount"), nan=0.0)
    usd = usd * (1 - b * discount)
    return pd.Series(usd, index=offers.index, name="usd_per_request")


def request_cost_for_step(offers: pd.DataFrame, step) -> pd.Series:
    """:func:`request_cost_usd` with a scenario step's token mix (``workbench.scenario.Step``)."""
    t = step.tokens
    return request_cost_usd(offers, t.input, t.output, t.reasoning, t.cached_share, t.cache_write_share,
                            t.batch_share, t.tool_turns)


def blended_usd_per_mtok_3to1(offers: pd.DataFrame) -> pd.Series:
    """The leaderboards' blended price: (3 x input + 1 x output) / 4, USD per million tokens."""
    return pd.Series((3 * _col(offers, "usd_per_mtok_in") + _col(offers, "usd_per_mtok_out")) / 4,
                     index=offers.index, name="usd_per_mtok_blended_3to1")


def price_of(catalog, offering_id: str, input_tokens: int, output_tokens: int, **mix) -> float:
    """USD for one request on one offering; an unknown offering or a missing price is an error."""
    row = catalog.offering(offering_id)
    usd = float(request_cost_usd(row.to_frame().T, input_tokens, output_tokens, **mix).iloc[0])
    if np.isnan(usd):
        raise fail(catalog.files.get("offerings", catalog.path), f"offering '{offering_id}'",
                   "has no input or output price", "add the list price, or pick a priced offering")
    return usd
