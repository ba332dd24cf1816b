"""LiteLLM importer on a 24-entry excerpt of the real price map (tests/excerpts/README.md says which and why).

Expected prices are worked out by hand from the excerpt: LiteLLM prices are USD per token, so
USD per million tokens = per-token price x 1e6.
"""
import copy
import json
from pathlib import Path

import pytest

from workbench.catalog.importers import import_litellm
from workbench.catalog.importers.litellm import model_id_from_key, provider_access_modes
from workbench.catalog.load import catalog_from_frames
from workbench.errors import WorkbenchError

EXCERPT = Path(__file__).parent / "excerpts" / "litellm_model_prices_excerpt.json"
AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def result():
    return import_litellm(EXCERPT, AS_OF, source="LiteLLM excerpt (litellm 1.110.2)")


def offering(result, offering_id):
    o = result.tables["offerings"]
    rows = o[o["offering_id"] == offering_id]
    assert len(rows) == 1, f"{offering_id} not imported once"
    return rows.iloc[0]


def model(result, model_id):
    m = result.tables["models"]
    return m[m["model_id"] == model_id].iloc[0]


def skip_reason(result, entry):
    s = result.skipped
    return s.loc[s["entry"] == entry, "reason"].item()


def test_every_entry_is_imported_or_skipped(result):
    c = result.counts()
    assert c["total"] == 24
    # 12 skipped: sample_spec, alias, image_generation, zero price, ollama, per-query rerank, 2 duplicate keys,
    # gateway, 3 size-class price bands
    assert c["imported"] == 12
    assert sum(c["skipped"].values()) == 12
    assert c["imported"] + sum(c["skipped"].values()) == c["total"]
    assert len(result.tables["offerings"]) == 12


def test_tables_pass_the_catalog_validator(result):
    cat = catalog_from_frames(result.tables)
    assert len(cat.models) == 12 and len(cat.offerings) == 12
    assert cat.offerings["source"].str.startswith("LiteLLM excerpt (litellm 1.110.2)").all()
    assert (cat.offerings["as_of"].dt.strftime("%Y-%m-%d") == AS_OF).all()


def test_documentation_and_alias_entries_are_skipped_with_reasons(result):
    assert skip_reason(result, "sample_spec") == "documentation entry"
    assert skip_reason(result, "claude-sonnet-latest") == "alias of another entry"
    detail = result.skipped.loc[result.skipped["entry"] == "claude-sonnet-latest", "detail"].item()
    assert detail == "alias_of claude-sonnet-5-5"


def test_per_token_prices_become_per_million(result):
    o = offering(result, "openai/gpt-5.1")
    assert o.usd_per_mtok_in == pytest.approx(1.25e-06 * 1e6)        # 1.25
    assert o.usd_per_mtok_out == pytest.approx(1e-05 * 1e6)          # 10
    assert o.usd_per_mtok_cached_in == pytest.approx(1.25e-07 * 1e6)  # 0.125
    assert o.access_mode == "managed-api" and o.provider == "openai" and o.provider_model_id == "gpt-5.1"


def test_cache_write_price(result):
    o = offering(result, "anthropic/claude-haiku-4-5")
    assert o.usd_per_mtok_cache_write == pytest.approx(1.25e-06 * 1e6)  # 1.25
    assert o.usd_per_mtok_cached_in == pytest.approx(1e-07 * 1e6)       # 0.1


def test_consistent_batch_prices_give_one_discount(result):
    o = offering(result, "openai/gpt-5.1")
    # input 1 - 6.25e-07/1.25e-06 = 0.5 ; output 1 - 5e-06/1e-05 = 0.5
    assert o.batch_discount == pytest.approx(1 - 6.25e-07 / 1.25e-06)
    assert o.batch_api == True


def test_inconsistent_batch_prices_leave_the_discount_empty_and_say_why(result):
    o = offering(result, "azure/eu/gpt-4o-mini")
    # input 1 - 8.3e-08/1.65e-07 = 0.497; no output batch price -> not one discount
    assert o.batch_discount != o.batch_discount  # NaN
    assert "input 0.497, output missing" in o.assumptions
    assert o.regions == "eu"


def test_lowest_long_context_tier(result):
    o = offering(result, "gemini/gemini-2.5-pro")
    assert o.tier_above_tokens == 200 * 1000
    assert o.usd_per_mtok_in_above_tier == pytest.approx(2.5e-06 * 1e6)    # 2.5
    assert o.usd_per_mtok_out_above_tier == pytest.approx(1.5e-05 * 1e6)   # 15
    assert o.rpm_limit == 2000 and o.tpm_limit == 800000


def test_reasoning_price(result):
    o = offering(result, "dashscope/qwen-plus-2025-07-14")
    assert o.usd_per_mtok_reasoning == pytest.approx(4e-06 * 1e6)  # 4
    assert model(result, "qwen-plus-2025-07-14").reasoning == True


def test_deprecation_date_only_from_first_party(result):
    assert model(result, "gpt-5.1").deprecation_date == "2027-04-01"
    # gpt-4o-mini is only in the excerpt via Azure: Azure's retirement date is not the model's
    assert pd_isna(model(result, "gpt-4o-mini").deprecation_date)


def test_legacy_max_tokens_used_only_when_max_output_tokens_missing(result):
    o = offering(result, "text-completion-openai/davinci-002")
    assert o.max_output_tokens == 4096
    assert "legacy max_tokens" in o.assumptions
    assert pd_isna(offering(result, "openai/gpt-5.1").assumptions)


def pd_isna(v):
    return v is None or v != v


def test_embedding_and_reranker_keep_input_price_and_no_output_price(result):
    emb = offering(result, "openai/text-embedding-3-small")
    assert emb.usd_per_mtok_in == pytest.approx(2e-08 * 1e6)  # 0.02
    assert pd_isna(emb.usd_per_mtok_out)                       # LiteLLM lists 0.0: embeddings bill input only
    assert emb.batch_discount == pytest.approx(1 - 1e-08 / 2e-08)  # 0.5, input side only for an embedding
    assert model(result, "text-embedding-3-small").model_type == "embedding"
    rr = offering(result, "jina_ai/jina-reranker-v3.5")
    assert rr.usd_per_mtok_in == pytest.approx(5e-08 * 1e6)    # 0.05
    assert model(result, "jina-reranker-v3.5").model_type == "reranker"
    assert skip_reason(result, "cohere.rerank-v3-5:0") == "priced per query or item, not per token"


def test_non_chat_zero_price_self_hosted_and_gateway_are_skipped(result):
    assert skip_reason(result, "gpt-image-1.5") == "non-chat mode: image_generation"
    assert skip_reason(result, "gemini/gemma-3-27b-it") == "zero price (free tier or unknown)"
    assert skip_reason(result, "ollama/codellama") == "self-hosted: LiteLLM gives no GPU or throughput"
    assert skip_reason(result, "vercel_ai_gateway/alibaba/qwen-3-14b") == "gateway or reseller: import the underlying provider"


def test_same_offering_under_two_keys_is_imported_once(result):
    # same prices and limits under both keys: the first is kept (tie), and nothing is flagged for it
    assert offering(result, "deepseek/deepseek-chat").provider_model_id == "deepseek-chat"
    assert skip_reason(result, "deepseek/deepseek-chat") == "duplicate of another key (same provider and id)"
    assert not [f for f in result.flags if f[0] in ("deepseek-chat", "deepseek/deepseek-chat")]


def test_duplicate_keys_that_disagree_are_reported_with_both_values(result):
    # real entries, in the real file's order: 'gemini/gemini-flash-latest' (rpm 15, tpm 250000) comes first,
    # 'gemini-flash-latest' (rpm 100000, tpm 8000000) later; both state as many facts, so the first is kept
    o = offering(result, "gemini/gemini-flash-latest")
    assert o.provider_model_id == "gemini/gemini-flash-latest" and o.rpm_limit == 15 and o.tpm_limit == 250000
    assert skip_reason(result, "gemini-flash-latest") == "duplicate of another key (same provider and id)"
    (flag,) = [f for f in result.flags if f[0] == "gemini-flash-latest"]
    assert flag[1] == "duplicate key disagrees with the kept key"
    assert "kept gemini/gemini-flash-latest" in flag[2] and "on a tie, the first in the file" in flag[2]
    assert "rpm_limit: gemini/gemini-flash-latest=15 vs gemini-flash-latest=100000" in flag[2]
    assert "tpm_limit: gemini/gemini-flash-latest=250000 vs gemini-flash-latest=8000000" in flag[2]


def test_size_class_price_bands_are_not_models(result):
    for key in ("together-ai-up-to-4b", "fireworks-ai-moe-up-to-56b", "together-ai-embedding-up-to-150m"):
        assert skip_reason(result, key) == "price band by model size (not a model)", key
    assert not result.tables["models"]["model_id"].str.contains("up-to").any()


def test_older_cache_hit_field_is_the_cache_read_price(result):
    # deepseek/deepseek-coder: input 1.4e-07, input_cost_per_token_cache_hit 1.4e-08 (cache_read removed, see README)
    o = offering(result, "deepseek/deepseek-coder")
    assert o.usd_per_mtok_in == pytest.approx(0.14) and o.usd_per_mtok_cached_in == pytest.approx(0.014)
    assert "input_cost_per_token_cache_hit" in o.assumptions


def test_long_context_tier_more_than_ten_times_base_is_flagged():
    # no entry of the 1.110.2 map has such a tier (real tiers are 1.5x-2x), so the mistake is made here, on a
    # copy of the real gemini/gemini-2.5-pro entry: its 200k input tier with the decimal point one place off (x10)
    data = json.loads(EXCERPT.read_text())
    entry = copy.deepcopy(data["gemini/gemini-2.5-pro"])
    base, tier = entry["input_cost_per_token"], entry["input_cost_per_token_above_200k_tokens"]
    entry["input_cost_per_token_above_200k_tokens"] = tier * 10
    r = import_litellm({"gemini/gemini-2.5-pro": entry}, AS_OF)
    (flag,) = r.flags
    assert flag[0] == "gemini/gemini-2.5-pro" and flag[1] == "long-context tier price more than 10x its base price"
    assert f"({tier * 10 / base:.1f}x)" in flag[2] and "imported as stated" in flag[2]
    assert r.tables["offerings"].iloc[0].usd_per_mtok_in_above_tier == pytest.approx(tier * 10 * 1e6)
    # the excerpt as shipped has no such tier
    assert not [f for f in import_litellm(EXCERPT, AS_OF).flags if "tier" in f[1]]


def test_capability_flags_and_modalities(result):
    o = offering(result, "gemini/gemini-2.5-pro")
    assert o.tool_calling == True and o.structured_outputs == True and o.prompt_caching == True
    assert model(result, "gemini-2.5-pro").input_modalities == "text;image;audio;video;pdf"
    # a flag LiteLLM does not give stays unknown, never "no"
    assert offering(result, "dashscope/qwen-plus-2025-07-14").structured_outputs is None


def test_ids_regions_and_name_map(result):
    o = offering(result, "bedrock_converse/us.anthropic.claude-opus-4-6-v1")
    assert o.model_id == "claude-opus-4-6-v1" and o.regions == "us"
    assert o.usd_per_mtok_out == pytest.approx(2.75e-05 * 1e6)  # 27.5
    nm = result.tables["name_map"]
    row = nm[nm["external_name"] == "us.anthropic.claude-opus-4-6-v1"].iloc[0]
    assert row.namespace == "litellm" and row.model_id == "claude-opus-4-6-v1"
    assert model_id_from_key("bedrock/eu.meta.llama3-2-1b-instruct-v1:0") == "llama3-2-1b-instruct"
    assert model_id_from_key("vertex_ai/claude-3-5-haiku@20241022") == "claude-3-5-haiku-20241022"
    assert model_id_from_key("fireworks_ai/accounts/fireworks/models/deepseek-r1") == "deepseek-r1"


def test_unstated_licence_facts_are_unknown_not_guessed(result):
    m = model(result, "gpt-5.1")
    assert m.openness == "unknown" and m.commercial_use == "unknown"
    assert m.license == "unknown (not stated by LiteLLM)"
    assert "not stated by LiteLLM" in m.license_notes
    assert m.creator == "OpenAI"  # openai serves only its own models (provider_access_modes.csv)
    assert model(result, "claude-opus-4-6-v1").creator == "unknown (not stated by LiteLLM)"  # via Bedrock only


def test_price_in_the_wrong_unit_is_skipped():
    data = json.loads(EXCERPT.read_text())
    entry = copy.deepcopy(data["gpt-5.1"])
    entry["input_cost_per_token"] = 1.25  # a per-million price pasted as per-token: 1.25 x 1e6 = 1,250,000 USD/Mtok
    r = import_litellm({"gpt-5.1": entry}, AS_OF)
    assert r.skipped["reason"].tolist() == ["price outside plausible range after unit conversion"]
    assert "1.25e+06 USD/Mtok" in r.skipped["detail"].item()


def test_provider_file_is_data_with_a_source():
    modes = provider_access_modes()
    assert modes["together_ai"]["access_mode"] == "hosted-inference"
    assert modes["bedrock"]["access_mode"] == "managed-api"
    assert modes["ollama"]["access_mode"] == "self-hosted"
    assert all(r["source"] for r in modes.values())


def test_malformed_inputs_name_the_file_the_key_and_a_fix(tmp_path):
    bad = tmp_path / "prices.json"
    bad.write_text('{"gpt-5.1": {"input_cost_per_token": 1e-6,}')
    with pytest.raises(WorkbenchError) as e:
        import_litellm(bad, AS_OF)
    msg = str(e.value)
    assert str(bad) in msg and "line 1" in msg and "not valid JSON" in msg and "Fix:" in msg

    bad.write_text('[{"gpt-5.1": {}}]')
    with pytest.raises(WorkbenchError, match="expected a JSON object of model entries"):
        import_litellm(bad, AS_OF)

    bad.write_text('{"gpt-5.1": "1.25e-06"}')
    with pytest.raises(WorkbenchError) as e:
        import_litellm(bad, AS_OF)
    assert "entry 'gpt-5.1'" in str(e.value) and "re-download" in str(e.value)

    bad.write_text('{"gpt-5.1": {"mode": "chat", "litellm_provider": "openai", '
                   '"input_cost_per_token": "cheap", "output_cost_per_token": 1e-05}}')
    with pytest.raises(WorkbenchError) as e:
        import_litellm(bad, AS_OF)
    assert "entry 'gpt-5.1', key 'input_cost_per_token'" in str(e.value) and "'cheap'" in str(e.value)

    with pytest.raises(WorkbenchError, match="file not found"):
        import_litellm(tmp_path / "missing.json", AS_OF)


def test_bad_as_of_is_refused():
    with pytest.raises(WorkbenchError, match="YYYY-MM-DD"):
        import_litellm({}, "20/11/2026")
    with pytest.raises(WorkbenchError, match="YYYY-MM-DD"):
        import_litellm({}, "2026-02-30")
