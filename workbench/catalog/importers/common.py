"""What every importer shares: the :class:`ImportResult` contract, reading a JSON input with errors
for people, unit conversion, id cleaning and the rows for facts a source does not state.

An importer turns one public file (LiteLLM's price map, OpenRouter's ``/api/v1/models``, Artificial
Analysis's ``/api/v2/data/llms/models``, LMArena's leaderboard JSON) into catalog tables whose
columns are those of :mod:`workbench.catalog.schema`. Every top-level entry of the input is accounted for:
it either produced rows (``imported``) or is listed in ``skipped`` with a short, groupable reason.

Facts a source does not state (the honest choice, used by every importer)
-------------------------------------------------------------------------
``models`` needs ``openness``, ``license``, ``commercial_use`` and ``creator`` for every row, but
price lists and leaderboards rarely state them. Importers never guess them: such a cell holds
``unknown`` (``openness`` and ``commercial_use`` accept it; ``license`` and ``creator`` say
``unknown (not stated by <source>)``), and ``license_notes`` says which facts are missing. The
workbench treats ``unknown`` as *not met* in every constraint (as it does an empty yes/no cell),
so an unknown licence is never taken as permission. ``openness`` is ``closed`` only when the source
says the model is proprietary, and ``open-weight`` only when the source points at published weights
(the inference is named in ``license_notes``). A curated snapshot fills these facts from a licence
source and cites it. Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from workbench.catalog.schema import (
    PRICE_MAX_USD_PER_MTOK,
    PRICE_MIN_USD_PER_MTOK,
    TABLES,
)
from workbench.errors import WorkbenchError, fail

UNKNOWN = "unknown"
TOKENS_PER_MTOK = 1_000_000  # a per-token price times this is USD per million tokens
SKIPPED_COLUMNS = ("entry", "reason", "detail")
FLAG_COLUMNS = ("entry", "flag", "detail")
TIER_FLAG_RATIO = 10.0  # a long-context tier price above 10x its base price is flagged (likely a unit or field mix-up)
TABULAR_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".ods")


@dataclass
class ImportResult:
    """Rows one importer made from one input, and every entry it did not import, with a reason.

    ``source``: the row provenance written into every row (e.g. ``"LiteLLM model_prices_and_context_window.json
    (litellm 1.110.2)"``); ``as_of``: ``YYYY-MM-DD`` given by the user, never today's date;
    ``tables``: table name (as in :data:`workbench.catalog.schema.TABLES`) -> rows with schema column names;
    ``skipped``: columns ``entry`` (the source's key or id), ``reason`` (short and groupable, e.g.
    ``"non-chat mode: image_generation"``) and ``detail`` (entry-specific, may be empty);
    ``total_entries``: top-level entries in the input, so that imported + skipped == total_entries.
    """

    source: str
    as_of: str
    tables: dict[str, pd.DataFrame]
    skipped: pd.DataFrame
    total_entries: int
    imported_entries: int = -1  # entries that produced rows; -1 = total_entries - len(skipped)
    notes: list[str] = field(default_factory=list)  # choices the importer made, shown by the CLI
    # imported rows a person should look at: (entry, flag, detail), e.g. a tier price 12x its base price,
    # or two keys for one offering whose values disagree (both values and the rule that chose one)
    flags: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self):
        if self.imported_entries < 0:
            self.imported_entries = self.total_entries - int(self.skipped["entry"].nunique()) if len(self.skipped) else self.total_entries

    def flags_frame(self) -> pd.DataFrame:
        """``flags`` as a DataFrame with columns ``entry``, ``flag``, ``detail``."""
        return pd.DataFrame(self.flags, columns=list(FLAG_COLUMNS))

    def catalog_tables(self) -> dict[str, pd.DataFrame]:
        """The tables as a catalog folder holds them: what the importer made, plus an empty ``offerings``
        table for score-only sources (AA, LMArena), so ``catalog_from_frames`` and ``load_catalog`` accept them."""
        out = dict(self.tables)
        if "offerings" not in out:
            out["offerings"] = pd.DataFrame(columns=TABLES["offerings"].column_names)
        return out

    def counts(self) -> dict:
        """``{"total": n, "imported": entries that produced rows, "skipped": {reason: entries}}`` (entry counts)."""
        by_reason = (self.skipped.drop_duplicates("entry")["reason"].value_counts().sort_values(ascending=False)
                     if len(self.skipped) else pd.Series(dtype=int))
        return {
            "total": int(self.total_entries),
            "imported": int(self.imported_entries),
            "skipped": {str(k): int(v) for k, v in by_reason.items()},
            "rows": {name: int(len(df)) for name, df in self.tables.items()},
        }


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------

def check_as_of(as_of: str, what: str = "--as-of") -> str:
    """Return ``as_of`` if it is a real ``YYYY-MM-DD`` date, else raise a :class:`WorkbenchError`."""
    text = str(as_of).strip()
    ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
    if ok:
        try:
            date.fromisoformat(text)
        except ValueError:
            ok = False
    if not ok:
        raise fail(what, "value", f"'{as_of}' is not a date in YYYY-MM-DD form",
                   "give the date the data describes (the day it was downloaded or published), e.g. 2026-11-20")
    return text


def read_json(data, fmt: str, accepted: str = "") -> tuple[object, str]:
    """Return ``(parsed JSON, display name)`` for a dict/list, a path, or a path given as a string.

    A missing file, bytes that are not UTF-8 and text that is not JSON raise a :class:`WorkbenchError`
    naming the file (and the line and column for bad JSON). ``fmt`` names the expected format in fixes;
    a CSV, TSV or spreadsheet file is told which formats are accepted (``accepted``, default JSON).
    """
    if isinstance(data, (dict, list)):
        return data, f"<{fmt} data>"
    path = Path(data)
    display = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise fail(display, "file", "file not found", f"check the path to the {fmt} file") from None
    except IsADirectoryError:
        raise fail(display, "file", "is a folder, not a file", f"pass the {fmt} JSON file itself") from None
    except UnicodeDecodeError as e:
        raise fail(display, f"byte {e.start}", "the file is not UTF-8 text",
                   f"pass the {fmt} file as downloaded; accepted: {accepted or 'JSON (.json)'} "
                   "(not a spreadsheet or archive)") from None
    looks_tabular = path.suffix.lower() in TABULAR_SUFFIXES or (
        not text.lstrip().startswith(("{", "[")) and "," in text.split("\n", 1)[0])
    if looks_tabular:
        suffix = path.suffix.lower()
        kind = suffix.lstrip(".").upper() + " file" if suffix in TABULAR_SUFFIXES else "table of comma-separated values"
        raise fail(display, "file", f"this is a {kind}, not JSON",
                   f"the {fmt} importer accepts {accepted or 'JSON (.json)'} as downloaded from the source; "
                   "if it is a catalog table you wrote, put it in a catalog folder and check it with "
                   "'python -m workbench catalog --path FOLDER'")
    try:
        return json.loads(text), display
    except json.JSONDecodeError as e:
        raise fail(display, f"line {e.lineno}, column {e.colno}", f"not valid JSON ({e.msg})",
                   f"pass the {fmt} JSON file as downloaded; if you edited it, check for a missing comma or quote "
                   "there") from None


def expect(cond: bool, display: str, where: str, message: str, fix: str) -> None:
    """Raise a one-problem :class:`WorkbenchError` unless ``cond`` holds."""
    if not cond:
        raise fail(display, where, message, fix)


# --------------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------------

def per_token_to_per_mtok(usd_per_token: float) -> float:
    """USD per token -> USD per million tokens (x 1,000,000). The one place this conversion happens."""
    return float(f"{float(usd_per_token) * TOKENS_PER_MTOK:.12g}")  # 12 significant digits: drop binary noise (0.44999999999999996)


def plausible_price(usd_per_mtok: float) -> bool:
    """True when a USD-per-million-tokens price lies in the schema's plausible range (0.001..1000)."""
    return PRICE_MIN_USD_PER_MTOK <= usd_per_mtok <= PRICE_MAX_USD_PER_MTOK


def number(value, display: str, where: str) -> float | None:
    """A JSON number or numeric string as float; None/'' -> None; anything else -> WorkbenchError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise fail(display, where, f"expected a number, got {value!r}", "write a plain number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise fail(display, where, f"expected a number, got {value!r}",
                   "write a plain number such as 0.000003 (no currency sign)") from None


def tier_flags(entry: str, base_in: float | None, base_out: float | None, tier_in: float | None,
               tier_out: float | None, above_tokens) -> list[tuple[str, str, str]]:
    """Flags for a long-context tier price more than :data:`TIER_FLAG_RATIO` times its base price.

    Real tiers cost 1.5x-2x the base price; 10x or more is almost always a per-token/per-million mix-up
    or a field read from the wrong variant. The row is still imported as the source states it.
    """
    out = []
    for side, base, tier in (("input", base_in, tier_in), ("output", base_out, tier_out)):
        if base and tier and tier > TIER_FLAG_RATIO * base:
            out.append((entry, f"long-context tier price more than {TIER_FLAG_RATIO:g}x its base price",
                        f"{side}: {tier:g} USD/Mtok above {above_tokens} tokens vs base {base:g} "
                        f"({tier / base:.1f}x); imported as stated: check the source"))
    return out


def filled_count(row: dict) -> int:
    """How many facts a row states (non-empty values), used to choose between duplicate keys."""
    return sum(v is not None and v == v and v != "" for v in row.values())


def row_differences(a: dict, b: dict, ignore: tuple[str, ...] = ("provider_model_id", "source", "as_of")) -> dict:
    """``{column: (a's value, b's value)}`` for the columns where two rows for one offering disagree."""
    out = {}
    for k in sorted(set(a) | set(b)):
        if k in ignore:
            continue
        va, vb = a.get(k), b.get(k)
        na, nb = va is None or va != va, vb is None or vb != vb
        if not (na and nb) and va != vb:
            out[k] = (va, vb)
    return out


DUPLICATE_RULE = ("the key that states more facts is kept (count of filled columns); on a tie, the first in the file")


def choose_duplicate(first_key: str, first: dict, key: str, row: dict) -> tuple[str, str, tuple[str, str, str] | None]:
    """Decide between two keys that give one offering: returns ``(kept key, dropped key, flag or None)``.

    The rule is :data:`DUPLICATE_RULE`. When the rows' values differ, the flag names both keys and, per
    column, both values, so nothing is dropped silently.
    """
    keep_new = filled_count(row) > filled_count(first)
    kept, dropped = (key, first_key) if keep_new else (first_key, key)
    diff = row_differences(first, row)
    flag = None
    if diff:
        shown = "; ".join(f"{c}: {first_key}={a!r} vs {key}={b!r}" for c, (a, b) in diff.items())
        flag = (dropped, "duplicate key disagrees with the kept key", f"kept {kept} ({DUPLICATE_RULE}); {shown}")
    return kept, dropped, flag


# --------------------------------------------------------------------------------------------
# ids and the facts a source does not state
# --------------------------------------------------------------------------------------------

def clean_id(text: str) -> str:
    """A workbench id: lower case, spaces and '/' to '-', only ``[a-z0-9._:-]`` kept (e.g. 'GPT-5.1 (high)' -> 'gpt-5.1-high')."""
    s = str(text).strip().lower()
    s = re.sub(r"[\s/()\[\],]+", "-", s)
    s = re.sub(r"[^a-z0-9._:+-]", "", s)
    s = re.sub(r"-{2,}", "-", s).strip("-")
    return s


def unstated(source_name: str) -> str:
    """The text written into a required cell the source does not state: 'unknown (not stated by X)'."""
    return f"{UNKNOWN} (not stated by {source_name})"


def unknown_licence_facts(source_name: str, openness: str = UNKNOWN, evidence: str = "") -> dict:
    """``openness``, ``license``, ``commercial_use`` and ``license_notes`` for a model whose licence the source
    does not state. ``openness`` may carry what the source does say (see module docstring)."""
    missing = "licence and commercial use" if openness != UNKNOWN else "openness, licence and commercial use"
    note = f"{missing} not stated by {source_name}; treated as not met by constraints until a licence source is added"
    return {
        "openness": openness,
        "license": unstated(source_name),
        "commercial_use": UNKNOWN,
        "license_notes": (evidence + "; " if evidence else "") + note,
    }


# --------------------------------------------------------------------------------------------
# frames
# --------------------------------------------------------------------------------------------

def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as a DataFrame with the table's schema columns (in schema order) that any row fills."""
    cols = TABLES[table].column_names
    df = pd.DataFrame(rows)
    unknown = [c for c in df.columns if c not in cols]
    if unknown:  # a programming error in an importer, not a user error
        raise ValueError(f"{table}: columns not in workbench.catalog.schema: {unknown}")
    return df.reindex(columns=[c for c in cols if c in df.columns or TABLES[table].column(c).required])


def skipped_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """``(entry, reason, detail)`` tuples as the ``skipped`` DataFrame."""
    return pd.DataFrame(rows, columns=list(SKIPPED_COLUMNS))


def dedupe_name_map(df: pd.DataFrame) -> pd.DataFrame:
    """Keep one name-map row per (namespace, external_name), the first seen."""
    return df.drop_duplicates(subset=["namespace", "external_name"], keep="first").reset_index(drop=True)


__all__ = [
    "ImportResult", "check_as_of", "read_json", "expect", "per_token_to_per_mtok", "plausible_price", "number",
    "clean_id", "unstated", "unknown_licence_facts", "frame", "skipped_frame", "dedupe_name_map", "UNKNOWN",
    "TOKENS_PER_MTOK", "WorkbenchError", "tier_flags", "choose_duplicate", "row_differences", "filled_count",
    "DUPLICATE_RULE", "TIER_FLAG_RATIO", "FLAG_COLUMNS",
]


class Skip(Exception):
    """Raised inside an importer for one entry it does not import: ``reason`` is short and groupable,
    ``detail`` entry-specific. The importer catches it and lists the entry in ``skipped``."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail


def skip_by_provider_kind(prov: dict | None, provider: str, self_hosted: str) -> None:
    """Raise :class:`Skip` for an entry whose provider (a row of provider_access_modes.csv, or None when
    the provider is not in it) sells no per-token API: unclassified, self-hosted (``self_hosted`` says
    why for this source), a gateway or reseller, a subscription product."""
    if prov is None:
        raise Skip("provider not classified in provider_access_modes.csv", provider)
    kind = prov["access_mode"]
    if kind == "self-hosted":
        raise Skip(self_hosted, provider)
    if kind == "gateway":
        raise Skip("gateway or reseller: import the underlying provider", provider)
    if kind == "subscription":
        raise Skip("subscription product: no per-token API price", provider)
