"""Personal data in support messages: detection, reversible redaction, and how good the detector is.

- :func:`detect_pii` finds e-mail addresses, account IDs (the scenario's ``pii.account_id_pattern``,
  e.g. ``ACCT-\\d{6}``), phone numbers and card numbers (13 to 19 digits that pass the Luhn check)
  as character spans. The e-mail and phone patterns are the evaluation checks' own
  (:data:`workbench.evals.checks.PII_PATTERNS`): one definition for the leak check and the redactor;
  cards add the Luhn check (the leak check flags any long digit run, which is right for a leak test).
- :func:`redact_pii` replaces every detected value, wherever it occurs in the text, by a
  placeholder (``<EMAIL_1>``, ``<ACCOUNT_ID_1>``, ``<PHONE_1>``, ``<CARD_1>``; the same value gets
  the same placeholder) before a request goes to a managed API, and :meth:`Redaction.restore` puts
  the values back into the model's answer. ``restore(redact(t)) == t`` for every text, and nothing
  the detector would flag is left in what is sent (property-tested in ``tests/test_pii_properties.py``).
- :func:`pii_detection_scores` measures the detector on a golden set whose cases list every piece
  of personal data (``expected.pii``): span-level precision and recall, computed, per type.

Regular expressions are a first line, not a guarantee: they miss names, postal addresses and
numbers written in words. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from workbench.errors import Problem, WorkbenchError
from workbench.evals.checks import DEFAULT_ACCOUNT_ID_PATTERN, PII_PATTERNS
from workbench.spec import F, _check_mapping

PII_TYPES = ("email", "account_id", "phone", "card")
# placeholder prefixes; a placeholder is <PREFIX_n>
PLACEHOLDER_PREFIX = {"email": "EMAIL", "account_id": "ACCOUNT_ID", "phone": "PHONE", "card": "CARD"}
MAX_PASSES = 10


DIGIT_RUN = re.compile(r"\d+(?:[ -]\d+)*")  # digit groups joined by single spaces or dashes


def _patterns(account_id_pattern: str) -> dict[str, str | None]:
    """The detectors in priority order; cards (None) are found by :func:`card_spans`."""
    return {"email": PII_PATTERNS["email"], "account_id": account_id_pattern, "card": None,
            "phone": PII_PATTERNS["phone"]}


def card_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of card numbers: 13-19 digits that pass :func:`luhn_valid`, written as one
    run or as groups joined by single spaces or dashes. Inside a longer run of groups the longest
    valid window of whole groups is taken, left to right (a card followed by another number is
    still a card); an ungrouped run must be a card as a whole, or a long reference number would
    hide a Luhn-valid window by chance."""
    out = []
    for run in DIGIT_RUN.finditer(text or ""):
        groups = [(run.start() + g.start(), run.start() + g.end()) for g in re.finditer(r"\d+", run.group(0))]
        i = 0
        while i < len(groups):
            found = None
            for j in range(len(groups) - 1, i - 1, -1):
                digits = sum(e - s for s, e in groups[i:j + 1])
                span = (groups[i][0], groups[j][1])
                if 13 <= digits <= 19 and luhn_valid(text[span[0]:span[1]]):
                    found = (span, j)
                    break
            if found is None:
                i += 1
                continue
            out.append(found[0])
            i = found[1] + 1
    return out


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: its ``type`` (one of :data:`PII_TYPES`), character offsets
    ``start``..``end`` in the text, and the ``text`` itself."""

    type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PiiConfig:
    """What counts as personal data for a scenario (its ``pii:`` block): the account-ID pattern,
    the types to detect, and public contacts (the company's own addresses: not personal)."""

    account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN
    types: tuple[str, ...] = PII_TYPES
    public_contacts: frozenset = frozenset()


def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` (spaces and dashes ignored) pass the Luhn check that
    every payment card number satisfies: double every second digit from the right, subtract 9
    from doubles above 9, and the sum is a multiple of 10."""
    digits = [int(ch) for ch in str(number) if ch.isdigit()]
    if not digits:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def detect_pii(text: str, account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN, types: Iterable[str] = PII_TYPES,
               ignore: Iterable[str] = ()) -> list[PiiSpan]:
    """Every piece of personal data in ``text`` as :class:`PiiSpan`, in text order, not overlapping.

    Types are tried in the order e-mail, account ID, card, phone; a later match that overlaps an
    earlier one is dropped (an account ID's digits are not also a phone number). Cards are found by
    :func:`card_spans` (13-19 digits that pass :func:`luhn_valid`).
    ``ignore``: values that are not personal (the company's own published addresses), compared
    case-insensitively. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    text = text or ""
    wanted = set(types)
    skip = {str(v).lower() for v in ignore}
    spans: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _patterns(account_id_pattern).items():
        if kind not in wanted:
            continue
        found = card_spans(text) if pattern is None else [m.span() for m in re.finditer(pattern, text)]
        for start, end in found:
            value = text[start:end]
            if start == end or value.lower() in skip:
                continue
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            spans.append(PiiSpan(kind, start, end, value))
    return sorted(spans, key=lambda s: s.start)


@dataclass(frozen=True)
class Redaction:
    """A redacted text and how to undo it.

    ``text`` is what may be sent to a managed API; ``mapping`` holds ``(placeholder, value, type)``
    in the order the placeholders were made. :meth:`restore` puts the values back into any text
    that carries the placeholders (the model's answer); placeholders the answer dropped are simply
    absent, and text that merely looks like a placeholder but is not in the mapping is left alone.
    """

    text: str
    mapping: tuple[tuple[str, str, str], ...] = ()
    original_spans: tuple[PiiSpan, ...] = field(default=(), repr=False)
    passes: tuple[int, ...] = field(default=(), repr=False)  # the redaction pass of each mapping entry

    @property
    def placeholders(self) -> dict[str, str]:
        """placeholder -> original value."""
        return {p: v for p, v, _ in self.mapping}

    def restore(self, answer: str) -> str:
        """``answer`` with this redaction's placeholders replaced by the original values."""
        return restore_pii(answer, self)

    def table(self) -> pd.DataFrame:
        """The mapping as a table (``placeholder``, ``type``, ``value``) for a notebook."""
        return pd.DataFrame([{"placeholder": p, "type": t, "value": v} for p, v, t in self.mapping],
                            columns=["placeholder", "type", "value"])


def redact_pii(text: str, account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN, types: Iterable[str] = PII_TYPES,
               ignore: Iterable[str] = ()) -> Redaction:
    """Replace every detected value (:func:`detect_pii`) by a placeholder such as ``<EMAIL_1>``.

    Every occurrence of a detected value is replaced, not only the detected one, and the same value
    always gets the same placeholder. A placeholder is never a string already in the text, so the
    round trip is exact: ``redact_pii(t).restore(redact_pii(t).text) == t``. Removing a value can
    expose another match (text glued to an e-mail address); the redaction repeats until the
    detector finds nothing, so nothing it would flag is sent. Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    types = tuple(types)
    original = text or ""
    current = original
    mapping: list[tuple[str, str, str]] = []
    passes: list[int] = []
    counters = {k: 0 for k in PLACEHOLDER_PREFIX}
    for n_pass in range(MAX_PASSES):
        spans = detect_pii(current, account_id_pattern, types, ignore)
        if not spans:
            break
        values: dict[str, str] = {}
        for s in spans:
            values.setdefault(s.text, s.type)
        lookup: dict[str, str] = {}
        for value, kind in values.items():
            while True:
                counters[kind] += 1
                placeholder = f"<{PLACEHOLDER_PREFIX[kind]}_{counters[kind]}>"
                if placeholder not in current:
                    break
            lookup[value] = placeholder
            mapping.append((placeholder, value, kind))
            passes.append(n_pass)
        alternation = "|".join(re.escape(v) for v in sorted(lookup, key=len, reverse=True))
        current = re.sub(alternation, lambda m: lookup[m.group(0)], current)
    else:
        if detect_pii(current, account_id_pattern, types, ignore):
            raise WorkbenchError(Problem("<text>", "redaction", f"personal data remains after {MAX_PASSES} passes",
                                         "check the account_id_pattern: it must not match the placeholders"))
    return Redaction(current, tuple(mapping), tuple(detect_pii(original, account_id_pattern, types, ignore)),
                     tuple(passes))


def restore_pii(text: str, redaction: Redaction) -> str:
    """``text`` with the placeholders of ``redaction`` replaced by their values (one pass per
    redaction pass, last first, so a value that itself held a placeholder comes back whole)."""
    out = text or ""
    passes = redaction.passes or (0,) * len(redaction.mapping)
    # a later pass can only have hidden text that holds an earlier pass's placeholders: undo it first
    for n in sorted(set(passes), reverse=True):
        lookup = {p: v for (p, v, _), k in zip(redaction.mapping, passes) if k == n}
        out = re.sub("|".join(re.escape(p) for p in lookup), lambda m: lookup[m.group(0)], out)
    return out


# --------------------------------------------------------------------------------------------
# the scenario's pii: block
# --------------------------------------------------------------------------------------------

def pii_config(scenario=None, data: dict | None = None, file: str | None = None,
               public_contacts: Iterable[str] = ()) -> PiiConfig:
    """The scenario's ``pii:`` block (``account_id_pattern``, ``types``, ``public_contacts``) checked
    with key paths and did-you-mean hints (:mod:`workbench.scenario`'s validator); defaults when the
    block is absent. ``public_contacts`` adds addresses that are not personal (e.g. the help
    center's, :func:`workbench.evals.checks.public_contacts`).
    """

    raw = data if data is not None else (getattr(scenario, "pii", None) or {})
    file = file or getattr(scenario, "path", "<memory>")
    spec = {"account_id_pattern": F("str", doc="a regular expression for your account IDs, e.g. 'ACCT-\\d{6}'"),
            "types": F("list[str]", choices=PII_TYPES, doc="which kinds of personal data to detect"),
            "public_contacts": F("list[str]", doc="the company's own published addresses: not personal data")}
    problems: list[Problem] = []
    d = _check_mapping(raw, spec, "pii", file, problems) if isinstance(raw, dict) else {}
    if not isinstance(raw, dict):
        problems.append(Problem(file, "pii", "must be a mapping (key: value lines)", "indent the keys below it"))
    pattern = d.get("account_id_pattern") or DEFAULT_ACCOUNT_ID_PATTERN
    try:
        compiled = re.compile(pattern)
        if compiled.search("") is not None:
            problems.append(Problem(file, "pii.account_id_pattern", "the pattern matches empty text",
                                    "require at least one character, e.g. 'ACCT-\\d{6}'", value=pattern))
    except re.error as e:
        problems.append(Problem(file, "pii.account_id_pattern", f"not a valid regular expression: {e}",
                                "quote the pattern in single quotes and escape special characters, e.g. 'ACCT-\\d{6}'",
                                value=pattern))
    if problems:
        raise WorkbenchError(problems)
    return PiiConfig(account_id_pattern=pattern, types=tuple(d.get("types") or PII_TYPES),
                     public_contacts=frozenset(str(v).lower() for v in [*(d.get("public_contacts") or ()),
                                                                        *public_contacts]))


# --------------------------------------------------------------------------------------------
# how good is the detector?
# --------------------------------------------------------------------------------------------

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
                 detect_pii(c.input, cfg.account_id_pattern, cfg.types, cfg.public_contacts)}
        tp = gold.keys() & found.keys()
        rows.append({"case_id": c.id, "gold": len(gold), "detected": len(found), "true_positives": len(tp),
                     "missed": "; ".join(f"{k[0]}:{gold[k]}" for k in sorted(gold.keys() - tp, key=lambda k: k[1])),
                     "false_alarms": "; ".join(f"{k[0]}:{found[k]}" for k in sorted(found.keys() - tp, key=lambda k: k[1])),
                     "_gold": gold, "_found": found})
    return pd.DataFrame(rows)


def pii_detection_scores(cases, config: PiiConfig | None = None) -> pd.DataFrame:
    """Span-level precision and recall of :func:`detect_pii` on annotated cases, per type and overall.

    precision = true positives / detected spans; recall = true positives / gold spans (a type with
    no detection has NaN precision). Columns: ``type``, ``gold``, ``detected``, ``true_positives``,
    ``precision``, ``recall``. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
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
        rows.append({"type": kind, "gold": g, "detected": d, "true_positives": tp,
                     "precision": tp / d if d else float("nan"), "recall": tp / g if g else float("nan")})
    return pd.DataFrame(rows)
