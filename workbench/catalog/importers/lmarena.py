"""Import LMArena's text leaderboard (``leaderboard-text.json``) into models, scores and name_map.

The file is ``{category: {model_api_name: {rating, rating_q025, rating_q975}}}``. One category is
imported at a time (``category="full"`` by default); its models are the entries. Each becomes a score
row: benchmark ``lmarena_text_<category>``, ``value`` = rating, ``ci_low`` = ``rating_q025``,
``ci_high`` = ``rating_q975`` (the 95% interval), higher is better, harness "LMArena text
leaderboard, category <category>" - plus a model row and a ``name_map`` row (namespace ``lmarena``).

The leaderboard states no creator or licence: those cells are ``unknown`` (see
:mod:`workbench.catalog.importers.common`). LMArena's ``scatterplot-data.json`` (optional, ``scatterplot=``)
names the organisation and licence of some models: its organisation becomes ``creator``; a licence
"Proprietary" (also the misspelling "Propretary") makes the model ``closed`` with licence
``proprietary``; any other licence name is copied and the model is ``open-weight`` by inference from
LMArena naming a non-proprietary licence (``license_notes`` says so). Commercial use stays ``unknown``:
a licence name alone does not settle it. Its prices are not imported (no provider, no date per price).

An entry without a numeric rating is skipped ("no rating"); one whose rating lies outside its own
interval is skipped ("rating outside its 95% interval"). Introduced in ``notebooks/00_start_here.ipynb``;
the command line is ``python -m workbench import lmarena``.
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
    read_json,
    skipped_frame,
    unknown_licence_facts,
    unstated,
)
from workbench.errors import did_you_mean, fail

SOURCE_NAME = "LMArena"
PROPRIETARY = {"proprietary", "propretary"}


def _scatterplot_facts(scatterplot, display_lb: str) -> dict[str, dict]:
    """``{model_api_name: {creator, openness, license, license_notes}}`` from ``scatterplot-data.json``."""
    obj, display = read_json(scatterplot, "LMArena scatterplot-data")
    expect(isinstance(obj, list), display, "top level", f"expected a JSON list of models, got {type(obj).__name__}",
           "pass LMArena's scatterplot-data.json (a list of objects with model_api_name, organization, license)")
    out = {}
    for i, row in enumerate(obj):
        expect(isinstance(row, dict) and isinstance(row.get("model_api_name"), str), display, f"[{i}]",
               "entry without a 'model_api_name' string", "each element must be an object with 'model_api_name'")
        lic = str(row.get("license") or "").strip()
        facts: dict = {}
        if row.get("organization"):
            facts["creator"] = str(row["organization"]).strip()
        if lic.lower() in PROPRIETARY:
            facts.update(openness="closed", license="proprietary", commercial_use="unknown",
                         license_notes=f"proprietary per LMArena scatterplot-data ('{lic}'); commercial use not stated")
        elif lic:
            facts.update(unknown_licence_facts(SOURCE_NAME, openness="open-weight",
                                               evidence=f"open-weight inferred from LMArena naming the licence '{lic}'"))
            facts["license"] = lic
            facts["license_notes"] = (f"open-weight inferred from LMArena naming the licence '{lic}' in scatterplot-data; "
                                      "commercial use not stated; check the licence text")
        out[row["model_api_name"]] = facts
    return out


def import_lmarena(data: dict | str | Path, as_of: str, source: str | None = None, category: str = "full",
                   scatterplot: dict | list | str | Path | None = None) -> ImportResult:
    """Models, scores (``lmarena_text_<category>`` rating with its 95% interval) and name_map rows from LMArena's
    ``leaderboard-text.json``; ``scatterplot`` optionally adds organisation and licence facts. Every model of the
    category is imported or listed in ``skipped`` with a reason.
    """
    as_of = check_as_of(as_of)
    obj, display = read_json(data, "LMArena leaderboard-text")
    expect(isinstance(obj, dict) and obj and all(isinstance(v, dict) for v in obj.values()), display, "top level",
           "expected an object {category: {model: {rating, rating_q025, rating_q975}}}",
           "pass LMArena's leaderboard-text.json from github.com/lmarena/arena-catalog, unmodified")
    if category not in obj:
        raise fail(display, f"category '{category}'", "no such category in the leaderboard",
                   did_you_mean(category, obj.keys()))
    src = source or f"LMArena arena-catalog {Path(display).name if not display.startswith('<') else 'leaderboard-text.json'}"
    extra = _scatterplot_facts(scatterplot, display) if scatterplot is not None else {}
    benchmark = f"lmarena_text_{clean_id(category).replace('-', '_')}"
    harness = f"LMArena text leaderboard, category {category}"

    models, scores, names, skipped = [], [], [], []
    seen: set[str] = set()
    for name, v in obj[category].items():
        where = f"{category}.{name}"
        expect(isinstance(v, dict), display, where, f"expected an object with rating, got {type(v).__name__}",
               "each model must map to {\"rating\": ..., \"rating_q025\": ..., \"rating_q975\": ...}")
        rating = number(v.get("rating"), display, f"{where}.rating")
        lo = number(v.get("rating_q025"), display, f"{where}.rating_q025")
        hi = number(v.get("rating_q975"), display, f"{where}.rating_q975")
        model_id = clean_id(name)
        if rating is None:
            skipped.append((name, "no rating", ""))
            continue
        if (lo is not None and lo > rating) or (hi is not None and hi < rating):
            skipped.append((name, "rating outside its 95% interval", f"{lo} <= {rating} <= {hi} fails"))
            continue
        if model_id in seen:
            skipped.append((name, "duplicate model id after cleaning", model_id))
            continue
        seen.add(model_id)
        facts = {"creator": unstated(SOURCE_NAME), **unknown_licence_facts(SOURCE_NAME), **extra.get(name, {})}
        row_src = src + ("; organisation and licence: LMArena scatterplot-data.json" if extra.get(name) else "")
        models.append({"model_id": model_id, "name": name, "model_type": "chat", **facts, "source": row_src, "as_of": as_of})
        scores.append({"model_id": model_id, "benchmark": benchmark, "value": rating, "ci_low": lo, "ci_high": hi,
                       "higher_is_better": True, "harness": harness, "source": src, "as_of": as_of})
        names.append({"model_id": model_id, "namespace": "lmarena", "external_name": name, "source": src, "as_of": as_of})

    return ImportResult(
        source=src,
        as_of=as_of,
        tables={"models": frame("models", models), "scores": frame("scores", scores),
                "name_map": dedupe_name_map(frame("name_map", names))},
        skipped=skipped_frame(skipped),
        total_entries=len(obj[category]),
        notes=[f"scores only: benchmark {benchmark} (rating, 95% interval), {len(obj)} categories in the file",
               "creator, licence and commercial use: 'unknown' unless scatterplot-data states them"],
    )
