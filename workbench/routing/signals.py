"""Signals the router reads from a request: personal data, code, language, length, difficulty words and
prompt-injection patterns. Pure functions of the text; taught in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.evals.adapters.rules import ADDRESSES_MODEL
from workbench.routing.config import RouterConfig
from workbench.routing.pii import PiiConfig, detect_pii
from workbench.routing.pii_formats import PiiSpan, account_id_key

# languages the stop-word heuristic knows (Latin script), then scripts that identify a language
STOPWORDS = {
    "en": set("the and is are to my i you of it in for on how what can do does have with this that not a an "
              "was be will your we our me please thanks".split()),
    "de": set("der die das und ist ich nicht mein meine wie habe ein eine zu mit auf für wir sie es kann "
              "lange zeit war gestern bitte danke unser unsere".split()),
    "fr": set("le la les et est je ne pas mon ma mes un une des pour avec vous nous à du plus sur il "
              "merci bonjour aujourd'hui".split()),
    "es": set("el la los las y es yo no mi mis un una para con que del por puedo cómo quiero está mi "
              "hola gracias".split()),
    "it": set("il lo gli e è non mio un una per con che di sono grazie ciao".split()),
    "pt": set("o os e é não meu minha um uma para com que do da posso obrigado olá".split()),
    "nl": set("de het een en is ik niet mijn voor met van dat wij bedankt hallo".split()),
}
SCRIPTS = (("ja", r"[\u3040-\u30ff]"), ("ko", r"[\uac00-\ud7af]"), ("zh", r"[\u4e00-\u9fff]"),
           ("ru", r"[\u0400-\u04ff]"), ("ar", r"[\u0600-\u06ff]"), ("el", r"[\u0370-\u03ff]"),
           ("he", r"[\u0590-\u05ff]"), ("hi", r"[\u0900-\u097f]"), ("th", r"[\u0e00-\u0e7f]"))
# instructions addressed to a model inside a message or a retrieved article; the rule baseline's own
# pattern (workbench.evals.adapters.rules.ADDRESSES_MODEL) plus markup and phrasing it does not cover
EXTRA_INJECTION_PATTERNS = (
    r"</?\s*(?:system|message|assistant|instructions?)\s*>", r"\bto the (?:ai|assistant|model|bot)\b",
    r"\b(?:new|updated) (?:policy|instructions?|rules?)\s*:", r"\banswer only with\b", r"\byou are now\b",
    r"\b(?:print|reveal|show|repeat) (?:your|the) (?:system )?prompt\b",
)
CODE_LINE = re.compile(r"^\s*(?:def |class |import |from \S+ import |function |const |let |var |public |private |"
                       r"#include|SELECT |INSERT |UPDATE |DELETE FROM |curl |\$ |>>> |at [\w.$]+\(|Traceback )"
                       r"|[;{}]\s*$|=>|\w+\([^()]*\)\s*;", re.M)


# --------------------------------------------------------------------------------------------
# what the router sees
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    """What the router sees: the message ``text``, the ``task`` kind, the retrieved ``articles``
    (id -> text), the signed-in ``customer`` record (``email``, ``account_id``; empty when unknown)
    and the classifier step's ``intent`` label (None when it has not run).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    text: str
    task: str | None = None
    articles: dict = field(default_factory=dict)
    customer: dict = field(default_factory=dict)
    intent: str | None = None
    id: str = ""


def strip_markup(text: str) -> str:
    """``text`` without HTML tags, scripts and styles (for language and length heuristics)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text or "", flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def detect_language(text: str) -> str:
    """A two-letter language code for ``text`` by a transparent heuristic, or ``unknown``.

    Non-Latin scripts decide first (kana -> ja, Hangul -> ko, Han -> zh, Cyrillic -> ru, ...) when
    they make up at least 20% of the letters; otherwise the language whose common words
    (:data:`STOPWORDS`) appear most often wins if it has at least 2 hits and strictly more than any
    other. Markup is stripped first.
    """
    t = strip_markup(text)
    letters = [ch for ch in t if ch.isalpha()]
    if not letters:
        return "unknown"
    for code, pattern in SCRIPTS:
        if len(re.findall(pattern, t)) >= 0.2 * len(letters):
            return code
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", t.lower())
    scores = {lang: sum(w in sw for w in words) for lang, sw in STOPWORDS.items()}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, n1), (_, n2) = ranked[0], ranked[1]
    return best if n1 >= 2 and n1 > n2 else "unknown"


def detect_code(text: str) -> str | None:
    """Evidence that ``text`` holds code, a stack trace or a shell command (a fenced block, or two
    lines that look like code), or None."""
    t = text or ""
    if "```" in t:
        return "a fenced code block"
    if "Traceback (most recent call last)" in t:
        return "a Python stack trace"
    hits = [m.group(0).strip() for m in CODE_LINE.finditer(t)]
    lines = {t.count("\n", 0, m.start()) for m in CODE_LINE.finditer(t)}
    if len(lines) >= 2:
        return f"{len(lines)} lines that look like code (e.g. '{hits[0][:30]}')"
    return None


def injection_patterns() -> tuple[str, ...]:
    """The patterns :func:`detect_injection` looks for: the rule baseline's own (one definition for
    both) plus :data:`EXTRA_INJECTION_PATTERNS`."""
    return (ADDRESSES_MODEL.pattern, *EXTRA_INJECTION_PATTERNS)


def detect_injection(text: str) -> str | None:
    """The first phrase in ``text`` that addresses the model as an instruction ("ignore all
    previous instructions", "NOTE TO AI ASSISTANTS", ``<system>``), or None."""
    for p in injection_patterns():
        m = re.search(p, text or "", flags=re.I)
        if m:
            return m.group(0)
    return None


def difficulty_signals(text: str) -> dict[str, str]:
    """The difficulty signals (:data:`DIFFICULTY_SIGNALS`) that fire on ``text``, each with its
    evidence. Heuristics a person can read, not a model."""
    t = strip_markup(text)
    low = t.lower()
    out = {}
    questions = low.count("?")
    # a list inside one question: two commas (not thousands separators such as 12,000) and an "and"
    listing = [s for s in re.split(r"(?<=\?)", low) if s.strip().endswith("?") and len(re.findall(r",(?!\d)", s)) >= 2
               and " and " in s]
    if questions >= 3:
        out["multi_part"] = f"{questions} questions"
    elif listing:
        out["multi_part"] = "one question lists three or more things"
    m = re.search(r"\bwhich plan\b|\bon my plan\b|\bif i (?:upgrade|downgrade|switch)\b|\b(?:upgrade|downgrade)s? to\b", low)
    if m:
        out["plan_condition"] = f"'{m.group(0)}'"
    money = re.search(r"\b(?:refund\w*|money back|charged|charge)\b", low)
    when = re.search(r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|several) "
                     r"(?:days?|weeks?|months?) ago\b|\blast (?:week|month|monday|tuesday|wednesday|thursday|friday|"
                     r"saturday|sunday)\b", low)
    if money and when:
        out["time_condition"] = f"'{money.group(0)}' with '{when.group(0)}'"
    m = re.search(r"!{2,}|\b(?:useless|unacceptable|ridiculous|terrible|third time|fed up)\b", low)
    if m:
        out["upset"] = f"'{m.group(0)}'"
    return out


@dataclass(frozen=True)
class Signals:
    """Everything the rules test, computed once per request."""

    pii: tuple[PiiSpan, ...]
    foreign_accounts: tuple[str, ...]
    code: str | None
    language: str
    chars: int
    injection: str | None
    injection_where: str | None
    articles: int
    difficulty: dict


def request_signals(request: Request, config: RouterConfig | None = None) -> Signals:
    """Compute the :class:`Signals` of a request (PII with the config's account-ID pattern)."""
    cfg = config.pii if config is not None else PiiConfig()
    spans = tuple(detect_pii(request.text, cfg.account_id_pattern, cfg.types, cfg.public_contacts, cfg.phone_regions))
    own = account_id_key((request.customer or {}).get("account_id"))
    foreign = tuple(dict.fromkeys(s.text for s in spans if s.type == "account_id" and own and account_id_key(s.text) != own))
    where = inj = None
    hit = detect_injection(request.text)
    if hit:
        inj, where = hit, "the message"
    else:
        for aid, atext in (request.articles or {}).items():
            hit = detect_injection(atext)
            if hit:
                inj, where = hit, f"article {aid}"
                break
    return Signals(pii=spans, foreign_accounts=foreign, code=detect_code(request.text),
                   language=detect_language(request.text), chars=len(request.text or ""), injection=inj,
                   injection_where=where, articles=len(request.articles or {}), difficulty=difficulty_signals(request.text))
