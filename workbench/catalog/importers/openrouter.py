"""Import OpenRouter's ``GET /api/v1/models`` response into models, offerings and name_map.

Each element of ``data`` is one entry (``"qwen/qwen3.8-27b"``, ``"openai/gpt-5.1:batch"``, ...).
A priced entry becomes one offering with provider ``openrouter`` (``offering_id``
``openrouter/<id>``), its model and a ``name_map`` row (namespace ``openrouter``, the id).

Choices, all visible in the output:

- **Units.** Prices are USD per token as strings (``"0.000003"``); they are parsed and multiplied by
  1,000,000. ``prompt`` -> ``usd_per_mtok_in``, ``completion`` -> ``usd_per_mtok_out``,
  ``input_cache_read`` / ``input_cache_write`` -> cache prices, ``internal_reasoning`` ->
  ``usd_per_mtok_reasoning``. Per-image, per-audio, per-search and per-request prices are not token
  prices and are not imported. The lowest ``overrides`` entry with ``min_prompt_tokens`` becomes the
  long-context tier (``tier_above_tokens`` = ``min_prompt_tokens``); time-of-day overrides
  (``utc_start``/``utc_end``) are named in ``assumptions``, not priced.
- **Not chat models.** An entry whose ``architecture.output_modalities`` include image, audio or video
  ("generates image (not a chat model)"), or whose id or name says whisper, transcribe, tts or
  speech-to-text, is skipped; an audio or image *input* does not count. An embedding model
  (``output_modalities`` ``embeddings``, or ``embed`` in the id) with a prompt price and a zero
  completion price is imported as ``model_type`` embedding without an output price.
- **Flags.** A long-context override price more than 10x its base price is listed in ``flags``.
- **Skipped entries.** ``openrouter/*`` router pseudo-models (price ``-1`` or decided per request);
  any other ``-1`` sentinel; ``:free`` variants ("free variant (rate-limited, may train on prompts)");
  other zero prices; ``~vendor/...-latest`` aliases (the target is in ``detail``); ``:batch``
  variants, whose prices instead set the base offering's ``batch_discount`` (1 - batch/list, when
  input and output agree within 0.001).
- **Openness and access mode.** OpenRouter does not state licences. A non-empty ``hugging_face_id``
  points at published weights, so such a model is ``open-weight`` *by inference from that field*
  (``license_notes`` says so) and its offering is ``hosted-inference``; a model without one has
  ``unknown`` openness and a ``managed-api`` offering (OpenRouter relays the creator's or a licensed
  provider's API). Licence and commercial use stay ``unknown`` (see :mod:`workbench.catalog.importers.common`).
- **Capabilities.** ``supported_parameters`` is a complete list per model, so ``tools`` present ->
  ``tool_calling`` yes, absent -> no; ``structured_outputs`` or ``response_format`` present ->
  ``structured_outputs`` yes, else no. A ``reasoning`` object (or the ``reasoning`` parameter) ->
  ``reasoning`` yes. ``architecture.input_modalities`` gives ``input_modalities`` (``file`` -> ``pdf``).
  ``context_length`` and ``top_provider.max_completion_tokens`` give the limits.
- **Ids.** ``model_id`` is the id's last segment without the ``:variant`` suffix (``qwen/qwen3.8-27b``
  -> ``qwen3.8-27b``); the creator is the part of OpenRouter's ``name`` before ``": "``.

Introduced in ``notebooks/00_start_here.ipynb``; the command line is ``python -m workbench import openrouter``.
"""
from __future__ import annotations

from pathlib import Path

from workbench.catalog.importers.common import (
    ImportResult,
    check_as_of,
    clean_id,
    dedupe_name_map,
    expect,
    frame,
    number,
    per_token_to_per_mtok,
    plausible_price,
    read_json,
    skipped_frame,
    tier_flags,
    unknown_licence_facts,
)
from workbench.catalog.importers.common import (
    Skip as _Skip,
)
from workbench.catalog.schema import MODALITIES
from workbench.errors import fail

SOURCE_NAME = "OpenRouter"
DEFAULT_SOURCE = "OpenRouter GET /api/v1/models"
PROVIDER = "openrouter"
BATCH_TOLERANCE = 0.001
FREE_REASON = "free variant (rate-limited, may train on prompts)"
NON_CHAT_OUTPUTS = ("image", "audio", "video")  # an output modality that makes an entry not a chat model
SPEECH_WORDS = ("whisper", "transcribe", "transcription", "-tts", "tts-", "text-to-speech", "speech-to-text")
EMBED_WORDS = ("embed",)


def is_embedding(m: dict) -> bool:
    """An OpenRouter entry is an embedding model when its output modality is ``embeddings`` or its id says ``embed``."""
    outs = [str(x).lower() for x in ((m.get("architecture") or {}).get("output_modalities") or [])]
    return "embeddings" in outs or "embedding" in outs or any(w in m["id"].lower() for w in EMBED_WORDS)


def non_chat_reason(m: dict) -> tuple[str, str] | None:
    """``(reason, detail)`` when an entry generates images, audio or video, or is a transcription or speech
    model (not a chat model); None otherwise. Input modalities (a chat model that reads audio) do not count."""
    arch = m.get("architecture") or {}
    outs = [str(x).lower() for x in (arch.get("output_modalities") or [])]
    gen = [x for x in outs if x in NON_CHAT_OUTPUTS]
    if gen:
        return f"generates {'/'.join(gen)} (not a chat model)", "output_modalities " + ";".join(outs)
    name = (m["id"] + " " + str(m.get("name") or "")).lower()
    hit = next((w for w in SPEECH_WORDS if w in name), None)
    if hit:
        return "transcription or speech model (not a chat model)", f"'{hit.strip('-')}' in id or name"
    return None


def model_id_from_openrouter(or_id: str) -> str:
    """``'qwen/qwen3.8-27b:free'`` -> ``'qwen3.8-27b'``: the last segment, without the ``:variant``."""
    return clean_id(or_id.split(":", 1)[0].rsplit("/", 1)[-1])


def _usd(pricing: dict, field: str, display: str, where: str, required: bool = False) -> float | None:
    raw = number(pricing.get(field), display, f"{where}, key 'pricing.{field}'")
    if raw is None:
        if required:
            raise _Skip("no per-token price", f"pricing.{field} missing")
        return None
    if raw < 0:
        raise _Skip("price sentinel -1 (price decided per request)", f"pricing.{field}={pricing.get(field)}")
    if raw == 0:
        if required:
            raise _Skip("zero price (free tier or unknown)", f"pricing.{field}=0")
        return None
    usd = per_token_to_per_mtok(raw)
    if not plausible_price(usd):
        raise _Skip("price outside plausible range after unit conversion", f"pricing.{field}={pricing.get(field)} -> {usd:g} USD/Mtok")
    return usd


def _entry_rows(m: dict, display: str, where: str, row_source: str, as_of: str) -> tuple[dict, dict]:
    """(offering row, model row) for one priced entry; raises _Skip otherwise."""
    or_id = m["id"]
    pricing = m.get("pricing")
    expect(isinstance(pricing, dict), display, f"{where}, key 'pricing'", "missing or not an object",
           "each model needs a pricing object with prompt and completion prices (USD per token)")
    p_in = _usd(pricing, "prompt", display, where, required=True)
    embedding = is_embedding(m)
    # an embedding model bills input only: a zero completion price is expected, not a free tier
    p_out = _usd(pricing, "completion", display, where, required=not embedding)
    assumptions = []
    row = {
        "offering_id": f"{PROVIDER}/{or_id}",
        "model_id": model_id_from_openrouter(or_id),
        "provider": PROVIDER,
        "provider_model_id": or_id,
        "usd_per_mtok_in": p_in,
        "usd_per_mtok_out": p_out,
        "usd_per_mtok_cached_in": _usd(pricing, "input_cache_read", display, where),
        "usd_per_mtok_cache_write": _usd(pricing, "input_cache_write", display, where),
        "usd_per_mtok_reasoning": _usd(pricing, "internal_reasoning", display, where),
    }
    overrides = pricing.get("overrides") or []
    tiers = sorted((o for o in overrides if isinstance(o, dict) and o.get("min_prompt_tokens")),
                   key=lambda o: float(o["min_prompt_tokens"]))
    if tiers:
        t = tiers[0]
        t_in = _usd(t, "prompt", display, f"{where}, overrides")
        t_out = _usd(t, "completion", display, f"{where}, overrides")
        if t_in is not None and t_out is not None:
            row.update(tier_above_tokens=int(float(t["min_prompt_tokens"])), usd_per_mtok_in_above_tier=t_in,
                       usd_per_mtok_out_above_tier=t_out)
            if len(tiers) > 1:
                assumptions.append("higher long-context tiers not represented: from " +
                                   ", ".join(str(o["min_prompt_tokens"]) for o in tiers[1:]) + " prompt tokens")
        else:
            assumptions.append("long-context override lacks an input or output price: tier left empty")
    if any(isinstance(o, dict) and "utc_start" in o for o in overrides):
        assumptions.append("time-of-day price overrides (utc_start/utc_end) exist and are not represented")

    params = m.get("supported_parameters") or []
    hf = m.get("hugging_face_id") or ""
    top = m.get("top_provider") or {}
    context = number(m.get("context_length"), display, f"{where}, key 'context_length'")
    max_out = number(top.get("max_completion_tokens"), display, f"{where}, key 'top_provider.max_completion_tokens'")
    row.update(
        access_mode="hosted-inference" if hf else "managed-api",
        context_tokens=int(context) if context else None,
        max_output_tokens=int(max_out) if max_out else None,
        structured_outputs=("structured_outputs" in params) or ("response_format" in params),
        tool_calling="tools" in params,
        prompt_caching=True if row["usd_per_mtok_cached_in"] is not None else None,
        assumptions="; ".join(assumptions) or None,
        source=row_source,
        as_of=as_of,
    )
    arch = m.get("architecture") or {}
    mods = [("pdf" if str(x).lower() == "file" else str(x).lower()) for x in (arch.get("input_modalities") or ["text"])]
    name = str(m.get("name") or or_id)
    creator, _, short = name.partition(": ")
    if not short:
        creator, short = or_id.split("/", 1)[0], name
    if hf:
        licence = unknown_licence_facts(SOURCE_NAME, openness="open-weight",
                                        evidence=f"open-weight inferred from OpenRouter's hugging_face_id '{hf}'")
    else:
        licence = unknown_licence_facts(SOURCE_NAME)
    model = {
        "model_id": row["model_id"],
        "name": short.strip(),
        "creator": creator.strip(),
        "model_type": "embedding" if embedding else "chat",
        **licence,
        "context_tokens": row["context_tokens"],
        "max_output_tokens": row["max_output_tokens"],
        "input_modalities": ";".join(dict.fromkeys(x for x in ["text", *mods] if x in MODALITIES)),
        "reasoning": True if (isinstance(m.get("reasoning"), dict) or "reasoning" in params) else None,
        "source": row_source,
        "as_of": as_of,
    }
    return row, model


def import_openrouter(data: dict | str | Path, as_of: str, source: str | None = None) -> ImportResult:
    """Models, offerings (provider ``openrouter``, USD per million tokens) and name_map rows from OpenRouter's
    ``/api/v1/models`` response (``{"data": [...]}``). Every entry is imported or listed in ``skipped``
    with a reason (see the module docstring).
    """
    as_of = check_as_of(as_of)
    obj, display = read_json(data, "OpenRouter /api/v1/models")
    expect(isinstance(obj, dict) and isinstance(obj.get("data"), list), display, "top level",
           "expected an object with a 'data' list of models",
           "pass the JSON returned by GET https://openrouter.ai/api/v1/models, unmodified")
    src = source or (DEFAULT_SOURCE if display.startswith("<") else f"OpenRouter {Path(display).name}")
    entries = obj["data"]
    for i, m in enumerate(entries):
        if not isinstance(m, dict) or not isinstance(m.get("id"), str) or not m["id"]:
            raise fail(display, f"data[{i}]", "entry without an 'id' string",
                       "each element of 'data' must be a model object with an 'id' such as 'openai/gpt-5.1'")

    offerings: dict[str, dict] = {}
    models: dict[str, dict] = {}
    skipped: list[tuple[str, str, str]] = []
    batch: list[tuple[int, dict]] = []
    for i, m in enumerate(entries):
        or_id = m["id"]
        where = f"data[{i}] (id '{or_id}')"
        try:
            if or_id.startswith("openrouter/"):
                raise _Skip("router pseudo-model (routes to other models; no own price)")
            if m.get("alias_target") or or_id.startswith("~"):
                target = (m.get("alias_target") or {}).get("slug", "")
                raise _Skip("alias of another entry", f"alias_target {target}")
            if or_id.endswith(":free"):
                raise _Skip(FREE_REASON)
            if or_id.endswith(":batch"):
                batch.append((i, m))
                continue
            non_chat = non_chat_reason(m)
            if non_chat:
                raise _Skip(*non_chat)
            row, model = _entry_rows(m, display, where, src, as_of)
        except _Skip as s:
            skipped.append((or_id, s.reason, s.detail))
            continue
        offerings[or_id] = row
        models.setdefault(model["model_id"], model)

    for i, m in batch:  # fold ':batch' prices into the base offering's batch_discount
        or_id = m["id"]
        base = offerings.get(or_id[: -len(":batch")])
        if base is None:
            skipped.append((or_id, "batch variant without a priced base entry", or_id[: -len(":batch")]))
            continue
        where = f"data[{i}] (id '{or_id}')"
        try:
            b_in = _usd(m.get("pricing") or {}, "prompt", display, where, required=True)
            b_out = _usd(m.get("pricing") or {}, "completion", display, where, required=True)
        except _Skip as s:
            skipped.append((or_id, s.reason, s.detail))
            continue
        d_in, d_out = 1 - b_in / base["usd_per_mtok_in"], 1 - b_out / base["usd_per_mtok_out"]
        base["batch_api"] = True
        if abs(d_in - d_out) <= BATCH_TOLERANCE and 0 < d_in < 1:
            base["batch_discount"] = round(d_in, 4)
            skipped.append((or_id, "batch variant (folded into the base offering's batch_discount)", base["offering_id"]))
        else:
            note = f"batch prices are not one discount (input {d_in:.3f}, output {d_out:.3f}): batch_discount left empty"
            base["assumptions"] = "; ".join(x for x in (base.get("assumptions"), note) if x)
            skipped.append((or_id, "batch variant (folded into the base offering's batch_api)", base["offering_id"]))

    rows = list(offerings.values())
    flags = [f for o in rows for f in tier_flags(o["provider_model_id"], o["usd_per_mtok_in"], o["usd_per_mtok_out"],
                                                 o.get("usd_per_mtok_in_above_tier"), o.get("usd_per_mtok_out_above_tier"),
                                                 o.get("tier_above_tokens"))]
    name_map = [{"model_id": o["model_id"], "namespace": "openrouter", "external_name": o["provider_model_id"],
                 "source": src, "as_of": as_of} for o in rows]
    return ImportResult(
        source=src,
        as_of=as_of,
        tables={"models": frame("models", list(models.values())), "offerings": frame("offerings", rows),
                "name_map": dedupe_name_map(frame("name_map", name_map))},
        skipped=skipped_frame(skipped),
        total_entries=len(entries),
        flags=flags,
        notes=["prices: OpenRouter USD per token (strings) x 1,000,000 = USD per million tokens",
               "open-weight is inferred from a non-empty hugging_face_id; licence and commercial use: 'unknown'",
               "access mode: hosted-inference for models with Hugging Face weights, managed-api otherwise"],
    )
