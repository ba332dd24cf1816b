"""Lint for a decision record (what is weak or missing, with a fix) and the record's views for people:
decisions, facts with their sources, the comparison in long form.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

from workbench.mdr.record import (
    COMPARISON_COLUMNS,
    HUMAN_PROMPTS,
    MEASURED_LABELS,
    MIN_EVAL_CASES,
    Candidate,
    Record,
    fmt_value,
    short_source,
)
from workbench.scenario.blocks import REFLECTION_TITLES, REFLECTIONS
from workbench.shortlist.leaderboards import MAX_SCORE_AGE_DAYS

# ------------------------------------------------------------------------------------------------
# lint
# ------------------------------------------------------------------------------------------------

LINT_COLUMNS = ("code", "where", "message", "fix")
MIN_SENTENCE_WORDS = 5  # a reflection shorter than this is not yet a sentence
PLACEHOLDER = re.compile(r"\b(todo|tbd|fixme|xxx|lorem ipsum|fill (this )?in|to write:|write here)\b|^[.?!\s_-]*$",
                         re.I)
# a sentence that negates, hedges or plans is not a claim of fact
NOT_A_CLAIM = re.compile(r"\b(no|not|none|never|without|lacks?|missing|neither|nor|cannot|can't|didn't|did not|"
                         r"will|would|should|could|must|plan|planned|before launch|until|once|if|unless)\b", re.I)
CLAIMS_SECOND_SOURCE = re.compile(r"second (source|leaderboard|benchmark)|cross-?check(ed|s)?\b|another leaderboard|"
                                  r"two (sources|leaderboards)|leaderboards (agree|agreed|confirm)", re.I)
CLAIMS_EVALUATED = re.compile(r"\b(evaluated|tested|measured|scored|passed|achieved|reached|confirmed|showed|shows)\b"
                              r".*\b(golden|test set|eval|cases)|\b(golden[- ]set|our eval\w*)\b.*\b(evaluated|tested|"
                              r"measured|scored|passed|achieved|reached|confirmed|showed|shows)\b", re.I)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) \
        and not (isinstance(v, float) and math.isnan(v))


def _regions(c: Candidate | None) -> set[str]:
    if c is None:
        return set()
    r = c.fact("regions")
    return set() if not r else set(str(r).split(";"))


def _sentences(text: str) -> list[str]:
    return [x for x in re.split(r"(?<=[.!?;])\s+", text) if x.strip()]


def _claims(sentence: str, pattern: re.Pattern) -> bool:
    """True when a clause of the sentence (split at commas, semicolons, 'but', 'so', 'and') states
    the pattern without negating, hedging or planning it."""
    clauses = re.split(r"[,;:]|\b(?:but|so|and|while|although)\b", sentence)
    return any(pattern.search(c) and not NOT_A_CLAIM.search(c) for c in clauses if c)


def _human_texts(record: Record, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(where, text) of every human part of a record, reflections by their section title."""
    out = [("Rationale", record.rationale)] if record.rationale else []
    out += [("Risks", r) for r in record.risks]
    for k in REFLECTIONS:
        if k not in skip:
            out += [(f"Reflections: {REFLECTION_TITLES[k]}", t) for t in record.reflections.get(k, [])]
    return out


def _model_mentions(text: str, names: Iterable[str]) -> set[str]:
    found = set()
    low = text.lower()
    for n in names:
        n_low = n.lower()
        i = low.find(n_low)
        while i >= 0:
            before = low[i - 1] if i > 0 else " "
            after = low[i + len(n_low)] if i + len(n_low) < len(low) else " "
            if not (before.isalnum() or before in "-_/.") and not (after.isalnum() or after in "-_/"):
                found.add(n)
                break
            i = low.find(n_low, i + 1)
    return found


def lint_claims(record: Record, known_models: Iterable[str] | None = None) -> pd.DataFrame:
    """Claims in the human parts that the record's facts contradict, one row per finding (``code``,
    ``where``, ``message``, ``fix``):

    - ``claims_second_source``: a sentence says a second source or cross-check agrees, but a decided
      default has no second-source score (``quality_second``);
    - ``claims_evaluated``: a sentence says the choice was evaluated/tested on the golden set, but a
      decided default has no golden-set result (plans in "What we will measure" are not claims);
    - ``unknown_model``: a sentence names a model or offering that is not among the record's compared
      candidates (``known_models``: the catalog's model and offering ids; without it, offering ids
      of the record's providers, ``provider/name``, are checked).

    A sentence that negates, hedges or plans ("no second source", "will be tested") is not a claim;
    :func:`lint` includes these findings."""
    rows: list[tuple[str, str, str, str]] = []
    defaults = [(d.step, d.default) for d in record.decisions]
    no_second = [oid for step, oid in defaults
                 if (record.candidate(step, oid) is None or record.candidate(step, oid).fact("quality_second") is None)]
    no_eval = [oid for step, oid in defaults
               if not any(e.step == step and e.candidate == oid for e in record.evaluations)]
    for where, text in _human_texts(record, skip=("measure_before_launch",)):
        for sent in _sentences(text):
            if no_second and _claims(sent, CLAIMS_SECOND_SOURCE):
                rows.append(("claims_second_source", where, f"says a second source agrees (\"{sent}\"), but "
                             f"{', '.join(sorted(set(no_second)))} has no second-source score in the facts",
                             "remove the claim, or name the source that does score the default"))
    for where, text in _human_texts(record, skip=("measure_before_launch", "revisit_when")):
        for sent in _sentences(text):
            if no_eval and _claims(sent, CLAIMS_EVALUATED):
                rows.append(("claims_evaluated", where, f"says the choice was evaluated (\"{sent}\"), but "
                             f"{', '.join(sorted(set(no_eval)))} has no golden-set result in the record",
                             "run the golden set and pass --results, or say it is still to be measured"))
    allowed = {c.offering_id.lower() for c in record.candidates} | {c.model_id.lower() for c in record.candidates}
    providers = {c.provider.lower() for c in record.candidates}
    for where, text in _human_texts(record):
        named = set()
        if known_models is not None:
            named |= {n for n in _model_mentions(text, [m for m in set(known_models) if len(m) >= 4])}
        named |= {m.group(0).rstrip(".,;:") for m in re.finditer(r"\b([a-z0-9-]+)/[a-z0-9][\w.:-]*", text, re.I)
                  if m.group(1).lower() in providers}
        for n in sorted(x for x in named if x.lower() not in allowed):
            rows.append(("unknown_model", where, f"names {n}, which is not among the record's compared candidates",
                         "write about the models the record compares, or add that model as a candidate"))
    return pd.DataFrame(rows, columns=list(LINT_COLUMNS))


def lint(record: Record, known_models: Iterable[str] | None = None) -> pd.DataFrame:
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
    ``missing_reflection`` (blank human parts); ``placeholder`` (TODO, TBD, a copied prompt, ...);
    ``short_reflection`` (fewer than :data:`MIN_SENTENCE_WORDS` words); and the claims the facts
    contradict (:func:`lint_claims`). An empty frame means nothing to fix.
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
                f"answer it: {HUMAN_PROMPTS[k]}")
        for t in record.reflections.get(k, []):
            if len(t.split()) < MIN_SENTENCE_WORDS and not PLACEHOLDER.search(t):
                add("short_reflection", f"Reflections: {REFLECTION_TITLES[k]}", f"'{t}' is shorter than a sentence",
                    f"write at least one full sentence ({MIN_SENTENCE_WORDS} words or more) that answers: "
                    f"{HUMAN_PROMPTS[k]}")
    prompts = {p.lower() for p in HUMAN_PROMPTS.values()}
    for where, text in [("front matter: deciders", d) for d in record.deciders] + _human_texts(record):
        if PLACEHOLDER.search(text) or text.strip().lower() in prompts:
            add("placeholder", where, f"'{text[:60]}' is a placeholder, not an answer", "write the answer in your words")

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
    out = pd.DataFrame(rows, columns=list(LINT_COLUMNS))
    claims = lint_claims(record, known_models)
    return pd.concat([out, claims], ignore_index=True) if len(claims) else out


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


def lint_report(record: Record, known_models: Iterable[str] | None = None) -> str:
    """:func:`lint` as numbered sentences with their fixes, or a line saying nothing is missing.
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    f = lint(record, known_models)
    if f.empty:
        return "lint: nothing missing or weak"
    lines = [f"lint: {len(f)} finding(s)"]
    for i, r in enumerate(f.itertuples(index=False), start=1):
        lines.append(f"{i:>2}. [{r.code}] {r.where}: {r.message}.\n    Fix: {r.fix}.")
    return "\n".join(lines)
