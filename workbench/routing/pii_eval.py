"""How good the personal-data detector is: precision, recall and residue per kind, on the golden
set's annotations and on the labelled set ``data/pii/labelled_set.csv`` (``python -m workbench
pii-report``). Taught in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from workbench.errors import Problem, WorkbenchError, did_you_mean
from workbench.routing.pii import PII_TYPES, PiiConfig, detect_pii
from workbench.routing.pii_formats import PiiSpan
from workbench.util import data_dir


def gold_spans(text: str, expected: Iterable) -> list[PiiSpan]:
    """Every occurrence in ``text`` of each annotated value (objects with ``type`` and ``text``,
    e.g. a golden case's ``expected.pii``), as spans: what a perfect detector would return."""
    out = []
    for p in expected:
        start = 0
        while p.text:
            i = text.find(p.text, start)
            if i < 0:
                break
            out.append(PiiSpan(p.type, i, i + len(p.text), p.text))
            start = i + len(p.text)
    return sorted(set(out), key=lambda s: (s.start, s.end))


def pii_detection_table(cases, config: PiiConfig | None = None) -> pd.DataFrame:
    """Per case of a golden set (objects with ``id``, ``input``, ``expected.pii``): gold and detected
    span counts, true positives, and the spans missed / wrongly flagged. A detection is a true
    positive when its type, start and end equal a gold span's. Introduced in ``05_routing_and_fallbacks.ipynb``."""
    cfg = config or PiiConfig()
    rows = []
    for c in cases:
        gold = {(s.type, s.start, s.end): s.text for s in gold_spans(c.input, c.expected.pii)}
        found = {(s.type, s.start, s.end): s.text for s in
                 detect_pii(c.input, cfg.account_id_pattern, cfg.types, cfg.public_contacts, cfg.phone_regions)}
        tp = gold.keys() & found.keys()
        rows.append({"case_id": c.id, "gold": len(gold), "detected": len(found), "true_positives": len(tp),
                     "missed": "; ".join(f"{k[0]}:{gold[k]}" for k in sorted(gold.keys() - tp, key=lambda k: k[1])),
                     "false_alarms": "; ".join(f"{k[0]}:{found[k]}" for k in sorted(found.keys() - tp, key=lambda k: k[1])),
                     "_gold": gold, "_found": found})
    return pd.DataFrame(rows)


def pii_detection_scores(cases, config: PiiConfig | None = None) -> pd.DataFrame:
    """Span-level precision and recall of :func:`detect_pii` on annotated cases, per type and overall.

    precision = true positives / detected spans; recall = true positives / gold spans (a type with
    no detection has NaN precision; a type neither annotated nor detected has no row). Columns:
    ``type``, ``gold``, ``detected``, ``true_positives``, ``precision``, ``recall``.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    per_case = pii_detection_table(cases, config)
    rows = []
    for kind in (*PII_TYPES, "all"):
        g = d = tp = 0
        for gold, found in zip(per_case["_gold"], per_case["_found"]):
            pick = (lambda k: True) if kind == "all" else (lambda k, kind=kind: k[0] == kind)
            gk = {k for k in gold if pick(k)}
            fk = {k for k in found if pick(k)}
            g, d, tp = g + len(gk), d + len(fk), tp + len(gk & fk)
        if kind != "all" and not g and not d:
            continue  # a kind neither annotated nor detected in these cases
        rows.append({"type": kind, "gold": g, "detected": d, "true_positives": tp,
                     "precision": tp / d if d else float("nan"), "recall": tp / g if g else float("nan")})
    return pd.DataFrame(rows)


NOT_PII = "none"  # the kind of a look-alike: a string with no personal data in it


MIN_PRECISION = 0.95


MIN_RECALL = 0.95


PII_SET_COLUMNS = ("id", "text", "kind", "value")


@dataclass(frozen=True)
class LabelledText:
    """One string of a labelled set: its ``id``, the ``text``, and ``items``, the personal data in it
    as ``(kind, value)`` pairs (empty for a look-alike)."""

    id: str
    text: str
    items: tuple[tuple[str, str], ...] = ()


def default_pii_set_path():
    """The labelled set shipped with the project: ``data/pii/labelled_set.csv``."""
    return data_dir() / "pii" / "labelled_set.csv"


def load_pii_set(path=None) -> tuple[LabelledText, ...]:
    """Read a labelled set (CSV with columns ``id, text, kind, value``; leading ``#`` lines are
    comments; a string with several items repeats its id on the next rows with an empty text; a
    look-alike has kind ``none`` and no value). Every problem is listed with its line and the fix.
    Default: :func:`default_pii_set_path`."""

    path = Path(path) if path is not None else default_pii_set_path()
    shown = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        raise WorkbenchError(Problem(shown, "file", "not found", "pass a CSV with columns id,text,kind,value "
                                     "(e.g. data/pii/labelled_set.csv)")) from None
    except (OSError, UnicodeDecodeError) as e:
        raise WorkbenchError(Problem(shown, "file", f"cannot be read: {e}", "save it as UTF-8 text")) from None
    skipped = 0
    while skipped < len(lines) and (lines[skipped].startswith("#") or not lines[skipped].strip()):
        skipped += 1
    reader = csv.reader(lines[skipped:])
    header = next(reader, None)
    problems: list[Problem] = []
    if header is None or [h.strip() for h in header] != list(PII_SET_COLUMNS):
        raise WorkbenchError(Problem(shown, f"line {skipped + 1}", f"the columns are {header}",
                                     "start the table with the line: id,text,kind,value"))
    kinds = (*PII_TYPES, NOT_PII)
    texts: dict[str, str] = {}
    items: dict[str, list[tuple[str, str]]] = {}
    for row in reader:
        where = f"line {skipped + reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(PII_SET_COLUMNS):
            problems.append(Problem(shown, where, f"{len(row)} cells instead of 4", "quote a text that holds commas"))
            continue
        rid, text, kind, value = (c if i == 1 or i == 3 else c.strip() for i, c in enumerate(row))
        if not rid:
            problems.append(Problem(shown, where, "the id is empty", "give every row the id of its string"))
            continue
        if kind not in kinds:
            problems.append(Problem(shown, where, f"unknown kind {kind!r}", did_you_mean(kind, kinds)))
            continue
        if rid in texts and text and text != texts[rid]:
            problems.append(Problem(shown, where, f"id {rid!r} is used for two different texts",
                                    "give each string its own id; leave text empty on an id's later rows"))
            continue
        if rid not in texts:
            if not text:
                problems.append(Problem(shown, where, "the text is empty", "write the string on the id's first row"))
                continue
            texts[rid], items[rid] = text, []
        if kind == NOT_PII:
            if value or items[rid]:
                problems.append(Problem(shown, where, "a look-alike (kind none) has a value or other items",
                                        "leave value empty, or give the row the kind of personal data it holds"))
            continue
        if not value or value not in texts[rid]:
            problems.append(Problem(shown, where, f"the value {value!r} does not occur in the text",
                                    "copy the exact characters of the item from the text"))
            continue
        items[rid].append((kind, value))
    if problems:
        raise WorkbenchError(problems)
    if not texts:
        raise WorkbenchError(Problem(shown, "file", "has no rows", "add rows below the line id,text,kind,value"))
    return tuple(LabelledText(rid, texts[rid], tuple(items[rid])) for rid in texts)


def _covered(start: int, end: int, spans: Iterable[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(max(s, start), min(e, end))}


def pii_labelled_table(cases: Iterable[LabelledText], config: PiiConfig | None = None) -> pd.DataFrame:
    """Per string of a labelled set: ``id``, ``kinds`` expected, ``gold`` and ``detected`` span counts,
    ``true_positives`` (type, start and end equal), the items ``missed`` and the ``false_alarms``, and
    ``residue_chars``: characters (not counting spaces) of a found item that no detection covers, so
    they stay in the redacted text (``020 7946 0958`` detected as ``020 7946`` leaves 4). Pure."""
    cfg = config or PiiConfig()
    rows = []
    for c in cases:
        gold = {(s.type, s.start, s.end): s.text for s in gold_spans(c.text, [PiiSpan(k, 0, 0, v) for k, v in c.items])}
        found = {(s.type, s.start, s.end): s.text for s in
                 detect_pii(c.text, cfg.account_id_pattern, cfg.types, cfg.public_contacts, cfg.phone_regions)}
        tp = gold.keys() & found.keys()
        spans = [(s, e) for _, s, e in found]
        residue = {k: 0 for k in gold}
        for k in gold:
            _, s, e = k
            covered = _covered(s, e, spans)
            if covered:  # a found item: what of it is left in the text?
                residue[k] = sum(1 for i in range(s, e) if i not in covered and not c.text[i].isspace())
        rows.append({"id": c.id, "kinds": ", ".join(dict.fromkeys(k for k, _ in c.items)) or NOT_PII,
                     "gold": len(gold), "detected": len(found), "true_positives": len(tp),
                     "residue_chars": sum(residue.values()),
                     "missed": "; ".join(f"{k[0]}:{gold[k]}" for k in sorted(gold.keys() - tp, key=lambda k: k[1])),
                     "false_alarms": "; ".join(f"{k[0]}:{found[k]}" for k in sorted(found.keys() - tp, key=lambda k: k[1])),
                     "_gold": gold, "_found": found, "_residue": residue})
    return pd.DataFrame(rows)


def pii_labelled_scores(cases: Iterable[LabelledText], config: PiiConfig | None = None,
                        min_precision: float = MIN_PRECISION, min_recall: float = MIN_RECALL) -> pd.DataFrame:
    """Precision, recall and residue per kind of personal data on a labelled set, and the goals.

    One row per kind in the set or detected (in :data:`PII_TYPES` order), then ``look-alikes``
    (strings of kind ``none``: ``detected`` counts the false alarms in them) and ``all``. Columns:
    ``kind``, ``strings`` (strings holding the kind), ``gold``, ``detected``, ``true_positives``,
    ``precision`` = true positives / detected, ``recall`` = true positives / gold, ``residue_chars``
    (see :func:`pii_labelled_table`) and ``goal_met``: ``yes`` when precision >= ``min_precision``,
    recall >= ``min_recall`` and residue is 0, ``no`` otherwise, ``n/a`` for the summary rows. Pure.
    """
    cases = list(cases)
    per = pii_labelled_table(cases, config)
    kinds_here = {k for c in cases for k, _ in c.items} | {k[0] for f in per["_found"] for k in f}
    rows = []

    def row(name, pick, strings):
        g = d = tp = res = 0
        for gold, found, residue in zip(per["_gold"], per["_found"], per["_residue"]):
            gk = {k for k in gold if pick(k)}
            fk = {k for k in found if pick(k)}
            g, d, tp = g + len(gk), d + len(fk), tp + len(gk & fk)
            res += sum(v for k, v in residue.items() if pick(k))
        p = tp / d if d else float("nan")
        r = tp / g if g else float("nan")
        return {"kind": name, "strings": strings, "gold": g, "detected": d, "true_positives": tp,
                "precision": p, "recall": r, "residue_chars": res}

    for kind in PII_TYPES:
        if kind in kinds_here:
            out = row(kind, lambda k, kind=kind: k[0] == kind, sum(any(k == kind for k, _ in c.items) for c in cases))
            ok = (out["precision"] >= min_precision and out["recall"] >= min_recall and out["residue_chars"] == 0)
            rows.append({**out, "goal_met": "yes" if ok else "no"})
    lookalike = [not c.items for c in cases]
    n_alarm = int(sum(d for d, la in zip(per["detected"], lookalike) if la))
    rows.append({"kind": "look-alikes", "strings": sum(lookalike), "gold": 0, "detected": n_alarm, "true_positives": 0,
                 "precision": float("nan"), "recall": float("nan"), "residue_chars": 0, "goal_met": "n/a"})
    rows.append({**row("all", lambda k: True, len(cases)), "goal_met": "n/a"})
    return pd.DataFrame(rows)


def pii_goals_missed(scores: pd.DataFrame) -> list[str]:
    """What :func:`pii_labelled_scores` says is short of the goals, one sentence per kind (empty when
    every kind meets them)."""
    out = []
    for r in scores.itertuples():
        if r.goal_met != "no":
            continue
        why = []
        if not r.precision >= MIN_PRECISION:
            why.append(f"precision {r.precision:.3f}")
        if not r.recall >= MIN_RECALL:
            why.append(f"recall {r.recall:.3f}")
        if r.residue_chars:
            why.append(f"{r.residue_chars} characters of found items left in the text")
        out.append(f"{r.kind}: " + ", ".join(why or ["below the goal"]))
    return out
