"""Routing and fallbacks: a rule router you can read, its evaluation, and what a fallback chain buys.

**The router.** A scenario's ``routing:`` block names *routes* (the golden set's route names:
``cheap``, ``strong``, ``private``, ``human``), each served by a catalog offering (or by a person),
and an ordered list of *rules*. Each rule has conditions (``when:``) on the request (personal data,
an account ID that is not the sender's, code, length, language, injected instructions, difficulty
heuristics, the intent label from the classifier step, the task, keywords, a pattern); the first
rule whose conditions all hold picks the route, else the ``default``. :func:`route_request` returns a
:class:`Decision` that says which rule fired and why (personal data in the reason is masked). A
route may redact personal data before its request goes to a managed API
(:func:`prepare_request`, :mod:`workbench.pii`).

**Evaluation.** :func:`route_cases` routes every golden case; :func:`routing_report` gives routing
accuracy and a confusion matrix, and the routed system next to each single-model system on the same
cases: success rate (from the evaluation runner's per-case results), monthly cost (the cost engine,
:func:`workbench.cost.step_costs`, with the scenario's volumes and token mixes) and p95 latency (the
latency engine, :func:`workbench.latency.simulate_latency_s`, from the catalog's speeds).

**Fallback chains.** :func:`chain_availability` computes the availability of "primary, then
fallbacks" exactly when members share a provider (or any other component): with independent
failures it is ``1 - prod(1 - a_i)``; a shared provider's outage takes all its members down at once,
which :func:`independent_chain_availability` would ignore. :func:`simulate_outages` checks the formula
by seeded simulation; :func:`fallback_expectations` gives the share of requests each member serves
and the extra latency and cost when a fallback serves. The runtime chain with its circuit breaker is
:mod:`workbench.evals.fallback`.

Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from .errors import Problem, WorkbenchError, did_you_mean, fail
from .pii import PII_TYPES, PiiConfig, PiiSpan, Redaction, account_id_key, detect_pii, pii_config, redact_pii

GOLDEN_ROUTES = ("cheap", "strong", "private", "human")
TASKS = ("classify", "answer", "draft", "extract")
DIFFICULTY_SIGNALS = {
    "multi_part": "three or more questions, or one question that lists three or more things",
    "plan_condition": "the answer depends on which plan or on a plan change ('which plan', 'on my plan', "
                      "'if I upgrade', 'downgrade to')",
    "time_condition": "a refund or charge with a time condition ('six weeks ago', 'last Tuesday')",
    "upset": "an upset customer ('!!', 'useless', 'third time', 'unacceptable')",
}
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
# configuration
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    """One route: served by ``offering_id`` (catalog) or, when ``human``, by a person. ``redact_pii``:
    personal data is replaced by placeholders before the request leaves; ``fallbacks``: offering ids
    tried in order on 429, 5xx or a timeout; ``results``: an evaluation results file for its model.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    name: str
    offering_id: str | None = None
    human: bool = False
    redact_pii: bool = False
    fallbacks: tuple[str, ...] = ()
    results: str | None = None
    description: str = ""

    @property
    def chain(self) -> tuple[str, ...]:
        """The offering ids in the order they are tried (empty for a human route)."""
        return () if self.human or self.offering_id is None else (self.offering_id, *self.fallbacks)


@dataclass(frozen=True)
class Rule:
    """An ordered rule: when every condition in ``when`` holds, the request takes ``route``.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    name: str
    route: str
    when: dict
    description: str = ""


@dataclass(frozen=True)
class Availability:
    """Availability assumptions (share of time a component answers, 0..1) for chain maths.

    ``providers``: a provider-wide outage takes every offering of the provider down at once;
    ``offerings``: an offering-specific outage (capacity, one model's incident) leaves the rest of
    its provider up. An offering's availability is the product of the two. ``hang_share``: share of
    failures that hang until the timeout (the rest fail fast, in ``fast_fail_s``).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    providers: dict = field(default_factory=dict)
    offerings: dict = field(default_factory=dict)
    default_provider: float = 0.999
    default_offering: float = 0.998
    timeout_s: float = 10.0
    fast_fail_s: float = 0.3
    hang_share: float = 0.3
    source: str = "assumption"

    def provider(self, name: str) -> float:
        return float(self.providers.get(name, self.default_provider))

    def offering(self, offering_id: str) -> float:
        return float(self.offerings.get(offering_id, self.default_offering))


@dataclass(frozen=True)
class Breaker:
    """Circuit-breaker settings: open after ``failure_threshold`` consecutive failures, try again
    (half-open) after ``cooldown_s`` seconds. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    failure_threshold: int = 3
    cooldown_s: float = 30.0


@dataclass(frozen=True)
class RouterConfig:
    """A validated ``routing:`` block: routes, ordered rules, the default route, the task -> scenario
    step map used for cost, availability assumptions, circuit-breaker settings, the PII settings.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    routes: dict[str, Route]
    rules: tuple[Rule, ...]
    default: str
    steps: dict[str, str] = field(default_factory=dict)
    availability: Availability = field(default_factory=Availability)
    breaker: Breaker = field(default_factory=Breaker)
    pii: PiiConfig = field(default_factory=PiiConfig)
    file: str = "<memory>"
    description: str = ""

    def route(self, name: str) -> Route:
        if name in self.routes:
            return self.routes[name]
        raise fail(self.file, f"route '{name}'", "no such route", did_you_mean(name, self.routes))


def _spec():
    from .scenario import F
    when = {
        "task": F("list[str]", choices=TASKS, doc="the request's task kind"),
        "pii": F("bool", doc="personal data detected (true) or not (false)"),
        "pii_types": F("list[str]", choices=PII_TYPES, doc="any of these kinds of personal data detected"),
        "foreign_account": F("bool", doc="an account ID in the message that is not the signed-in sender's"),
        "code": F("bool", doc="the message contains code, a stack trace or a command"),
        "language": F("list[str]", doc="the detected language is one of these (ISO 639-1 codes)"),
        "language_not": F("list[str]", doc="the detected language is known and not one of these"),
        "min_chars": F("int", False, 0, 10_000_000, doc="the message has at least this many characters"),
        "max_chars": F("int", False, 0, 10_000_000, doc="the message has at most this many characters"),
        "intent": F("list[str]", doc="the classifier step's label is one of these"),
        "keywords": F("list[str]", doc="any of these words or phrases (case-insensitive, whole words)"),
        "pattern": F("str", doc="a regular expression that must match the message"),
        "injection": F("bool", doc="instructions addressed to the model in the message or a retrieved article"),
        "min_articles": F("int", False, 0, 1000, doc="at least this many retrieved articles"),
        "difficulty": F("list[str]", choices=tuple(DIFFICULTY_SIGNALS), doc="any of these difficulty signals"),
        "min_difficulty": F("int", False, 1, len(DIFFICULTY_SIGNALS), doc="at least this many difficulty signals"),
    }
    route = {
        "offering": F("str", doc="an offering_id from the catalog"),
        "human": F("bool", doc="a person handles the request; no model"),
        "redact_pii": F("bool", doc="replace personal data by placeholders before sending; restore it in the answer"),
        "fallbacks": F("list[str]", doc="offering_ids tried in order on 429, 5xx or a timeout"),
        "results": F("str", doc="an evaluation results file (python -m workbench eval ... --out FILE) for this route"),
        "description": F("str"),
    }
    rule = {"name": F("str", True), "route": F("str", True, doc="a route name from routes:"),
            "when": F("dict", True, sub=when, doc="conditions that must all hold"), "description": F("str")}
    avail = {
        "providers": F("map", doc="provider: availability of the whole provider, 0..1"),
        "offerings": F("map", doc="offering_id: availability of that offering alone, 0..1"),
        "default_provider": F("float", False, 0.5, 1, doc="provider availability when not listed"),
        "default_offering": F("float", False, 0.5, 1, doc="offering availability when not listed"),
        "timeout_s": F("float", False, 0.01, 600, doc="seconds before a hanging call is abandoned"),
        "fast_fail_s": F("float", False, 0, 60, doc="seconds a fast failure (429, 5xx) takes"),
        "hang_share": F("float", False, 0, 1, doc="share of failures that hang until the timeout"),
        "source": F("str", doc="where the availability numbers come from"),
    }
    breaker = {"failure_threshold": F("int", False, 1, 1000, doc="consecutive failures that open the circuit"),
               "cooldown_s": F("float", False, 0, 86_400, doc="seconds before an open circuit lets one request try")}
    top = {"description": F("str"), "routes": F("map", True, doc="route name: {offering: ..., ...}"),
           "rules": F("list[dict]", True, sub=rule), "default": F("str", True, doc="the route when no rule fires"),
           "steps": F("map", doc="task: scenario step whose volume and token mix price it"),
           "availability": F("dict", sub=avail), "circuit_breaker": F("dict", sub=breaker)}
    return top, route, F


def routing_config(scenario, catalog=None, data: dict | None = None, file: str | None = None,
                   public_contacts: Iterable[str] = ()) -> RouterConfig:
    """Validate a ``routing:`` block (the scenario's, or ``data`` read from ``file``) and build a
    :class:`RouterConfig`. Every problem is reported at once with its key path
    (``routing.rules[2].when.langauge``) and a did-you-mean hint: unknown keys, a rule naming an
    unknown route, an offering id not in ``catalog``, an intent label not in the scenario's
    classifier labels, a task not mapped to a step, an invalid regular expression. The ``pii:``
    block is read by :func:`workbench.pii.pii_config`. Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    from .scenario import _check_mapping

    file = str(file or getattr(scenario, "path", "<memory>"))
    raw = data if data is not None else getattr(scenario, "routing", None)
    if raw is None:
        raise fail(file, "routing", "the scenario has no routing: block",
                   "add one (see data/scenarios/support_assistant.yaml), or pass --routing FILE")
    if isinstance(raw, dict) and set(raw) == {"routing"}:
        raw = raw["routing"]
    if not isinstance(raw, dict):
        raise fail(file, "routing", "must be a mapping (key: value lines)", "indent routes:, rules: and default: below it")
    top, route_spec, F = _spec()
    problems: list[Problem] = []
    d = _check_mapping(raw, top, "routing", file, problems)
    offering_ids = set(catalog.offerings["offering_id"]) if catalog is not None else None
    providers = set(catalog.offerings["provider"]) if catalog is not None else None

    def check_offering(oid: str, where: str):
        if offering_ids is not None and oid not in offering_ids:
            problems.append(Problem(file, where, "no such offering in the catalog", did_you_mean(oid, offering_ids), value=oid))

    routes: dict[str, Route] = {}
    for name, body in (d.get("routes") or {}).items():
        path = f"routing.routes.{name}"
        if not isinstance(body, dict):
            problems.append(Problem(file, path, "must be a mapping", "write e.g. 'cheap: {offering: provider/model}'"))
            continue
        r = _check_mapping(body, route_spec, path, file, problems)
        human = bool(r.get("human", False))
        if human and r.get("offering"):
            problems.append(Problem(file, path, "a route is served by a person or by an offering, not both",
                                    "remove 'offering' or set 'human: false'"))
        if not human and not r.get("offering"):
            problems.append(Problem(file, f"{path}.offering", "required key is missing",
                                    "add 'offering: <offering_id from the catalog>' (or 'human: true')"))
        for key, oid in [("offering", r.get("offering"))] + [(f"fallbacks[{i}]", f) for i, f in enumerate(r.get("fallbacks") or [])]:
            if oid:
                check_offering(oid, f"{path}.{key}")
        chain = [x for x in [r.get("offering"), *(r.get("fallbacks") or [])] if x]
        if len(set(chain)) < len(chain):
            problems.append(Problem(file, f"{path}.fallbacks", "an offering appears twice in the chain",
                                    "list each offering once: a fallback must be a different offering"))
        routes[str(name)] = Route(str(name), r.get("offering"), human, bool(r.get("redact_pii", False)),
                                  tuple(r.get("fallbacks") or ()), r.get("results"), r.get("description", ""))
    if "routes" in d and not routes:
        problems.append(Problem(file, "routing.routes", "no routes", "name at least one route with its offering"))

    labels = _classifier_labels(scenario)
    rules = []
    names = set()
    for i, rd in enumerate(d.get("rules") or []):
        if not rd:
            continue
        path = f"routing.rules[{i}]"
        if rd.get("route") is not None and routes and rd["route"] not in routes:
            problems.append(Problem(file, f"{path}.route", "no such route", did_you_mean(rd["route"], routes), value=rd["route"]))
        if rd.get("name") in names:
            problems.append(Problem(file, f"{path}.name", "two rules have the same name", "give each rule its own name",
                                    value=rd.get("name")))
        names.add(rd.get("name"))
        when = rd.get("when") or {}
        if "when" in rd and not when:
            problems.append(Problem(file, f"{path}.when", "a rule needs at least one condition",
                                    "add a condition, or delete the rule and use default:"))
        for j, lab in enumerate(when.get("intent") or []):
            if labels and lab not in labels:
                problems.append(Problem(file, f"{path}.when.intent[{j}]", "not one of the classifier step's labels",
                                        did_you_mean(lab, labels), value=lab))
        if "pattern" in when:
            try:
                re.compile(when["pattern"])
            except re.error as e:
                problems.append(Problem(file, f"{path}.when.pattern", f"not a valid regular expression: {e}",
                                        "quote it in single quotes and escape special characters", value=when["pattern"]))
        if when.get("min_chars") is not None and when.get("max_chars") is not None and when["min_chars"] > when["max_chars"]:
            problems.append(Problem(file, f"{path}.when.min_chars", "is above max_chars, so the rule can never fire",
                                    "make min_chars at most max_chars"))
        if rd.get("name") and rd.get("route"):
            rules.append(Rule(rd["name"], rd["route"], when, rd.get("description", "")))
    default = d.get("default")
    if default is not None and routes and default not in routes:
        problems.append(Problem(file, "routing.default", "no such route", did_you_mean(default, routes), value=default))

    steps = {}
    step_names = [s.name for s in getattr(scenario, "workflow", ())]
    # default: the decision record's map of golden tasks to steps (record.golden_tasks: {step: task}), one place
    from_record = {t: s for s, t in ((getattr(scenario, "record", None) or {}).get("golden_tasks") or {}).items()}
    for task, step in (d.get("steps") or from_record).items():
        if task not in TASKS:
            problems.append(Problem(file, f"routing.steps.{task}", "unknown task", did_you_mean(str(task), TASKS)))
        elif not isinstance(step, str) or (step_names and step not in step_names):
            problems.append(Problem(file, f"routing.steps.{task}", "no such step in the scenario's workflow",
                                    did_you_mean(str(step), step_names), value=step))
        else:
            steps[task] = step

    av = d.get("availability") or {}
    av_maps = {}
    for key, known, what in (("providers", providers, "provider"), ("offerings", offering_ids, "offering")):
        m = av.get(key) or {}
        checked = _check_mapping(m, {k: F("float", False, 0.5, 1, doc=f"availability of the {what}, 0.5..1") for k in m},
                                 f"routing.availability.{key}", file, problems)
        for k in m:
            if known is not None and k not in known:
                problems.append(Problem(file, f"routing.availability.{key}.{k}", f"no such {what} in the catalog",
                                        did_you_mean(str(k), known)))
        av_maps[key] = {k: v for k, v in checked.items() if v is not None}
    try:
        pii = pii_config(scenario, file=file, public_contacts=public_contacts)
    except WorkbenchError as e:
        problems.extend(e.problems)
        pii = PiiConfig()
    if problems:
        raise WorkbenchError(problems)
    availability = Availability(providers=av_maps["providers"], offerings=av_maps["offerings"],
                                **{k: av[k] for k in ("default_provider", "default_offering", "timeout_s", "fast_fail_s",
                                                       "hang_share", "source") if k in av})
    cb = d.get("circuit_breaker") or {}
    return RouterConfig(routes=routes, rules=tuple(rules), default=default, steps=steps, availability=availability,
                        breaker=Breaker(**cb), pii=pii, file=file, description=d.get("description", ""))


def load_routing(path: str | Path, scenario, catalog=None, public_contacts: Iterable[str] = ()) -> RouterConfig:
    """A routing configuration from its own YAML file (top level: the routing mapping, or a
    ``routing:`` key), validated as :func:`routing_config` validates the scenario's block.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from .scenario import read_yaml
    return routing_config(scenario, catalog, data=read_yaml(path, "routing file"), file=str(path),
                          public_contacts=public_contacts)


def shown_path(path: str | Path) -> str:
    """``path`` relative to the project folder when it is inside it (no machine paths in reports).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from .catalog import project_dir
    try:
        return str(Path(path).resolve().relative_to(project_dir().resolve()))
    except (ValueError, OSError):
        return str(path)


def _classifier_labels(scenario) -> tuple[str, ...]:
    for s in getattr(scenario, "workflow", ()):
        if s.role == "classifier/router" and s.output_contract.labels:
            return tuple(s.output_contract.labels)
    return ()


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
    """``text`` without HTML tags, scripts and styles (for language and length heuristics).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text or "", flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def detect_language(text: str) -> str:
    """A two-letter language code for ``text`` by a transparent heuristic, or ``unknown``.

    Non-Latin scripts decide first (kana -> ja, Hangul -> ko, Han -> zh, Cyrillic -> ru, ...) when
    they make up at least 20% of the letters; otherwise the language whose common words
    (:data:`STOPWORDS`) appear most often wins if it has at least 2 hits and strictly more than any
    other. Markup is stripped first. Introduced in ``05_routing_and_fallbacks.ipynb``.
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
    lines that look like code), or None. Introduced in ``05_routing_and_fallbacks.ipynb``."""
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
    both) plus :data:`EXTRA_INJECTION_PATTERNS`. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from .evals.adapters.rules import ADDRESSES_MODEL
    return (ADDRESSES_MODEL.pattern, *EXTRA_INJECTION_PATTERNS)


def detect_injection(text: str) -> str | None:
    """The first phrase in ``text`` that addresses the model as an instruction ("ignore all
    previous instructions", "NOTE TO AI ASSISTANTS", ``<system>``), or None.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    for p in injection_patterns():
        m = re.search(p, text or "", flags=re.I)
        if m:
            return m.group(0)
    return None


def difficulty_signals(text: str) -> dict[str, str]:
    """The difficulty signals (:data:`DIFFICULTY_SIGNALS`) that fire on ``text``, each with its
    evidence. Heuristics a person can read, not a model. Introduced in ``05_routing_and_fallbacks.ipynb``."""
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
    """Everything the rules test, computed once per request.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

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
    """Compute the :class:`Signals` of a request (PII with the config's account-ID pattern).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
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


def _mask(value: str) -> str:
    from .evals.checks import mask
    return mask(value)


def _condition(name: str, want: Any, req: Request, sig: Signals) -> tuple[bool, str]:
    """Evaluate one condition; return (holds, why) with personal data masked."""
    if name == "task":
        return req.task in want, f"task is {req.task or 'unknown'}"
    if name == "pii":
        found = ", ".join(f"{s.type} {_mask(s.text)}" for s in sig.pii)
        return bool(sig.pii) == want, f"personal data: {found}" if sig.pii else "no personal data detected"
    if name == "pii_types":
        hit = [s for s in sig.pii if s.type in want]
        return bool(hit), (f"{', '.join(sorted({s.type for s in hit}))} detected" if hit else f"no {'/'.join(want)} detected")
    if name == "foreign_account":
        n = len(sig.foreign_accounts)
        why = (f"account ID {', '.join(_mask(a) for a in sig.foreign_accounts)} is not the sender's "
               f"{_mask(str(req.customer.get('account_id')))}") if n else (
            "no account ID other than the sender's" if (req.customer or {}).get("account_id") else "sender unknown")
        return bool(n) == want, why
    if name == "code":
        return bool(sig.code) == want, sig.code or "no code"
    if name == "language":
        return sig.language in want, f"language {sig.language}"
    if name == "language_not":
        return sig.language != "unknown" and sig.language not in want, f"language {sig.language}"
    if name == "min_chars":
        return sig.chars >= want, f"{sig.chars} characters"
    if name == "max_chars":
        return sig.chars <= want, f"{sig.chars} characters"
    if name == "intent":
        return req.intent in want, f"intent {req.intent}" if req.intent else "no intent (the classifier has not run)"
    if name == "keywords":
        low = (req.text or "").lower()
        hit = next((k for k in want if re.search(r"(?<!\w)" + re.escape(k.lower()) + r"(?!\w)", low)), None)
        return hit is not None, f"'{hit}'" if hit else "none of the keywords"
    if name == "pattern":
        m = re.search(want, req.text or "")
        return m is not None, f"pattern matches '{m.group(0)[:40]}'" if m else "pattern does not match"
    if name == "injection":
        return bool(sig.injection) == want, (f"instruction to the model in {sig.injection_where}: '{sig.injection[:50]}'"
                                             if sig.injection else "no instruction to the model")
    if name == "min_articles":
        return sig.articles >= want, f"{sig.articles} retrieved articles"
    if name == "difficulty":
        hit = {k: v for k, v in sig.difficulty.items() if k in want}
        return bool(hit), ("; ".join(f"{k}: {v}" for k, v in hit.items()) if hit else "no difficulty signal")
    if name == "min_difficulty":
        n = len(sig.difficulty)
        return n >= want, f"{n} difficulty signals ({', '.join(sig.difficulty) or 'none'})"
    raise ValueError(f"unknown condition {name}")  # the validator rejects unknown keys before this


# --------------------------------------------------------------------------------------------
# the router
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """Where a request goes and why: the ``route``, the ``rule`` that fired (``default`` when none),
    ``why`` (the evidence for each condition, personal data masked), the ``offering_id`` (None for a
    person), whether personal data is redacted before sending, and the fallback chain.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    route: str
    rule: str
    why: str
    offering_id: str | None
    human: bool = False
    redact_pii: bool = False
    chain: tuple[str, ...] = ()


def route_request(request: Request, config: RouterConfig, signals: Signals | None = None) -> Decision:
    """Apply the rules in order; the first whose conditions all hold picks the route, else the
    default. Deterministic: the same request and config give the same decision.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    sig = signals or request_signals(request, config)
    for rule in config.rules:
        results = [_condition(k, v, request, sig) for k, v in rule.when.items()]
        if all(ok for ok, _ in results):
            return _decision(config, rule.route, rule.name, "; ".join(why for _, why in results))
    return _decision(config, config.default, "default", "no rule matched")


def _decision(config: RouterConfig, route: str, rule: str, why: str) -> Decision:
    r = config.route(route)
    return Decision(route, rule, why, r.offering_id, r.human, r.redact_pii, r.chain)


def explain_routing(request: Request, config: RouterConfig) -> pd.DataFrame:
    """Every rule in order with whether it matched and each condition's evidence: why the chosen
    rule fired and why the ones before it did not. Introduced in ``05_routing_and_fallbacks.ipynb``."""
    sig = request_signals(request, config)
    rows, fired = [], False
    for i, rule in enumerate(config.rules, start=1):
        results = [(k, *_condition(k, v, request, sig)) for k, v in rule.when.items()]
        match = all(ok for _, ok, _ in results)
        rows.append({"order": i, "rule": rule.name, "route": rule.route, "matched": match, "chosen": match and not fired,
                     "evidence": "; ".join(f"{k} {'ok' if ok else 'no'}: {why}" for k, ok, why in results)})
        fired = fired or match
    rows.append({"order": len(rows) + 1, "rule": "default", "route": config.default, "matched": True,
                 "chosen": not fired, "evidence": "always"})
    return pd.DataFrame(rows)


def prepare_request(text: str, decision: Decision, config: RouterConfig) -> tuple[str, Redaction | None]:
    """The text to send on ``decision``'s route: redacted (:func:`workbench.pii.redact_pii`) when the
    route says ``redact_pii``, else unchanged; the :class:`~workbench.pii.Redaction` restores the
    answer (``redaction.restore(answer)``). A human route sends nothing to a model: an error.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    if decision.human:
        raise fail(config.file, f"route '{decision.route}'", "a human route sends nothing to a model",
                   "hand the request to the support queue instead")
    if not decision.redact_pii:
        return text, None
    red = redact_pii(text, config.pii.account_id_pattern, config.pii.types, config.pii.public_contacts,
                     config.pii.phone_regions)
    return red.text, red


def request_from_case(case, articles: Mapping | None = None, intent: str | None = None) -> Request:
    """A :class:`Request` from a golden case (its input, task, retrieved articles' texts, customer).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    arts = {a: getattr((articles or {}).get(a), "text", "") for a in getattr(case, "articles", ())}
    return Request(text=case.input, task=case.task, articles=arts, customer=dict(getattr(case, "customer", {}) or {}),
                   intent=intent, id=case.id)


def rules_intent(text: str, labels: tuple[str, ...] = ()) -> str:
    """The intent label of the classifier step as the rule baseline computes it (a real,
    deterministic classifier: :func:`workbench.evals.adapters.rules.classify_intent`).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from .evals.adapters.rules import classify_intent
    return classify_intent(text, labels)


def route_cases(golden, config: RouterConfig, intent: Callable[[str], str] | None = rules_intent) -> pd.DataFrame:
    """Route every golden case. Columns: ``case_id``, ``task``, ``expected_route`` (the golden
    set's), ``route``, ``rule``, ``why``, ``correct``, ``offering_id``, ``redact_pii``, ``intent``.
    ``intent`` labels each message as the classifier step would (default: the rule baseline's
    keyword classifier; None: no intent). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    rows = []
    for c in golden.cases:
        label = intent(c.input) if intent is not None and (c.input or "").strip() else None
        d = route_request(request_from_case(c, golden.articles, label), config)
        rows.append({"case_id": c.id, "task": c.task, "expected_route": c.expected.route, "route": d.route,
                     "rule": d.rule, "why": d.why, "correct": d.route == c.expected.route,
                     "offering_id": d.offering_id, "redact_pii": d.redact_pii, "intent": label})
    return pd.DataFrame(rows)


def routing_accuracy(decisions: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Share of cases routed as the golden set expects, and the confusion matrix (rows: expected
    route, columns: chosen route, cells: case counts). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    acc = float(decisions["correct"].mean()) if len(decisions) else float("nan")
    names = list(dict.fromkeys([*GOLDEN_ROUTES, *decisions["expected_route"].dropna(), *decisions["route"]]))
    conf = pd.crosstab(pd.Categorical(decisions["expected_route"], names), pd.Categorical(decisions["route"], names),
                       dropna=False)
    conf.index.name, conf.columns.name = "expected", "routed"
    return acc, conf


# --------------------------------------------------------------------------------------------
# routed vs single-model: success, monthly cost, p95 latency
# --------------------------------------------------------------------------------------------

def route_outcomes(decisions: pd.DataFrame, results: Mapping[str, pd.DataFrame], config: RouterConfig) -> pd.DataFrame:
    """Per case, the outcome of the route it took: ``passed`` from that route's evaluation results
    (``results[route]``, one row per ``case_id``, e.g. ``EvalRun.results``); a human route counts as
    handled (``passed`` True, ``automated`` False: an assumption, a person answers correctly); a case
    without a result for its route has ``passed`` NA. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    rows = []
    idx = {r: df.set_index("case_id") for r, df in results.items() if df is not None}
    for d in decisions.itertuples():
        route = config.route(d.route)
        if route.human:
            rows.append({"case_id": d.case_id, "route": d.route, "passed": True, "automated": False, "provenance": "human"})
            continue
        res = idx.get(d.route)
        if res is None or d.case_id not in res.index:
            rows.append({"case_id": d.case_id, "route": d.route, "passed": pd.NA, "automated": True, "provenance": None})
            continue
        row = res.loc[d.case_id]
        rows.append({"case_id": d.case_id, "route": d.route, "passed": bool(row["passed"]), "automated": True,
                     "provenance": row.get("provenance")})
    return pd.DataFrame(rows)


def route_shares(decisions: pd.DataFrame, config: RouterConfig) -> pd.DataFrame:
    """Share of each step's requests that take each route, from the routed cases (tasks mapped to
    steps by ``config.steps``). Columns: ``step``, ``route``, ``cases``, ``share``.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    d = decisions.assign(step=decisions["task"].map(config.steps)).dropna(subset=["step"])
    g = d.groupby(["step", "route"], sort=False).size().rename("cases").reset_index()
    g["share"] = g["cases"] / g.groupby("step")["cases"].transform("sum")
    return g


def system_costs(shares: pd.DataFrame, config: RouterConfig, scenario, catalog, selfhost=None) -> pd.DataFrame:
    """Monthly cost of a routed system, per step: ``share`` of the step's requests per route
    (:func:`route_shares`), each priced by the cost engine (:func:`workbench.cost.step_costs`:
    the scenario's volume, token mix and retry assumptions, the route offering's list price); a
    human route costs the step's ``usd_per_escalation`` per request. Columns: ``step``, ``route``,
    ``offering_id``, ``share``, ``requests_per_month``, ``usd_per_request``, ``usd_per_month``.
    Introduced in ``05_routing_and_fallbacks.ipynb``."""
    from .cost import step_costs

    rows = []
    steps = {s.name: s for s in scenario.workflow}
    model_routes = {r: config.route(r) for r in shares["route"].unique() if not config.route(r).human}
    oids = sorted({r.offering_id for r in model_routes.values()})
    priced = pd.DataFrame()
    if oids:
        offers = catalog.offerings[catalog.offerings["offering_id"].isin(oids)]
        need = [steps[s] for s in shares["step"].unique()]
        priced = step_costs(offers, need, catalog.gpus, selfhost=selfhost).set_index(["offering_id", "step"])
    for row in shares.itertuples():
        step = steps[row.step]
        vol = step.requests_per_month * row.share
        route = config.route(row.route)
        if route.human:
            per = float(step.reliability.usd_per_escalation)
        else:
            per = float(priced.loc[(route.offering_id, row.step), "usd_per_request"])
        rows.append({"step": row.step, "route": row.route, "offering_id": route.offering_id, "share": row.share,
                     "requests_per_month": vol, "usd_per_request": per, "usd_per_month": vol * per})
    return pd.DataFrame(rows, columns=["step", "route", "offering_id", "share", "requests_per_month", "usd_per_request",
                                       "usd_per_month"])


def system_p95_s(shares: pd.DataFrame, config: RouterConfig, scenario, catalog, n: int = 20_000, seed: int = 0,
                 statistic: str = "median") -> pd.DataFrame:
    """p95 latency (seconds) of each step of a routed system: the latency engine's seeded samples
    for each model route's offering (:func:`workbench.latency.simulate_latency_s`, catalog TTFT and
    tokens/s, the scenario's token mix and retries, spreads from ``data/latency_spreads.csv``), mixed
    in proportion to the route shares (the first ``round(n x share)`` samples of each route). Human
    routes are left out (a person's reply time is not a model latency). Columns: ``step``, ``p95_s``,
    ``model_share`` (the share of the step's requests the p95 covers).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from .cost import cross, steps_frame
    from .latency import latency_sigmas, simulate_latency_s

    s_ttft, s_tps = latency_sigmas(None, statistic)
    steps = {s.name: s for s in scenario.workflow}
    out = []
    for step_name, g in shares.groupby("step", sort=False):
        parts, covered = [], 0.0
        for row in g.itertuples():
            route = config.route(row.route)
            if route.human or row.share <= 0:
                continue
            o = catalog.offerings[catalog.offerings["offering_id"] == route.offering_id]
            x = cross(o, steps_frame([steps[step_name]])).iloc[0]
            ttft, tps = pd.to_numeric(x.get("ttft_s"), errors="coerce"), pd.to_numeric(x.get("output_tokens_per_s"), errors="coerce")
            if pd.isna(ttft) or pd.isna(tps):
                parts.append(np.full(max(1, round(n * row.share)), np.nan))
                covered += row.share
                continue
            sam = simulate_latency_s(ttft, tps, x["output_tokens"], x["reasoning_tokens"], x["network_s"], x["retrieval_s"],
                                     x["tool_turns"], x["tool_call_s"], x["success_rate"], x["max_attempts"], n=n,
                                     seed=seed, sigma_ttft=s_ttft, sigma_tokens_per_s=s_tps)[0]
            parts.append(sam[:max(1, round(n * row.share))])
            covered += row.share
        allv = np.concatenate(parts) if parts else np.array([np.nan])
        p95 = float(np.quantile(allv, 0.95)) if not np.isnan(allv).any() else float("nan")
        out.append({"step": step_name, "p95_s": p95, "model_share": covered})
    return pd.DataFrame(out, columns=["step", "p95_s", "model_share"])


@dataclass
class RoutingReport:
    """The routing evaluation: ``decisions`` per case, ``accuracy`` and ``confusion``, ``systems``
    (routed vs single-model: success, cost, p95), ``by_step`` (shares, cost and p95 per system x
    step), ``outcomes`` per case, and ``notes`` (assumptions and provenance, to print with the numbers).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    decisions: pd.DataFrame
    accuracy: float
    confusion: pd.DataFrame
    systems: pd.DataFrame
    by_step: pd.DataFrame
    outcomes: pd.DataFrame
    notes: list[str]


def routing_report(golden, config: RouterConfig, scenario, catalog, results: Mapping[str, pd.DataFrame],
                   intent: Callable[[str], str] | None = rules_intent, baselines: Mapping[str, pd.DataFrame] | None = None,
                   n: int = 20_000, seed: int = 0, selfhost=None) -> RoutingReport:
    """Route the golden set and compare the routed system with each single-model system.

    ``results``: per route name, the evaluation runner's per-case results of the route's model
    (``EvalRun.results`` or a replayed results file; their ``provenance`` is carried to the table,
    so replayed or illustrative outputs say so). ``baselines``: extra systems with results only
    (e.g. ``{"rules baseline": rules_run.results}``: success only, no model cost).

    For each system: ``success_rate`` (cases whose route passed every check, a human route counted
    as handled), ``automated_success_rate`` (passed by a model), ``human_share``,
    ``usd_per_month_models``, ``usd_per_month_human`` and their sum ``usd_per_month``
    (:func:`system_costs`, all mapped steps), ``p95_s:<step>`` per mapped step (:func:`system_p95_s`),
    ``quality_from`` (the provenance of the per-case results). Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    decisions = route_cases(golden, config, intent)
    acc, conf = routing_accuracy(decisions)
    outcomes = route_outcomes(decisions, results, config)
    shares = route_shares(decisions, config)
    notes = [
        f"routing accuracy over {len(decisions)} golden cases; routes chosen by the rules in {shown_path(config.file)}",
        "success: the route's model passed every deterministic check on the case (evaluation runner results); "
        "a case routed to a person counts as handled (assumption: the agent answers correctly)",
        f"cost: scenario '{scenario.name}' volumes, token mixes and retry assumptions x catalog list prices "
        "(workbench.cost.step_costs); route shares per step from the golden cases "
        f"({', '.join(f'{t}->{s}' for t, s in config.steps.items())}); the golden set over-represents hard and "
        "adversarial cases, so real traffic shares differ",
        "latency: p95 of the latency engine's seeded simulation from catalog TTFT and tokens/s (not measured "
        "on these cases); human-routed requests left out",
    ]
    unmapped = decisions.loc[~decisions["task"].isin(list(config.steps)), "task"].value_counts()
    if len(unmapped):
        notes.append("not priced (no scenario step for the task; success and accuracy include them): "
                     + ", ".join(f"{t} ({n} cases)" for t, n in unmapped.items()))
    sysrows, steprows = [], []

    def add_system(name: str, sh: pd.DataFrame, out: pd.DataFrame, quality_from: str, priced: bool = True):
        scored = out[out["passed"].notna()]
        success = float(scored["passed"].astype(bool).mean()) if len(scored) else float("nan")
        auto = float((scored["passed"].astype(bool) & scored["automated"]).mean()) if len(scored) else float("nan")
        row = {"system": name, "cases_scored": len(scored), "success_rate": success, "automated_success_rate": auto,
               "human_share": float((~out["automated"]).mean()) if len(out) else float("nan")}
        if priced and len(sh):
            costs = system_costs(sh, config, scenario, catalog, selfhost)
            lat = system_p95_s(sh, config, scenario, catalog, n=n, seed=seed)
            human = costs["offering_id"].isna()
            row["usd_per_month_models"] = float(costs.loc[~human, "usd_per_month"].sum())
            row["usd_per_month_human"] = float(costs.loc[human, "usd_per_month"].sum())
            row["usd_per_month"] = row["usd_per_month_models"] + row["usd_per_month_human"]
            for r in lat.itertuples():
                row[f"p95_s:{r.step}"] = r.p95_s
            for r in costs.itertuples():
                steprows.append({"system": name, "step": r.step, "route": r.route, "offering_id": r.offering_id,
                                 "share": r.share, "usd_per_month": r.usd_per_month,
                                 "p95_s": float(lat.set_index("step").loc[r.step, "p95_s"])})
        else:
            zero = 0.0 if not priced else float("nan")
            row.update(usd_per_month_models=zero, usd_per_month_human=zero, usd_per_month=zero)
        row["quality_from"] = quality_from
        sysrows.append(row)

    prov = lambda df: ", ".join(sorted({str(p) for p in df["provenance"].dropna()})) if df is not None and len(df) else "no results"
    routed_prov = "; ".join(f"{r}: {prov(results.get(r)) if not config.route(r).human else 'human'}"
                            for r in dict.fromkeys(decisions["route"]))
    add_system("routed", shares, outcomes, routed_prov)
    seen = set()
    for name, route in config.routes.items():
        if route.human or (route.offering_id, route.results) in seen:
            continue  # a route with the same offering and evidence as an earlier one is the same single system
        seen.add((route.offering_id, route.results))
        single = decisions.assign(route=name)
        add_system(f"only {name} ({route.offering_id})", route_shares(single, config),
                   route_outcomes(single, {name: results.get(name)}, config), prov(results.get(name)))
    for name, df in (baselines or {}).items():
        out = df.assign(automated=True)[["case_id", "passed", "automated", "provenance"]]
        out = out[out["case_id"].isin(decisions["case_id"])]
        add_system(name, pd.DataFrame(), out, prov(df), priced=False)
        notes.append(f"'{name}': per-case success only; it calls no model, so it has no model cost and no model latency")
    systems = pd.DataFrame(sysrows)
    return RoutingReport(decisions, acc, conf, systems, pd.DataFrame(steprows), outcomes, notes)


def results_for_routes(config: RouterConfig, golden, base: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Per route, its ``results:`` file (written by ``python -m workbench eval --out``) replayed and
    re-scored by the evaluation runner on ``golden`` with today's checks (``EvalRun.results``: one row
    per case, ``provenance`` as the file says, e.g. ``illustrative``). A relative path is resolved
    against ``base`` (default: the folder of the routing configuration's file), then the project
    folder. Routes without a file are left out. Introduced in ``05_routing_and_fallbacks.ipynb``."""
    from .catalog import project_dir
    from .evals.adapters.replay import ReplayCandidate
    from .evals.runner import run_eval

    out, runs = {}, {}
    here = Path(base) if base is not None else Path(config.file).parent
    for name, route in config.routes.items():
        if not route.results:
            continue
        p = Path(route.results)
        if not p.is_absolute():
            p = here / p if (here / p).exists() else project_dir() / p
        key = str(p.resolve()) if p.exists() else str(p)
        if key not in runs:
            runs[key] = run_eval(golden, ReplayCandidate(p), use_cache=False, progress=False).results
        out[name] = runs[key]
    return out


# --------------------------------------------------------------------------------------------
# fallback chains: availability, outage simulation, expected extra latency and cost
# --------------------------------------------------------------------------------------------

def independent_chain_availability(availabilities) -> float:
    """Availability of a chain whose members fail independently: ``1 - prod(1 - a_i)``.

    A request fails only when every member is down at once. Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    a = np.asarray(list(availabilities), dtype=float)
    return float(1 - np.prod(1 - a))


def chain_members(offering_ids: Iterable[str], catalog_or_offerings, availability: Availability | None = None
                  ) -> tuple[pd.DataFrame, dict[str, float]]:
    """The members of a chain for :func:`chain_availability`: one row per offering (in order) with its
    own availability (``availability_own``: offering-specific outages) and the shared components it
    depends on (``components``: its provider, ``provider:<name>``), plus the components'
    availabilities. The offering's total availability is ``availability_own x provider``.
    Introduced in ``05_routing_and_fallbacks.ipynb``."""
    av = availability or Availability()
    offers = getattr(catalog_or_offerings, "offerings", catalog_or_offerings)
    rows, comps = [], {}
    for oid in offering_ids:
        o = offers[offers["offering_id"] == oid]
        if o.empty:
            raise fail("offerings", f"offering '{oid}'", "no such offering in the catalog",
                       did_you_mean(oid, offers["offering_id"]))
        provider = str(o.iloc[0]["provider"])
        comp = f"provider:{provider}"
        comps[comp] = av.provider(provider)
        rows.append({"offering_id": oid, "provider": provider, "availability_own": av.offering(oid),
                     "components": (comp,), "availability_total": av.offering(oid) * av.provider(provider)})
    return pd.DataFrame(rows), comps


def with_component(members: pd.DataFrame, components: Mapping[str, float], name: str, availability: float,
                   offering_ids: Iterable[str]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Add a shared component (a cloud region, an API gateway, your own proxy) that the given
    members depend on; returns new members and components (nothing is changed in place).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    ids = set(offering_ids)
    m = members.copy()
    m["components"] = [tuple(c) + ((name,) if oid in ids else ()) for oid, c in zip(m["offering_id"], m["components"])]
    m["availability_total"] = [a * np.prod([dict(components, **{name: availability})[c] for c in cs])
                               for a, cs in zip(m["availability_own"], m["components"])]
    return m, {**dict(components), name: float(availability)}


def _states(members: pd.DataFrame, components: Mapping[str, float]):
    """(probability, up-mask of components) for every state of the components the members use."""
    used = sorted({c for cs in members["components"] for c in cs})
    for bits in itertools.product((True, False), repeat=len(used)):
        p = float(np.prod([components[c] if b else 1 - components[c] for c, b in zip(used, bits)]))
        yield p, dict(zip(used, bits))


def served_shares(members: pd.DataFrame, components: Mapping[str, float] | None = None) -> pd.Series:
    """The share of requests each member serves (the first member that is up serves), and
    ``none`` (every member down), computed exactly over the shared components' states; members'
    own outages are independent of each other. Sums to 1. Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    comps = dict(components or {})
    own = members["availability_own"].to_numpy(float)
    shares = np.zeros(len(members) + 1)
    for p, up in _states(members, comps):
        reach = np.array([all(up[c] for c in cs) for cs in members["components"]], dtype=float)
        a = own * reach
        before_down = np.concatenate([[1.0], np.cumprod(1 - a)[:-1]])
        shares[:-1] += p * before_down * a
        shares[-1] += p * np.prod(1 - a)
    return pd.Series(shares, index=[*members["offering_id"], "none"], name="share")


def chain_availability(members: pd.DataFrame, components: Mapping[str, float] | None = None) -> float:
    """Availability of a fallback chain with shared components, exactly.

    Each member is up when its own part (``availability_own``) and every shared component it
    depends on (``components``: e.g. its provider) are up. Own parts fail independently; a shared
    component's outage takes down every member that depends on it at once (common-mode failure).
    The chain serves a request when at least one member is up:
    ``A = sum over component states s of P(s) x (1 - prod_i (1 - own_i x [i's components up in s]))``.
    With no shared component this is ``1 - prod(1 - a_i)``. Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    return float(1 - served_shares(members, components)["none"])


@dataclass(frozen=True)
class OutageSimulation:
    """A seeded outage simulation of a chain: ``availability`` (share of simulated minutes with at
    least one member up), its ``std_error``, the exact ``formula`` value, ``minutes`` simulated and
    ``mean_outage_min`` (None: each minute independent). Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""

    availability: float
    std_error: float
    formula: float
    minutes: int
    mean_outage_min: float | None
    served: pd.Series

    @property
    def z(self) -> float:
        """(simulated - formula) / standard error."""
        return (self.availability - self.formula) / self.std_error if self.std_error > 0 else float("nan")


def _component_up(a: float, minutes: int, rng: np.random.Generator, mean_outage_min: float | None) -> np.ndarray:
    """Up (True) / down per minute for one component of availability ``a``."""
    if mean_outage_min is None or a >= 1:
        return rng.random(minutes) < a
    # alternating up and down spells with geometric lengths: mean down = mean_outage_min,
    # mean up = mean_outage_min x a / (1 - a), so the long-run share of up minutes is a
    mean_down = max(1.0, float(mean_outage_min))
    mean_up = mean_down * a / (1 - a)
    out = np.empty(minutes, dtype=bool)
    t = 0
    up = rng.random() < a  # start in the stationary distribution
    while t < minutes:
        length = int(rng.geometric(1 / (mean_up if up else mean_down)))
        out[t:t + length] = up
        t += length
        up = not up
    return out


def simulate_outages(members: pd.DataFrame, components: Mapping[str, float] | None = None, minutes: int = 200_000,
                     seed: int = 0, mean_outage_min: float | None = None, batches: int = 50) -> OutageSimulation:
    """Simulate ``minutes`` of the chain with outages drawn for every component (each member's own
    part and every shared component), seeded, and compare with :func:`chain_availability`.

    ``mean_outage_min`` None: every minute is drawn independently, and the standard error is the
    binomial ``sqrt(A (1 - A) / minutes)``. Otherwise outages last ``mean_outage_min`` on average
    (alternating geometric up and down spells with the same long-run availability); minutes are then
    correlated, and the standard error comes from ``batches`` batch means. Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    comps = dict(components or {})
    rng = np.random.default_rng(seed)
    comp_up = {c: _component_up(comps[c], minutes, rng, mean_outage_min) for c in sorted(comps)}
    served = np.full(minutes, len(members))  # index of the member that serves; len = none
    for i in reversed(range(len(members))):
        row = members.iloc[i]
        up = _component_up(float(row["availability_own"]), minutes, rng, mean_outage_min)
        for c in row["components"]:
            up &= comp_up[c]
        served = np.where(up, i, served)
    ok = served < len(members)
    a = float(ok.mean())
    if mean_outage_min is None:
        se = float(np.sqrt(max(a * (1 - a), 1e-300) / minutes))
    else:
        means = np.array([b.mean() for b in np.array_split(ok, batches)])
        se = float(means.std(ddof=1) / np.sqrt(batches))
    counts = np.bincount(served, minlength=len(members) + 1) / minutes
    return OutageSimulation(a, se, chain_availability(members, comps), minutes, mean_outage_min,
                            pd.Series(counts, index=[*members["offering_id"], "none"], name="share"))


def fallback_expectations(members: pd.DataFrame, components: Mapping[str, float], usd_per_request: Mapping[str, float],
                          latency_s: Mapping[str, float], availability: Availability | None = None) -> pd.DataFrame:
    """What the chain costs and how long it takes when each member serves.

    Per member (in chain order): ``share`` of requests it serves (:func:`served_shares`),
    ``usd_per_request`` and ``latency_s`` (its typical latency) as given, ``detect_s``: time lost on
    the members before it (each failed member costs ``hang_share x timeout_s + (1 - hang_share) x
    fast_fail_s`` seconds, assumptions of ``availability``), ``extra_latency_s`` (detection plus the
    latency difference to the primary) and ``extra_usd`` (its price minus the primary's: a 429,
    5xx or timed-out call is assumed not billed). A circuit breaker that is open skips the detection
    time for a member it has given up on. Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    av = availability or Availability()
    per_fail = av.hang_share * av.timeout_s + (1 - av.hang_share) * av.fast_fail_s
    share = served_shares(members, components)
    ids = list(members["offering_id"])
    first = ids[0]
    rows = []
    for k, oid in enumerate(ids):
        detect = k * per_fail
        rows.append({"offering_id": oid, "position": k + 1, "share": float(share[oid]),
                     "usd_per_request": float(usd_per_request[oid]), "latency_s": float(latency_s[oid]),
                     "detect_s": detect, "extra_latency_s": detect + float(latency_s[oid]) - float(latency_s[first]),
                     "extra_usd": float(usd_per_request[oid]) - float(usd_per_request[first])})
    return pd.DataFrame(rows)


def chain_summary(members: pd.DataFrame, components: Mapping[str, float]) -> dict:
    """The chain's availability exactly, under the (wrong when a provider is shared) independence
    assumption, the primary alone, and the minutes of downtime per month of each (30-day month).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    exact = chain_availability(members, components)
    indep = independent_chain_availability(members["availability_total"])
    primary = float(members["availability_total"].iloc[0])
    minutes = 30 * 24 * 60
    return {"primary_only": primary, "chain_if_independent": indep, "chain": exact,
            "downtime_min_per_month_primary": (1 - primary) * minutes,
            "downtime_min_per_month_if_independent": (1 - indep) * minutes,
            "downtime_min_per_month_chain": (1 - exact) * minutes}


def chains_table(config: RouterConfig, catalog) -> pd.DataFrame:
    """Every model route's fallback chain with its availability: the primary alone, the chain if
    members failed independently (``1 - prod(1 - a_i)``), and exactly, with members on the same
    provider sharing that provider's outages (:func:`chain_availability`); ``shared_provider`` says
    when the trap applies; downtime in minutes per 30-day month. Availabilities are the config's
    assumptions (``availability.source``). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    rows = []
    for name, route in config.routes.items():
        if route.human:
            continue
        members, comps = chain_members(route.chain, catalog, config.availability)
        summary = chain_summary(members, comps)
        providers = list(members["provider"])
        rows.append({"route": name, "chain": " > ".join(route.chain), "providers": " > ".join(providers),
                     "shared_provider": len(set(providers)) < len(providers),
                     "availability_primary": summary["primary_only"],
                     "availability_if_independent": summary["chain_if_independent"],
                     "availability": summary["chain"],
                     "downtime_min_per_month": summary["downtime_min_per_month_chain"],
                     "fallback_share": 1 - float(served_shares(members, comps).iloc[0])
                     - float(served_shares(members, comps)["none"])})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# what-if: a traffic mix and outage rates -> cost and availability (the notebook's widget)
# --------------------------------------------------------------------------------------------

def traffic_mix_shares(mix: Mapping[str, float], config: RouterConfig) -> pd.DataFrame:
    """A traffic mix (route -> share of requests, the same on every mapped step; any non-negative
    numbers, divided by their sum) as the ``shares`` table :func:`system_costs` takes. An unknown
    route, a negative share or an all-zero mix is a :class:`WorkbenchError`.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    problems = []
    for r, v in mix.items():
        if r not in config.routes:
            problems.append(Problem("traffic mix", f"route '{r}'", "no such route", did_you_mean(r, config.routes)))
        elif not np.isfinite(v) or v < 0:
            problems.append(Problem("traffic mix", f"route '{r}'", "a share must be a number of 0 or more",
                                    "set it between 0 and 1", value=v))
    total = sum(v for v in mix.values() if np.isfinite(v) and v > 0)
    if not problems and total <= 0:
        problems.append(Problem("traffic mix", "all routes", "every share is zero", "give at least one route a share"))
    if problems:
        raise WorkbenchError(problems)
    steps = list(dict.fromkeys(config.steps.values()))
    rows = [{"step": s, "route": r, "cases": np.nan, "share": v / total} for s in steps for r, v in mix.items() if v > 0]
    return pd.DataFrame(rows, columns=["step", "route", "cases", "share"])


def routing_whatif(config: RouterConfig, scenario, catalog, mix: Mapping[str, float],
                   provider_availability: Mapping[str, float] | None = None, selfhost=None) -> dict:
    """Monthly cost and availability of the routed system for a traffic mix and provider outage rates.

    ``mix``: route -> share of requests (:func:`traffic_mix_shares`); ``provider_availability``:
    provider -> availability (0..1) overriding the config's assumptions. Returns ``usd_per_month_models``,
    ``usd_per_month_human``, ``usd_per_month`` (:func:`system_costs`), ``usd_per_month_fallback_extra``
    (requests a fallback serves x its price difference to the primary, from :func:`served_shares`),
    ``availability`` (traffic-weighted chain availability; the human queue counted as always
    available), ``downtime_min_per_month`` (30-day month) and ``routes`` (per route: share, chain,
    availability exactly and if independent, share served by a fallback). Pure: no I/O.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    from dataclasses import replace as _replace

    from .cost import step_costs

    shares = traffic_mix_shares(mix, config)
    costs = system_costs(shares, config, scenario, catalog, selfhost)
    av = _replace(config.availability, providers={**config.availability.providers, **dict(provider_availability or {})})
    steps = {s.name: s for s in scenario.workflow}
    chain_ids = sorted({o for r in config.routes.values() for o in r.chain})
    priced = step_costs(catalog.offerings[catalog.offerings["offering_id"].isin(chain_ids)],
                        [steps[s] for s in dict.fromkeys(config.steps.values())], catalog.gpus,
                        selfhost=selfhost).set_index(["offering_id", "step"])["usd_per_request"]
    route_share = shares.groupby("route", sort=False)["share"].first()
    rows, extra, availability = [], 0.0, 0.0
    for name, share in route_share.items():
        route = config.route(name)
        if route.human:
            availability += share
            rows.append({"route": name, "share": share, "chain": "(people)", "availability": 1.0,
                         "availability_if_independent": 1.0, "fallback_share": 0.0})
            continue
        members, comps = chain_members(route.chain, catalog, av)
        served = served_shares(members, comps)
        a = 1 - float(served["none"])
        availability += share * a
        for step_name in dict.fromkeys(config.steps.values()):
            vol = steps[step_name].requests_per_month * share
            base = float(priced.loc[(route.offering_id, step_name)])
            for oid in route.chain[1:]:
                extra += vol * float(served[oid]) * (float(priced.loc[(oid, step_name)]) - base)
        rows.append({"route": name, "share": share, "chain": " > ".join(route.chain), "availability": a,
                     "availability_if_independent": independent_chain_availability(members["availability_total"]),
                     "fallback_share": float(served.iloc[1:-1].sum())})
    human = costs["offering_id"].isna()
    models = float(costs.loc[~human, "usd_per_month"].sum())
    people = float(costs.loc[human, "usd_per_month"].sum())
    return {"usd_per_month_models": models, "usd_per_month_human": people, "usd_per_month": models + people,
            "usd_per_month_fallback_extra": extra, "availability": availability,
            "downtime_min_per_month": (1 - availability) * 30 * 24 * 60, "routes": pd.DataFrame(rows)}


def trap_curve(provider_availability, offering_availability: float = 0.998) -> pd.DataFrame:
    """Downtime of a two-member chain against the providers' availability, for the notebook's
    correlated-failure figure: ``primary_only``, ``different_providers`` (independent) and
    ``same_provider`` (one shared provider component), as availabilities and as minutes per 30-day
    month. Each member's own availability is ``offering_availability``.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    o = float(offering_availability)

    def members(*providers):
        return pd.DataFrame({"offering_id": [f"m{i}" for i in range(len(providers))], "availability_own": o,
                             "components": [(f"provider:{x}",) for x in providers]})

    rows = []
    for p in np.asarray(provider_availability, dtype=float).ravel():
        comps = {"provider:a": p, "provider:b": p}
        rows.append({"provider_availability": p, "primary_only": chain_availability(members("a"), comps),
                     "different_providers": chain_availability(members("a", "b"), comps),
                     "same_provider": chain_availability(members("a", "a"), comps)})
    out = pd.DataFrame(rows)
    for c in ("primary_only", "different_providers", "same_provider"):
        out[f"downtime_min_{c}"] = (1 - out[c]) * 30 * 24 * 60
    return out


# --------------------------------------------------------------------------------------------
# tables for people
# --------------------------------------------------------------------------------------------

def routes_table(config: RouterConfig) -> pd.DataFrame:
    """The configured routes: offering (or a person), redaction, fallbacks and evidence file.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    return pd.DataFrame([{"route": r.name, "served_by": "a person" if r.human else r.offering_id,
                          "redact_pii": r.redact_pii, "fallbacks": " > ".join(r.fallbacks),
                          "results": Path(r.results).name if r.results else ""} for r in config.routes.values()])


def rules_table(config: RouterConfig) -> pd.DataFrame:
    """The ordered rules, each with its conditions written out, then the default.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    rows = [{"order": i, "rule": r.name, "route": r.route,
             "when (all must hold)": "; ".join(f"{k}: {_yaml_value(v)}" for k, v in r.when.items())}
            for i, r in enumerate(config.rules, start=1)]
    rows.append({"order": len(rows) + 1, "rule": "default", "route": config.default, "when (all must hold)": "no rule matched"})
    return pd.DataFrame(rows)


def _yaml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return str(v)


def route_messages(requests: Iterable, config: RouterConfig) -> pd.DataFrame:
    """Route messages (texts or :class:`Request`) and show each decision: route, rule, why.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    rows = []
    for r in requests:
        req = r if isinstance(r, Request) else Request(text=str(r))
        d = route_request(req, config)
        rows.append({"message": req.text if len(req.text) <= 60 else req.text[:57] + "...", "task": req.task,
                     "route": d.route, "rule": d.rule, "why": d.why})
    return pd.DataFrame(rows)


def chain_expectations(config: RouterConfig, route: str, scenario, catalog, step: str,
                       chain: Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`fallback_expectations` for a route's chain (or another ``chain`` of offering ids) on a
    scenario step: prices from the cost engine (:func:`workbench.cost.step_costs`, USD per request)
    and typical latencies from the latency engine (:func:`workbench.latency.latency_table`, seconds,
    NaN where the catalog has no speed). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    from .cost import step_costs
    from .latency import latency_table

    ids = list(chain) if chain is not None else list(config.route(route).chain)
    members, comps = chain_members(ids, catalog, config.availability)
    offers = catalog.offerings.set_index("offering_id").loc[ids].reset_index()
    st = scenario.step(step)
    usd = step_costs(offers, st, catalog.gpus).set_index("offering_id")["usd_per_request"]
    lat = latency_table(offers, st).set_index("offering_id")["typical_latency_s"]
    out = fallback_expectations(members, comps, usd.to_dict(), lat.to_dict(), config.availability)
    return out.assign(provider=list(members["provider"]))
