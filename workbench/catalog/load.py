"""Load and validate the model catalog: models, offerings, scores, GPUs, the name map, price history.

``load_catalog(path)`` reads one CSV per table (the columns are in :mod:`workbench.catalog.schema`), checks
every row, and raises one :class:`~workbench.errors.WorkbenchError` listing *every* problem found,
each with the file, row, column, bad value and a fix. ``catalog_from_frames`` runs the same checks on
DataFrames built in memory (importers, the benchmark). Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.catalog.plausibility import plausibility_problems
from workbench.catalog.schema import (
    PRICE_MAX_USD_PER_MTOK,
    PRICE_MIN_USD_PER_MTOK,
    REQUIRED_TABLES,
    TABLES,
    Table,
)
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.util import data_dir

TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"no", "false", "0", "n"}
MAX_PROBLEMS_PER_FILE = 200  # enough to fix a file in one pass without flooding a terminal


def default_catalog_dir() -> Path:
    return data_dir() / "catalog"


# --------------------------------------------------------------------------------------------
# reading CSV text without surprises (no NaN guessing, every cell a string)
# --------------------------------------------------------------------------------------------

def read_csv_strings(path: Path, display: str | None = None) -> pd.DataFrame:
    """Read a CSV as strings, turning parse problems into a :class:`WorkbenchError`.

    Rows with the wrong number of fields, an empty file, a duplicated header or bytes that are
    not UTF-8 are reported with the row number (the header is row 1).
    """
    display = display or str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise fail(display, "file", "file not found", "check the path, or create the file with the header "
                   "row listed in data/README.md") from None
    except UnicodeDecodeError as e:
        raise fail(display, f"byte {e.start}", "the file is not UTF-8 text",
                   "save it as UTF-8 (in Excel: 'CSV UTF-8'); do not save a spreadsheet's .xlsx as .csv") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise fail(display, "row 1", "the file is empty", "add a header row with the column names")
    header = [h.strip() for h in rows[0]]
    problems = []
    dupes = sorted({h for h in header if header.count(h) > 1})
    for h in dupes:
        problems.append(Problem(display, "row 1", "column name appears twice", "keep one column of that name",
                                column=h))
    if "" in header:
        problems.append(Problem(display, "row 1", f"column {header.index('') + 1} has no name",
                                "name the column or delete it"))
    width = len(header)
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != width:
            problems.append(Problem(
                display, f"row {i}", f"has {len(r)} fields but the header has {width}",
                "quote values that contain commas (\"a, b\") and check for a missing or extra comma",
            ))
            if len(problems) >= MAX_PROBLEMS_PER_FILE:
                break
    if problems:
        raise WorkbenchError(problems)
    df = pd.DataFrame(rows[1:], columns=header, dtype=object)
    df = df.apply(lambda s: s.str.strip()) if len(df) else df
    df.index = pd.RangeIndex(2, 2 + len(df))  # index = the row number a spreadsheet shows
    return df


# --------------------------------------------------------------------------------------------
# validation of one table
# --------------------------------------------------------------------------------------------

def _unit_hint(value: float) -> str:
    """Say which unit a price outside the plausible range was probably written in."""
    if value < PRICE_MIN_USD_PER_MTOK:
        readings = []
        if PRICE_MIN_USD_PER_MTOK <= value * 1e6 <= PRICE_MAX_USD_PER_MTOK:
            readings.append(f"USD per token (x 1,000,000 = {value * 1e6:g} USD per million)")
        if PRICE_MIN_USD_PER_MTOK <= value * 1e3 <= PRICE_MAX_USD_PER_MTOK:
            readings.append(f"USD per thousand tokens (x 1,000 = {value * 1e3:g} USD per million)")
        if readings:
            return ("this looks like " + " or ".join(readings) + "; write USD per million tokens, or import the "
                    "provider's file with 'python -m workbench import', which converts units")
        return "write the price in USD per million tokens; leave the cell empty if the item is free or unknown"
    return ("no model costs this much per million tokens: check the unit (USD per million tokens) "
            "and the decimal point")


def validate_table(spec: Table, df: pd.DataFrame, display: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a table of strings against its spec; return it typed, plus every problem found."""
    problems: list[Problem] = []
    names = spec.column_names
    present = list(df.columns)
    for col in present:
        if col not in names:
            problems.append(Problem(display, "row 1", "unknown column", f"rename or remove it; {did_you_mean(col, names)}",
                                    column=col))
    for c in spec.columns:
        if c.name not in present and c.required:
            problems.append(Problem(display, "row 1", "required column is missing",
                                    f"add a '{c.name}' column ({c.doc or c.kind})", column=c.name))
    if problems:
        return df, problems

    out = pd.DataFrame(index=df.index)
    for c in spec.columns:
        raw = df[c.name].astype(object).fillna("") if c.name in df else pd.Series("", index=df.index, dtype=object)
        raw = raw.astype(str).str.strip()
        empty = raw == ""
        if c.required:
            for row in raw.index[empty]:
                problems.append(Problem(display, f"row {row}", "value is missing", f"fill in '{c.name}' ({c.doc or c.kind})",
                                        column=c.name))
        if c.kind in ("float", "int"):
            num = pd.to_numeric(raw.where(~empty, None), errors="coerce")
            bad = ~empty & num.isna()
            for row in raw.index[bad]:
                problems.append(Problem(display, f"row {row}", "not a number", "write a plain number such as 0.15 "
                                        "(no currency sign, no thousands separator)", column=c.name, value=raw[row]))
            ok = ~empty & ~bad
            frac = pd.Series(False, index=raw.index)
            if c.kind == "int":
                frac = ok & (num.fillna(0) % 1 != 0)
                for row in raw.index[frac]:
                    problems.append(Problem(display, f"row {row}", "must be a whole number", "drop the decimals",
                                            column=c.name, value=raw[row]))
            if c.name.startswith("usd_per_mtok"):
                neg = ok & (num < 0)
                for row in raw.index[neg]:
                    problems.append(Problem(display, f"row {row}", "price is negative",
                                            "prices are positive USD per million tokens; leave empty if unknown",
                                            column=c.name, value=raw[row]))
                out_range = ok & (num >= 0) & ((num < c.min) | (num > c.max))
                for row in raw.index[out_range]:
                    problems.append(Problem(display, f"row {row}",
                                            f"price outside {PRICE_MIN_USD_PER_MTOK:g}..{PRICE_MAX_USD_PER_MTOK:,.0f} "
                                            "USD per million tokens (most likely a unit mix-up)",
                                            _unit_hint(float(num[row])), column=c.name, value=raw[row]))
            else:
                low = ok & (num < c.min) if c.min is not None else pd.Series(False, index=raw.index)
                high = ok & (num > c.max) if c.max is not None else pd.Series(False, index=raw.index)
                for row in raw.index[low | high]:
                    lo = "" if c.min is None else f"{c.min:g}"
                    hi = "" if c.max is None else f"{c.max:g}"
                    msg = "is negative" if (c.min == 0 and num[row] < 0) else f"outside the allowed range {lo}..{hi}"
                    problems.append(Problem(display, f"row {row}", msg, f"check the value and its unit ({c.doc or c.name})",
                                            column=c.name, value=raw[row]))
            out[c.name] = num.astype("Int64") if c.kind == "int" and not (bad.any() or frac.any()) else num.astype(float)
        elif c.kind == "bool":
            low = raw.str.lower()
            bad = ~empty & ~low.isin(TRUE_WORDS | FALSE_WORDS)
            for row in raw.index[bad]:
                problems.append(Problem(display, f"row {row}", "not yes/no", "write yes or no (empty = unknown)",
                                        column=c.name, value=raw[row]))
            vals = pd.array([True if v in TRUE_WORDS else False if v in FALSE_WORDS else pd.NA for v in low],
                            dtype="boolean")
            out[c.name] = pd.Series(vals, index=raw.index)
        elif c.kind == "date":
            parsed = pd.to_datetime(raw.where(~empty, None), format="%Y-%m-%d", errors="coerce")
            bad = ~empty & parsed.isna()
            for row in raw.index[bad]:
                problems.append(Problem(display, f"row {row}", "not a date in YYYY-MM-DD form",
                                        "write the date as YYYY-MM-DD, e.g. 2026-11-20", column=c.name, value=raw[row]))
            out[c.name] = parsed
        elif c.kind == "enum":
            low = raw.str.lower()
            bad = ~empty & ~low.isin(c.choices)
            for row in raw.index[bad]:
                problems.append(Problem(display, f"row {row}", "not an allowed value", did_you_mean(low[row], c.choices),
                                        column=c.name, value=raw[row]))
            out[c.name] = low.where(~empty, None)
        elif c.kind == "list":
            items = raw.str.lower().str.replace(r"\s*[;,]\s*", ";", regex=True)
            if c.choices:
                for row in raw.index[~empty]:
                    for item in items[row].split(";"):
                        if item and item not in c.choices:
                            problems.append(Problem(display, f"row {row}", f"unknown item '{item}'",
                                                    did_you_mean(item, c.choices), column=c.name, value=raw[row]))
            out[c.name] = items.where(~empty, None)
        else:
            out[c.name] = raw.where(~empty, None)
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            break

    if not problems:
        keys = list(spec.key)
        dup = out.duplicated(subset=keys, keep="first")
        for row in out.index[dup]:
            first = out.index[(out[keys] == out.loc[row, keys]).all(axis=1)][0]
            problems.append(Problem(display, f"row {row}", f"duplicate key {tuple(out.loc[row, keys])} (first seen in row {first})",
                                    "keep one row per " + " x ".join(keys) + ", or give the rows distinct keys",
                                    column=keys[0]))
        problems += _table_rules(spec.name, out, display)
    return out, problems


def _table_rules(name: str, t: pd.DataFrame, display: str) -> list[Problem]:
    """Rules that involve more than one column of a row."""
    problems: list[Problem] = []
    if name == "offerings":
        api = t["access_mode"] != "self-hosted"
        # the output price is checked in _cross_rules: embedding and reranker models bill input tokens only
        for col in ("usd_per_mtok_in",):
            for row in t.index[api & t[col].isna()]:
                problems.append(Problem(display, f"row {row}", "price is missing for an API offering",
                                        "fill in the list price in USD per million tokens; a catalog never treats "
                                        "a missing price as free", column=col))
        selfh = ~api
        for col in ("gpu", "gpu_count", "tokens_per_s_per_gpu", "assumptions"):
            for row in t.index[selfh & t[col].isna()]:
                problems.append(Problem(display, f"row {row}", "a self-hosted offering needs this column",
                                        "give the GPU, GPUs per replica, the assumed tokens/s per GPU, and say in "
                                        "'assumptions' what is assumed", column=col))
        tier = t["tier_above_tokens"].notna()
        for col in ("usd_per_mtok_in_above_tier", "usd_per_mtok_out_above_tier"):
            for row in t.index[tier & t[col].isna()]:
                problems.append(Problem(display, f"row {row}", "a long-context tier needs its prices",
                                        "fill in the tier's input and output prices, or clear 'tier_above_tokens'",
                                        column=col))
    if name == "scores":
        lo_bad = t["ci_low"].notna() & (t["ci_low"] > t["value"])
        hi_bad = t["ci_high"].notna() & (t["ci_high"] < t["value"])
        for row in t.index[lo_bad | hi_bad]:
            problems.append(Problem(display, f"row {row}", "the value lies outside its confidence interval",
                                    "check that ci_low <= value <= ci_high", column="value", value=t.loc[row, "value"]))
    if name == "price_history":
        bad = t["from_date"].notna() & t["to_date"].notna() & (t["to_date"] < t["from_date"])
        for row in t.index[bad]:
            problems.append(Problem(display, f"row {row}", "to_date is before from_date", "swap or correct the dates",
                                    column="to_date"))
    return problems


def _cross_rules(tables: dict[str, pd.DataFrame], displays: dict[str, str]) -> list[Problem]:
    """Rules between tables: every model_id and gpu a row names must exist."""
    problems: list[Problem] = []
    known = set(tables["models"]["model_id"])
    for name in ("offerings", "scores", "name_map", "price_history"):
        t = tables.get(name)
        if t is None or not len(t):
            continue
        unknown = ~t["model_id"].isin(known)
        for row in t.index[unknown]:
            problems.append(Problem(displays[name], f"row {row}", "names a model that is not in models.csv",
                                    f"add the model to models.csv first, or fix the id; {did_you_mean(t.loc[row, 'model_id'], known)}",
                                    column="model_id", value=t.loc[row, "model_id"]))
    offers = tables["offerings"]
    # an API offering of a chat model needs an output price (embedding/reranker models bill input only)
    chat = offers["model_id"].map(dict(zip(tables["models"]["model_id"], tables["models"]["model_type"]))) == "chat"
    for row in offers.index[chat & (offers["access_mode"] != "self-hosted") & offers["usd_per_mtok_out"].isna()]:
        problems.append(Problem(displays["offerings"], f"row {row}", "price is missing for an API offering",
                                "fill in the list price in USD per million tokens; a catalog never treats "
                                "a missing price as free", column="usd_per_mtok_out"))
    gpus = tables.get("gpus")
    need = offers["gpu"].notna()
    if need.any():
        known_gpus = set(gpus["gpu"]) if gpus is not None else set()
        for row in offers.index[need & ~offers["gpu"].isin(known_gpus)]:
            problems.append(Problem(displays["offerings"], f"row {row}", "names a GPU that is not in gpus.csv",
                                    "add its rental price to gpus.csv, or fix the name; "
                                    + (did_you_mean(offers.loc[row, "gpu"], known_gpus) if known_gpus else "gpus.csv is empty"),
                                    column="gpu", value=offers.loc[row, "gpu"]))
    return problems


# --------------------------------------------------------------------------------------------
# the Catalog
# --------------------------------------------------------------------------------------------

@dataclass
class Catalog:
    """The validated tables. Every row carries ``source`` and ``as_of``.

    Look-ups that would otherwise quietly return nothing (an unknown model or offering) raise a
    :class:`WorkbenchError` instead: a catalog never prices an unknown model at 0.
    """

    models: pd.DataFrame
    offerings: pd.DataFrame
    scores: pd.DataFrame
    gpus: pd.DataFrame
    name_map: pd.DataFrame
    price_history: pd.DataFrame
    providers: pd.DataFrame
    path: str = "<memory>"
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # plausibility warnings (workbench.catalog.plausibility)

    def model(self, model_id: str) -> pd.Series:
        m = self.models[self.models["model_id"] == model_id]
        if m.empty:
            raise fail(self.files.get("models", self.path), f"model '{model_id}'", "no such model in the catalog",
                       did_you_mean(model_id, self.models["model_id"]))
        return m.iloc[0]

    def offering(self, offering_id: str) -> pd.Series:
        o = self.offerings[self.offerings["offering_id"] == offering_id]
        if o.empty:
            raise fail(self.files.get("offerings", self.path), f"offering '{offering_id}'", "no such offering in the catalog",
                       did_you_mean(offering_id, self.offerings["offering_id"]))
        return o.iloc[0]

    def offerings_for(self, model_id: str) -> pd.DataFrame:
        """All offerings of a model; an unknown model is an error, a model with none is an error too."""
        self.model(model_id)
        o = self.offerings[self.offerings["model_id"] == model_id]
        if o.empty:
            raise fail(self.files.get("offerings", self.path), f"model '{model_id}'", "the model has no offering, so it has no price",
                       "add a row to offerings.csv with the provider's list price")
        return o

    def external_name(self, model_id: str, namespace: str) -> str | None:
        m = self.name_map[(self.name_map["model_id"] == model_id) & (self.name_map["namespace"] == namespace)]
        return None if m.empty else str(m["external_name"].iloc[0])

    def offerings_with_policy(self) -> pd.DataFrame:
        """Offerings with the provider-level privacy facts (``providers.csv``) filled in where the
        offering's own cell is empty; the offering's own value always wins. Empty stays unknown."""
        o = self.offerings.copy()
        if self.providers.empty:
            return o
        p = self.providers.set_index("provider")
        for col in ("zero_data_retention", "trains_on_data", "regions"):
            fill = o["provider"].map(p[col])
            o[col] = o[col].where(o[col].notna(), fill)
        return o

    def as_of_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        filled = [t["as_of"] for t in self.tables().values() if len(t)]
        if not filled:
            raise fail(self.path, "catalog", "every table is empty, so there is no as_of date",
                       "add rows (every row needs source and as_of), or import a file with 'python -m workbench import'")
        dates = pd.concat(filled)
        return dates.min(), dates.max()

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}


def _empty_typed(spec: Table) -> pd.DataFrame:
    typed, _ = validate_table(spec, pd.DataFrame({c: pd.Series(dtype=object) for c in spec.column_names}), "<empty>")
    return typed


def catalog_from_frames(frames: dict[str, pd.DataFrame], displays: dict[str, str] | None = None,
                        path: str = "<memory>") -> Catalog:
    """Validate tables given as DataFrames of strings (or values) and return a :class:`Catalog`.

    Missing optional tables are empty. All problems across all tables are raised together.
    """
    displays = dict(displays or {})
    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    for name, spec in TABLES.items():
        display = displays.setdefault(name, spec.filename)
        if name not in frames:
            if name in REQUIRED_TABLES:
                problems.append(Problem(display, "file", "required table is missing",
                                        f"create {spec.filename} with the columns listed in data/README.md"))
            typed[name] = _empty_typed(spec)
            continue
        df = frames[name]
        if not isinstance(df.index, pd.RangeIndex) or (len(df) and df.index[0] != 2):
            df = df.reset_index(drop=True)
            df.index = pd.RangeIndex(2, 2 + len(df))
        t, p = validate_table(spec, table_as_strings(df, name), display)
        typed[name] = t
        problems += p
    if not problems:
        problems += _cross_rules(typed, displays)
    warnings: list[Problem] = []
    if not problems:
        plausibility_errors, warnings = plausibility_problems(typed, displays)
        problems += plausibility_errors
    if problems:
        raise WorkbenchError(problems)
    typed = {name: t.reset_index(drop=True) for name, t in typed.items()}
    return Catalog(**typed, path=path, files=displays, warnings=warnings)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load ``models.csv``, ``offerings.csv`` and the optional ``scores.csv``, ``gpus.csv``,
    ``name_map.csv``, ``price_history.csv`` and ``providers.csv`` from a folder (default: the project's
    ``data/catalog``), validating everything. Introduced in ``00_start_here.ipynb``.
    """
    folder = Path(path) if path is not None else default_catalog_dir()
    if not folder.is_dir():
        raise fail(str(folder), "folder", "catalog folder not found",
                   "pass the folder that holds models.csv and offerings.csv (e.g. data/catalog)")
    frames: dict[str, pd.DataFrame] = {}
    displays: dict[str, str] = {}
    problems: list[Problem] = []
    for name, spec in TABLES.items():
        f = folder / spec.filename
        displays[name] = _display_path(f)
        if not f.exists():
            continue
        try:
            frames[name] = read_csv_strings(f, displays[name])
        except WorkbenchError as e:
            problems += e.problems
    if problems:
        raise WorkbenchError(problems)
    if "models" in frames and frames["models"].empty:
        raise fail(displays["models"], "row 2", "the table has a header but no rows, so the catalog has no models",
                   "add one row per model, or import a public file with 'python -m workbench import' (an import "
                   "that yields no rows writes nothing and says why)")
    return catalog_from_frames(frames, displays, path=_display_path(folder))


def _display_path(p: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(Path(p).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _cell_text(v, kind: str) -> str:
    """One value as the text a CSV cell holds: dates YYYY-MM-DD, booleans yes/no, whole numbers
    without '.0', missing values empty; text is kept as it is (validation judges it)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return ""
    if kind == "date" and hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if kind == "bool" and isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)):
        f = float(v)
        return str(int(f)) if f.is_integer() else repr(f)
    return str(v)


def table_as_strings(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table (typed or not) as the strings a CSV would hold, so that in-memory frames and files
    go through exactly the same validation. Columns the schema does not know are kept as text."""
    spec = TABLES[table]
    kinds = {c.name: c.kind for c in spec.columns}
    out = pd.DataFrame(index=df.index)
    for c in df.columns:
        out[c] = [_cell_text(v, kinds.get(c, "str")) for v in df[c].tolist()]
    return out.astype(object)


def write_table(df: pd.DataFrame, table: str, folder: str | Path, force: bool = False) -> Path:
    """Write one table as CSV in the schema's column order; refuse to overwrite unless ``force``."""
    spec = TABLES[table]
    out = Path(folder) / spec.filename
    if out.exists() and not force:
        raise fail(str(out), "file", "already exists; nothing was written",
                   "choose another --out folder, or pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    frame = table_as_strings(df[[c for c in spec.column_names if c in df.columns]], table)
    frame.to_csv(out, index=False, lineterminator="\n")
    return out


def summary(cat: Catalog) -> dict:
    """Counts by openness, model type, access mode and provider, and the oldest and newest ``as_of``.

    Shown by ``python -m workbench catalog``.
    """
    lo, hi = cat.as_of_range()
    m, o, s = cat.models, cat.offerings, cat.scores
    vision = m["input_modalities"].fillna("").str.split(";").map(lambda xs: "image" in xs)
    return {
        "path": cat.path,
        "models": int(len(m)),
        "models_by_openness": {k: int(v) for k, v in m["openness"].value_counts().sort_index().items()},
        "closed_creators": int(m.loc[m["openness"] == "closed", "creator"].nunique()),
        "models_by_type": {k: int(v) for k, v in m["model_type"].value_counts().sort_index().items()},
        "reasoning_models": int(m["reasoning"].fillna(False).sum()),
        "vision_models": int(vision.sum()),
        "offerings": int(len(o)),
        "offerings_by_access_mode": {k: int(v) for k, v in o["access_mode"].value_counts().sort_index().items()},
        "providers": int(o["provider"].nunique()),
        "offerings_by_provider": {k: int(v) for k, v in o["provider"].value_counts().sort_index().items()},
        "scores": int(len(s)),
        "score_sources": {k: int(v) for k, v in s["source"].value_counts().sort_index().items()},
        "gpus": sorted(cat.gpus["gpu"].unique().tolist()),
        "as_of_oldest": lo.strftime("%Y-%m-%d"),
        "as_of_newest": hi.strftime("%Y-%m-%d"),
    }
