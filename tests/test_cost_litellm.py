"""Real prices: 20 entries of LiteLLM's price map (tests/excerpts/litellm_cost_excerpt.json, copied unchanged
from model_prices_and_context_window_backup.json in the litellm 1.110.2 wheel, MIT).

The workbench's cost must equal the per-token arithmetic straight from the file. Two paths are checked:
the whole path (LiteLLM importer -> validated catalog -> cost formula) and the formula alone on
offerings built from the file's prices with the one per-token -> per-million conversion.
"""
import json
from pathlib import Path

import pandas as pd
import pytest

from workbench.catalog.importers.common import per_token_to_per_mtok
from workbench.catalog.load import catalog_from_frames
from workbench.costs.request import request_cost_usd

EXCERPT = Path(__file__).parent / "excerpts" / "litellm_cost_excerpt.json"
ENTRIES = json.loads(EXCERPT.read_text())
REL = 1e-9


def imported_offerings() -> pd.DataFrame:
    from workbench.catalog.importers.litellm import import_litellm
    result = import_litellm(str(EXCERPT), "2026-11-20")
    assert result.counts()["skipped"] == {}, result.skipped
    cat = catalog_from_frames(result.tables)
    return cat.offerings.set_index("provider_model_id")


def test_the_excerpt_holds_20_real_priced_entries():
    assert len(ENTRIES) == 20
    for key, e in ENTRIES.items():
        assert e["input_cost_per_token"] > 0 and e["output_cost_per_token"] > 0, key


def _rel(a, b):
    return abs(a - b) / abs(b)


def test_1000_input_500_output_equals_the_per_token_arithmetic_through_the_importer():
    offers = imported_offerings()
    assert sorted(offers.index) == sorted(ENTRIES)
    got = request_cost_usd(offers, 1000, 500)
    for key, e in ENTRIES.items():
        expected = 1000 * e["input_cost_per_token"] + 500 * e["output_cost_per_token"]
        assert _rel(float(got[key]), expected) < REL, (key, float(got[key]), expected)


def test_1000_input_500_output_on_offerings_built_from_the_file():
    rows = [{"offering_id": k, "usd_per_mtok_in": per_token_to_per_mtok(e["input_cost_per_token"]),
             "usd_per_mtok_out": per_token_to_per_mtok(e["output_cost_per_token"])} for k, e in ENTRIES.items()]
    got = request_cost_usd(pd.DataFrame(rows), 1000, 500)
    for (key, e), usd in zip(ENTRIES.items(), got):
        # e.g. gpt-5.1: 1,000 x 1.25e-06 + 500 x 1e-05 = 0.00125 + 0.005 = 0.00625 USD
        assert _rel(usd, 1000 * e["input_cost_per_token"] + 500 * e["output_cost_per_token"]) < REL, key
    assert float(got.iloc[0]) == pytest.approx(0.00625, rel=REL)


def test_cached_reads_and_cache_writes_follow_the_file():
    offers = imported_offerings()
    checked = 0
    for key, e in ENTRIES.items():
        if "cache_read_input_token_cost" not in e:
            continue
        got = float(request_cost_usd(offers.loc[[key]], 1000, 500, cached_share=0.5).iloc[0])
        expected = 500 * e["input_cost_per_token"] + 500 * e["cache_read_input_token_cost"] + 500 * e["output_cost_per_token"]
        assert _rel(got, expected) < REL, key
        checked += 1
        # deepseek-chat lists a cache-write price of 0; the importer leaves 0-priced optional prices empty,
        # which bills writes at the input price (DeepSeek bills a cache miss at the input price)
        if e.get("cache_creation_input_token_cost"):
            got = float(request_cost_usd(offers.loc[[key]], 1000, 0, cache_write_share=1.0).iloc[0])
            assert _rel(got, 1000 * e["cache_creation_input_token_cost"]) < REL, key
    assert checked >= 10


def test_a_request_above_200k_tokens_uses_the_files_tier_prices_on_every_token():
    offers = imported_offerings()
    tiered = [k for k, e in ENTRIES.items() if "input_cost_per_token_above_200k_tokens" in e]
    assert len(tiered) == 3
    for key in tiered:
        e = ENTRIES[key]
        got = float(request_cost_usd(offers.loc[[key]], 250_000, 500).iloc[0])
        expected = 250_000 * e["input_cost_per_token_above_200k_tokens"] + 500 * e["output_cost_per_token_above_200k_tokens"]
        assert _rel(got, expected) < REL, key
        # the cache price above the tier is not a catalog column: the formula scales it by the tier's
        # input-price ratio, which reproduces LiteLLM's own above-200k cache price for these entries
        got = float(request_cost_usd(offers.loc[[key]], 250_000, 500, cached_share=0.4).iloc[0])
        expected = (150_000 * e["input_cost_per_token_above_200k_tokens"]
                    + 100_000 * e["cache_read_input_token_cost_above_200k_tokens"]
                    + 500 * e["output_cost_per_token_above_200k_tokens"])
        assert _rel(got, expected) < REL, key


def test_reasoning_tokens_use_the_files_reasoning_price():
    offers = imported_offerings()
    priced = [k for k, e in ENTRIES.items() if "output_cost_per_reasoning_token" in e]
    assert priced == ["gemini/gemini-2.5-flash", "dashscope/qwen-plus-2025-07-14"]
    for key in priced:
        e = ENTRIES[key]
        got = float(request_cost_usd(offers.loc[[key]], 1000, 500, reasoning_tokens=2000).iloc[0])
        expected = (1000 * e["input_cost_per_token"] + 500 * e["output_cost_per_token"]
                    + 2000 * e["output_cost_per_reasoning_token"])
        assert _rel(got, expected) < REL, key
    # dashscope's reasoning price (4e-06) is not its output price (1.2e-06): 2,000 reasoning tokens cost 0.008
    assert ENTRIES["dashscope/qwen-plus-2025-07-14"]["output_cost_per_reasoning_token"] * 2000 == pytest.approx(0.008)


def test_batch_requests_use_the_files_batch_prices():
    offers = imported_offerings()
    checked = 0
    for key, e in ENTRIES.items():
        if "input_cost_per_token_batches" not in e or pd.isna(offers.loc[key, "batch_discount"]):
            continue
        got = float(request_cost_usd(offers.loc[[key]], 1000, 500, batch_share=1.0).iloc[0])
        expected = 1000 * e["input_cost_per_token_batches"] + 500 * e["output_cost_per_token_batches"]
        assert _rel(got, expected) < REL, key
        checked += 1
    assert checked >= 8
