"""Import LiteLLM's price map (``model_prices_and_context_window.json``) into models, offerings and name_map.

One top-level key is one entry: ``"gpt-5.1"``, ``"bedrock/us.anthropic.claude-..."``,
``"fireworks_ai/accounts/fireworks/models/..."``. Each entry becomes one offering (model x provider),
its model (one row per cleaned ``model_id``) and a ``name_map`` row (namespace ``litellm``, the key).

Choices, all visible in the output:

- **Units.** LiteLLM prices are USD per *token*; they are multiplied by 1,000,000
  (:func:`~workbench.catalog.importers.common.per_token_to_per_mtok`). A converted price outside 0.001..1000 USD
  per million tokens skips the entry ("price outside plausible range after unit conversion"), and a
  price of 0 where the mode is paid skips it ("zero price (free tier or unknown)"): a catalog never
  prices a model at 0 silently. An optional price (cache, reasoning, tier) of 0 is left empty, which
  the cost formulas read as "no discount" (the conservative reading).
- **Batch.** ``batch_discount = 1 - batch price / list price``, written only when input and output
  give the same discount (within 0.001); otherwise empty, with the two discounts in ``assumptions``.
- **Long-context tier.** The lowest ``*_above_<N>k_tokens`` pair becomes ``tier_above_tokens``
  (N x 1,000) and the tier prices; higher tiers are named in ``assumptions``.
- **Legacy ``max_tokens``** is used as ``max_output_tokens`` only when ``max_output_tokens`` is missing,
  and ``assumptions`` says so.
- **Modes.** chat, completion and responses -> ``chat``; embedding -> ``embedding``; rerank ->
  ``reranker`` (per-token prices only; per-query rerank prices are skipped). Everything else
  (image_generation, audio_*, video_generation, moderation, ...) is skipped as "non-chat mode: X".
  Embedding and reranker offerings have no output price unless LiteLLM lists a non-zero one.
- **Aliases** (``alias_of``) are skipped ("alias of another entry"); the target is in ``detail``.
- **Price bands** by model size (``together-ai-up-to-4b``, ``together-ai-8.1b-21b``,
  ``fireworks-ai-moe-up-to-56b``, ...) are not models and are skipped ("price band by model size").
- **Two keys for one offering** (``deepseek-chat`` and ``deepseek/deepseek-chat``): the key that states
  more facts is kept (on a tie, the first); the other is skipped, and when their values differ
  ``flags`` lists both values per column (never a silent first-wins).
- **Cache reads**: ``cache_read_input_token_cost``, else the older ``input_cost_per_token_cache_hit``.
- **Flags**: a long-context tier price more than 10x its base price is imported as stated and listed
  in ``flags`` (real tiers are 1.5x-2x; 10x suggests a unit or field mix-up).
- **Access mode** comes from ``provider_access_modes.csv`` next to this file (data, with notes and a
  source): managed-api, hosted-inference, self-hosted (skipped: LiteLLM gives no GPU or
  throughput), gateway (resellers, skipped: import the underlying provider) and subscription
  (skipped: no per-token price). A provider not in the file is skipped with its name in ``detail``.
- **Ids.** ``model_id`` is the last path segment of the key, lower-cased, without Bedrock-style region
  (``us.``, ``eu.``, ``global.``...) and vendor (``anthropic.``) prefixes or version suffixes
  (``-v1:0``, ``@001``). The key itself is ``provider_model_id`` and the ``name_map`` external name;
  ``offering_id`` is ``<litellm_provider>/<key without that prefix>``, unique per key.
  Model-level facts come from a first-party entry of that model when there is one, else the first;
  ``deprecation_date`` only from a first-party entry (a cloud's retirement date is not the model's, and
  offerings have no retirement column).
- **Facts LiteLLM does not state** (creator unless the provider serves only its own models,
  openness, licence, commercial use) are ``unknown``: see :mod:`workbench.catalog.importers.common`.
  Capability flags present in the entry are copied (``supports_function_calling`` ->
  ``tool_calling``, ``supports_response_schema`` -> ``structured_outputs``,
  ``supports_prompt_caching``, ``supports_vision`` -> ``image`` input, ``supports_reasoning`` ->
  ``reasoning``); an absent flag stays empty (unknown), never "no".

Introduced in ``notebooks/00_start_here.ipynb``; the command line is ``python -m workbench import litellm``.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from workbench.catalog.importers.common import (
    DUPLICATE_RULE,
    ImportResult,
    check_as_of,
    choose_duplicate,
    clean_id,
    dedupe_name_map,
    expect,
    frame,
    number,
    per_token_to_per_mtok,
    plausible_price,
    read_json,
    skip_by_provider_kind,
    skipped_frame,
    tier_flags,
    unknown_licence_facts,
    unstated,
)
from workbench.catalog.importers.common import (
    Skip as _Skip,
)
from workbench.catalog.schema import ACCESS_MODES, MODALITIES
from workbench.errors import fail

SOURCE_NAME = "LiteLLM"
DEFAULT_SOURCE = "LiteLLM model_prices_and_context_window.json"
PROVIDER_FILE = Path(__file__).with_name("provider_access_modes.csv")
PROVIDER_KINDS = (*ACCESS_MODES, "gateway", "subscription")
MODE_TYPES = {"chat": "chat", "completion": "chat", "responses": "chat", "embedding": "embedding", "rerank": "reranker"}
DOC_ENTRIES = {"sample_spec": "documentation entry", "fallback_generalizations": "routing rules entry (not a model)"}
REGION_PREFIXES = ("us-gov", "us", "eu", "apac", "global", "jp", "au", "ca", "in", "ap")
VENDOR_PREFIXES = ("anthropic", "meta", "amazon", "ai21", "cohere", "mistral", "writer", "deepseek", "qwen", "openai",
                   "google", "moonshot", "moonshotai", "minimax", "nvidia", "twelvelabs", "zai", "xai", "ibm")
_ID_PREFIX = re.compile(rf"^(?:(?:{'|'.join(REGION_PREFIXES)})\.)?(?:({'|'.join(VENDOR_PREFIXES)})\.)(?=[a-z])")
_ID_PREFIX_CASED = re.compile(_ID_PREFIX.pattern, re.IGNORECASE)
_REGION = re.compile(rf"^({'|'.join(REGION_PREFIXES)})\.")
_TIER = re.compile(r"^input_cost_per_token_above_(\d+)k_tokens$")
BATCH_TOLERANCE = 0.001  # input and output batch discounts must agree this closely to be one discount
# size-class price bands, e.g. together-ai-up-to-4b, together-ai-8.1b-21b, fireworks-ai-moe-up-to-56b,
# fireworks-ai-4.1b-to-16b: prices for "any model of this size", not a model one can call
_SIZE = r"\d+(?:\.\d+)?[bm]"
_BAND = re.compile(rf"^(together-ai|fireworks-ai)-(?:[a-z]+-)?(?:up-to-{_SIZE}|{_SIZE}-(?:to-)?{_SIZE})$")
BAND_REASON = "price band by model size (not a model)"


@lru_cache(maxsize=1)
def provider_access_modes() -> dict[str, dict]:
    """``provider_access_modes.csv`` as ``{litellm_provider: {access_mode, creator, notes, source}}``.

    ``access_mode`` is managed-api, hosted-inference, self-hosted, gateway or subscription; ``creator``
    is filled only for providers that serve only their own models. Introduced in ``00_start_here.ipynb``.
    """
    display = str(PROVIDER_FILE.name)
    with PROVIDER_FILE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for i, r in enumerate(rows, start=2):
        expect(r.get("access_mode") in PROVIDER_KINDS, display, f"row {i}", f"access_mode {r.get('access_mode')!r} is not allowed",
               "use one of " + ", ".join(PROVIDER_KINDS))
        expect(r["provider"] not in out, display, f"row {i}", f"provider {r['provider']!r} is listed twice", "keep one row")
        out[r["provider"]] = r
    return out


def model_id_from_key(key: str) -> str:
    """A clean workbench ``model_id`` from a LiteLLM key, e.g. ``'bedrock/us.anthropic.claude-x-v1:0'`` -> ``'claude-x'``."""
    last = key.rsplit("/", 1)[-1].lower()
    last = _ID_PREFIX.sub("", last)
    last = re.sub(r"-v\d+:\d+$", "", last)   # bedrock version suffix  -v1:0
    last = re.sub(r":\d+$", "", last)          # bare :0
    last = last.replace("@", "-")              # vertex version suffix  @001 / @20241022
    return clean_id(last) or clean_id(key)


def _region(key: str, entry: dict) -> str | None:
    regions = entry.get("supported_regions")
    if isinstance(regions, list) and regions:
        return ";".join(str(r).lower() for r in regions)
    m = _REGION.match(key.rsplit("/", 1)[-1].lower())
    if m:
        return m.group(1)
    parts = key.lower().split("/")  # azure/eu/gpt-4o-mini: a region path segment
    return parts[1] if len(parts) == 3 and parts[1] in REGION_PREFIXES else None


def _flag(entry: dict, name: str):
    v = entry.get(name)
    return v if isinstance(v, bool) else None


def _modalities(entry: dict) -> str:
    mods = entry.get("supported_modalities")
    items = [str(m).lower() for m in mods] if isinstance(mods, list) else ["text"]
    if entry.get("supports_vision") is True:
        items.append("image")
    if entry.get("supports_audio_input") is True:
        items.append("audio")
    if entry.get("supports_pdf_input") is True:
        items.append("pdf")
    if "text" not in items:
        items.insert(0, "text")
    return ";".join(dict.fromkeys(m for m in items if m in MODALITIES))


def _price(entry: dict, field: str, display: str, key: str, required: bool = False) -> float | None:
    """One per-token price field as USD per million tokens; raises _Skip for 0 (when required), <0, or implausible."""
    raw = number(entry.get(field), display, f"entry '{key}', key '{field}'")
    if raw is None:
        return None
    if raw < 0:
        raise _Skip("negative price", f"{field}={raw}")
    if raw == 0:
        if required:
            raise _Skip("zero price (free tier or unknown)", f"{field}=0")
        return None
    usd = per_token_to_per_mtok(raw)
    if not plausible_price(usd):
        raise _Skip("price outside plausible range after unit conversion", f"{field}={raw} -> {usd:g} USD/Mtok")
    return usd


def _int(entry: dict, field: str, display: str, key: str) -> int | None:
    v = number(entry.get(field), display, f"entry '{key}', key '{field}'")
    return None if v is None or v <= 0 else int(v)


def _date(entry: dict, field: str) -> str | None:
    v = entry.get(field)
    if not isinstance(v, str):
        return None
    try:
        return date.fromisoformat(v.strip()).isoformat()
    except ValueError:
        return None


def _cache_read(entry: dict, display: str, key: str, assumptions: list[str]) -> float | None:
    """The cache-read price: ``cache_read_input_token_cost``, else the older ``input_cost_per_token_cache_hit``
    (same meaning, older LiteLLM maps). When both are given and differ, the newer field wins and
    ``assumptions`` says so."""
    new = _price(entry, "cache_read_input_token_cost", display, key)
    old = _price(entry, "input_cost_per_token_cache_hit", display, key)
    if new is not None and old is not None and new != old:
        assumptions.append(f"cache_read_input_token_cost ({new:g}) and the older input_cost_per_token_cache_hit "
                           f"({old:g}) differ: the newer field is used")
    if new is None and old is not None:
        assumptions.append("cache-read price from LiteLLM's older field input_cost_per_token_cache_hit")
    return new if new is not None else old


def _offering(key: str, entry: dict, provider: str, prov: dict, display: str, row_source: str, as_of: str) -> tuple[dict, dict]:
    """(offering row, model facts) for one importable entry; raises _Skip with a reason otherwise."""
    mode = entry.get("mode")
    model_type = MODE_TYPES[mode]
    assumptions: list[str] = []

    if model_type == "chat":
        if entry.get("input_cost_per_token") is None or entry.get("output_cost_per_token") is None:
            raise _Skip("no per-token price", ", ".join(k for k in entry if "cost" in k)[:200])
        p_in = _price(entry, "input_cost_per_token", display, key, required=True)
        p_out = _price(entry, "output_cost_per_token", display, key, required=True)
    else:
        if entry.get("input_cost_per_token") in (None, 0, 0.0):
            per = [k for k in entry if k.startswith("input_cost_per_") and entry[k]]
            if per:
                raise _Skip("priced per query or item, not per token", ", ".join(per))
            raise _Skip("zero price (free tier or unknown)" if entry.get("input_cost_per_token") is not None
                        else "no per-token price", "input_cost_per_token")
        p_in = _price(entry, "input_cost_per_token", display, key, required=True)
        p_out = _price(entry, "output_cost_per_token", display, key)  # 0 for embeddings: left empty

    row = {
        "offering_id": key if key.startswith(provider + "/") else f"{provider}/{key}",
        "model_id": model_id_from_key(key),
        "provider": provider,
        "access_mode": prov["access_mode"],
        "provider_model_id": key,
        "usd_per_mtok_in": p_in,
        "usd_per_mtok_out": p_out,
        "usd_per_mtok_cached_in": _cache_read(entry, display, key, assumptions),
        "usd_per_mtok_cache_write": _price(entry, "cache_creation_input_token_cost", display, key),
        "usd_per_mtok_reasoning": _price(entry, "output_cost_per_reasoning_token", display, key),
    }

    # batch: one discount only when input and output agree
    b_in = _price(entry, "input_cost_per_token_batches", display, key)
    b_out = _price(entry, "output_cost_per_token_batches", display, key)
    if b_in is not None or b_out is not None:
        row["batch_api"] = True
        d_in = None if b_in is None else 1 - b_in / p_in
        d_out = None if (b_out is None or p_out is None) else 1 - b_out / p_out
        if d_in is not None and d_out is not None and abs(d_in - d_out) <= BATCH_TOLERANCE and 0 < d_in < 1:
            row["batch_discount"] = round(d_in, 4)
        elif d_in is not None and d_out is None and model_type != "chat" and 0 < d_in < 1:
            row["batch_discount"] = round(d_in, 4)
        else:
            shown = lambda d: "missing" if d is None else f"{d:.3f}"
            assumptions.append(f"batch prices are not one discount (input {shown(d_in)}, output {shown(d_out)}): "
                               "batch_discount left empty")

    # long-context tier: the lowest threshold with both prices
    tiers = sorted(int(m.group(1)) for k in entry if (m := _TIER.match(k)))
    if tiers:
        t = tiers[0]
        t_in = _price(entry, f"input_cost_per_token_above_{t}k_tokens", display, key)
        t_out = _price(entry, f"output_cost_per_token_above_{t}k_tokens", display, key)
        if t_in is not None and (t_out is not None or model_type != "chat"):
            row.update(tier_above_tokens=t * 1000, usd_per_mtok_in_above_tier=t_in, usd_per_mtok_out_above_tier=t_out)
            if len(tiers) > 1:
                assumptions.append("higher long-context tiers not represented: above " +
                                   ", ".join(f"{x}k" for x in tiers[1:]) + " tokens")
        else:
            assumptions.append(f"long-context tier above {t}k tokens lacks an output price: tier left empty")

    max_out = _int(entry, "max_output_tokens", display, key)
    if max_out is None and _int(entry, "max_tokens", display, key) is not None:
        max_out = _int(entry, "max_tokens", display, key)
        assumptions.append("max_output_tokens taken from LiteLLM's legacy max_tokens (max_output_tokens not given)")
    row.update(
        context_tokens=_int(entry, "max_input_tokens", display, key),
        max_output_tokens=max_out,
        structured_outputs=_flag(entry, "supports_response_schema"),
        tool_calling=_flag(entry, "supports_function_calling"),
        prompt_caching=_flag(entry, "supports_prompt_caching"),
        regions=_region(key, entry),
        rpm_limit=_int(entry, "rpm", display, key),
        tpm_limit=_int(entry, "tpm", display, key),
        assumptions="; ".join(assumptions) or None,
        source=row_source + (f"; LiteLLM cites {entry['source']}" if isinstance(entry.get("source"), str) else ""),
        as_of=as_of,
    )
    facts = {
        "model_type": model_type,
        "context_tokens": row["context_tokens"],
        "max_output_tokens": max_out,
        "input_modalities": _modalities(entry),
        "reasoning": _flag(entry, "supports_reasoning"),
        # a cloud's retirement date is not the model's: only a first-party entry dates the model
        "deprecation_date": _date(entry, "deprecation_date") if prov.get("creator") else None,
        "creator": prov.get("creator") or None,
        "name": _ID_PREFIX_CASED.sub("", key.rsplit("/", 1)[-1]),
    }
    return row, facts


def import_litellm(data: dict | str | Path, as_of: str, source: str | None = None) -> ImportResult:
    """Models, offerings (USD per million tokens) and name_map rows from LiteLLM's price map.

    ``data``: the parsed JSON or its path; ``as_of``: ``YYYY-MM-DD`` the prices describe; ``source``:
    the provenance written into every row (default: the file name). Every top-level key is either
    imported or listed in ``skipped`` with a reason (see the module docstring for each rule).
    """
    as_of = check_as_of(as_of)
    obj, display = read_json(data, "LiteLLM model_prices_and_context_window")
    expect(isinstance(obj, dict), display, "top level", f"expected a JSON object of model entries, got a {type(obj).__name__}",
           "pass LiteLLM's model_prices_and_context_window.json (an object keyed by model name)")
    src = source or (DEFAULT_SOURCE if display.startswith("<") else f"LiteLLM {Path(display).name}")
    providers = provider_access_modes()

    model_facts: dict[str, dict] = {}   # model_id -> facts of the preferred entry
    first_party: set[str] = set()
    skipped: list[tuple[str, str, str]] = []
    by_offering: dict[str, dict] = {}   # offering_id -> row kept so far
    flags: list[tuple[str, str, str]] = []
    for key, entry in obj.items():
        if key in DOC_ENTRIES:
            skipped.append((key, DOC_ENTRIES[key], ""))
            continue
        if not isinstance(entry, dict):
            raise fail(display, f"entry '{key}'", f"expected an object of prices and limits, got {type(entry).__name__}",
                       "each top-level key must map to an object such as {\"litellm_provider\": ..., "
                       "\"input_cost_per_token\": ...}; re-download the file if it was edited")
        try:
            if _BAND.match(key):
                raise _Skip(BAND_REASON, f"{entry.get('litellm_provider', '')}: a price for any model of this size class")
            if "alias_of" in entry:
                raise _Skip("alias of another entry", f"alias_of {entry['alias_of']}")
            mode = entry.get("mode")
            if mode is None:
                raise _Skip("no mode stated (not a model entry)")
            if mode not in MODE_TYPES:
                raise _Skip(f"non-chat mode: {mode}")
            provider = entry.get("litellm_provider")
            if not isinstance(provider, str) or not provider:
                raise _Skip("no litellm_provider")
            prov = providers.get(provider)
            skip_by_provider_kind(prov, provider, "self-hosted: LiteLLM gives no GPU or throughput")
            row, facts = _offering(key, entry, provider, prov, display, src, as_of)
        except _Skip as s:
            skipped.append((key, s.reason, s.detail))
            continue
        oid = row["offering_id"]
        if oid in by_offering:  # two keys for one offering (e.g. 'deepseek-chat' and 'deepseek/deepseek-chat')
            first = by_offering[oid]
            kept, dropped, flag = choose_duplicate(first["provider_model_id"], first, key, row)
            if flag:
                flags.append(flag)
            if kept == key:
                by_offering[oid] = row
            skipped.append((dropped, "duplicate of another key (same provider and id)", f"kept {kept}"))
            continue
        by_offering[oid] = row
        mid = row["model_id"]
        is_first_party = bool(facts["creator"])
        if mid not in model_facts or (is_first_party and mid not in first_party):
            model_facts[mid] = facts
            if is_first_party:
                first_party.add(mid)

    offerings = list(by_offering.values())
    for o in offerings:
        flags += tier_flags(o["provider_model_id"], o["usd_per_mtok_in"], o["usd_per_mtok_out"],
                            o.get("usd_per_mtok_in_above_tier"), o.get("usd_per_mtok_out_above_tier"), o.get("tier_above_tokens"))
    models = []
    for mid, f in model_facts.items():
        models.append({
            "model_id": mid,
            "name": f["name"],
            "creator": f["creator"] or unstated(SOURCE_NAME),
            "model_type": f["model_type"],
            **unknown_licence_facts(SOURCE_NAME),
            "context_tokens": f["context_tokens"],
            "max_output_tokens": f["max_output_tokens"],
            "input_modalities": f["input_modalities"],
            "reasoning": f["reasoning"],
            "deprecation_date": f["deprecation_date"],
            "source": src,
            "as_of": as_of,
        })
    name_map = [{"model_id": o["model_id"], "namespace": "litellm", "external_name": o["provider_model_id"],
                 "source": src, "as_of": as_of} for o in offerings]
    return ImportResult(
        source=src,
        as_of=as_of,
        tables={"models": frame("models", models), "offerings": frame("offerings", offerings),
                "name_map": dedupe_name_map(frame("name_map", name_map))},
        skipped=skipped_frame(skipped),
        total_entries=len(obj),
        flags=flags,
        notes=["prices: LiteLLM USD per token x 1,000,000 = USD per million tokens",
               f"two keys for one offering: {DUPLICATE_RULE}; disagreeing values are listed under flags",
               "openness, licence and commercial use: 'unknown' (LiteLLM does not state them)",
               f"access mode per provider: {PROVIDER_FILE.name}"],
    )
