"""Routing and fallbacks: a rule router you can read, its evaluation, and what a fallback chain buys.

**The router.** A scenario's ``routing:`` block names *routes* (the golden set's route names:
``cheap``, ``strong``, ``private``, ``human``), each served by a catalog offering (or by a person),
and an ordered list of *rules*. Each rule has conditions (``when:``) on the request (personal data,
an account ID that is not the sender's, code, length, language, injected instructions, difficulty
heuristics, the intent label from the classifier step, the task, keywords, a pattern); the first
rule whose conditions all hold picks the route, else the ``default``. :func:`route_request` returns a
:class:`Decision` that says which rule fired and why (personal data in the reason is masked). A
route may redact personal data before its request goes to a managed API
(:func:`prepare_request`, :mod:`workbench.routing.pii`).

**Evaluation.** :func:`route_cases` routes every golden case; :func:`routing_report` gives routing
accuracy and a confusion matrix, and the routed system next to each single-model system on the same
cases: success rate (from the evaluation runner's per-case results), monthly cost (the cost engine,
:func:`workbench.costs.steps.step_costs`, with the scenario's volumes and token mixes) and p95 latency (the
latency engine, :func:`workbench.costs.latency.simulate_latency_s`, from the catalog's speeds).

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

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from workbench.errors import fail
from workbench.evals.adapters.rules import classify_intent
from workbench.evals.checks import mask
from workbench.routing.config import GOLDEN_ROUTES, RouterConfig
from workbench.routing.pii import Redaction, redact_pii
from workbench.routing.signals import Request, Signals, request_signals


def _mask(value: str) -> str:
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
    person), whether personal data is redacted before sending, and the fallback chain."""

    route: str
    rule: str
    why: str
    offering_id: str | None
    human: bool = False
    redact_pii: bool = False
    chain: tuple[str, ...] = ()


def route_request(request: Request, config: RouterConfig, signals: Signals | None = None) -> Decision:
    """Apply the rules in order; the first whose conditions all hold picks the route, else the
    default. Deterministic: the same request and config give the same decision."""
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
    """The text to send on ``decision``'s route: redacted (:func:`workbench.routing.pii.redact_pii`) when the
    route says ``redact_pii``, else unchanged; the :class:`~workbench.routing.pii.Redaction` restores the
    answer (``redaction.restore(answer)``). A human route sends nothing to a model: an error."""
    if decision.human:
        raise fail(config.file, f"route '{decision.route}'", "a human route sends nothing to a model",
                   "hand the request to the support queue instead")
    if not decision.redact_pii:
        return text, None
    red = redact_pii(text, config.pii.account_id_pattern, config.pii.types, config.pii.public_contacts,
                     config.pii.phone_regions)
    return red.text, red


def request_from_case(case, articles: Mapping | None = None, intent: str | None = None) -> Request:
    """A :class:`Request` from a golden case (its input, task, retrieved articles' texts, customer)."""
    arts = {a: getattr((articles or {}).get(a), "text", "") for a in getattr(case, "articles", ())}
    return Request(text=case.input, task=case.task, articles=arts, customer=dict(getattr(case, "customer", {}) or {}),
                   intent=intent, id=case.id)


def rules_intent(text: str, labels: tuple[str, ...] = ()) -> str:
    """The intent label of the classifier step as the rule baseline computes it (a real,
    deterministic classifier: :func:`workbench.evals.adapters.rules.classify_intent`)."""
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
