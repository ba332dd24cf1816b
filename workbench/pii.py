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

import ipaddress
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import pandas as pd

from .errors import Problem, WorkbenchError, did_you_mean

PII_TYPES = ("email", "account_id", "phone", "card", "iban", "ssn", "ip_address", "date_of_birth")
# placeholder prefixes; a placeholder is <PREFIX_n>
PLACEHOLDER_PREFIX = {"email": "EMAIL", "account_id": "ACCOUNT_ID", "phone": "PHONE", "card": "CARD", "iban": "IBAN",
                      "ssn": "SSN", "ip_address": "IP", "date_of_birth": "DOB"}
# the order detectors run in: a later match that overlaps an earlier one is dropped (an IBAN's digits are
# not also a card, a card's groups not also a phone number, a date of birth not also a phone number)
DETECTION_ORDER = ("email", "account_id", "iban", "card", "ssn", "date_of_birth", "ip_address", "phone")
DEFAULT_ACCOUNT_ID_PATTERN = r"ACCT-\d{6}"
# regions whose national formats (020 7946 0958, 030 23125 456) are read without a +country code;
# numbers written with +country code are found for every country
DEFAULT_PHONE_REGIONS = ("US", "GB", "DE", "FR")
MAX_PASSES = 10

DIGIT_RUN = re.compile(r"\d+(?:[ -]\d+)*")  # digit groups joined by single spaces or dashes

# A number right after one of these words is a reference, not personal data ("order 4000 0012 3456 7899",
# "ticket #555-1234", "invoice no. 202-555-0143", "build 10.0.19045"); so is a number right after '#' or
# a currency sign. Checked for cards, SSNs, phone numbers and IP addresses.
NOT_PII_LABELS = ("order", "ticket", "invoice", "inv", "ref", "reference", "case", "tracking", "confirmation",
                  "booking", "reservation", "receipt", "transaction", "txn", "shipment", "parcel", "po", "sku",
                  "part", "serial", "item", "product", "model", "version", "ver", "v", "build", "release",
                  "patch", "firmware", "room", "flight", "batch", "lot", "incident", "bug", "issue", "job",
                  "request", "req", "quote", "voucher", "coupon", "rma", "ean", "upc", "isbn", "zip", "postcode",
                  "postal code", "timestamp", "epoch")
_NOT_PII_BEFORE = re.compile(
    r"(?:\b(?:" + "|".join(NOT_PII_LABELS) + r")s?\.?\s*(?:(?:number|no|nr|num|id|code)s?\.?\s*)?(?:[#:]\s*)?"
    r"(?:(?:is|was|are|=)\s*)?|(?<![A-Za-z])#\s*|[$€£]\s*)$", re.IGNORECASE)
# words that say a number is a phone number (a possible but not valid number, e.g. a fictional range)
_PHONE_BEFORE = re.compile(r"\b(?:call|calling|phone|tel|telephone|mobile|cell|cellphone|ring|reach|text|sms|"
                           r"whatsapp|fax|landline|number|handy|telefon|portable|t[ée]l[ée]phone)\b[^\d\n]{0,25}$",
                           re.IGNORECASE)
_SSN_BEFORE = re.compile(r"(?:\bssn|\bsocial\s+security(?:\s+(?:number|no\.?|#))?|\bss#)[^\w\n]{0,3}"
                         r"(?:(?:is|was)\s+)?[:#]?\s*$", re.IGNORECASE)
_DOB_BEFORE = re.compile(r"(?:\bdob|\bd\.o\.b\.?|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday|\bborn(?:\s+on)?|"
                         r"\bgeboren(?:\s+am)?|\bn[ée]e?\s+le)[^\w\n]{0,3}(?:(?:is|was|on)\s+)?[:#]?\s*$",
                         re.IGNORECASE)
# English month names and abbreviations, and the French and German names that differ from them
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|"
          r"septembre|octobre|novembre|d[ée]cembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember)")
DATE_PATTERN = (r"(?<![\w./-])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"
                rf"|\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}"
                rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
                r"(?![\w/-]|\.\d)")
_DATE = re.compile(DATE_PATTERN, re.IGNORECASE)
# 3-2-4 digits with single dashes or spaces; nine digits in a row only after an SSN label
_SSN = re.compile(r"(?<![\w-])(\d{3})( ?- ?| )(\d{2})\2(\d{4})(?![\w-])")
_SSN_RUN = re.compile(r"(?<![\w-])(\d{3})(\d{2})(\d{4})(?![\w-])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
# home and office networks (RFC 1918, RFC 4193): an address there identifies no one outside it
_LAN_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2}")
_IBAN_GROUP = re.compile(r"[ -]?[A-Za-z0-9]+")
# a local number without area code (555-0142, +1 555-0142, (020) 555 1234): the evaluation checks' phone shape
_GROUP_RUN = re.compile(r"(?<![\w+])\+?\d+(?:[ .-]\d+)+")
_LOCAL_PHONE = re.compile(r"(?<![\w-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{3}[ .-]\d{4}(?![\w-])")


def _before(text: str, start: int, n: int = 48) -> str:
    return text[max(0, start - n):start]


def _run_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of digit groups (joined by single spaces, dashes or dots) that holds ``text[start:end]``."""
    while start > 1 and text[start - 1] in " -." and text[start - 2].isdigit() or start > 0 and text[start - 1].isdigit():
        start -= 1
    while end < len(text) - 1 and text[end] in " -." and text[end + 1].isdigit() or end < len(text) and text[end].isdigit():
        end += 1
    return start, end


def not_pii_context(text: str, start: int) -> bool:
    """True when the number starting at ``start`` (or the run of digit groups it is part of) follows a
    reference label (:data:`NOT_PII_LABELS`, e.g. ``order``, ``ticket #``, ``invoice no.``), a ``#``
    or a currency sign, so it is not personal. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    run_start = _run_bounds(text, start, start)[0] if start < len(text) and text[start].isdigit() else start
    return bool(_NOT_PII_BEFORE.search(_before(text, start)) or _NOT_PII_BEFORE.search(_before(text, run_start)))


def card_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of card numbers: 13-19 digits that pass :func:`luhn_valid`, written as one
    run or as groups joined by single spaces or dashes. Inside a longer run of groups the longest
    valid window of whole groups is taken, left to right (a card followed by another number is
    still a card); an ungrouped run must be a card as a whole, or a long reference number would
    hide a Luhn-valid window by chance; a run glued to a letter (``DE89 3704 ...``) is part of a code,
    one after ``+`` a phone number.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    out = []
    for run in DIGIT_RUN.finditer(text or ""):
        if run.start() > 0 and (text[run.start() - 1].isalpha() or text[run.start() - 1] == "+"):
            continue  # part of a code that starts with letters (an IBAN, a SKU) or a +country phone number
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


def iban_valid(value: str) -> bool:
    """True when ``value`` (spaces and dashes ignored, any case) is an IBAN: a country code the IBAN
    registry knows, that country's length and layout, and the ISO 13616 mod-97 check digits
    (``python-stdnum``'s ``stdnum.iban``; national check digits inside the account number are not
    checked). ``DE89 3704 0044 0532 0130 00`` passes; change one digit and it fails.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from stdnum import iban
    compact = re.sub(r"[ -]", "", str(value)).upper()
    return 15 <= len(compact) <= 34 and iban.is_valid(compact, check_country=False)


def iban_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of IBANs: two letters and two digits (``DE89``, ``DE 89``), then letters and digits as one run or in
    groups joined by single spaces or dashes; the longest run of whole groups that passes
    :func:`iban_valid` is taken. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    text = text or ""
    out, pos = [], 0
    for m in _IBAN_START.finditer(text):
        if m.start() < pos:
            continue
        ends, p = [], m.end()
        while len(ends) < 12:
            g = _IBAN_GROUP.match(text, p)
            if not g:
                break
            ends.append(g.end())
            p = g.end()
        for end in reversed(ends):
            if iban_valid(text[m.start():end]):
                out.append((m.start(), end))
                pos = end
                break
    return out


def ssn_valid(area: str, group: str, serial: str) -> bool:
    """True when the three parts can form a US Social Security number: area not 000, 666 or 900-999,
    group not 00, serial not 0000 (the Social Security Administration never issues those).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def ssn_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of US SSNs: ``AAA-GG-SSSS``, ``AAA - GG - SSSS`` or ``AAA GG SSSS`` anywhere, nine digits in a row
    only right after ``SSN`` or ``social security number``; the parts must pass :func:`ssn_valid`.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    text = text or ""
    out = [m.span() for m in _SSN.finditer(text) if ssn_valid(m.group(1), m.group(3), m.group(4))]
    out += [m.span() for m in _SSN_RUN.finditer(text)
            if ssn_valid(*m.groups()) and _SSN_BEFORE.search(_before(text, m.start()))]
    return sorted(out)


def date_of_birth_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of dates (``1984-07-21``, ``1984/07/21``, ``21/07/1984``, ``21.07.1984``,
    ``July 21, 1984``, ``21 July 1984``, ``21st of July 1984``, ``21 juillet 1984``, ``21. Juli 1984``)
    right after ``DOB``, ``date of birth``, ``born (on)`` or ``birthday``: a date
    alone is not personal data. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    text = text or ""
    return [m.span() for m in _DATE.finditer(text) if _DOB_BEFORE.search(_before(text, m.start()))]


def ip_address_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of IPv4 and IPv6 addresses that :mod:`ipaddress` accepts, except loopback,
    unspecified, reserved, multicast, link-local and private-network addresses (``127.0.0.1``,
    ``0.0.0.0``, the netmask ``255.255.255.0``, ``192.168.0.10``), which point at no one outside a LAN.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    text = text or ""
    out = []
    for pattern in (_IPV4, _IPV6):
        for m in pattern.finditer(text):
            try:
                ip = ipaddress.ip_address(m.group(0))
            except ValueError:
                continue
            if not (ip.is_loopback or ip.is_unspecified or ip.is_reserved or ip.is_multicast or ip.is_link_local
                    or any(ip in net for net in _LAN_NETWORKS if net.version == ip.version)):
                out.append(m.span())
    return sorted(out)


def phone_spans(text: str, regions: Iterable[str] = DEFAULT_PHONE_REGIONS) -> list[tuple[int, int]]:
    """Character spans of phone numbers, longest first where candidates overlap.

    Candidates come from ``phonenumbers`` (Google's libphonenumber metadata) read as each of
    ``regions`` (national formats such as ``020 7946 0958``; any ``+country`` number): kept when the
    number is valid for its country, or written with ``+``, or right after a phone word (``call``,
    ``mobile``, ``tel`` ...), which takes in numbers from the ranges reserved for fiction. A local
    number without area code (``555-0142``) is a candidate too, and so is the longest valid head of a
    run of digit groups (``020 7946 0958`` in ``020 7946 0958 2``). Digits alone (no ``+``, space or dash)
    must be valid and at least 10 long, or follow a phone word. Never a phone number: a date (or what
    starts with one), a number glued to a letter or digit (``com555 1234``), fewer than 7 digits, a
    dotted version, an SSN shape, or the tail of a longer run of digit groups (``5678 9012 3456`` in
    ``1234 5678 9012 3456``).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    text = text or ""
    if sum(ch.isdigit() for ch in text) < 7:
        return []
    import phonenumbers

    cands = set()
    for region in regions:
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            said = bool(_PHONE_BEFORE.search(_before(text, m.start)))
            formatted = m.raw_string.startswith("+") or not m.raw_string.isdigit()
            valid = phonenumbers.is_valid_number(m.number) and (formatted or len(m.raw_string) >= 10)
            if valid or m.raw_string.startswith("+") or said:
                cands.add((m.start, m.end))
    cands.update(m.span() for m in _LOCAL_PHONE.finditer(text))
    for m in _GROUP_RUN.finditer(text):  # '020 7946 0958 2': the longest head of whole groups that is valid
        ends = [g.end() for g in re.finditer(r"\d+", m.group(0))][1:]
        found = False
        for end in reversed(ends):
            if end < len(m.group(0)) and m.group(0)[end] in ".-":
                continue  # a head must end at a space: '255.255.255' in '255.255.255.0' is not a number
            for region in ((None,) if m.group(0).startswith("+") else regions):
                try:
                    number = phonenumbers.parse(text[m.start():m.start() + end], region)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number) and not _not_a_phone(text, m.start(), m.start() + end):
                    cands.add((m.start(), m.start() + end))
                    found = True
                    break
            if found:
                break
    out: list[tuple[int, int]] = []
    for s, e in sorted(cands, key=lambda se: (se[0] - se[1], se[0])):
        if _not_a_phone(text, s, e) or any(s < e2 and s2 < e for s2, e2 in out):
            continue
        out.append((s, e))
    return sorted(out)


def _not_a_phone(text: str, s: int, e: int) -> bool:
    """Shapes that are never a phone number, whatever the metadata says."""
    value = text[s:e]
    digits = sum(ch.isdigit() for ch in value)
    run_start = _run_bounds(text, s, e)[0]
    return ((s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum())   # glued to a word
            or (s > 1 and text[s - 1] in "-_/" and text[s - 2].isalnum())                  # INV-2026-0001
            or (e < len(text) - 1 and text[e] in "-_/" and text[e + 1].isalnum())
            or digits < 7
            or _DATE.match(value) is not None                                           # starts with a date
            or (value.count(".") > 2 and not value.startswith("+"))                     # a version: 131.0.6778.86
            or re.fullmatch(r"\d{3}-\d{2}-\d{4}", value) is not None                     # SSN-shaped
            or run_start < s)                                                           # the tail of a longer number


_SEPARATORS = "-_ ./"
_LENIENT_SEPARATOR = r"[ \t]*[-_./:#]{0,2}[ \t]*"


@lru_cache(maxsize=64)
def account_id_regex(pattern: str = DEFAULT_ACCOUNT_ID_PATTERN) -> re.Pattern:
    r"""The scenario's account-ID pattern, read leniently: any case, and each literal separator
    (``-``, ``_``, space, ``/``, ``\.``) outside a character class matches up to two of ``- _ . / : #``
    with spaces or tabs around them, or nothing; the match must not touch a letter or digit on either side. So
    ``ACCT-\d{6}`` finds ``ACCT-123456``, ``acct-123456``, ``ACCT 551234``, ``acct_123456``,
    ``ACCT: 551234``, ``ACCT - 551234`` and ``ACCT123456``, but not ``ACCT-1234567``.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            token = pattern[i:i + 2]
            i += 2
            out.append(_LENIENT_SEPARATOR if not in_class and token[1] in _SEPARATORS else token)
            continue
        if in_class:
            in_class = ch != "]"
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            j = i + 1 + (pattern[i + 1:i + 2] == "^")
            j += pattern[j:j + 1] == "]"  # a ']' first in a class is literal
            out.append(pattern[i:j])
            i = j
            continue
        if pattern.startswith("(?P<", i) or pattern.startswith("(?P=", i):  # a group name may hold '_'
            j = pattern.find(">" if pattern[i + 3] == "<" else ")", i) + 1 or len(pattern)
            out.append(pattern[i:j])
            i = j
            continue
        out.append(_LENIENT_SEPARATOR if ch in "-_ /" else ch)
        i += 1
    return re.compile(rf"(?<![A-Za-z0-9])(?:{''.join(out)})(?![A-Za-z0-9])", re.IGNORECASE)


def account_id_key(value: str) -> str:
    """An account ID as one spelling: upper case, separators removed (``acct-845201``, ``ACCT 845201``
    and ``ACCT-845201`` all give ``ACCT845201``), to tell whether two spellings are one account.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    return re.sub(r"[-_./:#\s]", "", str(value or "")).upper()


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: its ``type`` (one of :data:`PII_TYPES`), character offsets
    ``start``..``end`` in the text, and the ``text`` itself.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PiiConfig:
    """What counts as personal data for a scenario (its ``pii:`` block): the account-ID pattern,
    the types to detect, public contacts (the company's own addresses: not personal), and the
    regions whose national phone formats are read (ISO 3166 codes, e.g. ``("US", "GB", "DE", "FR")``).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN
    types: tuple[str, ...] = PII_TYPES
    public_contacts: frozenset = frozenset()
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS


def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` (spaces and dashes ignored) pass the Luhn check that
    every payment card number satisfies: double every second digit from the right, subtract 9
    from doubles above 9, and the sum is a multiple of 10. Introduced in ``05_routing_and_fallbacks.ipynb``."""
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
               ignore: Iterable[str] = (), phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS) -> list[PiiSpan]:
    """Every piece of personal data in ``text`` as :class:`PiiSpan`, in text order, not overlapping.

    Types are tried in :data:`DETECTION_ORDER` (e-mail, account ID, IBAN, card, SSN, date of birth,
    IP address, phone); a later match that overlaps an earlier one is dropped (an account ID's digits
    are not also a phone number). Cards, SSNs, IP addresses and phone numbers right after a reference
    label (:func:`not_pii_context`: ``order``, ``ticket #`` ...) are not personal. ``ignore``: values
    that are not personal (the company's own published addresses), compared case-insensitively.
    ``phone_regions``: see :func:`phone_spans`. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    from .evals.checks import PII_PATTERNS

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
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
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
    redaction pass, last first, so a value that itself held a placeholder comes back whole).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
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
    center's, :func:`workbench.evals.checks.public_contacts`). Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    from .scenario import F, _check_mapping

    raw = data if data is not None else (getattr(scenario, "pii", None) or {})
    file = file or getattr(scenario, "path", "<memory>")
    spec = {"account_id_pattern": F("str", doc="a regular expression for your account IDs, e.g. 'ACCT-\\d{6}'"),
            "types": F("list[str]", choices=PII_TYPES, doc="which kinds of personal data to detect"),
            "public_contacts": F("list[str]", doc="the company's own published addresses: not personal data"),
            "phone_regions": F("list[str]", doc="regions whose national phone formats are read, e.g. [US, GB, DE, FR]")}
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
    import phonenumbers

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

def gold_spans(text: str, expected: Iterable) -> list[PiiSpan]:
    """Every occurrence in ``text`` of each annotated value (objects with ``type`` and ``text``,
    e.g. a golden case's ``expected.pii``), as spans: what a perfect detector would return.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
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


# --------------------------------------------------------------------------------------------
# a labelled set of strings: precision, recall and residue per kind
# --------------------------------------------------------------------------------------------

NOT_PII = "none"  # the kind of a look-alike: a string with no personal data in it
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
PII_SET_COLUMNS = ("id", "text", "kind", "value")


@dataclass(frozen=True)
class LabelledText:
    """One string of a labelled set: its ``id``, the ``text``, and ``items``, the personal data in it
    as ``(kind, value)`` pairs (empty for a look-alike). Introduced in ``05_routing_and_fallbacks.ipynb``."""

    id: str
    text: str
    items: tuple[tuple[str, str], ...] = ()


def default_pii_set_path():
    """The labelled set shipped with the project: ``data/pii/labelled_set.csv``."""
    from .catalog import project_dir
    return project_dir() / "data" / "pii" / "labelled_set.csv"


def load_pii_set(path=None) -> tuple[LabelledText, ...]:
    """Read a labelled set (CSV with columns ``id, text, kind, value``; leading ``#`` lines are
    comments; a string with several items repeats its id on the next rows with an empty text; a
    look-alike has kind ``none`` and no value). Every problem is listed with its line and the fix.
    Default: :func:`default_pii_set_path`. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    import csv
    from pathlib import Path

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
    they stay in the redacted text (``020 7946 0958`` detected as ``020 7946`` leaves 4). Pure.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
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
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
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
    every kind meets them). Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
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
