"""Render a Model Decision Record to Markdown plus a facts file, parse the pair back.

A record is two files side by side. ``NNNN-slug.md`` is what people read (about two pages): MADR-style
front matter (``status``, ``date``, ``deciders``, ``supersedes``; the very first line, and a blank
line before its closing ``---`` so that renderers without front-matter support show a rule and a
paragraph, never a heading), the context, the decision per step, the decision matrix, the
seven-column comparison with the chart, the rationale, risks and reflections (the human parts), the
review triggers and the sources. ``NNNN-slug.facts.yaml`` holds every machine-checkable fact
(offering ids, prices with source and as_of, quality values, volumes, trigger thresholds and
baselines, the scenario itself); the Markdown links it and ``python -m workbench review`` reads it.
``parse_markdown(render_markdown(r), facts=render_facts(r)) == r`` for every record (tested).

Records are inert text: every value from a scenario, catalog or result is escaped for HTML
(``<``, ``>``, ``&``) and for Markdown structure (``|``, ``[``, ``]``, backslashes, a leading ``#``,
``-``, ``+``, ``*``, ``=``; a newline becomes ``<br>``), and :func:`md_unescape` undoes exactly that.
Human parts left blank are shown as ``_(to write: the chapter's question)_`` and read back as blank.
Introduced in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.mdr.config import trigger_threshold_problems
from workbench.mdr.record import (
    COMPARISON_COLUMNS,
    COMPARISON_RULES,
    HUMAN_PROMPTS,
    TRIGGER_RULE,
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
    short_source,
    trigger_baseline_text,
)
from workbench.scenario.blocks import REFLECTION_TITLES, REFLECTIONS, STATUSES
from workbench.util import as_date as _date
from workbench.util import plain_value

FORMAT_VERSION = 2  # 2: facts in a NNNN-slug.facts.yaml beside the Markdown; 1: in a fenced block


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (a date used twice is written twice, readably)."""

    def ignore_aliases(self, data):
        return True


def _dump(obj: Any) -> str:
    return yaml.dump(obj, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
FACTS_FENCE = "```yaml mdr-facts"  # records of format 1 kept their facts in this block (still read)
FACTS_SUFFIX = ".facts.yaml"
EMPTY = "_(none recorded)_"
TO_WRITE = "_(to write: {})_"
FRONT_KEYS = ("status", "date", "deciders", "scenario", "supersedes", "superseded-by", "facts")
SECTION = {
    "context": "Context and problem statement",
    "decision": "Decision",
    "matrix": "Decision matrix",
    "comparison": "Comparison",
    "evaluation": "Evaluation",
    "rationale": "Rationale",
    "risks": "Risks",
    "reflections": "Reflections",
    "triggers": "Review triggers",
    "sources": "Sources",
    "facts": "Facts for machines",
}
MATRIX_HEADER = ("dimension", "what the scenario needs", "what we found")
MAX_FACTS_BYTES = 5_000_000


# ------------------------------------------------------------------------------------------------
# inert text: escape for HTML and Markdown structure, and undo exactly that
# ------------------------------------------------------------------------------------------------

_ESCAPED_ANYWHERE = "\\|[]"
_ESCAPED_LEADING = "#-+*="
_UNESCAPE = re.compile(r"\\([\\|\[\]#\-+*=])")


def md_escape(text: Any) -> str:
    """A value from a scenario, catalog or result as inert Markdown: ``&``, ``<``, ``>`` as HTML
    entities; backslash, ``|``, ``[`` and ``]`` backslash-escaped; a leading ``#``, ``-``, ``+``,
    ``*`` or ``=`` escaped; a newline as ``<br>``. :func:`md_unescape` gives the text back.
    """
    s = html.escape(str(text), quote=False)
    s = "".join("\\" + ch if ch in _ESCAPED_ANYWHERE else ch for ch in s)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    if s and s[0] in _ESCAPED_LEADING:
        s = "\\" + s
    return s


def md_unescape(text: str) -> str:
    """The inverse of :func:`md_escape` (text a person typed unescaped comes back as typed)."""
    s = str(text).replace("<br>", "\n")
    s = _UNESCAPE.sub(r"\1", s)
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML that refuses anchors and aliases (an alias bomb cannot blow up memory)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            ev = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a record", ev.start_mark)
        return super().compose_node(parent, index)


def _load_yaml(text: str, file: str, where: str) -> Any:
    if len(text.encode("utf-8")) > MAX_FACTS_BYTES:
        raise fail(file, where, f"is larger than {MAX_FACTS_BYTES:,} bytes", "restore the file `decide` wrote")
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        prob = getattr(e, "problem", None) or "not valid YAML"
        raise fail(file, where + (f", line {mark.line + 1}" if mark else ""), f"is not valid YAML ({prob})",
                   "restore it as `python -m workbench decide` wrote it") from None


# ------------------------------------------------------------------------------------------------
# plain values for YAML
# ------------------------------------------------------------------------------------------------

def _fact_dict(f: Fact) -> dict:
    d = {"value": plain_value(f.value, "date"), "source": f.source, "as_of": plain_value(f.as_of, "date")}
    if f.note:
        d["note"] = f.note
    return d


def record_facts(record: Record) -> dict:
    """The machine-readable part of a record (what its facts file holds), as plain values."""
    return plain_value({
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
    }, "date")


# ------------------------------------------------------------------------------------------------
# render
# ------------------------------------------------------------------------------------------------

def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _human(text: str, key: str) -> str:
    return text if text else TO_WRITE.format(HUMAN_PROMPTS[key])


def _bullets(items: list[str], key: str) -> str:
    return "\n".join(f"- {md_escape(i)}" for i in items) if items else TO_WRITE.format(HUMAN_PROMPTS[key])


def _paragraphs(text: str, key: str) -> str:
    if not text:
        return TO_WRITE.format(HUMAN_PROMPTS[key])
    return "\n\n".join(md_escape(p) for p in text.split("\n\n"))


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured table of cells that are already escaped (:func:`md_escape`)."""
    if not rows:
        return EMPTY
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


class _Sources:
    """Numbers the sources cited in the record: [1], [2], ... in order of first use."""

    def __init__(self):
        self.order: list[str] = []

    def ref(self, f: Fact | None) -> str:
        if f is None or not f.source or f.source.startswith("computed"):
            return ""
        if f.source not in self.order:
            self.order.append(f.source)
        return f"[{self.order.index(f.source) + 1}]"

    def listing(self) -> str:
        return "\n".join(f"{i}. {md_escape(s)}" for i, s in enumerate(self.order, start=1))


def _key_facts(c: Candidate, src: _Sources) -> str:
    """The candidate's headline facts with their source numbers, e.g. ``arena 1,330 [1]; 0.25 / 2 USD/Mtok [2]``."""
    parts = []
    q = c.facts.get("quality")
    if q is not None and q.value is not None:
        parts.append(f"{md_escape(q.note) + ' ' if q.note and q.note != 'computed' else ''}{fmt_value(q.value)} "
                     f"{src.ref(q)}".rstrip())
    q2 = c.facts.get("quality_second")
    if q2 is not None and q2.value is not None:
        parts.append(f"{md_escape(q2.note)} {fmt_value(q2.value)} {src.ref(q2)}".strip())
    pin = c.facts.get("usd_per_mtok_in")
    if pin is not None:
        parts.append(f"{fmt_value(c.fact('usd_per_mtok_in'))} / {fmt_value(c.fact('usd_per_mtok_out'))} USD/Mtok "
                     f"{src.ref(pin)}".rstrip())
    for name in ("regions", "license"):
        f = c.facts.get(name)
        if f is not None and f.value is not None:
            parts.append(f"{name} {md_escape(f.value)} {src.ref(f)}".rstrip())
    return "; ".join(parts) or "no sourced facts"


def _comparison_rows(record: Record, src: _Sources) -> list[list[str]]:
    role = {}
    for d in record.decisions:
        role[(d.step, d.default)] = "default"
        if d.fallback:
            role.setdefault((d.step, d.fallback), "fallback")
    rows = []
    for c in record.candidates:
        cells = [md_escape(c.step), md_escape(c.offering_id), role.get((c.step, c.offering_id), "candidate")]
        for col in COMPARISON_COLUMNS:
            lv = c.comparison.get(col)
            cells.append(md_escape(f"{lv.level} ({lv.shown})" if lv and lv.shown else lv.level if lv else "unknown"))
        cells.append(_key_facts(c, src))
        rows.append(cells)
    return rows


def _evaluation_rows(record: Record) -> list[list[str]]:
    return [[md_escape(e.step), md_escape(e.candidate), f"{e.n_cases:,}",
             "unknown" if e.success_rate is None else f"{e.success_rate:.1%}",
             fmt_value(e.cost_per_success_usd), md_escape(e.label), md_escape(short_source(e.source)),
             e.as_of.isoformat() if e.as_of else "no date"] for e in record.evaluations]


def _trigger_rows(record: Record) -> list[list[str]]:
    """One row per trigger kind: the threshold and what it watches, with the baselines rounded."""
    by_kind: dict[str, list[Trigger]] = {}
    for t in record.triggers:
        by_kind.setdefault(t.kind, []).append(t)
    rows = []
    for kind, ts in by_kind.items():
        watched = "; ".join(md_escape(trigger_baseline_text(t)) for t in ts)
        th = ts[0].threshold
        rows.append([kind, TRIGGER_RULE.get(kind, "{}").format(fmt_value(th)), watched])
    return rows


def render_markdown(record: Record) -> str:
    """The record's Markdown (the part people read; see the module doc). Its facts file is
    :func:`render_facts`; :func:`workbench.mdr.write_record` writes both.

    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    front = {"status": record.status, "date": record.date, "deciders": [html.escape(d, quote=False)
                                                                        for d in record.deciders],
             "scenario": html.escape(str(record.scenario.get("name")), quote=False)}
    if record.supersedes:
        front["supersedes"] = record.supersedes
    if record.superseded_by:
        front["superseded-by"] = record.superseded_by
    front["facts"] = record.facts_filename
    out = ["---", yaml.safe_dump(front, sort_keys=False, default_flow_style=None, allow_unicode=True, width=1000).strip(),
           "", "---", "", f"# {record.number:04d}. {md_escape(record.title)}", ""]
    if record.supersedes:
        out += [f"> Supersedes [{record.supersedes}]({record.supersedes}).", ""]
    if record.superseded_by:
        out += [f"> Superseded by [{record.superseded_by}]({record.superseded_by}).", ""]
    out += [f"Facts for machines (prices, scores, baselines, the scenario): [{record.facts_filename}]"
            f"({record.facts_filename}), read by `python -m workbench review`. Edit the prose here, not that file.", ""]
    sec = lambda key: out.extend([f"## {SECTION[key]}", ""])

    sec("context")
    out += [md_escape(record.context) if record.context else EMPTY, ""]
    if record.context and "\n\n" in record.context:
        out[-2] = "\n\n".join(md_escape(p) for p in record.context.split("\n\n"))

    sec("decision")
    out += [_md_table(["step", "default", "fallback", "why"],
                      [[md_escape(d.step), md_escape(d.default), md_escape(d.fallback or "NONE"), md_escape(d.why)]
                       for d in record.decisions]), ""]

    sec("matrix")
    out += [_md_table(list(MATRIX_HEADER), [[md_escape(r.dimension), md_escape(r.need), md_escape(r.evidence)]
                                            for r in record.matrix]), ""]

    sec("comparison")
    if record.chart:
        out += [f"![Quality against monthly cost of the shortlisted offerings, compared candidates marked]"
                f"({md_escape(record.chart)})", ""]
    src = _Sources()
    out += ["Levels follow the rules in the facts file (`comparison_rules`); numbers in brackets cite the Sources "
            "below; `computed` numbers are derived from dated inputs and the scenario's assumptions.", "",
            _md_table(["step", "offering", "role", *COMPARISON_COLUMNS, "key facts [source]"],
                      _comparison_rows(record, src)), ""]

    sec("evaluation")
    out += [_md_table(["step", "candidate", "cases", "success rate", "USD per success", "label", "source", "as_of"],
                      _evaluation_rows(record)), ""]

    sec("rationale")
    out += [_paragraphs(record.rationale, "rationale"), ""]

    sec("risks")
    out += [_bullets(record.risks, "risks"), ""]

    sec("reflections")
    for k in REFLECTIONS:
        out += [f"### {REFLECTION_TITLES[k]}", "", _bullets(record.reflections.get(k, []), k), ""]

    sec("triggers")
    out += ["`python -m workbench review THIS_FILE` checks these against a newer catalog (and a results log) and "
            "exits 1 when one fires.", "", _md_table(["trigger", "fires when", "watches (baseline)"],
                                                     _trigger_rows(record)), ""]
    sec("sources")
    out += [src.listing() if src.order else EMPTY, ""]
    return "\n".join(out)


def render_facts(record: Record) -> str:
    """The record's facts file (YAML): every machine-checkable fact, exact (not rounded).
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    facts = record_facts(record)
    facts["comparison_rules"] = dict(COMPARISON_RULES)
    return (f"# Facts of decision record {record.filename}, written by `python -m workbench decide`.\n"
            f"# `python -m workbench review` reads them; edit the prose in the Markdown, not this file.\n"
            + yaml.dump(facts, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False))


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
        front = yaml.load("\n".join(lines[1:end]), Loader=_NoAliasLoader) or {}  # noqa: S506
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
    facts_name = front.get("facts")
    if facts_name is not None and (not isinstance(facts_name, str) or "/" in facts_name or "\\" in facts_name
                                   or not facts_name.endswith(FACTS_SUFFIX)):
        problems.append(Problem(file, "front matter: facts", f"must be the name of the NNNN-slug{FACTS_SUFFIX} file "
                                "beside the record", "restore it as `decide` wrote it", value=facts_name))
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


_BLANK = re.compile(r"^_\((none recorded|to write:.*)\)_$")


def _prose(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    if not text or _BLANK.match(text):
        return ""
    return normalise_text("\n\n".join(md_unescape(p) for p in re.split(r"\n\s*\n", text)))


def _items(lines: list[str]) -> list[str]:
    text = "\n".join(lines).strip()
    if not text or _BLANK.match(text):
        return []
    return normalise_items([md_unescape(ln[2:]) for ln in lines if ln.startswith("- ")])


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
    cells = [[md_unescape(c.strip()) for c in re.split(r"(?<!\\)\|", r[1:-1])] for r in rows]
    return [c for i, c in enumerate(cells) if i != 1]  # drop the |---| separator


def _need(d: dict, key: str, path: str, file: str) -> Any:
    if not isinstance(d, dict) or key not in d:
        raise fail(file, f"facts block: {path}.{key}", "is missing", "restore the facts as `decide` wrote them")
    return d[key]


NUMERIC_BASELINE_KEYS = ("usd_per_mtok_in", "usd_per_mtok_out", "requests_per_month", "factor", "success_rate",
                         "n_cases", "quality", "usd_per_request", "typical_latency_s", "window_days")


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


def _check_trigger_numbers(triggers: list[Trigger], file: str) -> None:
    """Thresholds and numeric baselines must be numbers (a hand-edited ``"3.5 cents"`` is an error
    naming the key, never a traceback in ``review``)."""
    problems = []
    for i, t in enumerate(triggers):
        if t.threshold is not None and not _is_num(t.threshold):
            problems.append(Problem(file, f"facts: triggers[{i}] ({t.kind}).threshold", "is not a number",
                                    "write a plain number, e.g. 20", value=t.threshold))
        for k in NUMERIC_BASELINE_KEYS:
            v = t.baseline.get(k)
            if v is not None and not _is_num(v):
                problems.append(Problem(file, f"facts: triggers[{i}] ({t.kind}).baseline.{k}", "is not a number",
                                        "write a plain number in the unit of the key (USD per million tokens for "
                                        "prices, a 0-1 share for success_rate), or restore the file `decide` wrote",
                                        value=v))
        for k in ("date", "as_of", "deprecation_date"):
            v = t.baseline.get(k)
            if v is not None and not isinstance(v, dt.date):
                try:
                    dt.date.fromisoformat(str(v))
                except ValueError:
                    problems.append(Problem(file, f"facts: triggers[{i}] ({t.kind}).baseline.{k}", "is not a date",
                                            "write YYYY-MM-DD, or restore the file `decide` wrote", value=v))
    if not problems:  # a number, but one that makes the trigger fire on no change (a negative threshold)
        problems = trigger_threshold_problems(triggers, file)
    if problems:
        raise WorkbenchError(problems)



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
        _check_trigger_numbers(triggers, file)
    except WorkbenchError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise fail(file, "facts block", f"is malformed ({type(e).__name__}: {e})",
                   "restore the facts as `python -m workbench decide` wrote them; edit the prose, not the facts") from None
    return {"candidates": cands, "decisions": decisions, "evaluations": evals, "triggers": triggers,
            "scenario": _need(facts, "scenario", "", file), "catalog": facts.get("catalog") or {},
            "chart": facts.get("chart")}


def _facts_from_text(text: str, file: str) -> dict:
    facts = _load_yaml(text, file, "facts")
    if not isinstance(facts, dict):
        raise fail(file, "facts", "must be a mapping", "restore the facts as `decide` wrote them")
    return facts


def parse_markdown(text: str, file: str = "<record>", facts: dict | str | None = None,
                   facts_file: str | None = None) -> Record:
    """Read a record back into a :class:`Record` from its Markdown and its facts (the text or the
    mapping of the facts file, :func:`render_facts`; records of format 1 carry them in a fenced
    block and need none).

    Front matter gives status, date, deciders and the supersede links; the prose sections give the
    context, rationale, risks and reflections; the decision matrix table gives the matrix; the facts
    give everything a machine checks. A malformed record is a :class:`WorkbenchError` naming the file
    (``facts_file`` for problems in the facts) and the part. Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    lines = text.splitlines()
    front, start = _split_front_matter(lines, file)
    title_line, secs = _sections(lines, start)
    m = re.match(r"^(\d{1,6})\.\s+(.*)$", title_line)
    if not m:
        raise fail(file, "title", "the title line must read '# NNNN. Title'", "restore the record number in the title",
                   value=title_line)
    if SECTION["decision"] not in secs:
        raise fail(file, f"section '{SECTION['decision']}'", "is missing", "restore the section as `decide` wrote it; "
                   + did_you_mean(SECTION["decision"], secs))
    if facts is None:
        block = "\n".join(secs.get(SECTION["facts"], []))
        fm = re.search(r"^```yaml mdr-facts\n(.*?)^```", block, flags=re.S | re.M)
        if not fm:
            name = front.get("facts") or f"NNNN-slug{FACTS_SUFFIX}"
            raise fail(file, "facts", f"the record's facts ({name}) were not given",
                       f"keep {name} beside the record and read it with read_record(), or pass facts=")
        facts = _facts_from_text(fm.group(1), file)
    elif isinstance(facts, str):
        facts = _facts_from_text(facts, facts_file or file)
    parts = _facts_to_record_parts(facts, facts_file or file)

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
        number=int(m.group(1)), title=md_unescape(m.group(2).strip()), status=front["status"], date=front["date"],
        deciders=[md_unescape(str(d)) for d in deciders], context=_prose(secs.get(SECTION["context"], [])),
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


def for_notebook(text: str) -> str:
    """A record's Markdown for display in a notebook: the front matter shown as a ``yaml`` code
    block (JupyterLab strips or mis-renders a front-matter block), the rest unchanged.
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return text
    body = [ln for ln in lines[1:end] if ln.strip()]
    return "\n".join(["```yaml", *body, "```", *lines[end + 1:]])


def _read_text(p: Path, what: str) -> str:
    try:
        if p.stat().st_size > MAX_FACTS_BYTES:
            raise fail(str(p), "file", f"is larger than {MAX_FACTS_BYTES:,} bytes", "give the record `decide` wrote")
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(str(p), "file", f"{what} not found", "check the path; records are NNNN-slug.md with their "
                   f"NNNN-slug{FACTS_SUFFIX} beside them") from None
    except IsADirectoryError:
        raise fail(str(p), "file", "is a folder", "give the record file NNNN-slug.md") from None
    except UnicodeDecodeError:
        raise fail(str(p), "file", "not UTF-8 text", "save it as UTF-8") from None


def read_record(path: str | Path) -> Record:
    """Parse a record file and the facts file beside it (see :func:`parse_markdown`); a missing
    file is a :class:`WorkbenchError`. Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    p = Path(path)
    text = _read_text(p, "record")
    front, _ = _split_front_matter(text.splitlines(), str(p))
    if front.get("facts") is None:
        return parse_markdown(text, str(p))  # format 1: facts in the Markdown
    fp = p.parent / front["facts"]
    return parse_markdown(text, str(p), facts=_facts_from_text(_read_text(fp, "facts file"), str(fp)), facts_file=str(fp))
