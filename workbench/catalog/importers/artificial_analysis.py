"""Import Artificial Analysis's ``GET /api/v2/data/llms/models`` response into models, scores and name_map.

Artificial Analysis's terms require attribution and forbid redistributing its dataset: this importer
reads a response the user fetched with their own API key, and every row's ``source`` starts with
"Artificial Analysis (artificialanalysis.ai) API v2" (prepended to a ``source`` that lacks it).

The response is ``{"status", "prompt_options", "data": [...]}``; each element of ``data`` is one entry.
What becomes a score (long format, one row per model x benchmark):

- ``evaluations``: each non-null value -> benchmark ``aa_<key>`` with the ``artificial_analysis_``
  prefix shortened, e.g. ``aa_intelligence_index``, ``aa_coding_index``, ``aa_math_index``,
  ``aa_gpqa``, ``aa_mmlu_pro``. Values are kept in AA's units: the ``*_index`` values 0-100, the other
  evaluations fractions 0-1 (the harness says which). ``higher_is_better`` is yes.
  Harness: "Artificial Analysis Intelligence Index v4 (API v2), ...".
- speed, measured by AA on its own prompt (``prompt_options``): ``median_output_tokens_per_second``
  -> ``aa_median_output_tokens_per_s`` (higher is better); ``median_time_to_first_token_seconds`` ->
  ``aa_median_ttft_s`` and ``median_time_to_first_answer_token`` -> ``aa_median_time_to_first_answer_token_s``
  (lower is better). A speed of 0 means "not measured" and gives no row (nor do the two times of that
  model). Harness: "Artificial Analysis API v2, prompt_length 1000, parallel_queries 1" (from the file).
  These are medians over AA's providers, not an offering, so no offering row is made.
- AA's ``pricing`` (medians across providers) is not imported: prices come from per-provider sources.

A model row per entry: ``model_id`` from the slug, ``name``, ``creator`` (``model_creator.name``),
``release_date``; openness, licence and commercial use are ``unknown`` (AA's free endpoint does not
state them; see :mod:`workbench.catalog.importers.common`). An entry with no evaluation and no measured speed is
skipped ("no scores (no evaluations and no measured speed)"). A value outside its scale is skipped
and named in the notes. Introduced in ``notebooks/00_start_here.ipynb``; the command line is
``python -m workbench import artificial-analysis``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from workbench.catalog.importers.common import (
    ImportResult,
    check_as_of,
    clean_id,
    dedupe_name_map,
    expect,
    frame,
    number,
    read_json,
    skipped_frame,
    unknown_licence_facts,
)
from workbench.errors import fail

SOURCE_NAME = "Artificial Analysis"
ATTRIBUTION = "Artificial Analysis (artificialanalysis.ai) API v2"
HARNESS_EVALS = "Artificial Analysis Intelligence Index v4 (API v2)"
SPEED_FIELDS = (  # AA field, benchmark, higher_is_better
    ("median_output_tokens_per_second", "aa_median_output_tokens_per_s", True),
    ("median_time_to_first_token_seconds", "aa_median_ttft_s", False),
    ("median_time_to_first_answer_token", "aa_median_time_to_first_answer_token_s", False),
)


def benchmark_name(aa_key: str) -> str:
    """AA evaluation key -> workbench benchmark, e.g. ``artificial_analysis_intelligence_index`` -> ``aa_intelligence_index``."""
    return "aa_" + aa_key.removeprefix("artificial_analysis_")


def _scale(aa_key: str) -> tuple[float, str]:
    return (100.0, "index 0-100") if aa_key.endswith("_index") else (1.0, "fraction 0-1")


def import_artificial_analysis(data: dict | str | Path, as_of: str, source: str | None = None) -> ImportResult:
    """Models, scores (AA indices and evaluations, median speed and time to first token) and name_map rows
    from an Artificial Analysis ``/api/v2/data/llms/models`` response. Every entry is imported or listed in
    ``skipped`` with a reason (see the module docstring).
    """
    as_of = check_as_of(as_of)
    obj, display = read_json(data, "Artificial Analysis /api/v2/data/llms/models")
    expect(isinstance(obj, dict) and isinstance(obj.get("data"), list), display, "top level",
           "expected an object with a 'data' list of models",
           "pass the JSON returned by GET https://artificialanalysis.ai/api/v2/data/llms/models, unmodified")
    label = source or (f"{ATTRIBUTION}, /data/llms/models" + ("" if display.startswith("<") else f" ({Path(display).name})"))
    src = label if "artificialanalysis.ai" in label else f"{ATTRIBUTION}; {label}"
    opts = obj.get("prompt_options") or {}
    speed_harness = "Artificial Analysis API v2" + "".join(f", {k} {opts[k]}" for k in ("prompt_length", "parallel_queries") if k in opts)

    models, scores, names, skipped, notes = [], [], [], [], []
    seen: set[str] = set()
    for i, m in enumerate(obj["data"]):
        slug = m.get("slug") if isinstance(m, dict) else None
        if not isinstance(slug, str) or not slug:
            raise fail(display, f"data[{i}]", "entry without a 'slug' string",
                       "each element of 'data' must be a model object with a 'slug' such as 'gpt-oss-120b'")
        where = f"data[{i}] (slug '{slug}')"
        evals = m.get("evaluations") or {}
        expect(isinstance(evals, dict), display, f"{where}, key 'evaluations'", "not an object",
               "evaluations must map benchmark names to numbers or null")
        model_id = clean_id(slug)
        if model_id in seen:
            skipped.append((slug, "duplicate slug", model_id))
            continue
        rows = []
        for key, raw in evals.items():
            value = number(raw, display, f"{where}, key 'evaluations.{key}'")
            if value is None:
                continue
            top, unit = _scale(key)
            if not 0 <= value <= top:
                notes.append(f"{slug}: evaluations.{key}={value} is outside {unit}; not imported")
                continue
            rows.append({"benchmark": benchmark_name(key), "value": value, "higher_is_better": True,
                         "harness": f"{HARNESS_EVALS}, {unit}"})
        tps = number(m.get("median_output_tokens_per_second"), display, f"{where}, key 'median_output_tokens_per_second'")
        if tps is not None and tps > 0:  # 0 = not currently measured: no speed rows at all
            for field, bench, higher in SPEED_FIELDS:
                v = number(m.get(field), display, f"{where}, key '{field}'")
                if v is not None and v > 0:
                    rows.append({"benchmark": bench, "value": v, "higher_is_better": higher, "harness": speed_harness})
        if not rows:
            skipped.append((slug, "no scores (no evaluations and no measured speed)", ""))
            continue
        seen.add(model_id)
        creator = (m.get("model_creator") or {}).get("name") if isinstance(m.get("model_creator"), dict) else None
        release = m.get("release_date")
        try:
            release = date.fromisoformat(release).isoformat() if isinstance(release, str) else None
        except ValueError:
            notes.append(f"{slug}: release_date {release!r} is not YYYY-MM-DD; left empty")
            release = None
        models.append({
            "model_id": model_id,
            "name": str(m.get("name") or slug),
            "creator": creator or f"unknown (not stated by {SOURCE_NAME})",
            "model_type": "chat",
            "release_date": release,
            **unknown_licence_facts(SOURCE_NAME),
            "source": src,
            "as_of": as_of,
        })
        scores += [{"model_id": model_id, **r, "source": src, "as_of": as_of} for r in rows]
        names.append({"model_id": model_id, "namespace": "artificial-analysis", "external_name": slug,
                      "source": src, "as_of": as_of})

    return ImportResult(
        source=src,
        as_of=as_of,
        tables={"models": frame("models", models), "scores": frame("scores", scores),
                "name_map": dedupe_name_map(frame("name_map", names))},
        skipped=skipped_frame(skipped),
        total_entries=len(obj["data"]),
        notes=["attribution: data from Artificial Analysis (artificialanalysis.ai); its terms forbid redistributing "
               "the dataset, so keep the output for your own use",
               "scores only: AA's median prices and speeds are across providers, so no offering rows are made",
               "openness, licence and commercial use: 'unknown' (not in AA's free endpoint)", *notes],
    )
