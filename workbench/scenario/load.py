"""Scenarios: what the product needs, as a YAML file the workbench can check.

A scenario holds the chapter's first-pass checklist (ten questions answered in prose), the hard
constraints that apply to every step (privacy, licence, operations), the scoring weights, and the
workflow broken into steps. Each step has a role, a monthly volume, a token mix, latency targets, an
output contract, step-level hard constraints, and the reliability assumptions the cost model uses.

``load_scenario(path)`` reads it with ``yaml.safe_load`` and reports every problem at once with its
key path (``workflow[2].latency.p95_s``) and the closest valid key. Introduced in
``notebooks/01_requirements_and_roles.ipynb``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.scenario.blocks import RECORD_SPEC
from workbench.spec import F, _check_mapping, _Loader, parse_yaml, read_yaml
from workbench.util import data_dir
from workbench.vocab import ACCESS_MODES

ROLES = ("generator", "embedder", "reranker", "classifier/router", "reasoning", "code", "vision", "audio", "fallback")
# the model_type a role needs (others are chat models)
ROLE_MODEL_TYPE = {"embedder": "embedding", "reranker": "reranker"}
# the input modality a role needs beyond text
ROLE_MODALITY = {"vision": "image", "audio": "audio"}
OUTPUT_FORMATS = ("text", "json", "label", "vector", "ranking")
CHECKLIST_KEYS = ("task_fit", "quality_bar", "latency_target", "cost_target", "context_needs", "output_contract",
                  "privacy_and_compliance", "licensing", "operational_burden", "migration_path")
WEIGHT_KEYS = ("quality", "cost", "latency")


# --------------------------------------------------------------------------------------------
# the dataclasses
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TokenMix:
    """Tokens of one request. ``cached_share`` of input is read from the prompt cache;
    ``batch_share`` of requests go through a batch API; ``tool_turns`` extra turns each re-send
    the input context."""

    input: int
    output: int
    reasoning: int = 0
    cached_share: float = 0.0
    batch_share: float = 0.0
    tool_turns: int = 0
    cache_write_share: float = 0.0


@dataclass(frozen=True)
class LatencyTarget:
    """Targets in seconds (None = no target) and the fixed parts of a task's latency (assumptions)."""

    ttft_s: float | None = None
    total_s: float | None = None
    p95_s: float | None = None
    network_s: float = 0.0
    retrieval_s: float = 0.0
    tool_call_s: float = 0.0


@dataclass(frozen=True)
class Reliability:
    """Assumptions until the golden-set evaluation replaces them (all labelled as assumptions)."""

    success_rate: float = 0.9
    max_attempts: int = 2
    escalation_rate: float = 0.0
    usd_per_escalation: float = 0.0


@dataclass(frozen=True)
class StepConstraints:
    """Hard constraints of one step; None means 'no requirement'."""

    structured_outputs: bool | None = None
    tool_calling: bool | None = None
    prompt_caching: bool | None = None
    batch_api: bool | None = None
    min_context_tokens: int | None = None
    min_output_tokens: int | None = None
    modalities: tuple[str, ...] = ("text",)
    access_modes: tuple[str, ...] = ACCESS_MODES


@dataclass(frozen=True)
class OutputContract:
    format: str = "text"
    labels: tuple[str, ...] = ()
    schema: dict | None = None
    max_words: int | None = None


@dataclass(frozen=True)
class Step:
    name: str
    role: str
    requests_per_month: int
    tokens: TokenMix
    latency: LatencyTarget
    output_contract: OutputContract
    constraints: StepConstraints
    reliability: Reliability
    description: str = ""
    peak_to_average: float = 3.0
    weights: dict[str, float] | None = None
    quality_benchmark: str | None = None
    # the reasoning settings the step accepts (offerings.csv reasoning_effort); empty = the cheapest
    # and fastest setting of each offering that has facts
    reasoning_effort: tuple[str, ...] = ()

    @property
    def model_type(self) -> str:
        return ROLE_MODEL_TYPE.get(self.role, "chat")


@dataclass(frozen=True)
class Constraints:
    """Scenario-wide hard constraints (privacy, licence, operations), applied to every step."""

    gpu_operations: bool = False
    no_training_on_prompts: bool = False
    zero_data_retention: bool = False
    regions: tuple[str, ...] = ()
    commercial_use: bool = True
    fine_tuning: bool = False
    exclude_providers: tuple[str, ...] = ()
    exclude_models: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    as_of: dt.date
    horizon_months: int
    checklist: dict[str, str]
    budget_usd_per_month: float | None
    constraints: Constraints
    weights: dict[str, float]
    quality_benchmark: str
    workflow: tuple[Step, ...]
    description: str = ""
    pii: dict[str, Any] = field(default_factory=dict)
    routing: dict[str, Any] | None = None
    record: dict[str, Any] | None = None
    path: str = "<memory>"

    def step(self, name: str | None = None) -> Step:
        """The named step (default: the first); an unknown name is an error with a suggestion."""
        if name is None:
            return self.workflow[0]
        for s in self.workflow:
            if s.name == name:
                return s
        raise fail(self.path, f"step '{name}'", "no such step in the workflow",
                   did_you_mean(name, [s.name for s in self.workflow]))

    def weights_for(self, step: Step) -> dict[str, float]:
        return dict(step.weights or self.weights)

    @property
    def horizon_date(self) -> dt.date:
        """as_of plus the horizon: a model deprecated before this date is excluded."""
        month = self.as_of.month - 1 + self.horizon_months
        year = self.as_of.year + month // 12
        month = month % 12 + 1
        day = min(self.as_of.day, 28)
        return dt.date(year, month, day)


TOKENS_SPEC = {
    "input": F("int", True, 0, 10_000_000, doc="input tokens per request"),
    "output": F("int", True, 0, 1_000_000, doc="output tokens per request"),
    "reasoning": F("int", False, 0, 1_000_000, doc="reasoning tokens per request"),
    "cached_share": F("float", False, 0, 1, doc="share of input tokens read from the prompt cache, 0..1"),
    "batch_share": F("float", False, 0, 1, doc="share of requests sent through a batch API, 0..1"),
    "tool_turns": F("int", False, 0, 100, doc="extra tool-loop turns that re-send the context"),
    "cache_write_share": F("float", False, 0, 1, doc="share of input tokens written to the prompt cache, 0..1"),
}
LATENCY_SPEC = {
    "ttft_s": F("float", False, 0, 3600), "total_s": F("float", False, 0, 36000), "p95_s": F("float", False, 0, 36000),
    "network_s": F("float", False, 0, 60, doc="assumed network round trip"),
    "retrieval_s": F("float", False, 0, 600, doc="assumed retrieval time"),
    "tool_call_s": F("float", False, 0, 600, doc="assumed time per tool call"),
}
RELIABILITY_SPEC = {
    "success_rate": F("float", False, 0.01, 1, doc="assumed share of attempts that succeed"),
    "max_attempts": F("int", False, 1, 10, doc="attempts per request including the first"),
    "escalation_rate": F("float", False, 0, 1, doc="share of requests handed to a human"),
    "usd_per_escalation": F("float", False, 0, 10_000, doc="cost of one human escalation, USD"),
}
STEP_CONSTRAINTS_SPEC = {
    "structured_outputs": F("bool"), "tool_calling": F("bool"), "prompt_caching": F("bool"), "batch_api": F("bool"),
    "min_context_tokens": F("int", False, 1, 100_000_000), "min_output_tokens": F("int", False, 1, 100_000_000),
    "modalities": F("list[str]", choices=("text", "image", "audio", "video", "pdf")),
    "access_modes": F("list[str]", choices=ACCESS_MODES),
}
CONTRACT_SPEC = {
    "format": F("str", True, choices=OUTPUT_FORMATS),
    "labels": F("list[str]"), "schema": F("dict"), "max_words": F("int", False, 1, 100_000),
}
WEIGHTS_SPEC = {k: F("float", False, 0, 1000) for k in WEIGHT_KEYS}
STEP_SPEC = {
    "name": F("str", True), "role": F("str", True, choices=ROLES), "description": F("str"),
    "requests_per_month": F("int", True, 0, 10**12, doc="requests a month for this step"), "peak_to_average": F("float", False, 1, 1000),
    "tokens": F("dict", True, sub=TOKENS_SPEC), "latency": F("dict", False, sub=LATENCY_SPEC),
    "output_contract": F("dict", False, sub=CONTRACT_SPEC), "constraints": F("dict", False, sub=STEP_CONSTRAINTS_SPEC),
    "reliability": F("dict", False, sub=RELIABILITY_SPEC), "weights": F("dict", False, sub=WEIGHTS_SPEC),
    "quality_benchmark": F("str"),
    "reasoning_effort": F("list[str]", doc="reasoning settings the step accepts, e.g. [none, low]; default: each "
                          "offering's cheapest and fastest setting with facts"),
}
CONSTRAINTS_SPEC = {
    "gpu_operations": F("bool", doc="the team can run GPUs; false excludes self-hosting"),
    "no_training_on_prompts": F("bool"), "zero_data_retention": F("bool"),
    "regions": F("list[str]"), "commercial_use": F("bool"), "fine_tuning": F("bool"),
    "exclude_providers": F("list[str]"), "exclude_models": F("list[str]"),
}
SCENARIO_SPEC = {
    "name": F("str", True), "title": F("str", True), "description": F("str"),
    "as_of": F("date", True, doc="the date the analysis is made for, YYYY-MM-DD"),
    "horizon_months": F("int", False, 0, 120, doc="how long the choice must hold"),
    "checklist": F("dict", True, sub={k: F("str", True) for k in CHECKLIST_KEYS}),
    "budget_usd_per_month": F("float", False, 0, 10**9),
    "constraints": F("dict", False, sub=CONSTRAINTS_SPEC),
    "weights": F("dict", False, sub=WEIGHTS_SPEC),
    "quality_benchmark": F("str", False, doc="the scores.csv benchmark used as quality, e.g. lmarena_text_full"),
    "workflow": F("list[dict]", True, sub=STEP_SPEC),
    "pii": F("map"), "routing": F("map"), "record": F("dict", sub=RECORD_SPEC),
}


# --------------------------------------------------------------------------------------------
# building the dataclasses
# --------------------------------------------------------------------------------------------

def _weights(d: dict | None, path: str, file: str, problems: list[Problem]) -> dict[str, float] | None:
    if d is None:
        return None
    w = {k: float(d.get(k, 0.0) or 0.0) for k in WEIGHT_KEYS}
    if sum(w.values()) <= 0:
        problems.append(Problem(file, path, "weights are all zero", "give at least one of quality, cost, latency a positive weight"))
    return w


def _build_step(d: dict, i: int, file: str, problems: list[Problem]) -> Step | None:
    path = f"workflow[{i}]"
    if not d or any(k not in d or d[k] is None for k in ("name", "role", "requests_per_month", "tokens")):
        return None
    tok = d["tokens"] or {}
    if any(k not in tok or tok[k] is None for k in ("input", "output")):
        return None
    if (tok.get("cached_share") or 0) + (tok.get("cache_write_share") or 0) > 1:
        problems.append(Problem(file, f"{path}.tokens.cache_write_share", "cached_share plus cache_write_share exceeds 1",
                                "the two shares split the same input tokens; make their sum at most 1"))
    if tok.get("cached_share", 0) and tok.get("input", 0) == 0:
        problems.append(Problem(file, f"{path}.tokens.cached_share", "a cached share needs input tokens",
                                "set tokens.input, or set cached_share to 0"))
    lat = d.get("latency") or {}
    if lat.get("ttft_s") is not None and lat.get("total_s") is not None and lat["ttft_s"] > lat["total_s"]:
        problems.append(Problem(file, f"{path}.latency.ttft_s", "the time to first token target exceeds the total target",
                                "make ttft_s at most total_s"))
    if lat.get("p95_s") is not None and lat.get("total_s") is not None and lat["p95_s"] < lat["total_s"]:
        problems.append(Problem(file, f"{path}.latency.p95_s", "the p95 target is below the typical (total_s) target",
                                "a p95 target is at least the typical one; raise p95_s or lower total_s"))
    if (tok.get("input") or 0) + (tok.get("output") or 0) + (tok.get("reasoning") or 0) == 0:
        problems.append(Problem(file, f"{path}.tokens", "a step with 0 input and 0 output tokens costs nothing",
                                "give the tokens one request sends (input) and gets back (output)"))
    con = d.get("constraints") or {}
    need_ctx = (tok.get("input") or 0) + (tok.get("output") or 0) + (tok.get("reasoning") or 0)
    if con.get("min_context_tokens") is not None and con["min_context_tokens"] < need_ctx:
        problems.append(Problem(file, f"{path}.constraints.min_context_tokens",
                                f"is below one request's own tokens (input + output + reasoning = {need_ctx:,})",
                                f"raise min_context_tokens to at least {need_ctx}, or check tokens.input",
                                value=con["min_context_tokens"]))
    oc = d.get("output_contract") or {}
    if oc.get("format") == "label" and not oc.get("labels"):
        problems.append(Problem(file, f"{path}.output_contract.labels", "a label output needs its labels",
                                "list the allowed labels, e.g. labels: [billing, bug, how_to]"))
    mods = tuple(con.get("modalities") or ("text",))
    need = ROLE_MODALITY.get(d["role"])
    if need and need not in mods:
        mods = mods + (need,)
    step = Step(
        name=d["name"], role=d["role"], description=d.get("description", ""),
        requests_per_month=int(d["requests_per_month"]), peak_to_average=float(d.get("peak_to_average") or 3.0),
        tokens=TokenMix(**{k: v for k, v in tok.items() if v is not None}),
        latency=LatencyTarget(**{k: v for k, v in lat.items() if v is not None}),
        output_contract=OutputContract(format=oc.get("format", "text"), labels=tuple(oc.get("labels") or ()),
                                       schema=oc.get("schema"), max_words=oc.get("max_words")),
        constraints=StepConstraints(**{**{k: v for k, v in con.items() if k not in ("modalities", "access_modes")},
                                       "modalities": mods,
                                       "access_modes": tuple(con.get("access_modes") or ACCESS_MODES)}),
        reliability=Reliability(**(d.get("reliability") or {})),
        weights=_weights(d.get("weights"), f"{path}.weights", file, problems),
        quality_benchmark=d.get("quality_benchmark"),
        reasoning_effort=tuple(str(e).lower() for e in (d.get("reasoning_effort") or ())),
    )
    return step


def scenario_from_dict(data: Any, file: str = "<memory>") -> Scenario:
    """Validate a parsed YAML document and build a :class:`Scenario` (all problems at once)."""
    if not isinstance(data, dict):
        raise fail(file, "top level", "the file must hold a mapping (key: value lines)",
                   "start from data/scenarios/support_assistant.yaml")
    problems: list[Problem] = []
    d = _check_mapping(data, SCENARIO_SPEC, "", file, problems)
    steps = []
    names = set()
    for i, sd in enumerate(d.get("workflow") or []):
        if isinstance(sd, dict) and sd.get("name") is not None and sd.get("name") in names:
            problems.append(Problem(file, f"workflow[{i}].name", "two steps have the same name", "give each step its own name",
                                    value=sd.get("name")))
        if isinstance(sd, dict):
            names.add(sd.get("name"))
        s = _build_step(sd or {}, i, file, problems)
        if s is not None:
            steps.append(s)
    if "workflow" in d and not d.get("workflow"):
        problems.append(Problem(file, "workflow", "the workflow has no steps", "add at least one step"))
    weights = _weights(d.get("weights") or {"quality": 0.5, "cost": 0.3, "latency": 0.2}, "weights", file, problems)
    if problems:
        raise WorkbenchError(problems)
    return Scenario(
        name=d["name"], title=d["title"], description=d.get("description", ""), as_of=d["as_of"],
        horizon_months=int(d.get("horizon_months", 12)), checklist=d["checklist"],
        budget_usd_per_month=d.get("budget_usd_per_month"),
        constraints=Constraints(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in (d.get("constraints") or {}).items()}),
        weights=weights, quality_benchmark=d.get("quality_benchmark", "lmarena_text_full"),
        workflow=tuple(steps), pii=d.get("pii") or {}, routing=d.get("routing"), record=d.get("record"), path=file,
    )


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file. Introduced in ``01_requirements_and_roles.ipynb``."""
    data = read_yaml(path, "scenario file")
    return scenario_from_dict(data, str(path))


def scenario_from_text(text: str, display: str = "<text>") -> Scenario:
    """Validate a scenario written as YAML text (a notebook cell, a form) exactly as :func:`load_scenario`
    validates a file; ``display`` names it in messages. Introduced in ``01_requirements_and_roles.ipynb``."""
    return scenario_from_dict(parse_yaml(text, display), display)


def list_scenarios() -> list[Path]:
    """The scenario files shipped in data/scenarios/."""
    return sorted((data_dir() / "scenarios").glob("*.yaml"))
