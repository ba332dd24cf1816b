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

from .errors import Problem, WorkbenchError, did_you_mean, fail

ROLES = ("generator", "embedder", "reranker", "classifier/router", "reasoning", "code", "vision", "audio", "fallback")
# the model_type a role needs (others are chat models)
ROLE_MODEL_TYPE = {"embedder": "embedding", "reranker": "reranker"}
# the input modality a role needs beyond text
ROLE_MODALITY = {"vision": "image", "audio": "audio"}
ACCESS_MODES = ("managed-api", "hosted-inference", "self-hosted")
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


# --------------------------------------------------------------------------------------------
# a small declarative validator for nested YAML with key paths and did-you-mean hints
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class F:
    """A field: kind is str | int | float | bool | date | list[str] | dict | map | any; ``sub`` is a spec
    for dict kinds (or for each list item when kind is 'list[dict]')."""

    kind: str
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    sub: dict | None = None
    doc: str = ""


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
    "pii": F("map"), "routing": F("map"), "record": F("map"),
}


def _check(value: Any, spec: F, path: str, file: str, problems: list[Problem]) -> Any:
    """Check one value against its field spec; return the converted value (or None on a problem)."""
    def bad(msg: str, fix: str):
        problems.append(Problem(file, path, msg, fix, value=value if not isinstance(value, (dict, list)) else None))
        return None

    k = spec.kind
    if k in ("dict", "map"):
        if not isinstance(value, dict):
            return bad("must be a mapping (key: value lines)", "indent the keys below it")
        if k == "map" or spec.sub is None:
            return value
        return _check_mapping(value, spec.sub, path, file, problems)
    if k.startswith("list"):
        if isinstance(value, str) and k == "list[str]":
            value = [value]
        if not isinstance(value, list):
            return bad("must be a list", "write it as '- item' lines or [a, b]")
        out = []
        for i, item in enumerate(value):
            p = f"{path}[{i}]"
            if k == "list[dict]":
                out.append(_check(item, F("dict", sub=spec.sub), p, file, problems))
            else:
                if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                    problems.append(Problem(file, p, "must be a plain text item", "write a word or a quoted string"))
                    continue
                item = str(item).strip()
                if spec.choices and item not in spec.choices:
                    problems.append(Problem(file, p, "not an allowed value", did_you_mean(item, spec.choices), value=item))
                    continue
                out.append(item)
        return out
    if k == "bool":
        if not isinstance(value, bool):
            return bad("must be true or false", "write true or false without quotes")
        return value
    if k == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return bad("not a date", "write YYYY-MM-DD, e.g. 2026-11-20")
    if k == "str":
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return bad("must be text", "write it as text (quote it if it contains ': ')")
        value = str(value).strip()
        if spec.required and not value:
            return bad("must not be empty", "write the answer")
        if spec.choices and value not in spec.choices:
            return bad("not an allowed value", did_you_mean(value, spec.choices))
        return value
    if k in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str):
                return bad("must be a number, not text", _text_number_fix(value))
            return bad("must be a number", "write a plain number")
        if k == "int" and isinstance(value, float):
            if not value.is_integer():
                return bad("must be a whole number", "drop the decimals")
            value = int(value)
        if spec.min == 0 and value < 0:
            return bad("must not be negative", f"write a number of 0 or more ({spec.doc or path})")
        if spec.min is not None and value < spec.min or spec.max is not None and value > spec.max:
            lo = "" if spec.min is None else f"{spec.min:g}"
            hi = "" if spec.max is None else f"{spec.max:g}"
            return bad(f"impossible value: outside {lo}..{hi}", f"check the number and its unit ({spec.doc or path})")
        return value
    return value


def _text_number_fix(text: str) -> str:
    """The fix for a number YAML read as text: a unit, a thousands separator, or 1e5 without a dot."""
    t = text.strip()
    plain = t.replace(",", "").replace("_", "")
    try:
        number = float(plain)
    except ValueError:
        number = float("nan")
    if number - number != 0:  # not a number at all, or inf/nan
        return "remove the quotes and any unit (e.g. write 2.5, not '2.5 s')"
    shown = f"{number:.0f}" if number.is_integer() else f"{number:g}"
    if "," in t:
        return f"drop the thousands separators: write {shown}"
    if "e" in t.lower():
        return f"write it out as {shown} (YAML reads {t} as text)"
    return f"remove the quotes: write {shown}"


def _check_mapping(data: dict, spec: dict, path: str, file: str, problems: list[Problem]) -> dict:
    out = {}
    for key, value in data.items():
        p = f"{path}.{key}" if path else str(key)
        if key not in spec:
            problems.append(Problem(file, p, "unknown key", did_you_mean(str(key), spec)))
            continue
        if value is None:
            if spec[key].required:
                problems.append(Problem(file, p, "has no value", f"fill in '{key}' ({spec[key].doc or spec[key].kind})"))
            continue
        out[key] = _check(value, spec[key], p, file, problems)
    for key, f in spec.items():
        if f.required and key not in data:
            p = f"{path}.{key}" if path else key
            problems.append(Problem(file, p, "required key is missing", f"add '{key}:' ({f.doc or f.kind})"))
    return out


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


class _DuplicateKey(Exception):
    def __init__(self, key, mark):
        self.key, self.mark = key, mark


class _Loader(yaml.SafeLoader):
    """``safe_load`` semantics, but dates stay text (checked with a key path later) and a key
    written twice in one mapping is an error instead of silently keeping the last one."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_yaml(path: str | Path, what: str = "file") -> Any:
    """Read a YAML file safely, turning syntax errors into a :class:`WorkbenchError` with line and column."""
    display = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(display, "file", f"{what} not found", "check the path; the shipped ones are in data/scenarios/") from None
    except UnicodeDecodeError:
        raise fail(display, "file", "not UTF-8 text", "save the file as UTF-8") from None
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str = "<text>") -> Any:
    """Parse YAML text as :func:`read_yaml` does (safe, duplicate keys and syntax errors reported with
    line and column, ``display`` naming the text in messages). Introduced in ``01_requirements_and_roles.ipynb``."""
    try:
        return yaml.load(text, Loader=_Loader)
    except _DuplicateKey as e:
        raise fail(display, f"line {e.mark.line + 1}", f"key '{e.key}' appears twice in the same mapping",
                   "keep one of them (YAML would silently use the last)") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise fail(display, where, f"not valid YAML: {reason}",
                   "check the indentation (spaces, not tabs) and quote text that contains ': ' or starts with a symbol") from None


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
    from .catalog import project_dir
    return sorted((project_dir() / "data" / "scenarios").glob("*.yaml"))
