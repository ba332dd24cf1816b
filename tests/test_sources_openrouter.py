"""OpenRouter importer on a 17-entry excerpt of a real /api/v1/models response (tests/excerpts/README.md).

OpenRouter prices are USD per token as strings: USD per million tokens = float(string) x 1e6.
"""
import copy
import json
from pathlib import Path

import pytest

from workbench.catalog.importers import import_openrouter
from workbench.catalog.importers.openrouter import model_id_from_openrouter
from workbench.catalog.load import catalog_from_frames
from workbench.errors import WorkbenchError

EXCERPT = Path(__file__).parent / "excerpts" / "openrouter_models_excerpt.json"
AS_OF = "2026-08-18"


@pytest.fixture(scope="module")
def result():
    return import_openrouter(EXCERPT, AS_OF)


def offering(result, or_id):
    o = result.tables["offerings"]
    return o[o["provider_model_id"] == or_id].iloc[0]


def model(result, model_id):
    m = result.tables["models"]
    return m[m["model_id"] == model_id].iloc[0]


def skip_reason(result, entry):
    s = result.skipped
    return s.loc[s["entry"] == entry, "reason"].item()


def test_every_entry_is_imported_or_skipped(result):
    c = result.counts()
    # 17 entries: 7 priced chat models; 10 skipped (3 batch variants, :free, 2 routers, alias,
    # an image generator, a music (audio) generator, an audio-output model)
    assert c["total"] == 17 and c["imported"] == 7
    assert c["imported"] + sum(c["skipped"].values()) == 17
    cat = catalog_from_frames(result.tables)
    assert len(cat.offerings) == 7 and (cat.offerings["provider"] == "openrouter").all()


def test_string_per_token_prices_become_per_million(result):
    o = offering(result, "qwen/qwen3.8-27b")
    assert o.offering_id == "openrouter/qwen/qwen3.8-27b" and o.model_id == "qwen3.8-27b"
    assert o.usd_per_mtok_in == pytest.approx(float("0.00000045") * 1e6)        # 0.45
    assert o.usd_per_mtok_out == pytest.approx(float("0.0000032") * 1e6)        # 3.2
    assert o.usd_per_mtok_cached_in == pytest.approx(float("0.00000005") * 1e6)  # 0.05
    assert o.context_tokens == 262144 and o.max_output_tokens == 131072


def test_cache_write_and_reasoning_prices(result):
    o = offering(result, "google/gemini-3.7-flash")
    assert o.usd_per_mtok_cache_write == pytest.approx(float("0.0000000208333333333333") * 1e6)  # 0.0208
    assert o.usd_per_mtok_reasoning == pytest.approx(float("0.000001875") * 1e6)             # 1.875
    assert o.prompt_caching == True


def test_batch_variant_folds_into_the_base_discount(result):
    o = offering(result, "google/gemini-3.7-flash")
    # 1 - 0.0000001875/0.000000375 = 0.5 (input) ; 1 - 0.0000009375/0.000001875 = 0.5 (output)
    assert o.batch_discount == pytest.approx(1 - 0.0000001875 / 0.000000375)
    assert o.batch_api == True
    assert skip_reason(result, "google/gemini-3.7-flash:batch") == "batch variant (folded into the base offering's batch_discount)"


def test_batch_variant_dearer_than_list_gives_no_discount(result):
    o = offering(result, "z-ai/glm-5.2")
    # 1 - 0.0000007/0.000000476 = -0.471: not a discount
    assert o.batch_discount != o.batch_discount  # NaN
    assert "input -0.471, output -0.471" in o.assumptions
    assert skip_reason(result, "openai/gpt-5-codex:batch") == "batch variant without a priced base entry"


def test_sentinels_free_variants_aliases_and_zero_prices_are_skipped(result):
    assert skip_reason(result, "openrouter/auto") == "router pseudo-model (routes to other models; no own price)"
    assert skip_reason(result, "openrouter/free") == "router pseudo-model (routes to other models; no own price)"
    assert skip_reason(result, "z-ai/glm-5.2:free") == "free variant (rate-limited, may train on prompts)"
    assert skip_reason(result, "~anthropic/claude-sonnet-latest") == "alias of another entry"



def test_image_and_audio_generators_are_not_imported_as_chat(result):
    # real entries: output_modalities ['image','text'], ['text','audio'] (music, priced 0) and ['text','audio']
    assert skip_reason(result, "google/gemini-3.1-flash-lite-image") == "generates image (not a chat model)"
    assert skip_reason(result, "google/lyria-3-pro-preview") == "generates audio (not a chat model)"
    assert skip_reason(result, "openai/gpt-audio") == "generates audio (not a chat model)"
    # audio *input* with text output is a chat model: Voxtral Small reads audio and answers in text
    v = offering(result, "mistralai/voxtral-small-24b-2507")
    assert v.usd_per_mtok_in == pytest.approx(0.1) and v.usd_per_mtok_out == pytest.approx(0.3)  # "0.0000001", "0.0000003"
    assert "audio" in model(result, "voxtral-small-24b-2507").input_modalities.split(";")


def test_transcription_and_speech_names_are_not_chat():
    from workbench.catalog.importers.openrouter import non_chat_reason
    assert non_chat_reason({"id": "openai/whisper-1", "architecture": {"output_modalities": ["text"]}})[0] == \
        "transcription or speech model (not a chat model)"
    assert non_chat_reason({"id": "mistralai/voxtral-small-24b-2507", "name": "Mistral: Voxtral Small 24B 2507",
                            "architecture": {"output_modalities": ["text"]}}) is None


def test_embedding_with_zero_completion_price_is_an_embedding():
    data = json.loads(EXCERPT.read_text())
    # the 2026-08-18 response lists no embedding model (its default list is text-output models); the entry
    # below is the real qwen3.8-27b entry with id and output modality changed to an embedding model's
    entry = copy.deepcopy(next(m for m in data["data"] if m["id"] == "qwen/qwen3.8-27b"))
    entry.update(id="qwen/qwen3-embedding-8b", name="Qwen: Qwen3 Embedding 8B")
    entry["architecture"]["output_modalities"] = ["embeddings"]
    entry["pricing"]["completion"] = "0"
    r = import_openrouter({"data": [entry]}, AS_OF)
    o, m = r.tables["offerings"].iloc[0], r.tables["models"].iloc[0]
    assert m.model_type == "embedding" and o.usd_per_mtok_in == pytest.approx(0.45)
    assert "usd_per_mtok_out" not in r.tables["offerings"] or r.tables["offerings"]["usd_per_mtok_out"].isna().all()
    catalog_from_frames(r.tables)  # an embedding without an output price is a valid catalog row


def test_minus_one_sentinel_outside_the_router_namespace():
    data = json.loads(EXCERPT.read_text())
    entry = copy.deepcopy(next(m for m in data["data"] if m["id"] == "x-ai/grok-4.6"))
    entry["pricing"]["prompt"] = "-1"
    r = import_openrouter({"data": [entry]}, AS_OF)
    assert r.skipped["reason"].tolist() == ["price sentinel -1 (price decided per request)"]
    assert r.counts()["imported"] == 0


def test_tools_and_structured_outputs_from_supported_parameters(result):
    assert offering(result, "qwen/qwen3.8-27b").tool_calling == True
    assert offering(result, "qwen/qwen3.8-27b").structured_outputs == True
    olmo = offering(result, "allenai/olmo-3-32b-think")  # response_format but no tools
    assert olmo.tool_calling == False and olmo.structured_outputs == True


def test_long_context_override_and_time_of_day_overrides(result):
    o = offering(result, "x-ai/grok-4.6")
    assert o.tier_above_tokens == 200000
    assert o.usd_per_mtok_in_above_tier == pytest.approx(float("0.000004") * 1e6)    # 4
    assert o.usd_per_mtok_out_above_tier == pytest.approx(float("0.000012") * 1e6)   # 12
    assert "time-of-day" in offering(result, "deepseek/deepseek-v4-pro-0813").assumptions


def test_open_weight_only_by_inference_from_hugging_face_id(result):
    q = model(result, "qwen3.8-27b")
    assert q.openness == "open-weight" and "hugging_face_id 'Qwen/Qwen3.8-27B'" in q.license_notes
    assert q.license == "unknown (not stated by OpenRouter)" and q.commercial_use == "unknown"
    assert offering(result, "qwen/qwen3.8-27b").access_mode == "hosted-inference"
    g = model(result, "gemini-3.7-flash")
    assert g.openness == "unknown"  # no weights listed is not proof of "closed"
    assert offering(result, "google/gemini-3.7-flash").access_mode == "managed-api"
    assert q.creator == "Qwen" and q["name"] == "Qwen3.8 27B"
    assert q.input_modalities == "text;image;video" and q.reasoning == True


def test_ids_and_name_map(result):
    assert model_id_from_openrouter("z-ai/glm-5.2:free") == "glm-5.2"
    nm = result.tables["name_map"]
    assert set(nm["namespace"]) == {"openrouter"}
    assert nm.loc[nm["external_name"] == "x-ai/grok-4.6", "model_id"].item() == "grok-4.6"


def test_malformed_inputs(tmp_path):
    bad = tmp_path / "models.json"
    bad.write_text('{"models": []}')
    with pytest.raises(WorkbenchError) as e:
        import_openrouter(bad, AS_OF)
    assert str(bad) in str(e.value) and "'data' list" in str(e.value) and "api/v1/models" in str(e.value)

    bad.write_text('{"data": [{"name": "no id"}]}')
    with pytest.raises(WorkbenchError, match=r"data\[0\].*without an 'id'"):
        import_openrouter(bad, AS_OF)

    bad.write_text('{"data": [{"id": "a/b", "pricing": {"prompt": "three dollars", "completion": "0.000001"}}]}')
    with pytest.raises(WorkbenchError) as e:
        import_openrouter(bad, AS_OF)
    assert "data[0] (id 'a/b'), key 'pricing.prompt'" in str(e.value) and "'three dollars'" in str(e.value)
