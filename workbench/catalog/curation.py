"""The maintainer's curation files (``data/catalog/curation/``) and the transforms of raw public data the
snapshot build uses: display numbers, GPU memory, LiveBench averages, price history, GPU rental rows.
See :mod:`workbench.catalog.snapshot` for the build itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from workbench.catalog.importers.common import check_as_of, clean_id
from workbench.catalog.load import (
    read_csv_strings,
)
from workbench.catalog.schema import COMMERCIAL_USE, MODEL_TYPES, OPENNESS
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.util import project_dir

MAX_AA_MODELS = 12  # Artificial Analysis: cited values for a handful of models, never the dataset


LIVEBENCH_DECIMALS = 3  # LiveBench publishes task scores with 3 decimals; its averages are rounded the same


NAME_NAMESPACES = ("litellm", "openrouter", "artificial-analysis", "lmarena", "livebench", "llm-prices", "huggingface")


SOURCE_KEYS = ("litellm", "openrouter", "artificial_analysis", "artificial_analysis_providers", "lmarena",
               "lmarena_2026", "livebench", "llm_prices", "open_llms", "gpu_prices", "gpu_index")


MODEL_KEYS = ("model_id", "name", "creator", "model_type", "openness", "license", "commercial_use", "fine_tuning",
              "gated", "weights_formats", "license_notes", "license_source", "params_b", "active_params_b",
              "params_source", "facts", "deprecation_from", "aa_scores", "names")


REQUIRED_MODEL_KEYS = ("model_id", "name", "creator", "model_type", "openness", "license", "commercial_use",
                       "license_source", "facts", "names")


# as_of: the date of the policy page the facts were read from (default: the curation day);
# read: which copy was read (e.g. a dated archived copy), added to the row's source
PROVIDER_KEYS = ("zero_data_retention", "trains_on_data", "regions", "policy_url", "notes", "as_of", "read")


SELF_PROVIDER = "self"


SELF_HOSTED_SOURCE = "assumption (workbench maintainers), see data/README.md"


NAME_MAP_SOURCE = "hand-mapped by the workbench maintainers (data/catalog/curation)"


CURATION_FILES = {
    "sources": "sources.yaml", "models": "models.yaml", "offerings": "offerings.csv",
    "self_hosted": "self_hosted.csv", "gpus": "gpus.csv", "providers": "providers.yaml",
}


CSV_COLUMNS = {
    "offerings": ("offering_id", "model_id", "provider", "from", "key", "speed"),
    "self_hosted": ("offering_id", "model_id", "gpu", "gpu_count", "tokens_per_s_per_gpu", "basis"),
    "gpus": ("source", "provider", "market", "gpu", "raw_label", "why", "assumed_vram_gb"),
}


# reasoning_effort: the setting the row's speed was measured at (none, low, medium, high, max, or the
# source's label); one row per setting, with the setting in the offering_id ('openai/gpt-5.6-luna@low')
OPTIONAL_CSV_COLUMNS = {"offerings": ("reasoning_effort",)}


def default_curation_dir() -> Path:
    """``data/catalog/curation`` of the project: the hand-curated inputs of the snapshot."""
    return project_dir() / "data" / "catalog" / "curation"


def display_number(text) -> float | None:
    """A number as a web page displays it: ``'1,707.0'`` -> 1707.0, ``'$0.15'`` -> 0.15, ``'87%'`` -> 87.0;
    empty, ``'N/A'`` or ``'-'`` -> None (not measured). Used for Artificial Analysis's provider table
    (tokens/s, seconds, index points)."""
    s = str(text or "").strip().replace(",", "").replace("$", "").replace("%", "")
    if s in ("", "N/A", "NA", "-", "--"):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def vram_gb(*texts: str) -> float | None:
    """GPU memory in GB from a provider's label or notes: ``'NVIDIA H100 PCIe 80 GB ...'`` -> 80.0,
    ``'48 GB VRAM, 94 GB RAM'`` -> 48.0 (the first ``N GB``); None when no text states it."""
    for t in texts:
        m = re.search(r"(\d+(?:\.\d+)?)\s*GB\b", str(t or ""))
        if m:
            return float(m.group(1))
    return None


def livebench_scores(table: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """LiveBench category scores and global average per model, in LiveBench's 0-100 units.

    ``table``: one row per model, column ``model`` plus one numeric column per task; ``categories``:
    category name -> its task columns (LiveBench's categories json). A category score is the mean of
    its task columns; ``global_average`` is the mean of the category scores (each category weighs the
    same, as on LiveBench's leaderboard), both rounded to :data:`LIVEBENCH_DECIMALS` decimals. A model
    missing any task of a category gets no score for it (and no global average).
    Returns columns ``model``, ``benchmark`` (``livebench_<category>`` or ``livebench_global_average``),
    ``value``.
    """
    missing = sorted({t for tasks in categories.values() for t in tasks} - set(table.columns))
    if missing:
        raise fail("LiveBench categories json", "categories", f"names task columns the table lacks: {missing}",
                   "pass the categories json of the same LiveBench release as the table")
    cat_means = pd.DataFrame({"model": table["model"]})
    for cat, tasks in categories.items():
        cat_means[cat] = table[list(tasks)].apply(pd.to_numeric, errors="coerce").mean(axis=1, skipna=False)
    cats = list(categories)
    cat_means["global_average"] = cat_means[cats].mean(axis=1, skipna=False)
    long = cat_means.melt(id_vars="model", var_name="category", value_name="value").dropna(subset=["value"])
    long["benchmark"] = "livebench_" + long["category"].map(lambda c: clean_id(c).replace("-", "_"))
    long["value"] = long["value"].round(LIVEBENCH_DECIMALS)
    return long[["model", "benchmark", "value"]].reset_index(drop=True)


def llm_prices_history(vendor_files: list[dict], ids: dict[str, str], source: str, as_of: str,
                       display: str = "simonw/llm-prices", provider_names: dict[str, str] | None = None) -> pd.DataFrame:
    """``price_history`` rows for the llm-prices ``ids`` (llm-prices id -> catalog model_id).

    ``vendor_files``: the parsed ``data/*.json`` files (``{"vendor", "models": [{"id", "price_history":
    [{"input", "output", "input_cached", "from_date", "to_date"}]}]}``), prices already in USD per
    million tokens. One row per price period; ``provider`` is the vendor, renamed by ``provider_names``
    (vendor -> the catalog's provider name, e.g. google -> gemini) so that a history joins to its
    first-party offering; an empty ``from_date`` means
    "since the model was listed" and an empty ``to_date`` "still current". An id missing from every
    file is an error.
    """
    found: dict[str, tuple[str, dict]] = {}
    for vf in vendor_files:
        for m in vf.get("models", []):
            found.setdefault(m.get("id"), (vf.get("vendor"), m))
    rows = []
    for ext, model_id in ids.items():
        if ext not in found:
            raise fail("curation/models.yaml", f"model '{model_id}', names.llm-prices", f"'{ext}' is not in {display}",
                       did_you_mean(ext, [k for k in found if k]))
        vendor, m = found[ext]
        for i, p in enumerate(m.get("price_history") or []):
            for k in ("input", "output"):
                v = p.get(k)
                if not isinstance(v, (int, float)) or v < 0:
                    raise fail(display, f"{vendor} '{ext}' price_history[{i}].{k}", f"not a non-negative price ({v!r})",
                               "fix the source file or drop the id from names.llm-prices")
            rows.append({"model_id": model_id, "provider": (provider_names or {}).get(vendor, vendor),
                         "usd_per_mtok_in": float(p["input"]),
                         "usd_per_mtok_out": float(p["output"]),
                         "usd_per_mtok_cached_in": None if p.get("input_cached") is None else float(p["input_cached"]),
                         "from_date": p.get("from_date"), "to_date": p.get("to_date"),
                         "source": source, "as_of": as_of})
    df = pd.DataFrame(rows, columns=["model_id", "provider", "usd_per_mtok_in", "usd_per_mtok_out",
                                     "usd_per_mtok_cached_in", "from_date", "to_date", "source", "as_of"])
    return df.sort_values(["model_id", "from_date"], na_position="first", kind="stable").reset_index(drop=True)


def latest_day(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of the latest day in ``column`` (an ISO date or timestamp), with a ``day`` column (YYYY-MM-DD).
    Used for the GPU price file (:func:`gpu_rows`); introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    d = df.copy()
    d["day"] = d[column].astype(str).str[:10]
    return d[d["day"] == d["day"].max()].reset_index(drop=True)


def gpu_rows(prices: pd.DataFrame, index: pd.DataFrame, picks: pd.DataFrame, sources: dict) -> pd.DataFrame:
    """``gpus`` rows (USD per GPU-hour) for the curated ``picks`` from the latest day of each GPU file.

    ``prices``: the Lambda/Runpod daily file (``observed_at_utc``, ``provider``, ``market``, ``gpu_model``,
    ``price_usd_per_gpu_hour``, ``raw_label``, ``notes``, ``source_url``); ``index``: the daily rental
    index (``date`` plus one column per ``segment-GPU``), whose latest day with a value is used per
    column. ``vram_gb`` comes from the row's label or notes; an index states none, so its pick must
    give ``assumed_vram_gb`` and the row's notes say it is an ASSUMPTION.
    """
    day = latest_day(prices, "observed_at_utc")
    rows, problems = [], []
    for i, p in picks.iterrows():
        where = f"row {i + 2} ({p['provider']} {p['gpu']})"
        if p["source"] == "gpu_prices":
            hit = day[(day["provider"] == p["provider"]) & (day["market"] == p["market"])
                      & (day["gpu_model"] == p["gpu"]) & (day["raw_label"] == p["raw_label"])]
            if hit.empty:
                labels = day.loc[(day["provider"] == p["provider"]) & (day["gpu_model"] == p["gpu"]), "raw_label"]
                problems.append(Problem("curation/gpus.csv", where, f"no row with raw_label '{p['raw_label']}' on "
                                        f"{day['day'].iloc[0]}, the latest day of the GPU price file",
                                        "pick a label of that day: " + (", ".join(repr(x) for x in labels) or "none listed")))
                continue
            price_values = set(hit["price_usd_per_gpu_hour"].astype(float))
            if len(price_values) > 1:
                problems.append(Problem("curation/gpus.csv", where, f"the label matches rows with different prices {sorted(price_values)}",
                                        "pick a label that names one instance"))
                continue
            r = hit.iloc[0]
            vram = vram_gb(r["raw_label"], r.get("notes"))
            if vram is None:
                problems.append(Problem("curation/gpus.csv", where, "neither the label nor the notes state the memory size",
                                        "pick another row, or give assumed_vram_gb and say so"))
                continue
            extra = f"; provider notes '{r['notes']}'" if str(r.get("notes") or "").strip() else ""
            rows.append({"gpu": p["gpu"], "vram_gb": vram, "provider": p["provider"], "market": p["market"],
                         "usd_per_hour": float(r["price_usd_per_gpu_hour"]),
                         "notes": f"{p['why']}; label '{r['raw_label']}'{extra}; observed {r['observed_at_utc']}",
                         "source": f"{sources['gpu_prices']['source']}; {r['source_url']}", "as_of": r["day"]})
        elif p["source"] == "gpu_index":
            col = p["raw_label"]
            if col not in index.columns:
                problems.append(Problem("curation/gpus.csv", where, f"the index has no column '{col}'",
                                        did_you_mean(col, [c for c in index.columns if c != "date"])))
                continue
            vals = index[["date", col]].copy()
            vals[col] = pd.to_numeric(vals[col], errors="coerce")
            vals = vals.dropna(subset=[col])
            if vals.empty or not str(p.get("assumed_vram_gb") or "").strip():
                problems.append(Problem("curation/gpus.csv", where, "no value in the index column, or no assumed_vram_gb",
                                        "an index states no memory size: give assumed_vram_gb (and it is labelled an assumption)"))
                continue
            last = vals.sort_values("date").iloc[-1]
            rows.append({"gpu": p["gpu"], "vram_gb": float(p["assumed_vram_gb"]), "provider": p["provider"],
                         "market": p["market"], "usd_per_hour": float(last[col]),
                         "notes": f"{p['why']}; index column '{col}', its latest day with a value; vram_gb is an "
                                  f"ASSUMPTION ({p['assumed_vram_gb']} GB): the index states no memory size",
                         "source": sources["gpu_index"]["source"], "as_of": str(last["date"])[:10]})
        else:
            problems.append(Problem("curation/gpus.csv", where, f"unknown source '{p['source']}'",
                                    did_you_mean(p["source"], ["gpu_prices", "gpu_index"])))
    if problems:
        raise WorkbenchError(problems)
    return pd.DataFrame(rows)


@dataclass
class Curation:
    """The hand-curated inputs (see ``data/catalog/curation``), validated: unknown keys, wrong values,
    duplicated ids and missing columns are errors naming the file and entry."""

    folder: Path
    sources: dict
    models: list[dict]
    offerings: pd.DataFrame
    self_hosted: pd.DataFrame
    gpus: pd.DataFrame
    providers: dict

    def file(self, name: str) -> str:
        return f"curation/{CURATION_FILES[name]}"


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(str(path), "file", "file not found", "pass the curation folder that holds "
                   + ", ".join(CURATION_FILES.values())) from None
    try:
        return yaml.safe_load(text)  # the maintainer's own files; dates load as dates
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise fail(str(path), where, f"not valid YAML ({getattr(e, 'problem', e)})",
                   "check the indentation and quoting there") from None


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    """A curation CSV as strings (the catalog's reader: bad rows are reported with their row number),
    checked for its columns; the index is reset so that ``index + 2`` is the spreadsheet row."""
    display = f"curation/{path.name}"
    df = read_csv_strings(path, display)
    missing = [c for c in CSV_COLUMNS[name] if c not in df.columns]
    extra = [c for c in df.columns if c not in CSV_COLUMNS[name] + OPTIONAL_CSV_COLUMNS.get(name, ())]
    problems = [Problem(display, "row 1", "required column is missing", f"add a '{c}' column", column=c) for c in missing]
    problems += [Problem(display, "row 1", "unknown column", did_you_mean(c, CSV_COLUMNS[name]), column=c) for c in extra]
    if problems:
        raise WorkbenchError(problems)
    for c in OPTIONAL_CSV_COLUMNS.get(name, ()):
        if c not in df.columns:
            df[c] = ""
    return df.reset_index(drop=True)


def _bool_word(v) -> str | None:
    if v is None or v == "":
        return None
    s = str(v).strip().lower()
    if s in ("yes", "true", "1"):
        return "yes"
    if s in ("no", "false", "0"):
        return "no"
    return "?" + s


def _flag(v) -> bool | None:
    """A checked yes/no curation value as the catalog's boolean (None = unknown)."""
    w = _bool_word(v)
    return None if w is None else w == "yes"


def load_curation(folder: str | Path | None = None) -> Curation:
    """Read and check the curation folder (default :func:`default_curation_dir`)."""
    folder = Path(folder) if folder is not None else default_curation_dir()
    if not folder.is_dir():
        raise fail(str(folder), "folder", "curation folder not found",
                   "pass the folder holding " + ", ".join(CURATION_FILES.values()) + " (default data/catalog/curation)")
    problems: list[Problem] = []

    sources = _read_yaml(folder / CURATION_FILES["sources"])
    f = "curation/sources.yaml"
    if not isinstance(sources, dict):
        raise fail(f, "top level", "expected a mapping of source name -> {path, source, as_of, licence}",
                   "see data/catalog/curation/sources.yaml in the project")
    for k in sources:
        if k not in SOURCE_KEYS:
            problems.append(Problem(f, f"key '{k}'", "unknown source", did_you_mean(k, SOURCE_KEYS)))
    for k in SOURCE_KEYS:
        s = sources.get(k)
        if not isinstance(s, dict):
            problems.append(Problem(f, f"key '{k}'", "source is missing", "add it with path (or folder), source, licence"))
            continue
        if not (s.get("path") or s.get("folder")) or not s.get("source"):
            problems.append(Problem(f, f"{k}", "needs 'path' (or 'folder') and 'source'", "fill both in"))
        if k not in ("gpu_prices", "gpu_index"):
            try:
                s["as_of"] = check_as_of(str(s.get("as_of")), f"{f}: {k}.as_of")
            except WorkbenchError as e:
                problems += e.problems

    raw_models = _read_yaml(folder / CURATION_FILES["models"])
    f = "curation/models.yaml"
    models = raw_models.get("models") if isinstance(raw_models, dict) else None
    if not isinstance(models, list):
        raise fail(f, "top level", "expected 'models:' followed by a list of models", "see the project's models.yaml")
    seen: set[str] = set()
    for i, m in enumerate(models):
        where = f"models[{i}]" + (f" ('{m.get('model_id')}')" if isinstance(m, dict) else "")
        if not isinstance(m, dict):
            problems.append(Problem(f, where, "not a mapping", "write each model as key: value lines"))
            continue
        for k in m:
            if k not in MODEL_KEYS:
                problems.append(Problem(f, f"{where}.{k}", "unknown key", did_you_mean(k, MODEL_KEYS)))
        for k in REQUIRED_MODEL_KEYS:
            if m.get(k) in (None, "", {}):
                problems.append(Problem(f, f"{where}.{k}", "missing", f"fill in '{k}'"))
        mid = str(m.get("model_id") or "")
        if mid in seen:
            problems.append(Problem(f, where, f"model_id '{mid}' appears twice", "keep one entry per model"))
        seen.add(mid)
        for k, choices in (("model_type", MODEL_TYPES), ("openness", OPENNESS), ("commercial_use", COMMERCIAL_USE),
                           ("facts", ("openrouter", "litellm", "none"))):
            v = m.get(k)
            if v is not None and str(v) not in choices:
                problems.append(Problem(f, f"{where}.{k}", f"'{v}' is not allowed", did_you_mean(str(v), choices)))
        for k in ("fine_tuning", "gated", "aa_scores"):
            b = _bool_word(m.get(k))
            if b is not None and b.startswith("?"):
                problems.append(Problem(f, f"{where}.{k}", f"'{m.get(k)}' is not yes/no", "write yes or no, or leave it out"))
        names = m.get("names") if isinstance(m.get("names"), dict) else {}
        for ns, vals in names.items():
            if ns not in NAME_NAMESPACES:
                problems.append(Problem(f, f"{where}.names.{ns}", "unknown namespace", did_you_mean(ns, NAME_NAMESPACES)))
            elif ns == "openrouter":
                if not isinstance(vals, str):
                    problems.append(Problem(f, f"{where}.names.openrouter", "must be one id", "write the OpenRouter id"))
            elif not isinstance(vals, list) or not all(isinstance(v, str) and v for v in vals):
                problems.append(Problem(f, f"{where}.names.{ns}", "must be a list of names", "write [name, ...]"))
        if m.get("facts") == "openrouter" and not isinstance(names.get("openrouter"), str):
            problems.append(Problem(f, f"{where}.names.openrouter", "facts: openrouter needs the model's OpenRouter id",
                                    "add names.openrouter, or use facts: litellm with names.litellm"))
        if m.get("facts") == "litellm" and not names.get("litellm"):
            problems.append(Problem(f, f"{where}.names.litellm", "facts: litellm needs a LiteLLM key",
                                    "add names.litellm: [key]"))

    offerings = _read_csv(folder / CURATION_FILES["offerings"], "offerings")
    self_hosted = _read_csv(folder / CURATION_FILES["self_hosted"], "self_hosted")
    gpus = _read_csv(folder / CURATION_FILES["gpus"], "gpus")
    known = {str(m.get("model_id")) for m in models if isinstance(m, dict)}
    all_ids: dict[str, str] = {}
    for name, df in (("offerings", offerings), ("self_hosted", self_hosted)):
        f = f"curation/{CURATION_FILES[name]}"
        for i, r in df.iterrows():
            where = f"row {i + 2}"
            if r["offering_id"] in all_ids:
                problems.append(Problem(f, where, f"offering_id '{r['offering_id']}' is already used in {all_ids[r['offering_id']]}",
                                        "give each offering its own id"))
            all_ids[r["offering_id"]] = f
            if r["model_id"] not in known:
                problems.append(Problem(f, where, f"model '{r['model_id']}' is not in models.yaml",
                                        did_you_mean(r["model_id"], known), column="model_id"))
            if name == "offerings" and r["from"] not in ("litellm", "openrouter"):
                problems.append(Problem(f, where, f"'{r['from']}' is not a price source", did_you_mean(r["from"], ("litellm", "openrouter")),
                                        column="from"))
            if name == "offerings" and r["speed"] and not re.match(r"^(aa-api:.+|aa-scrape:.+\|.+)$", r["speed"]):
                problems.append(Problem(f, where, f"speed '{r['speed']}' is not 'aa-api:<slug>' or 'aa-scrape:<Model>|<API Provider>'",
                                        "write it in one of those forms, or leave it empty", column="speed"))
            if name == "self_hosted":
                for c in ("gpu_count", "tokens_per_s_per_gpu"):
                    try:
                        ok = float(r[c]) > 0
                    except ValueError:
                        ok = False
                    if not ok:
                        problems.append(Problem(f, where, "must be a positive number", "write e.g. 1 or 400", column=c, value=r[c]))
                if not r["basis"]:
                    problems.append(Problem(f, where, "the basis of the throughput assumption is missing",
                                            "say what it assumes (precision, batch, serving stack) and why", column="basis"))

    providers_doc = _read_yaml(folder / CURATION_FILES["providers"])
    f = "curation/providers.yaml"
    providers = providers_doc.get("providers") if isinstance(providers_doc, dict) else None
    if not isinstance(providers, dict):
        raise fail(f, "top level", "expected 'providers:' followed by a mapping provider -> facts", "see the project's providers.yaml")
    for k in ("policy_source", "no_policy_source", "self_source"):
        if not providers_doc.get(k):
            problems.append(Problem(f, k, "missing", f"give the row source text '{k}'"))
    for p, facts in providers.items():
        facts = facts or {}
        providers[p] = facts
        for k, v in facts.items():
            if k not in PROVIDER_KEYS:
                problems.append(Problem(f, f"providers.{p}.{k}", "unknown key", did_you_mean(k, PROVIDER_KEYS)))
            elif k == "as_of":
                try:
                    facts[k] = check_as_of(str(v), f"{f}: providers.{p}.as_of")
                except WorkbenchError as e:
                    problems.extend(e.problems)
            elif k in ("zero_data_retention", "trains_on_data") and (_bool_word(v) or "").startswith("?"):
                problems.append(Problem(f, f"providers.{p}.{k}", f"'{v}' is not yes/no", "write yes or no, or leave it out (unknown)"))
    if problems:
        raise WorkbenchError(problems)
    return Curation(folder=folder, sources=sources, models=models, offerings=offerings, self_hosted=self_hosted,
                    gpus=gpus, providers={"_doc": providers_doc, **providers})


# facts models.dev states that a curated model row may leave empty (filled, never overwritten)
MODELS_DEV_FILL = ("release_date", "knowledge_cutoff", "context_tokens", "max_output_tokens", "input_modalities",
                   "reasoning")


def _empty(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA or (isinstance(v, str) and not v.strip())


def fill_from_models_dev(models: pd.DataFrame, md) -> tuple[pd.DataFrame, int]:
    """The curated model rows with the facts of :data:`MODELS_DEV_FILL` that they leave empty filled from a
    models.dev import (``md``, an ImportResult), matched by model id (or the id with '.' written '-', as
    models.dev spells Claude versions). Each filled row's ``source`` names models.dev, its date and the
    fields it gave; a value already in the row is never replaced. Returns the rows and how many were filled."""
    ref = md.tables["models"].drop_duplicates("model_id").set_index("model_id")
    out = models.copy().astype(object)
    for c in MODELS_DEV_FILL:
        if c not in out.columns:
            out[c] = None
    filled = 0
    for i, row in out.iterrows():
        mid = row["model_id"]
        key = next((k for k in (mid, mid.replace(".", "-")) if k in ref.index), None)
        if key is None:
            continue
        got = [c for c in MODELS_DEV_FILL if c in out.columns and c in ref.columns and _empty(row.get(c))
               and not _empty(ref.at[key, c])]
        for c in got:
            out.at[i, c] = ref.at[key, c]
        if got:
            out.at[i, "source"] = f"{row['source']}; {', '.join(got)}: {md.source} ({md.as_of}), model {key}"
            filled += 1
    return out, filled
