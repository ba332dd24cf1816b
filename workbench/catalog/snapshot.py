"""Build the curated catalog snapshot (``data/catalog/*.csv``) from raw public files plus hand-curated facts.

``python -m workbench snapshot --shared DIR --out DIR --as-of DATE`` is the command line; the committed
``data/catalog/*.csv`` are exactly its output (see ``data/README.md``). Two inputs:

- the **raw public files**, under the folder passed as ``shared`` (the layout is in
  ``curation/sources.yaml``: LiteLLM's price map, OpenRouter's model list, Artificial Analysis's API
  response and its provider table, LMArena's leaderboards, LiveBench, simonw/llm-prices, the open-llms
  licence table, two GPU price files);
- the **curation** folder (default ``data/catalog/curation``): which models and offerings to include,
  the licence facts of each model with their source, the name of each model in each source, the GPU
  rows to take, the self-hosting throughput assumptions and the providers' privacy facts.

What the builder does, table by table (every row gets a ``source`` and an ``as_of``):

- ``offerings``: the importers (:mod:`workbench.catalog.importers.litellm`, :mod:`~workbench.catalog.importers.openrouter`)
  convert prices to USD per million tokens; the builder keeps the curated rows, renames them to the
  catalog's ids, and adds speeds where a real per-provider figure exists (Artificial Analysis's
  provider table, or AA's per-model medians for a closed model's own API), with ``speed_source`` and
  ``speed_as_of``. A curated offering whose LiteLLM entry is deprecated before ``as_of`` is an error.
  Self-hosted rows come from ``self_hosted.csv``; their throughput is labelled an ASSUMPTION.
- ``models``: the curated identity and licence facts; context, output limit, input modalities and the
  reasoning flag from OpenRouter (or LiteLLM); the deprecation date from the creator's LiteLLM entry.
- ``scores``: LMArena (2025-12-11 via the LMArena importer; 2026-10-08 as republished by AmigaMeow),
  LiveBench (category means and their mean, :func:`livebench_scores`) and Artificial Analysis's
  Intelligence Index for at most :data:`MAX_AA_MODELS` models (its terms forbid redistributing the dataset).
- ``gpus``: the curated rows of the latest day of each GPU price file (:func:`gpu_rows`).
- ``price_history``: simonw/llm-prices' dated list prices for the curated ids (:func:`llm_prices_history`).
- ``name_map``: every curated name, each checked against the source it belongs to.
- ``providers``: the curated privacy facts, one row per provider used.

Any curated name, key or row that is missing from its source raises a
:class:`~workbench.errors.WorkbenchError` naming the curation file and entry. Introduced in
``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.catalog.curation import (
    MAX_AA_MODELS,
    NAME_MAP_SOURCE,
    NAME_NAMESPACES,
    SELF_HOSTED_SOURCE,
    SELF_PROVIDER,
    Curation,
    _bool_word,
    _flag,
    display_number,
    fill_from_models_dev,
    gpu_rows,
    livebench_scores,
    llm_prices_history,
    load_curation,
)
from workbench.catalog.importers.artificial_analysis import import_artificial_analysis
from workbench.catalog.importers.common import check_as_of
from workbench.catalog.importers.litellm import import_litellm
from workbench.catalog.importers.lmarena import import_lmarena
from workbench.catalog.importers.models_dev import import_models_dev
from workbench.catalog.importers.openrouter import import_openrouter
from workbench.catalog.load import (
    Catalog,
    catalog_from_frames,
    write_table,
)
from workbench.catalog.schema import TABLES
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail

# --------------------------------------------------------------------------------------------
# small parsers (pure)
# --------------------------------------------------------------------------------------------













# --------------------------------------------------------------------------------------------
# the curation folder
# --------------------------------------------------------------------------------------------













# --------------------------------------------------------------------------------------------
# reading the raw files
# --------------------------------------------------------------------------------------------

def _raw_path(shared: Path, cur: Curation, key: str, field_name: str = "path") -> Path:
    rel = cur.sources[key].get(field_name)
    p = shared / rel
    if not p.exists():
        raise fail(str(p), "file", f"the {key} file is missing under --shared",
                   f"pass the folder that holds {rel} (e.g. /work/shared/data or your own downloads), "
                   f"or change {key}.{field_name} in curation/sources.yaml")
    return p


def _read_text(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise fail(str(p), f"byte {e.start}", "the file is not UTF-8 text", "pass the file as downloaded") from None


def _read_json_file(p: Path) -> object:
    try:
        return json.loads(_read_text(p))
    except json.JSONDecodeError as e:
        raise fail(str(p), f"line {e.lineno}, column {e.colno}", f"not valid JSON ({e.msg})",
                   "pass the file as downloaded") from None


def _read_raw_csv(p: Path, required: tuple[str, ...]) -> tuple[pd.DataFrame, list[str]]:
    """A raw CSV as strings; rows whose field count differs from the header are dropped and named in notes."""
    rows = list(csv.reader(io.StringIO(_read_text(p), newline="")))
    if not rows:
        raise fail(str(p), "row 1", "the file is empty", "pass the file as downloaded")
    header, notes, good = rows[0], [], []
    for i, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        if len(r) != len(header):
            notes.append(f"{p.name}: row {i} ('{r[0] if r else ''}') has {len(r)} fields, the header {len(header)}: not used")
            continue
        good.append(r)
    missing = [c for c in required if c not in header]
    if missing:
        raise fail(str(p), "row 1", f"columns {missing} are missing", "pass the file in the format data/README.md describes")
    return pd.DataFrame(good, columns=header, dtype=object), notes


# --------------------------------------------------------------------------------------------
# the build
# --------------------------------------------------------------------------------------------

@dataclass
class Snapshot:
    """The built tables (``tables``: name -> DataFrame in schema columns), the validated ``catalog``
    and ``notes`` (choices and dropped raw rows worth knowing about)."""

    tables: dict[str, pd.DataFrame]
    catalog: Catalog
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: int(len(df)) for name, df in self.tables.items()}


def _names(m: dict, ns: str) -> list[str]:
    v = (m.get("names") or {}).get(ns)
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def _row_of(df: pd.DataFrame, column: str, value: str) -> pd.Series | None:
    hit = df[df[column] == value]
    return None if hit.empty else hit.iloc[0]


def _skip_reason(result, key: str) -> str:
    s = result.skipped[result.skipped["entry"] == key] if len(result.skipped) else pd.DataFrame()
    return f"the importer skipped it: {s['reason'].iloc[0]}" if len(s) else "no such entry in the file"


@dataclass
class _Build:
    """What every table step reads: the curation, the parsed raw files, the importers' results, and the
    problems found so far (all reported together at the end)."""

    cur: Curation
    shared: Path
    as_of: str
    ll_raw: dict
    or_raw: dict
    imported: dict  # "litellm", "openrouter", "artificial_analysis", "lmarena" -> ImportResult
    aa_prov: pd.DataFrame  # Artificial Analysis's provider table, as strings
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    speed_names: list[tuple[str, str]] = field(default_factory=list)  # (model_id, AA provider-table Model)
    setting_names: list[tuple[str, str]] = field(default_factory=list)  # (model_id, AA slug of one reasoning setting)

    @property
    def src(self) -> dict:
        return self.cur.sources

    @property
    def models_by_id(self) -> dict:
        return {m["model_id"]: m for m in self.cur.models}

    @property
    def lmarena_names(self) -> set[str]:
        return set(self.imported["lmarena"].tables["name_map"]["external_name"])

    @property
    def aa_scored(self) -> set[str]:
        return {m["model_id"] for m in self.cur.models if _bool_word(m.get("aa_scores")) == "yes"}

    def problem(self, file: str, where: str, message: str, fix: str, **kw) -> None:
        self.problems.append(Problem(file, where, message, fix, **kw))


def _speed(b: _Build, c: pd.Series, where: str) -> dict | None:
    """The speed columns of one curated offering from its ``speed`` cell (None after a problem)."""
    OF, src = b.cur.file("offerings"), b.src
    if c["speed"].startswith("aa-scrape:"):
        model, prov = c["speed"][len("aa-scrape:"):].split("|", 1)
        hit = b.aa_prov[(b.aa_prov["Model"] == model) & (b.aa_prov["API Provider"] == prov)]
        if len(hit) != 1:
            b.problem(OF, where, f"{len(hit)} rows of the Artificial Analysis provider table have Model '{model}' and "
                      f"API Provider '{prov}' (need exactly one)", did_you_mean(model, b.aa_prov["Model"].unique()),
                      column="speed")
            return None
        h = hit.iloc[0]
        api_id = re.sub(r"^(us|eu|global|apac)\.", "", h["API ID"].strip().lower())
        if not c["key"].lower().endswith(api_id):
            b.problem(OF, where, f"the AA row measures API id '{h['API ID']}', not this offering's key '{c['key']}'",
                      "pick the AA row of the same endpoint, or leave speed empty", column="speed")
            return None
        tps, ttft = display_number(h["Median Tokens/s"]), display_number(h["Median First Chunk (s)"])
        if tps is None or ttft is None:
            b.problem(OF, where, "the AA row has no median speed", "leave speed empty", column="speed")
            return None
        b.speed_names.append((c["model_id"], model))
        return {"output_tokens_per_s": tps, "ttft_s": ttft, "speed_as_of": src["artificial_analysis_providers"]["as_of"],
                "speed_source": f"{src['artificial_analysis_providers']['source']}; row '{model}' x '{prov}' "
                                "(median tokens/s and median time to first chunk)"}
    if c["speed"].startswith("aa-api:"):
        slug = c["speed"][len("aa-api:"):]
        named = _names(b.models_by_id[c["model_id"]], "artificial-analysis")
        # AA lists a reasoning model once per setting: its slug plus '-low', '-non-reasoning', ...
        variant_of = [n for n in named if slug.startswith(n + "-")]
        if c["model_id"] not in b.aa_scored or not (slug in named or variant_of):
            b.problem(OF, where, f"AA slug '{slug}' is not one of this model's names.artificial-analysis with "
                      "aa_scores: yes", "AA figures are used for a handful of models only: add the slug there "
                      f"(at most {MAX_AA_MODELS} models) or leave speed empty", column="speed")
            return None
        aa = b.imported["artificial_analysis"]
        s = aa.tables["scores"]
        their = aa.tables["name_map"].loc[aa.tables["name_map"]["external_name"] == slug, "model_id"]
        vals = {k: s.loc[s["model_id"].isin(their) & (s["benchmark"] == k), "value"]
                for k in ("aa_median_output_tokens_per_s", "aa_median_ttft_s")}
        if any(v.empty for v in vals.values()):
            b.problem(OF, where, f"Artificial Analysis has no measured speed for '{slug}'", "leave speed empty", column="speed")
            return None
        shown = aa.tables["models"].loc[aa.tables["models"]["model_id"].isin(their), "name"]
        if slug not in named:
            b.setting_names.append((c["model_id"], slug))
        variant = f" ('{shown.iloc[0]}', the setting AA measured)" if len(shown) else ""
        return {"output_tokens_per_s": float(vals["aa_median_output_tokens_per_s"].iloc[0]),
                "ttft_s": float(vals["aa_median_ttft_s"].iloc[0]), "speed_as_of": src["artificial_analysis"]["as_of"],
                "speed_source": f"{src['artificial_analysis']['source']}; slug '{slug}'{variant}: per-model median over "
                                "the providers AA measures (for a closed model, mainly its creator's API)"}
    return {}


def _litellm_dep_source(b: _Build, key: str) -> str:
    """Who states a LiteLLM entry's ``deprecation_date``: the key, the price map and its date, and the
    page LiteLLM cites for the entry."""
    cited = (b.ll_raw.get(key) or {}).get("source")
    return (f"LiteLLM key '{key}' deprecation_date, {b.src['litellm']['source']}, {b.src['litellm']['as_of']}"
            + (f"; LiteLLM cites {cited}" if isinstance(cited, str) else ""))


def _offerings(b: _Build) -> pd.DataFrame:
    """Curated API offerings (prices from the importers, speeds from AA) plus the self-hosted rows."""
    OF, rows = b.cur.file("offerings"), []
    for i, c in b.cur.offerings.iterrows():
        where = f"row {i + 2} ('{c['offering_id']}')"
        res = b.imported[c["from"]]
        r = _row_of(res.tables["offerings"], "provider_model_id", c["key"])
        if r is None:
            b.problem(OF, where, f"{c['from']} key '{c['key']}' gave no offering ({_skip_reason(res, c['key'])})",
                      did_you_mean(c["key"], res.tables["offerings"]["provider_model_id"]), column="key")
            continue
        retire = {}
        if c["from"] == "litellm":
            dep = str((b.ll_raw.get(c["key"]) or {}).get("deprecation_date") or "")[:10]
            if dep and dep < b.as_of:
                b.problem(OF, where, f"LiteLLM says this endpoint was deprecated on {dep}, before {b.as_of}",
                          "remove the offering, or pick the provider's current key", column="key")
                continue
            if dep:
                retire = {"deprecation_date": dep, "deprecation_source": _litellm_dep_source(b, c["key"])}
        speed = _speed(b, c, where)
        if speed is None:
            continue
        row = {k: v for k, v in r.items() if k in TABLES["offerings"].column_names}
        row.update(offering_id=c["offering_id"], model_id=c["model_id"], provider=c["provider"], **speed, **retire,
                   reasoning_effort=c.get("reasoning_effort") or None)
        rows.append(row)
    for _, c in b.cur.self_hosted.iterrows():
        n = float(c["tokens_per_s_per_gpu"])
        rows.append({
            "offering_id": c["offering_id"], "model_id": c["model_id"], "provider": SELF_PROVIDER,
            "access_mode": "self-hosted", "gpu": c["gpu"], "gpu_count": int(float(c["gpu_count"])),
            "tokens_per_s_per_gpu": n,
            "assumptions": (f"ASSUMPTION (workbench maintainers, not measured): about {n:g} output tokens/s per GPU in "
                            f"aggregate; basis: {c['basis']}. Measure your own throughput before deciding."),
            "source": SELF_HOSTED_SOURCE, "as_of": b.as_of})
    return pd.DataFrame(rows)


def _models(b: _Build) -> pd.DataFrame:
    """Curated identity and licence facts, plus limits/modalities/reasoning from OpenRouter or LiteLLM and
    the deprecation date of the creator's LiteLLM entry."""
    MF, src, rows = b.cur.file("models"), b.src, []
    orr, ll = b.imported["openrouter"], b.imported["litellm"]
    for m in b.cur.models:
        where = f"model '{m['model_id']}'"
        if m["facts"] in ("openrouter", "litellm"):
            res = orr if m["facts"] == "openrouter" else ll
            key = m["names"]["openrouter"] if m["facts"] == "openrouter" else _names(m, "litellm")[0]
            o = _row_of(res.tables["offerings"], "provider_model_id", key)
            fr = None if o is None else _row_of(res.tables["models"], "model_id", o["model_id"])
            what = "id" if m["facts"] == "openrouter" else "key"
            facts_src = f"{src[m['facts']]['source']} ({src[m['facts']]['as_of']}), {what} {key}"
            dated = [src[m["facts"]]["as_of"]]
            if fr is None:
                b.problem(MF, where, f"facts: {m['facts']} key '{key}' is not in the imported rows "
                          f"({_skip_reason(res, key)})", "fix the name, or use the other facts source")
                continue
        else:  # no raw source prices the model: its limits and modalities stay unknown
            fr, facts_src = pd.Series(dtype=object), "none (no raw source lists the model; left empty)"
            dated = []
        dep, dep_src, dep_by = None, "", None
        if m.get("deprecation_from"):
            e = b.ll_raw.get(m["deprecation_from"])
            if not isinstance(e, dict):
                b.problem(MF, f"{where}.deprecation_from", f"'{m['deprecation_from']}' is not a LiteLLM key",
                          did_you_mean(m["deprecation_from"], b.ll_raw.keys()))
                continue
            if e.get("deprecation_date"):
                dep = str(e["deprecation_date"])[:10]
                dep_src = f"; deprecation date: LiteLLM key {m['deprecation_from']}"
                dep_by = _litellm_dep_source(b, m["deprecation_from"])
                dated.append(src["litellm"]["as_of"])
        params = f"; parameters: {m['params_source']}" if m.get("params_source") else ""
        rows.append({
            "model_id": m["model_id"], "name": m["name"], "creator": m["creator"], "model_type": m["model_type"],
            "openness": m["openness"], "license": m["license"], "commercial_use": m["commercial_use"],
            "fine_tuning": _flag(m.get("fine_tuning")), "license_notes": m.get("license_notes"),
            "params_b": m.get("params_b"), "active_params_b": m.get("active_params_b"),
            "context_tokens": fr.get("context_tokens"), "max_output_tokens": fr.get("max_output_tokens"),
            "input_modalities": fr.get("input_modalities"), "reasoning": fr.get("reasoning"),
            "weights_formats": m.get("weights_formats"), "gated": _flag(m.get("gated")), "deprecation_date": dep,
            "deprecation_source": dep_by,
            "source": (f"curated by the workbench maintainers (data/catalog/curation): licence from "
                       f"{m['license_source']}{params}; limits, modalities and reasoning flag: {facts_src}{dep_src}"),
            # the date the newest raw source the row cites describes; a row from model cards read by the
            # maintainers only is dated the day they read them
            "as_of": max(dated) if dated else b.as_of, "curated_on": b.as_of})
    return pd.DataFrame(rows)


def _arena_scores(b: _Build) -> list[pd.DataFrame]:
    """LMArena 2025-12-11 (via the LMArena importer) and 2026-10-08 (AmigaMeow's republication)."""
    MF, src = b.cur.file("models"), b.src
    lm = b.imported["lmarena"]
    lm_names = lm.tables["name_map"]
    harness = lm.tables["scores"]["harness"].iloc[0] if len(lm.tables["scores"]) else "LMArena text leaderboard, category full"
    am = _read_json_file(_raw_path(b.shared, b.cur, "lmarena_2026"))
    am_models = {e.get("id"): e for e in (am.get("models") or [])} if isinstance(am, dict) else {}
    am_date = ((am.get("sources") or {}).get("lmarena") or {}).get("publish_date") if isinstance(am, dict) else None
    if am_date != src["lmarena_2026"]["as_of"]:
        b.problem(b.cur.file("sources"), "lmarena_2026.as_of", f"the file says LMArena publish_date {am_date!r}",
                  "set as_of to the file's sources.lmarena.publish_date")
    parts, am_rows = [], []
    for m in b.cur.models:
        for name in _names(m, "lmarena"):
            their = lm_names.loc[lm_names["external_name"] == name, "model_id"]
            if len(their):
                parts.append(lm.tables["scores"][lm.tables["scores"]["model_id"] == their.iloc[0]].assign(model_id=m["model_id"]))
            elif name in am_models and am_models[name].get("arena_score") is not None:
                e = am_models[name]
                am_rows.append({"model_id": m["model_id"], "benchmark": "lmarena_text_full", "value": e["arena_score"],
                                "ci_low": e.get("arena_ci_low"), "ci_high": e.get("arena_ci_high"),
                                "higher_is_better": True, "harness": harness, "source": src["lmarena_2026"]["source"],
                                "as_of": src["lmarena_2026"]["as_of"]})
            else:
                b.problem(MF, f"model '{m['model_id']}'.names.lmarena",
                          f"'{name}' is neither an LMArena model_api_name ({src['lmarena']['as_of']}) nor an AmigaMeow id "
                          f"with an arena_score ({src['lmarena_2026']['as_of']})",
                          did_you_mean(name, list(lm_names["external_name"]) + list(am_models)))
    return parts + [pd.DataFrame(am_rows)]


def _livebench(b: _Build) -> list[pd.DataFrame]:
    """LiveBench category scores and global average (:func:`livebench_scores`) of the curated rows."""
    table, dropped = _read_raw_csv(_raw_path(b.shared, b.cur, "livebench"), ("model",))
    b.notes += dropped
    lb = livebench_scores(table, _read_json_file(_raw_path(b.shared, b.cur, "livebench", "categories")))
    parts = []
    for m in b.cur.models:
        for name in _names(m, "livebench"):
            s = lb[lb["model"] == name]
            if s.empty:
                b.problem(b.cur.file("models"), f"model '{m['model_id']}'.names.livebench",
                          f"'{name}' is not a usable row of the LiveBench table", did_you_mean(name, table["model"]))
                continue
            parts.append(s.assign(model_id=m["model_id"]).drop(columns="model"))
    as_of = b.src["livebench"]["as_of"]
    harness = (f"LiveBench release {as_of}, 0-100: a category score is the mean of its task columns (categories json); "
               "global_average is the mean of the 7 category scores; the model row LiveBench ran is its livebench name "
               "in name_map.csv")
    return [p.assign(higher_is_better=True, harness=harness, source=b.src["livebench"]["source"], as_of=as_of) for p in parts]


def _aa_scores(b: _Build) -> list[pd.DataFrame]:
    """The Intelligence Index of the (at most :data:`MAX_AA_MODELS`) models with ``aa_scores``: v4 from the API,
    and the August-2025 index from the provider table when a provider-table name is given."""
    MF, src = b.cur.file("models"), b.src
    if len(b.aa_scored) > MAX_AA_MODELS:
        b.problem(MF, "aa_scores", f"{len(b.aa_scored)} models take Artificial Analysis scores",
                  f"keep it to at most {MAX_AA_MODELS}: AA's terms forbid redistributing its dataset")
    aa = b.imported["artificial_analysis"]
    parts, rows = [], []
    for mid in sorted(b.aa_scored):
        for name in _names(b.models_by_id[mid], "artificial-analysis"):
            their = aa.tables["name_map"].loc[aa.tables["name_map"]["external_name"] == name, "model_id"]
            if len(their):
                s = aa.tables["scores"]
                parts.append(s[(s["model_id"] == their.iloc[0]) & (s["benchmark"] == "aa_intelligence_index")]
                             .assign(model_id=mid))
                continue
            hit = b.aa_prov[b.aa_prov["Model"] == name]
            vals = {display_number(v) for v in hit["Artificial Analysis Intelligence Index"]} - {None}
            where = f"model '{mid}'.names.artificial-analysis"
            if hit.empty:
                b.problem(MF, where, f"'{name}' is neither an AA API slug nor a Model of the AA provider table",
                          did_you_mean(name, list(aa.tables["name_map"]["external_name"]) + list(b.aa_prov["Model"])))
            elif len(vals) > 1:
                b.problem(MF, where, f"the provider table gives '{name}' different index values {sorted(vals)}",
                          "pick a single model row")
            elif vals:
                rows.append({"model_id": mid, "benchmark": "aa_intelligence_index", "value": vals.pop(),
                             "higher_is_better": True,
                             "harness": "Artificial Analysis Intelligence Index, August-2025 methodology (API-provider "
                                        "leaderboard), index 0-100: not comparable with the v4 index",
                             "source": src["artificial_analysis_providers"]["source"],
                             "as_of": src["artificial_analysis_providers"]["as_of"]})
    return parts + [pd.DataFrame(rows)]


def _name_map(b: _Build) -> pd.DataFrame:
    """Every curated name (models.yaml), offering key (offerings.csv), LiteLLM key read for a deprecation
    date and AA provider-table name used for a speed, each with where it was checked. One external name
    maps to one model."""
    src, MF = b.src, b.cur.file("models")
    hf_of = {e.get("id"): e["hugging_face_id"] for e in (b.or_raw.get("data") or [])
             if isinstance(e, dict) and e.get("hugging_face_id")}
    aa_slugs = set(b.imported["artificial_analysis"].tables["name_map"]["external_name"])
    rows = []

    def add(model_id, ns, name, checked, day):
        rows.append({"model_id": model_id, "namespace": ns, "external_name": name,
                     "source": f"{NAME_MAP_SOURCE}; {checked}", "as_of": day, "curated_on": b.as_of})

    where_checked = {
        "litellm": lambda n: f"key present in {src['litellm']['source']}",
        "openrouter": lambda n: f"id present in {src['openrouter']['source']}",
        "lmarena": lambda n: "name present in " + (src["lmarena"]["source"] if n in b.lmarena_names
                                                   else src["lmarena_2026"]["source"]),
        "livebench": lambda n: f"row present in {src['livebench']['source']}",
        "artificial-analysis": lambda n: "name present in " + (src["artificial_analysis"]["source"] if n in aa_slugs
                                                               else src["artificial_analysis_providers"]["source"]),
        "llm-prices": lambda n: f"id present in {src['llm_prices']['source']}",
    }
    checked_on = {  # the date of the source each name was checked in
        "litellm": lambda n: src["litellm"]["as_of"],
        "openrouter": lambda n: src["openrouter"]["as_of"],
        "lmarena": lambda n: src["lmarena"]["as_of"] if n in b.lmarena_names else src["lmarena_2026"]["as_of"],
        "livebench": lambda n: src["livebench"]["as_of"],
        "artificial-analysis": lambda n: (src["artificial_analysis"]["as_of"] if n in aa_slugs
                                          else src["artificial_analysis_providers"]["as_of"]),
        "llm-prices": lambda n: src["llm_prices"]["as_of"],
    }
    present = {  # names not already checked by the step that reads their source
        "litellm": lambda n: n in b.ll_raw,
        "openrouter": lambda n: n in {e.get("id") for e in (b.or_raw.get("data") or []) if isinstance(e, dict)},
        "artificial-analysis": lambda n: n in aa_slugs or n in set(b.aa_prov["Model"]),
    }
    for m in b.cur.models:
        mid = m["model_id"]
        for ns in NAME_NAMESPACES:
            for name in _names(m, ns):
                if ns in present and not present[ns](name):
                    b.problem(MF, f"model '{mid}'.names.{ns}", f"'{name}' is not in the {ns} source", "fix the name")
                    continue
                if ns != "huggingface":
                    add(mid, ns, name, where_checked[ns](name), checked_on[ns](name))
                    continue
                or_id = (m.get("names") or {}).get("openrouter")
                stated = hf_of.get(or_id)
                if stated is not None and stated.lower() != name.lower():
                    b.problem(MF, f"model '{mid}'.names.huggingface", f"OpenRouter states hugging_face_id '{stated}' "
                              f"for {or_id}", f"write '{stated}'")
                add(mid, ns, name, f"matches OpenRouter hugging_face_id ({src['openrouter']['as_of']})" if stated
                    else "from the model card; not stated in the raw sources",
                    src["openrouter"]["as_of"] if stated else b.as_of)
    for _, c in b.cur.offerings.iterrows():
        add(c["model_id"], c["from"], c["key"], f"offering key present in {src[c['from']]['source']}",
            src[c["from"]]["as_of"])
    for m in b.cur.models:
        if m.get("deprecation_from"):
            add(m["model_id"], "litellm", m["deprecation_from"], f"key present in {src['litellm']['source']} "
                "(its deprecation_date is the model's)", src["litellm"]["as_of"])
    for mid, slug in b.setting_names:
        add(mid, "artificial-analysis", slug, f"slug present in {src['artificial_analysis']['source']} (the model at "
            "one reasoning setting; used for that setting's speed only)", src["artificial_analysis"]["as_of"])
    for mid, name in b.speed_names:
        add(mid, "artificial-analysis", name, f"name present in {src['artificial_analysis_providers']['source']}",
            src["artificial_analysis_providers"]["as_of"])
    every = pd.DataFrame(rows)
    first = every.drop_duplicates(["namespace", "external_name"], keep="first")
    clash = first.merge(every, on=["namespace", "external_name"])
    for _, r in clash[clash["model_id_x"] != clash["model_id_y"]].drop_duplicates(["namespace", "external_name"]).iterrows():
        b.problem(MF, f"names.{r['namespace']}", f"'{r['external_name']}' is mapped to both '{r['model_id_x']}' and "
                  f"'{r['model_id_y']}'", "map each external name to one model")
    return first


def _providers(b: _Build, offerings: pd.DataFrame) -> pd.DataFrame:
    """One row per provider the offerings use, with the curated policy facts (empty = unknown)."""
    PF = b.cur.file("providers")
    doc = b.cur.providers["_doc"]
    facts = {k: v for k, v in b.cur.providers.items() if k != "_doc"}
    used = set(offerings["provider"]) if len(offerings) else set()
    for p in sorted(used - set(facts)):
        b.problem(PF, f"providers.{p}", "offerings use this provider but it has no entry",
                  "add it (an empty entry {} means every fact is unknown)")
    for p in sorted(set(facts) - used):
        b.problem(PF, f"providers.{p}", "no offering uses this provider", "remove the entry, or add its offerings")
    rows = []
    for p in sorted(used & set(facts)):
        f = facts[p]
        text = doc["self_source"] if p == SELF_PROVIDER else (doc["policy_source"] if f.get("policy_url") else doc["no_policy_source"])
        rows.append({"provider": p, "zero_data_retention": _flag(f.get("zero_data_retention")),
                     "trains_on_data": _flag(f.get("trains_on_data")), "regions": f.get("regions"),
                     "policy_url": f.get("policy_url"), "notes": f.get("notes"),
                     "source": text + (f"; {f['read']}" if f.get("read") else ""),
                     "as_of": str(f.get("as_of") or b.as_of), "curated_on": b.as_of})
    return pd.DataFrame(rows)








def build_snapshot(shared: str | Path, as_of: str, curation: str | Path | Curation | None = None) -> Snapshot:
    """Build every catalog table from the raw files under ``shared`` and the curation folder.

    ``as_of`` (YYYY-MM-DD) is the day the maintainers' curated rows (models, name map, providers,
    self-hosting assumptions) describe; it may not be earlier than the newest source it is built from.
    Every problem found is raised together in one :class:`~workbench.errors.WorkbenchError`; nothing is
    written (see :func:`write_snapshot`).
    """
    as_of = check_as_of(as_of)
    cur = curation if isinstance(curation, Curation) else load_curation(curation)
    shared = Path(shared)
    if not shared.is_dir():
        raise fail(str(shared), "--shared", "folder not found",
                   "pass the folder holding the raw public files (e.g. /work/shared/data or your own downloads)")
    src = cur.sources
    newest = max((s["as_of"], k) for k, s in src.items() if s.get("as_of"))
    if as_of < newest[0]:
        raise fail("--as-of", "value", f"{as_of} is earlier than the newest source ({newest[1]}, {newest[0]})",
                   f"date the snapshot on or after {newest[0]}: its curated rows describe what was known then")

    # the importers own parsing and unit conversion (USD per token -> USD per million tokens)
    ll_raw = _read_json_file(_raw_path(shared, cur, "litellm"))
    or_raw = _read_json_file(_raw_path(shared, cur, "openrouter"))
    imported = {
        "litellm": import_litellm(ll_raw, src["litellm"]["as_of"], source=src["litellm"]["source"]),
        "openrouter": import_openrouter(or_raw, src["openrouter"]["as_of"], source=src["openrouter"]["source"]),
        "artificial_analysis": import_artificial_analysis(_raw_path(shared, cur, "artificial_analysis"),
                                                          src["artificial_analysis"]["as_of"],
                                                          source=src["artificial_analysis"]["source"]),
        "lmarena": import_lmarena(_raw_path(shared, cur, "lmarena"), src["lmarena"]["as_of"], source=src["lmarena"]["source"]),
    }
    aa_prov, dropped = _read_raw_csv(_raw_path(shared, cur, "artificial_analysis_providers"),
                                     ("API Provider", "Model", "API ID", "Median Tokens/s", "Median First Chunk (s)",
                                      "Artificial Analysis Intelligence Index"))
    b = _Build(cur=cur, shared=shared, as_of=as_of, ll_raw=ll_raw, or_raw=or_raw, imported=imported, aa_prov=aa_prov,
               notes=dropped)

    offerings = _offerings(b)
    models, n_filled = fill_from_models_dev(_models(b), import_models_dev())
    b.notes.append(f"models.dev (bundled in the models-dev package) filled empty release dates, limits or "
                   f"modalities of {n_filled} models")
    score_parts = _arena_scores(b) + _livebench(b) + _aa_scores(b)
    scores = (pd.concat([p for p in score_parts if len(p)], ignore_index=True)
              .sort_values(["model_id", "benchmark", "as_of"], kind="stable").reset_index(drop=True))

    gp, dropped = _read_raw_csv(_raw_path(shared, cur, "gpu_prices"),
                                ("observed_at_utc", "provider", "market", "gpu_model", "price_usd_per_gpu_hour", "raw_label"))
    gi, dropped2 = _read_raw_csv(_raw_path(shared, cur, "gpu_index"), ("date",))
    b.notes += dropped + dropped2
    try:
        gpus = gpu_rows(gp, gi, cur.gpus, src)
    except WorkbenchError as e:
        b.problems += e.problems
        gpus = pd.DataFrame()

    lp_dir = shared / src["llm_prices"]["folder"]
    if not lp_dir.is_dir():
        raise fail(str(lp_dir), "folder", "the llm_prices folder is missing under --shared",
                   "pass the folder holding simonw_llm_prices/*.json, or change llm_prices.folder in curation/sources.yaml")
    lp_ids = {ext: m["model_id"] for m in cur.models for ext in _names(m, "llm-prices")}
    try:
        price_history = llm_prices_history([_read_json_file(p) for p in sorted(lp_dir.glob("*.json"))], lp_ids,
                                           src["llm_prices"]["source"], src["llm_prices"]["as_of"],
                                           provider_names=src["llm_prices"].get("provider_names"))
    except WorkbenchError as e:
        b.problems += e.problems
        price_history = pd.DataFrame()

    name_map = _name_map(b)
    providers = _providers(b, offerings)
    if b.problems:
        n = len(b.problems)
        raise WorkbenchError(b.problems, summary=f"{n} problem{'s' if n != 1 else ''} building the snapshot")

    tables = {"models": models, "offerings": offerings, "scores": scores, "gpus": gpus, "name_map": name_map,
              "price_history": price_history, "providers": providers}
    tables = {name: _in_schema_order(name, df) for name, df in tables.items()}
    catalog = catalog_from_frames(tables, {n: f"snapshot {TABLES[n].filename}" for n in TABLES}, path="<snapshot>")
    b.notes.append(f"Artificial Analysis scores for {len(b.aa_scored)} models (at most {MAX_AA_MODELS})")
    return Snapshot(tables=tables, catalog=catalog, notes=b.notes)


def _in_schema_order(name: str, df: pd.DataFrame) -> pd.DataFrame:
    cols = TABLES[name].column_names
    out = df.reindex(columns=cols)
    return out.reset_index(drop=True)


def write_snapshot(snapshot: Snapshot, out: str | Path, force: bool = False) -> list[Path]:
    """Write the seven CSVs into ``out`` (schema column order). If any exists and ``force`` is false,
    nothing is written and the error names every existing file."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise fail(str(folder), "--out", "is a file, not a folder", "give a folder for --out")
    targets = [folder / TABLES[n].filename for n in snapshot.tables]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise WorkbenchError([Problem(str(p), "file", "already exists; nothing was written",
                                      "choose another --out folder, or pass --force to replace the snapshot")
                              for p in existing])
    return [write_table(df, name, folder, force=force) for name, df in snapshot.tables.items()]


__all__ = ["Snapshot", "build_snapshot", "write_snapshot"]
