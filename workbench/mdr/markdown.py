"""Render a Model Decision Record to Markdown, parse it back, and write numbered record files.

The Markdown follows MADR 4.0 in spirit: YAML front matter (``status``, ``date``, ``deciders``), a
numbered title, then sections. People read the prose and the tables; machines read the front matter,
the prose sections and the fenced ``yaml`` facts block at the end (offering ids, prices with source
and as_of, quality values, volumes, trigger thresholds and baselines, the scenario itself), so that
``python -m workbench review`` works from the Markdown file alone. ``parse_markdown(render_markdown(r))
== r`` for every record (the round trip is tested).

Files are never overwritten: :func:`write_record` takes the next free number in the folder and
creates the file exclusively. :func:`supersede` is the one permitted edit of an existing record: it
changes the old record's ``status`` to ``superseded``, adds a ``superseded-by`` line to its front
matter and a link under its title, and leaves every other line as it was.
Introduced in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.mdr.comparison import comparison_frame
from workbench.mdr.record import (
    COMPARISON_COLUMNS,
    COMPARISON_RULES,
    REFLECTION_TITLES,
    REFLECTIONS,
    STATUSES,
    Candidate,
    Evaluation,
    Fact,
    Level,
    MatrixRow,
    Record,
    StepDecision,
    Trigger,
    fmt_value,
    normalise_items,
    normalise_text,
)
from workbench.tables import to_markdown

FORMAT_VERSION = 1


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (a date used twice is written twice, readably)."""

    def ignore_aliases(self, data):
        return True


def _dump(obj: Any) -> str:
    return yaml.dump(obj, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
FACTS_FENCE = "```yaml mdr-facts"
EMPTY = "_(none recorded)_"
FRONT_KEYS = ("status", "date", "deciders", "scenario", "supersedes", "superseded-by")
SECTION = {
    "context": "Context and problem statement",
    "decision": "Decision",
    "matrix": "Decision matrix",
    "candidates": "Candidates and their sourced facts",
    "comparison": "Comparison",
    "evaluation": "Evaluation",
    "rationale": "Rationale",
    "risks": "Risks",
    "reflections": "Reflections",
    "triggers": "Review triggers",
    "facts": "Facts for machines",
}
MATRIX_HEADER = ("dimension", "what the scenario needs", "what we found")


# ------------------------------------------------------------------------------------------------
# plain values for YAML
# ------------------------------------------------------------------------------------------------

def _py(v: Any) -> Any:
    """A YAML-safe Python value: numpy scalars unwrapped, NaN/NA to None, Timestamps to dates."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict):
        return {str(k): _py(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_py(x) for x in v]
    return v


def _fact_dict(f: Fact) -> dict:
    d = {"value": _py(f.value), "source": f.source, "as_of": _py(f.as_of)}
    if f.note:
        d["note"] = f.note
    return d


def record_facts(record: Record) -> dict:
    """The machine-readable part of a record (what the fenced facts block holds), as plain values."""
    return _py({
        "format": FORMAT_VERSION,
        "scenario": record.scenario,
        "catalog": record.catalog,
        "chart": record.chart,
        "decisions": [asdict(d) for d in record.decisions],
        "candidates": [
            {"step": c.step, "offering_id": c.offering_id, "model_id": c.model_id, "provider": c.provider,
             "access_mode": c.access_mode, "picked_as": c.picked_as,
             "facts": {k: _fact_dict(f) for k, f in c.facts.items()},
             "comparison": {k: asdict(lv) for k, lv in c.comparison.items()}}
            for c in record.candidates],
        "evaluations": [asdict(e) for e in record.evaluations],
        "triggers": [asdict(t) for t in record.triggers],
    })


# ------------------------------------------------------------------------------------------------
# render
# ------------------------------------------------------------------------------------------------

def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _paragraphs(text: str) -> str:
    return text if text else EMPTY


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items) if items else EMPTY


def _fmt(v: Any) -> str:
    return fmt_value(v)


class _Sources:
    """Numbers the sources cited in the candidates table: [1], [2], ... in order of first use."""

    def __init__(self):
        self.order: list[str] = []

    def ref(self, f: Fact | None) -> str:
        if f is None:
            return "no source"
        when = f.as_of.isoformat() if f.as_of else "no date"
        if not f.source or f.source.startswith("computed"):
            return f"computed, {when}"
        if f.source not in self.order:
            self.order.append(f.source)
        return f"[{self.order.index(f.source) + 1}], {when}"

    def cite(self, f: Fact | None, unit: str = "") -> str:
        if f is None or f.value is None:
            return "unknown"
        note = f"{f.note} " if f.note and f.note != "computed" else ""
        return f"{note}{_fmt(f.value)}{unit} ({self.ref(f)})"

    def listing(self) -> str:
        return "\n".join(f"{i}. {s}" for i, s in enumerate(self.order, start=1))


def _candidates_table(record: Record, src: _Sources) -> pd.DataFrame:
    rows = []
    for c in record.candidates:
        f = c.facts.get
        lic = f"{c.fact('license') or 'unknown'}; commercial use: {c.fact('commercial_use') or 'unknown'}"
        lic += "; checked" if c.fact("licence_checked") is True else "; NOT checked"
        if c.fact("licence_red_flags"):
            lic += f"; {c.fact('licence_red_flags')} red flag(s)"
        rows.append({
            "step": c.step, "offering": c.offering_id, "picked as": c.picked_as,
            "quality": src.cite(f("quality")) + (f"; flags: {c.fact('quality_flags')}" if c.fact("quality_flags") else ""),
            "cross-check": src.cite(f("quality_second")),
            "USD/Mtok in / out": (f"{_fmt(c.fact('usd_per_mtok_in'))} / {_fmt(c.fact('usd_per_mtok_out'))} "
                                  f"({src.ref(f('usd_per_mtok_in'))})"),
            "USD/month (model calls)": src.cite(f("usd_per_month")),
            "USD per success": src.cite(f("cost_per_success_usd")),
            "typical / p95 latency": f"{src.cite(f('typical_latency_s'), ' s')} / {_fmt(c.fact('p95_latency_s'))} s",
            "privacy": (f"trains: {_fmt(c.fact('trains_on_data'))}; ZDR: {_fmt(c.fact('zero_data_retention'))}; "
                        f"regions: {c.fact('regions') or 'unknown'} ({src.ref(f('regions'))})"),
            "licence": f"{lic} ({src.ref(f('license'))})",
        })
    return pd.DataFrame(rows)


def _decision_table(record: Record) -> pd.DataFrame:
    return pd.DataFrame([{"step": d.step, "default": d.default, "fallback": d.fallback or "NONE", "why": d.why}
                         for d in record.decisions], columns=["step", "default", "fallback", "why"])


def _evaluation_table(record: Record) -> pd.DataFrame:
    rows = [{"step": e.step, "candidate": e.candidate, "cases": e.n_cases,
             "success rate": "unknown" if e.success_rate is None else f"{e.success_rate:.1%}",
             "cost per success (USD)": _fmt(e.cost_per_success_usd),
             "label": e.label, "source": e.source, "as_of": e.as_of.isoformat() if e.as_of else "no date"}
            for e in record.evaluations]
    return pd.DataFrame(rows)


def _trigger_table(record: Record) -> pd.DataFrame:
    rows = []
    for t in record.triggers:
        base = "; ".join(f"{k}={_fmt(v)}" for k, v in t.baseline.items())
        rows.append({"trigger": t.kind, "step": t.step or "", "offering": t.offering_id or "",
                     "threshold": _fmt(t.threshold), "baseline": base})
    return pd.DataFrame(rows, columns=["trigger", "step", "offering", "threshold", "baseline"])


def _table_or_empty(df: pd.DataFrame) -> str:
    return to_markdown(df) if len(df) else EMPTY


def render_markdown(record: Record) -> str:
    """The record as Markdown: front matter, sections, and the facts block (see the module doc).

    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    front = {"status": record.status, "date": record.date, "deciders": list(record.deciders),
             "scenario": record.scenario.get("name")}
    if record.supersedes:
        front["supersedes"] = record.supersedes
    if record.superseded_by:
        front["superseded-by"] = record.superseded_by
    out = ["---", yaml.safe_dump(front, sort_keys=False, default_flow_style=None, allow_unicode=True, width=1000).strip(),
           "---", "", f"# {record.number:04d}. {_one_line(record.title)}", ""]
    if record.supersedes:
        out += [f"> Supersedes [{record.supersedes}]({record.supersedes}).", ""]
    if record.superseded_by:
        out += [f"> Superseded by [{record.superseded_by}]({record.superseded_by}).", ""]
    sec = lambda key: out.extend([f"## {SECTION[key]}", ""])

    sec("context")
    out += [_paragraphs(record.context), ""]

    sec("decision")
    out += [_table_or_empty(_decision_table(record)), ""]

    sec("matrix")
    if record.matrix:
        m = pd.DataFrame([(r.dimension, _one_line(r.need), _one_line(r.evidence)) for r in record.matrix],
                         columns=list(MATRIX_HEADER))
        out += [to_markdown(m), ""]
    else:
        out += [EMPTY, ""]

    sec("candidates")
    src = _Sources()
    table = _candidates_table(record, src)
    out += ["Every number carries its source [n] and the date it describes; `computed` numbers are derived by "
            "the workbench from dated inputs and the scenario's assumptions (volumes, token mix, success rates).",
            "", _table_or_empty(table), ""]
    if src.order:
        out += ["Sources:", "", src.listing(), ""]

    sec("comparison")
    if record.chart:
        out += [f"![Quality against monthly cost of the shortlisted offerings, compared candidates marked]({record.chart})", ""]
    cf = comparison_frame(record)
    out += [_table_or_empty(cf), "", "How each level is derived:", ""]
    out += [f"- **{col}**: {COMPARISON_RULES[col]}" for col in COMPARISON_COLUMNS] + [""]

    sec("evaluation")
    out += [_table_or_empty(_evaluation_table(record)), ""]

    sec("rationale")
    out += [_paragraphs(record.rationale), ""]

    sec("risks")
    out += [_bullets(record.risks), ""]

    sec("reflections")
    for k in REFLECTIONS:
        out += [f"### {REFLECTION_TITLES[k]}", "", _bullets(record.reflections.get(k, [])), ""]

    sec("triggers")
    out += ["`python -m workbench review THIS_FILE --catalog DIR` checks these against a newer catalog and "
            "exits 1 when one fires.", "", _table_or_empty(_trigger_table(record)), ""]

    sec("facts")
    out += ["The block below is what `review` reads; edit the prose above, not this block.", "", FACTS_FENCE,
            _dump(record_facts(record)).rstrip(), "```", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------
# parse
# ------------------------------------------------------------------------------------------------

def _split_front_matter(lines: list[str], file: str) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        raise fail(file, "line 1", "the record has no front matter", "start the file with '---', the status, date "
                   "and deciders lines, and '---' (as `python -m workbench decide` writes it)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise fail(file, "line 1", "the front matter is not closed", "add a '---' line after the deciders") from None
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark else "front matter"
        raise fail(file, where, "the front matter is not valid YAML", "write 'key: value' lines") from None
    if not isinstance(front, dict):
        raise fail(file, "front matter", "must hold 'key: value' lines", "write status, date and deciders as keys")
    problems = []
    for k in front:
        if k not in FRONT_KEYS:
            problems.append(Problem(file, f"front matter: {k}", "unknown key", did_you_mean(str(k), FRONT_KEYS)))
    if front.get("status") not in STATUSES:
        problems.append(Problem(file, "front matter: status", "not an allowed status",
                                did_you_mean(str(front.get("status")), STATUSES), value=front.get("status")))
    date = front.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, dt.date):
        problems.append(Problem(file, "front matter: date", "not a date", "write YYYY-MM-DD", value=front.get("date")))
    front["date"] = date
    if problems:
        raise WorkbenchError(problems)
    return front, end + 1


def _sections(lines: list[str], start: int) -> tuple[str, dict[str, list[str]]]:
    title = ""
    sections: dict[str, list[str]] = {}
    current = None
    in_fence = False
    for line in lines[start:]:
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("# ") and not title:
            title = line[2:].strip()
            continue
        if not in_fence and line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
            continue
        if current is not None:
            sections[current].append(line)
    return title, sections


def _prose(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    return "" if text == EMPTY else normalise_text(text)


def _items(lines: list[str]) -> list[str]:
    text = "\n".join(lines).strip()
    if text == EMPTY:
        return []
    return normalise_items([ln[2:] for ln in lines if ln.startswith("- ")])


def _subsections(lines: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    cur = None
    for ln in lines:
        if ln.startswith("### "):
            cur = ln[4:].strip()
            out[cur] = []
        elif cur is not None:
            out[cur].append(ln)
    return out


def _table(lines: list[str]) -> list[list[str]]:
    rows = [ln.strip() for ln in lines if ln.strip().startswith("|")]
    cells = [[c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", r[1:-1])] for r in rows]
    return [c for i, c in enumerate(cells) if i != 1]  # drop the |---| separator


def _need(d: dict, key: str, path: str, file: str) -> Any:
    if not isinstance(d, dict) or key not in d:
        raise fail(file, f"facts block: {path}.{key}", "is missing", "restore the facts block as `decide` wrote it")
    return d[key]


def _date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _facts_to_record_parts(facts: dict, file: str) -> dict:
    """Build the record's machine-read fields from the facts block, naming the key path of any problem."""
    try:
        cands = []
        for i, c in enumerate(_need(facts, "candidates", "", file) or []):
            p = f"candidates[{i}]"
            fs = {k: Fact(value=v.get("value"), source=v.get("source") or "", as_of=_date(v.get("as_of")),
                          note=v.get("note") or "") for k, v in (c.get("facts") or {}).items()}
            comp = {k: Level(level=v["level"], value=v.get("value"), shown=v.get("shown") or "")
                    for k, v in (c.get("comparison") or {}).items()}
            cands.append(Candidate(step=_need(c, "step", p, file), offering_id=_need(c, "offering_id", p, file),
                                   model_id=_need(c, "model_id", p, file), provider=_need(c, "provider", p, file),
                                   access_mode=_need(c, "access_mode", p, file), picked_as=c.get("picked_as") or "",
                                   facts=fs, comparison=comp))
        decisions = [StepDecision(step=_need(d, "step", f"decisions[{i}]", file),
                                  default=_need(d, "default", f"decisions[{i}]", file),
                                  fallback=d.get("fallback"), why=d.get("why") or "")
                     for i, d in enumerate(_need(facts, "decisions", "", file) or [])]
        evals = [Evaluation(step=e["step"], candidate=e["candidate"], n_cases=int(e["n_cases"]),
                            success_rate=e.get("success_rate"), cost_per_success_usd=e.get("cost_per_success_usd"),
                            source=e.get("source") or "", as_of=_date(e.get("as_of")), label=e.get("label") or "measured",
                            task=e.get("task"))
                 for e in facts.get("evaluations") or []]
        triggers = [Trigger(kind=t["kind"], threshold=t.get("threshold"), step=t.get("step"),
                            offering_id=t.get("offering_id"), baseline=dict(t.get("baseline") or {}))
                    for t in facts.get("triggers") or []]
    except WorkbenchError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise fail(file, "facts block", f"is malformed ({type(e).__name__}: {e})",
                   "restore the facts block as `python -m workbench decide` wrote it; edit the prose, not the block") from None
    return {"candidates": cands, "decisions": decisions, "evaluations": evals, "triggers": triggers,
            "scenario": _need(facts, "scenario", "", file), "catalog": facts.get("catalog") or {},
            "chart": facts.get("chart")}


def parse_markdown(text: str, file: str = "<record>") -> Record:
    """Read a record written by :func:`render_markdown` back into a :class:`Record`.

    Front matter gives status, date, deciders and the supersede links; the prose sections give the
    context, rationale, risks and reflections; the decision matrix table gives the matrix; the facts
    block gives everything a machine checks. A malformed record is a :class:`WorkbenchError` naming
    the file and the part. Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    lines = text.splitlines()
    front, start = _split_front_matter(lines, file)
    title_line, secs = _sections(lines, start)
    m = re.match(r"^(\d{1,6})\.\s+(.*)$", title_line)
    if not m:
        raise fail(file, "title", "the title line must read '# NNNN. Title'", "restore the record number in the title",
                   value=title_line)
    missing = [SECTION[k] for k in ("decision", "facts") if SECTION[k] not in secs]
    if missing:
        raise fail(file, f"section '{missing[0]}'", "is missing", "restore the section as `decide` wrote it; "
                   + did_you_mean(missing[0], secs))
    block = "\n".join(secs[SECTION["facts"]])
    fm = re.search(r"^```yaml mdr-facts\n(.*?)^```", block, flags=re.S | re.M)
    if not fm:
        raise fail(file, f"section '{SECTION['facts']}'", "has no ```yaml mdr-facts block",
                   "restore the block as `decide` wrote it")
    try:
        facts = yaml.safe_load(fm.group(1))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise fail(file, "facts block" + (f", line {mark.line + 1}" if mark else ""), "is not valid YAML",
                   "restore the block as `decide` wrote it") from None
    if not isinstance(facts, dict):
        raise fail(file, "facts block", "must be a mapping", "restore the block as `decide` wrote it")
    parts = _facts_to_record_parts(facts, file)

    matrix = []
    rows = _table(secs.get(SECTION["matrix"], []))
    for r in rows[1:]:
        if len(r) == 3:
            matrix.append(MatrixRow(*r))
    refl_secs = _subsections(secs.get(SECTION["reflections"], []))
    reflections = {k: _items(refl_secs.get(REFLECTION_TITLES[k], [])) for k in REFLECTIONS}
    deciders = front.get("deciders") or []
    if isinstance(deciders, str):
        deciders = [deciders]
    return Record(
        number=int(m.group(1)), title=m.group(2).strip(), status=front["status"], date=front["date"],
        deciders=[str(d) for d in deciders], context=_prose(secs.get(SECTION["context"], [])),
        matrix=matrix, rationale=_prose(secs.get(SECTION["rationale"], [])),
        risks=_items(secs.get(SECTION["risks"], [])), reflections=reflections,
        supersedes=front.get("supersedes"), superseded_by=front.get("superseded-by"), **parts)


def markdown_section(text: str, title: str) -> str:
    """One ``## title`` section of a rendered record (heading included), e.g. ``"Decision"``; an
    unknown title is a :class:`WorkbenchError` listing the sections. Introduced in
    ``06_model_decision_record.ipynb``."""
    lines = text.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.startswith("## ")]
    for j, i in enumerate(heads):
        if lines[i][3:].strip() == title:
            end = heads[j + 1] if j + 1 < len(heads) else len(lines)
            return "\n".join(lines[i:end]).rstrip()
    raise fail("record", f"section '{title}'", "no such section", did_you_mean(title, [lines[i][3:] for i in heads]))


def read_record(path: str | Path) -> Record:
    """Parse a record file (see :func:`parse_markdown`); a missing file is a :class:`WorkbenchError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(str(path), "file", "record not found", "check the path; records are named NNNN-slug.md") from None
    except UnicodeDecodeError:
        raise fail(str(path), "file", "not UTF-8 text", "save the record as UTF-8") from None
    return parse_markdown(text, str(path))
