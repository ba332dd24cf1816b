"""Lint for a decision record (what is weak or missing, with a fix) and the record's views for people:
decisions, facts with their sources, the comparison in long form.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.mdr.record import (
    COMPARISON_COLUMNS,
    MEASURED_LABELS,
    MIN_EVAL_CASES,
    REFLECTION_TITLES,
    REFLECTIONS,
    Candidate,
    Record,
    fmt_value,
    short_source,
)
from workbench.shortlist.leaderboards import MAX_SCORE_AGE_DAYS

# ------------------------------------------------------------------------------------------------
# lint
# ------------------------------------------------------------------------------------------------

LINT_COLUMNS = ("code", "where", "message", "fix")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) \
        and not (isinstance(v, float) and math.isnan(v))


def _regions(c: Candidate | None) -> set[str]:
    if c is None:
        return set()
    r = c.fact("regions")
    return set() if not r else set(str(r).split(";"))


def lint(record: Record) -> pd.DataFrame:
    """What is missing or weak in a record, one row per finding: ``code``, ``where``, ``message``, ``fix``.

    Codes: ``no_fallback``; ``fallback_same_provider``; ``fallback_same_region`` (the default's and the
    fallback's known regions are the same); ``region_unknown``; ``default_too_slow`` and
    ``fallback_too_slow`` (latency risk high: over the target or unknown); ``no_review_trigger``;
    ``undated_number`` (a numeric fact, evaluation or trigger baseline without ``as_of``);
    ``no_evaluation`` and ``small_evaluation`` (fewer than :data:`MIN_EVAL_CASES` golden-set cases);
    ``illustrative_evaluation`` (the default's only result is a labelled replay, not a measurement);
    ``licence_not_checked``; ``stale_speed`` (a decided candidate's ``ttft_s`` / ``output_tokens_per_s``
    is older than :data:`~workbench.shortlist.leaderboards.MAX_SCORE_AGE_DAYS` before the record's
    date, the window scores use); ``dated_before_fact`` (the record's date is earlier than the
    ``as_of`` of a fact it cites); ``missing_deciders``, ``missing_rationale``, ``missing_risks``,
    ``missing_reflection``. An empty frame means nothing to fix.
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    rows: list[tuple[str, str, str, str]] = []
    add = lambda *r: rows.append(r)
    if not record.deciders:
        add("missing_deciders", "front matter: deciders", "nobody is named as deciding",
            "list the people or roles who decide (record.deciders in the scenario)")
    if not record.rationale:
        add("missing_rationale", "Rationale", "the record does not say why", "write the rationale (record.rationale)")
    if not record.risks:
        add("missing_risks", "Risks", "no risk is listed", "list at least the risks of the default (record.risks)")
    for k in REFLECTIONS:
        if not record.reflections.get(k):
            add("missing_reflection", f"Reflections: {REFLECTION_TITLES[k]}", "the exercise's question is unanswered",
                f"answer it (record.reflections.{k})")

    for d in record.decisions:
        where = f"Decision: {d.step}"
        default = record.candidate(d.step, d.default)
        if not d.fallback:
            add("no_fallback", where, f"no fallback for the default {d.default}",
                "name a fallback on another provider (record.decision or a second compared candidate)")
        else:
            fb = record.candidate(d.step, d.fallback)
            dprov = default.provider if default else d.default.split("/")[0]
            fprov = fb.provider if fb else d.fallback.split("/")[0]
            if dprov == fprov:
                add("fallback_same_provider", where,
                    f"the fallback {d.fallback} is on the same provider ({fprov}) as the default",
                    "pick a fallback on another provider: a provider outage or account problem takes both down")
            lat = fb.comparison.get("latency_risk") if fb else None
            if lat is not None and lat.level == "high":
                add("fallback_too_slow", where, f"the fallback {d.fallback} is not known to meet the step's latency "
                    f"target ({lat.shown})", "pick a fallback that meets the target, or record what users get while "
                    "the fallback serves")
            dr, fr = _regions(default), _regions(fb)
            if not dr or not fr:
                add("region_unknown", where, "the default's or the fallback's processing regions are unknown",
                    "fill in regions in providers.csv or offerings.csv, or check the provider's documentation")
            elif dr == fr:
                add("fallback_same_region", where,
                    f"the default and the fallback both process in the same region(s): {';'.join(sorted(dr))}",
                    "prefer a fallback served from another region, or record why a regional outage is acceptable")
        dl = default.comparison.get("latency_risk") if default else None
        if dl is not None and dl.level == "high":
            add("default_too_slow", where, f"the default {d.default} is not known to meet the step's latency target "
                f"({dl.shown})", "measure its latency on your traffic, pick a faster default, or relax the target")
        evals = [e for e in record.evaluations if e.step == d.step and e.candidate == d.default]
        if not evals:
            add("no_evaluation", where, f"the default {d.default} has no golden-set result",
                f"run the golden set (python -m workbench eval) on at least {MIN_EVAL_CASES} cases and pass --results")
        elif all(e.label not in MEASURED_LABELS for e in evals):
            add("illustrative_evaluation", where,
                f"the default's golden-set result is {evals[0].label}, not measured on the real endpoint",
                "run the golden set against the real endpoint before launch")
    if not record.decisions:
        add("no_fallback", "Decision", "the record decides nothing", "decide a default and a fallback per step")

    for e in record.evaluations:
        if e.n_cases < MIN_EVAL_CASES:
            add("small_evaluation", f"Evaluation: {e.step} / {e.candidate}",
                f"only {e.n_cases} golden-set cases (fewer than {MIN_EVAL_CASES})",
                f"grow the golden set to at least {MIN_EVAL_CASES} cases: with fewer, a 10-point difference "
                f"in success rate is within noise")
        if e.as_of is None:
            add("undated_number", f"Evaluation: {e.step} / {e.candidate}", "the result has no as_of date",
                "give the date the evaluation was run")

    if not record.triggers:
        add("no_review_trigger", "Review triggers", "no review trigger: nothing says when to revisit",
            "set record.review_triggers (price change, deprecation, volume, age, golden-set drop, dominance)")
    for t in record.triggers:
        for k, v in t.baseline.items():
            if _is_number(v) and t.baseline.get("as_of") is None:
                add("undated_number", f"Review triggers: {t.kind} {t.offering_id or t.step or ''}".rstrip(),
                    f"baseline '{k}' has no as_of date", "record the date the baseline describes")
                break

    later: list = []  # facts dated after the record (as_of, offering, fact name)
    decided = {(d.step, d.default) for d in record.decisions} | {(d.step, d.fallback) for d in record.decisions if d.fallback}
    for c in record.candidates:
        where = f"Candidates: {c.step} / {c.offering_id}"
        for name, f in c.facts.items():
            if _is_number(f.value) and f.as_of is None:
                add("undated_number", where, f"'{name}' = {f.value:g} has no as_of date",
                    "give the date the number describes (or mark it as an assumption with the scenario's as_of)")
        if record.date is not None:
            later += [(f.as_of, c.offering_id, n) for n, f in c.facts.items()
                      if f.as_of is not None and f.as_of > record.date]
        if (c.step, c.offering_id) in decided:
            speed = [c.facts[k] for k in ("ttft_s", "output_tokens_per_s") if c.facts.get(k) is not None]
            old = [f for f in speed if f.as_of is not None and record.date is not None
                   and (record.date - f.as_of).days > MAX_SCORE_AGE_DAYS]
            if old:
                add("stale_speed", where, f"its speed facts are dated {old[0].as_of.isoformat()}, "
                    f"{(record.date - old[0].as_of).days} days before the record (limit {MAX_SCORE_AGE_DAYS})",
                    "measure its time to first token and tokens/s on your own traffic before launch")
            checked = c.fact("licence_checked")
            if checked is not True or c.fact("commercial_use") in (None, "unknown"):
                add("licence_not_checked", where,
                    f"licence '{c.fact('license') or 'unknown'}' (commercial use: {c.fact('commercial_use') or 'unknown'}) "
                    "has not been checked", "run the licence due diligence (workbench.catalog.diligence) and record its result")
    if later:
        newest = max(later)
        names = sorted({n for _, _, n in later})
        add("dated_before_fact", "Candidates", f"the record is dated {record.date.isoformat()}, before {len(later)} "
            f"fact(s) it cites ({', '.join(names)}); newest: {newest[1]} {newest[2]} as_of {newest[0].isoformat()}",
            "date the record on or after its newest fact (the scenario's as_of), or cite facts known on its date")
    return pd.DataFrame(rows, columns=list(LINT_COLUMNS))


# ------------------------------------------------------------------------------------------------
# views for people (notebook 06, the CLI)
# ------------------------------------------------------------------------------------------------

def decisions_frame(record: Record) -> pd.DataFrame:
    """The decision: one row per step with its default, fallback (``NONE`` when missing) and why.
    Introduced in ``06_model_decision_record.ipynb``."""
    return pd.DataFrame([{"step": d.step, "default": d.default, "fallback": d.fallback or "NONE", "why": d.why}
                         for d in record.decisions], columns=["step", "default", "fallback", "why"])


def facts_frame(record: Record, step: str | None = None, names: tuple[str, ...] | list[str] = ("quality",),
                with_source: bool = True) -> pd.DataFrame:
    """Chosen facts of the compared candidates, one row per candidate: ``offering_id``, ``picked_as``
    and, per fact name, the value as ``value (source, as_of)`` (``with_source``) or the bare value.
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    rows = []
    for c in record.candidates:
        if step is not None and c.step != step:
            continue
        row = {"offering_id": c.offering_id, "picked_as": c.picked_as}
        for n in names:
            f = c.facts.get(n)
            if f is None or f.value is None:
                row[n] = "unknown" if with_source else None
            elif with_source:
                bench = f"{f.note} " if f.note and f.note != "computed" else ""
                when = f.as_of.isoformat() if f.as_of else "no date"
                row[n] = f"{bench}{fmt_value(f.value)} ({short_source(f.source)}, {when})"
            else:
                row[n] = f.value
        rows.append(row)
    return pd.DataFrame(rows, columns=["offering_id", "picked_as", *names])


def comparison_long(record: Record, step: str) -> pd.DataFrame:
    """The comparison of one step in long form: ``offering_id``, ``column`` (one of the seven),
    ``level`` and ``number`` (the number behind it), for reading on a narrow screen.
    Introduced in ``06_model_decision_record.ipynb``."""
    rows = []
    for c in record.candidates:
        if c.step != step:
            continue
        for col in COMPARISON_COLUMNS:
            lv = c.comparison.get(col)
            rows.append({"offering_id": c.offering_id, "column": col, "level": lv.level if lv else "",
                         "number": lv.shown if lv else ""})
    return pd.DataFrame(rows, columns=["offering_id", "column", "level", "number"])


def lint_report(record: Record) -> str:
    """:func:`lint` as numbered sentences with their fixes, or a line saying nothing is missing.
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    f = lint(record)
    if f.empty:
        return "lint: nothing missing or weak"
    lines = [f"lint: {len(f)} finding(s)"]
    for i, r in enumerate(f.itertuples(index=False), start=1):
        lines.append(f"{i:>2}. [{r.code}] {r.where}: {r.message}.\n    Fix: {r.fix}.")
    return "\n".join(lines)
