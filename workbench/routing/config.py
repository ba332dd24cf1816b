"""The router as data: routes, rules, availability and breaker settings read from the scenario's
``routing:`` block (or a routing YAML file) and checked against the catalog. Taught in
``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.routing.pii import PiiConfig, pii_config
from workbench.scenario.blocks import ROUTE_SPEC, ROUTING_SPEC
from workbench.spec import F, _check_mapping, read_yaml
from workbench.vocab import TASKS

GOLDEN_ROUTES = ("cheap", "strong", "private", "human")


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
    """An ordered rule: when every condition in ``when`` holds, the request takes ``route``."""

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
    failures that hang until the timeout (the rest fail fast, in ``fast_fail_s``)."""

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
    (half-open) after ``cooldown_s`` seconds."""

    failure_threshold: int = 3
    cooldown_s: float = 30.0


@dataclass(frozen=True)
class RouterConfig:
    """A validated ``routing:`` block: routes, ordered rules, the default route, the task -> scenario
    step map used for cost, availability assumptions, circuit-breaker settings, the PII settings."""

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
    """The routing block's field specs (defined with the scenario: :mod:`workbench.scenario.blocks`)."""
    return ROUTING_SPEC, ROUTE_SPEC, F


def routing_config(scenario, catalog=None, data: dict | None = None, file: str | None = None,
                   public_contacts: Iterable[str] = ()) -> RouterConfig:
    """Validate a ``routing:`` block (the scenario's, or ``data`` read from ``file``) and build a
    :class:`RouterConfig`. Every problem is reported at once with its key path
    (``routing.rules[2].when.langauge``) and a did-you-mean hint: unknown keys, a rule naming an
    unknown route, an offering id not in ``catalog``, an intent label not in the scenario's
    classifier labels, a task not mapped to a step, an invalid regular expression. The ``pii:``
    block is read by :func:`workbench.routing.pii.pii_config`. Introduced in ``05_routing_and_fallbacks.ipynb``.
    """
    file = str(file or getattr(scenario, "path", "<memory>"))
    raw = data if data is not None else getattr(scenario, "routing", None)
    if raw is None:
        raise fail(file, "routing", "the scenario has no routing: block",
                   "add one (see data/scenarios/support_assistant.yaml), or pass --routing FILE")
    if isinstance(raw, dict) and set(raw) == {"routing"}:
        raw = raw["routing"]
    if not isinstance(raw, dict):
        raise fail(file, "routing", "must be a mapping (key: value lines)", "indent routes:, rules: and default: below it")
    top, route_spec, _ = _spec()
    problems: list[Problem] = []
    d = _check_mapping(raw, top, "routing", file, problems)
    offering_ids = set(catalog.offerings["offering_id"]) if catalog is not None else None
    providers = set(catalog.offerings["provider"]) if catalog is not None else None
    routes = _routes(d, route_spec, offering_ids, file, problems)
    rules = _rules(d, routes, _classifier_labels(scenario), file, problems)
    default = d.get("default")
    if default is not None and routes and default not in routes:
        problems.append(Problem(file, "routing.default", "no such route", did_you_mean(default, routes), value=default))
    steps = _task_steps(d, scenario, file, problems)
    av = d.get("availability") or {}
    av_maps = _availability_maps(av, providers, offering_ids, file, problems)
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


def _routes(d: dict, route_spec: dict, offering_ids: set | None, file: str, problems: list[Problem]) -> dict[str, Route]:
    """The ``routes:`` of a checked routing block: one offering or a person each, fallbacks distinct and
    (with a catalog) existing offerings."""
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
            if oid and offering_ids is not None and oid not in offering_ids:
                problems.append(Problem(file, f"{path}.{key}", "no such offering in the catalog",
                                        did_you_mean(oid, offering_ids), value=oid))
        chain = [x for x in [r.get("offering"), *(r.get("fallbacks") or [])] if x]
        if len(set(chain)) < len(chain):
            problems.append(Problem(file, f"{path}.fallbacks", "an offering appears twice in the chain",
                                    "list each offering once: a fallback must be a different offering"))
        routes[str(name)] = Route(str(name), r.get("offering"), human, bool(r.get("redact_pii", False)),
                                  tuple(r.get("fallbacks") or ()), r.get("results"), r.get("description", ""))
    if "routes" in d and not routes:
        problems.append(Problem(file, "routing.routes", "no routes", "name at least one route with its offering"))
    return routes


def _rules(d: dict, routes: dict, labels: tuple[str, ...], file: str, problems: list[Problem]) -> list[Rule]:
    """The ``rules:`` of a checked routing block: known routes, unique names, conditions that can fire."""
    rules, names = [], set()
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
    return rules


def _task_steps(d: dict, scenario, file: str, problems: list[Problem]) -> dict[str, str]:
    """Golden task -> scenario step (``routing.steps``, else the record's ``golden_tasks``: one place)."""
    steps = {}
    step_names = [s.name for s in getattr(scenario, "workflow", ())]
    from_record = {t: s for s, t in ((getattr(scenario, "record", None) or {}).get("golden_tasks") or {}).items()}
    for task, step in (d.get("steps") or from_record).items():
        if task not in TASKS:
            problems.append(Problem(file, f"routing.steps.{task}", "unknown task", did_you_mean(str(task), TASKS)))
        elif not isinstance(step, str) or (step_names and step not in step_names):
            problems.append(Problem(file, f"routing.steps.{task}", "no such step in the scenario's workflow",
                                    did_you_mean(str(step), step_names), value=step))
        else:
            steps[task] = step
    return steps


def _availability_maps(av: dict, providers: set | None, offering_ids: set | None, file: str,
                       problems: list[Problem]) -> dict[str, dict[str, float]]:
    """``availability.providers`` and ``.offerings``: 0.5..1 each, and (with a catalog) names that exist."""
    out = {}
    for key, known, what in (("providers", providers, "provider"), ("offerings", offering_ids, "offering")):
        m = av.get(key) or {}
        checked = _check_mapping(m, {k: F("float", False, 0.5, 1, doc=f"availability of the {what}, 0.5..1") for k in m},
                                 f"routing.availability.{key}", file, problems)
        for k in m:
            if known is not None and k not in known:
                problems.append(Problem(file, f"routing.availability.{key}.{k}", f"no such {what} in the catalog",
                                        did_you_mean(str(k), known)))
        out[key] = {k: v for k, v in checked.items() if v is not None}
    return out


def load_routing(path: str | Path, scenario, catalog=None, public_contacts: Iterable[str] = ()) -> RouterConfig:
    """A routing configuration from its own YAML file (top level: the routing mapping, or a
    ``routing:`` key), validated as :func:`routing_config` validates the scenario's block."""
    return routing_config(scenario, catalog, data=read_yaml(path, "routing file"), file=str(path),
                          public_contacts=public_contacts)


def _classifier_labels(scenario) -> tuple[str, ...]:
    for s in getattr(scenario, "workflow", ()):
        if s.role == "classifier/router" and s.output_contract.labels:
            return tuple(s.output_contract.labels)
    return ()


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


