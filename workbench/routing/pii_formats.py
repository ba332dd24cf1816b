"""Finding personal data in the formats support messages carry: phone numbers (Google's
``phonenumbers`` metadata, the scenario's regions), IBANs (checksum), US SSNs, cards (Luhn), IP
addresses, dates of birth after a context word, and account IDs in the scenario's pattern written
with any case or separator; context words keep order and ticket numbers out.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import phonenumbers
from stdnum import iban

from workbench.evals.checks import DEFAULT_ACCOUNT_ID_PATTERN

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")

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
    or a currency sign, so it is not personal."""
    run_start = _run_bounds(text, start, start)[0] if start < len(text) and text[start].isdigit() else start
    return bool(_NOT_PII_BEFORE.search(_before(text, start)) or _NOT_PII_BEFORE.search(_before(text, run_start)))


def card_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of card numbers: 13-19 digits that pass :func:`luhn_valid`, written as one
    run or as groups joined by single spaces or dashes. Inside a longer run of groups the longest
    valid window of whole groups is taken, left to right (a card followed by another number is
    still a card); an ungrouped run must be a card as a whole, or a long reference number would
    hide a Luhn-valid window by chance; a run glued to a letter (``DE89 3704 ...``) is part of a code,
    one after ``+`` a phone number."""
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
    checked). ``DE89 3704 0044 0532 0130 00`` passes; change one digit and it fails."""
    compact = re.sub(r"[ -]", "", str(value)).upper()
    return 15 <= len(compact) <= 34 and iban.is_valid(compact, check_country=False)


def iban_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of IBANs: two letters and two digits (``DE89``, ``DE 89``), then letters and digits as one run or in
    groups joined by single spaces or dashes; the longest run of whole groups that passes
    :func:`iban_valid` is taken."""
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
    group not 00, serial not 0000 (the Social Security Administration never issues those)."""
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def ssn_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of US SSNs: ``AAA-GG-SSSS``, ``AAA - GG - SSSS`` or ``AAA GG SSSS`` anywhere, nine digits in a row
    only right after ``SSN`` or ``social security number``; the parts must pass :func:`ssn_valid`."""
    text = text or ""
    out = [m.span() for m in _SSN.finditer(text) if ssn_valid(m.group(1), m.group(3), m.group(4))]
    out += [m.span() for m in _SSN_RUN.finditer(text)
            if ssn_valid(*m.groups()) and _SSN_BEFORE.search(_before(text, m.start()))]
    return sorted(out)


def date_of_birth_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of dates (``1984-07-21``, ``1984/07/21``, ``21/07/1984``, ``21.07.1984``,
    ``July 21, 1984``, ``21 July 1984``, ``21st of July 1984``, ``21 juillet 1984``, ``21. Juli 1984``)
    right after ``DOB``, ``date of birth``, ``born (on)`` or ``birthday``: a date
    alone is not personal data."""
    text = text or ""
    return [m.span() for m in _DATE.finditer(text) if _DOB_BEFORE.search(_before(text, m.start()))]


def ip_address_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of IPv4 and IPv6 addresses that :mod:`ipaddress` accepts, except loopback,
    unspecified, reserved, multicast, link-local and private-network addresses (``127.0.0.1``,
    ``0.0.0.0``, the netmask ``255.255.255.0``, ``192.168.0.10``), which point at no one outside a LAN."""
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
    """
    text = text or ""
    if sum(ch.isdigit() for ch in text) < 7:
        return []

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
    and ``ACCT-845201`` all give ``ACCT845201``), to tell whether two spellings are one account."""
    return re.sub(r"[-_./:#\s]", "", str(value or "")).upper()


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: its ``type`` (one of :data:`PII_TYPES`), character offsets
    ``start``..``end`` in the text, and the ``text`` itself."""

    type: str
    start: int
    end: int
    text: str


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
