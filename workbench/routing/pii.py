"""Personal data in support messages: detection, reversible redaction, and how good the detector is.

- :func:`detect_pii` finds, as character spans: e-mail addresses; account IDs in the scenario's
  ``pii.account_id_pattern`` (e.g. ``ACCT-\\d{6}``), also written with other separators and cases
  (``acct-123456``, ``ACCT 551234``; :func:`account_id_regex`); IBANs (ISO 13616 mod-97 checksum and
  the registry's length and layout per country, via ``python-stdnum``); card numbers (13 to 19
  digits, as one run or in groups joined by spaces or dashes, that pass the Luhn check); US Social
  Security numbers (``AAA-GG-SSSS`` with a possible area and group, or nine digits after ``SSN``);
  dates of birth (a date after ``DOB``, ``date of birth``, ``born``); IP addresses (v4 and v6,
  checked by :mod:`ipaddress`); and phone numbers, national and international, found with
  ``phonenumbers`` (Google's libphonenumber metadata) in the scenario's ``pii.phone_regions``.
  Context words keep order, ticket, invoice and version numbers out: a number right after
  ``order``, ``ticket #``, ``invoice no.``, ``build`` ... is not personal (:data:`NOT_PII_LABELS`).
- :func:`redact_pii` replaces every detected value, wherever it occurs in the text, by a
  placeholder (``<EMAIL_1>``, ``<ACCOUNT_ID_1>``, ``<PHONE_1>``, ``<CARD_1>``, ``<IBAN_1>``, ...; the
  same value gets the same placeholder) before a request goes to a managed API, and
  :meth:`Redaction.restore` puts the values back into the model's answer. ``restore(redact(t)) == t``
  for every text, and nothing the detector would flag is left in what is sent (property-tested in
  ``tests/test_pii_properties.py``).
- :func:`pii_detection_scores` measures the detector on a golden set whose cases list every piece
  of personal data (``expected.pii``); :func:`pii_labelled_scores` measures it per kind on a labelled
  set of strings with look-alikes (``data/pii/labelled_set.csv``, :func:`load_pii_set`): span-level
  precision and recall, and the residue (characters of a found item left in the redacted text).

The evaluation checks' leak test (:data:`workbench.evals.checks.PII_PATTERNS`) keeps its own broad
e-mail pattern, which this module shares; its phone and digit-run patterns are deliberately wider
than the detector's (a leak test should over-flag). Regular expressions and checksums are a first
line, not a guarantee: they miss names, postal addresses and numbers written in words.
Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd
import phonenumbers

from workbench.errors import Problem, WorkbenchError
from workbench.evals.checks import DEFAULT_ACCOUNT_ID_PATTERN, PII_PATTERNS
from workbench.routing.pii_formats import (
    DEFAULT_PHONE_REGIONS,
    MAX_PASSES,
    PiiSpan,
    account_id_regex,
    card_spans,
    date_of_birth_spans,
    iban_spans,
    ip_address_spans,
    not_pii_context,
    phone_spans,
    ssn_spans,
)
from workbench.scenario.blocks import PII_SPEC
from workbench.spec import _check_mapping
from workbench.vocab import PII_TYPES

# placeholder prefixes; a placeholder is <PREFIX_n>
PLACEHOLDER_PREFIX = {"email": "EMAIL", "account_id": "ACCOUNT_ID", "phone": "PHONE", "card": "CARD", "iban": "IBAN",
                      "ssn": "SSN", "ip_address": "IP", "date_of_birth": "DOB"}
# the order detectors run in: a later match that overlaps an earlier one is dropped (an IBAN's digits are
# not also a card, a card's groups not also a phone number, a date of birth not also a phone number)
DETECTION_ORDER = ("email", "account_id", "iban", "card", "ssn", "date_of_birth", "ip_address", "phone")




































@dataclass(frozen=True)
class PiiConfig:
    """What counts as personal data for a scenario (its ``pii:`` block): the account-ID pattern,
    the types to detect, public contacts (the company's own addresses: not personal), and the
    regions whose national phone formats are read (ISO 3166 codes, e.g. ``("US", "GB", "DE", "FR")``)."""

    account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN
    types: tuple[str, ...] = PII_TYPES
    public_contacts: frozenset = frozenset()
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS




def detect_pii(text: str, account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN, types: Iterable[str] = PII_TYPES,
               ignore: Iterable[str] = (), phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS) -> list[PiiSpan]:
    """Every piece of personal data in ``text`` as :class:`PiiSpan`, in text order, not overlapping.

    Types are tried in :data:`DETECTION_ORDER` (e-mail, account ID, IBAN, card, SSN, date of birth,
    IP address, phone); a later match that overlaps an earlier one is dropped (an account ID's digits
    are not also a phone number). Cards, SSNs, IP addresses and phone numbers right after a reference
    label (:func:`not_pii_context`: ``order``, ``ticket #`` ...) are not personal. ``ignore``: values
    that are not personal (the company's own published addresses), compared case-insensitively.
    ``phone_regions``: see :func:`phone_spans`. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
    """

    text = text or ""
    wanted = set(types)
    skip = {str(v).lower() for v in ignore}
    finders = {
        "email": lambda: [m.span() for m in re.finditer(PII_PATTERNS["email"], text)],
        "account_id": lambda: [m.span() for m in account_id_regex(account_id_pattern).finditer(text)],
        "iban": lambda: iban_spans(text), "card": lambda: card_spans(text), "ssn": lambda: ssn_spans(text),
        "date_of_birth": lambda: date_of_birth_spans(text), "ip_address": lambda: ip_address_spans(text),
        "phone": lambda: phone_spans(text, tuple(phone_regions)),
    }
    spans: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []
    for kind in DETECTION_ORDER:
        if kind not in wanted:
            continue
        for start, end in finders[kind]():
            value = text[start:end]
            if start == end or value.lower() in skip:
                continue
            if kind in ("card", "ssn", "phone", "ip_address") and not_pii_context(text, start):
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
               ignore: Iterable[str] = (), phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS) -> Redaction:
    """Replace every detected value (:func:`detect_pii`) by a placeholder such as ``<EMAIL_1>``.

    Every occurrence of a detected value is replaced, not only the detected one, and the same value
    always gets the same placeholder. A placeholder is never a string already in the text, so the
    round trip is exact: ``redact_pii(t).restore(redact_pii(t).text) == t``. Removing a value can
    expose another match (text glued to an e-mail address); the redaction repeats until the
    detector finds nothing, so nothing it would flag is sent. Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    types = tuple(types)
    phone_regions = tuple(phone_regions)
    original = text or ""
    current = original
    mapping: list[tuple[str, str, str]] = []
    passes: list[int] = []
    counters = {k: 0 for k in PLACEHOLDER_PREFIX}
    for n_pass in range(MAX_PASSES):
        spans = detect_pii(current, account_id_pattern, types, ignore, phone_regions)
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
        if detect_pii(current, account_id_pattern, types, ignore, phone_regions):
            raise WorkbenchError(Problem("<text>", "redaction", f"personal data remains after {MAX_PASSES} passes",
                                         "check the account_id_pattern: it must not match the placeholders"))
    return Redaction(current, tuple(mapping), tuple(detect_pii(original, account_id_pattern, types, ignore, phone_regions)),
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
    """The scenario's ``pii:`` block (``account_id_pattern``, ``types``, ``public_contacts``, ``phone_regions``) checked
    with key paths and did-you-mean hints (:mod:`workbench.scenario`'s validator); defaults when the
    block is absent. ``public_contacts`` adds addresses that are not personal (e.g. the help
    center's, :func:`workbench.evals.checks.public_contacts`).
    """

    raw = data if data is not None else (getattr(scenario, "pii", None) or {})
    file = file or getattr(scenario, "path", "<memory>")
    spec = PII_SPEC
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
    regions = _phone_regions(d.get("phone_regions"), file, problems)
    if problems:
        raise WorkbenchError(problems)
    return PiiConfig(account_id_pattern=pattern, types=tuple(d.get("types") or PII_TYPES), phone_regions=regions,
                     public_contacts=frozenset(str(v).lower() for v in [*(d.get("public_contacts") or ()),
                                                                        *public_contacts]))


def _phone_regions(raw, file: str, problems: list[Problem]) -> tuple[str, ...]:
    """The ``phone_regions`` list as upper-case region codes phonenumbers knows; problems listed."""
    if raw is None:
        return DEFAULT_PHONE_REGIONS

    out = []
    for i, code in enumerate(raw):
        c = str(code).strip().upper()
        if c not in phonenumbers.SUPPORTED_REGIONS:
            hint = {"UK": "GB", "EN": "GB", "EU": "DE, FR, ..."}.get(c, "US, GB, DE or FR")
            problems.append(Problem(file, f"pii.phone_regions[{i}]", "not a region phone numbers are known for",
                                    f"use ISO 3166 two-letter codes, e.g. {hint}", value=code))
        else:
            out.append(c)
    if not raw:
        problems.append(Problem(file, "pii.phone_regions", "is empty",
                                "list at least one region (e.g. [US, GB, DE, FR]) or remove the key for those defaults"))
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------------------------------
# how good is the detector?
# --------------------------------------------------------------------------------------------







# --------------------------------------------------------------------------------------------
# a labelled set of strings: precision, recall and residue per kind
# --------------------------------------------------------------------------------------------















