"""The scenario's ``record:`` block as a :class:`RecordConfig`: deciders, status, triggers and their
thresholds, reflections and per-step decisions, validated with the people-first field specs.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import Problem, WorkbenchError, did_you_mean
from workbench.mdr.record import normalise_items, normalise_text
from workbench.scenario.blocks import (
    DECISION_SPEC,
    DEFAULT_TRIGGERS,
    RECORD_SPEC,
    REFLECTIONS,
    TRIGGERS_SPEC,
)
from workbench.scenario.load import Scenario
from workbench.spec import F, _check, _check_mapping
from workbench.vocab import TASKS

# ------------------------------------------------------------------------------------------------
# the scenario's `record:` block
# ------------------------------------------------------------------------------------------------

GOLDEN_TASKS = TASKS  # the golden set's task kinds (workbench.vocab)


@dataclass(frozen=True)
class RecordConfig:
    """The validated ``record:`` block of a scenario (the human parts of a record and its policies)."""

    title: str = ""
    status: str = "proposed"
    deciders: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    context: str = ""
    rationale: str = ""
    risks: tuple[str, ...] = ()
    reflections: dict[str, list[str]] = field(default_factory=dict)
    triggers: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_TRIGGERS))
    candidates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    decision: dict[str, dict[str, str]] = field(default_factory=dict)
    fallback_different_region: bool = True
    second_source: str | None = None
    golden_tasks: dict[str, str] = field(default_factory=dict)
    worked_example: dict[str, Any] = field(default_factory=dict)

    def blank(self) -> "RecordConfig":
        """The same policies with every human part left blank (``decide --template``)."""
        return dataclasses.replace(self, deciders=(), rationale="", risks=(), reflections={k: [] for k in REFLECTIONS})


def record_config(scenario: Scenario, block: dict | None = None) -> RecordConfig:
    """Validate a scenario's ``record:`` block (or ``block``) and return a :class:`RecordConfig`.

    Every problem is reported at once with its key path (``record.review_triggers.price_change_pct``)
    and a did-you-mean hint; step names must be steps of the scenario's workflow. Offering ids are
    checked against the catalog later, by :func:`workbench.mdr.draft.draft_record`.
    """
    data = scenario.record if block is None else block
    if data is None:
        return RecordConfig()
    file = scenario.path
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise WorkbenchError(Problem(file, "record", "must be a mapping (key: value lines)", "indent the keys below it"))
    d = _check_mapping(data, RECORD_SPEC, "record", file, problems)
    steps = [s.name for s in scenario.workflow]

    def check_step(name: Any, path: str) -> bool:
        if name not in steps:
            problems.append(Problem(file, path, "no such step in the workflow", did_you_mean(str(name), steps), value=name))
            return False
        return True

    for i, s in enumerate(d.get("steps") or []):
        check_step(s, f"record.steps[{i}]")
    cands: dict[str, tuple[str, ...]] = {}
    for step, ids in (d.get("candidates") or {}).items():
        p = f"record.candidates.{step}"
        if check_step(step, p):
            checked = _check(ids, F("list[str]"), p, file, problems)
            if checked is not None:
                if not checked:
                    problems.append(Problem(file, p, "lists no offering", "list the offering ids to compare"))
                cands[step] = tuple(checked)
    decision: dict[str, dict[str, str]] = {}
    for step, dec in (d.get("decision") or {}).items():
        p = f"record.decision.{step}"
        if check_step(step, p):
            checked = _check(dec, F("dict", sub=DECISION_SPEC), p, file, problems)
            if checked:
                decision[step] = checked
    golden: dict[str, str] = {}
    for step, task in (d.get("golden_tasks") or {}).items():
        p = f"record.golden_tasks.{step}"
        if check_step(step, p):
            if task not in GOLDEN_TASKS:
                problems.append(Problem(file, p, "not a task of the golden set", did_you_mean(str(task), GOLDEN_TASKS),
                                        value=task))
            else:
                golden[step] = task
    if problems:
        raise WorkbenchError(problems)
    trig = dict(DEFAULT_TRIGGERS)
    trig.update(d.get("review_triggers") or {})
    if trig.get("volume_step") is not None:
        check_step(trig["volume_step"], "record.review_triggers.volume_step")
        if problems:
            raise WorkbenchError(problems)
    refl = {k: normalise_items((d.get("reflections") or {}).get(k)) for k in REFLECTIONS}
    return RecordConfig(
        title=d.get("title", ""), status=d.get("status", "proposed"), deciders=tuple(d.get("deciders") or ()),
        steps=tuple(d.get("steps") or ()), context=normalise_text(d.get("context")),
        rationale=normalise_text(d.get("rationale")), risks=tuple(normalise_items(d.get("risks"))),
        reflections=refl, triggers=trig, candidates=cands, decision=decision,
        fallback_different_region=bool((d.get("fallback") or {}).get("different_region", True)),
        second_source=d.get("second_source"), golden_tasks=golden, worked_example=_worked(d.get("worked_example")),
    )


# the record field that sets each trigger kind's threshold (volume_above is factor x planned volume)
TRIGGER_THRESHOLD_FIELD = {"price_change_pct": "price_change_pct", "deprecation_within_days": "deprecation_within_days",
                           "age_above_days": "age_days", "golden_set_drop_pp": "golden_set_drop_pp"}


def trigger_threshold_problems(triggers: list, file: str) -> list[Problem]:
    """Thresholds of a record's triggers (as read back from a record file) checked against the same
    bounds as ``record.review_triggers`` (:data:`TRIGGERS_SPEC`): a negative or zero threshold would make
    a trigger fire on no change at all (a price moving 0% is 'more than -5%'). ``dominated`` has none."""
    problems: list[Problem] = []
    for i, t in enumerate(triggers):
        path = f"facts.triggers[{i}].threshold"
        if t.kind == "dominated":
            continue
        v = t.threshold
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            problems.append(Problem(file, path, f"the {t.kind} trigger needs a number", "restore the threshold "
                                    "`python -m workbench decide` wrote", value=v))
            continue
        spec = TRIGGERS_SPEC.get(TRIGGER_THRESHOLD_FIELD.get(t.kind, ""))
        lo = spec.min if spec is not None else 0
        hi = spec.max if spec is not None else None
        if v <= 0 or v < lo or (hi is not None and v > hi):
            bound = f"is outside {lo:g}..{hi:g}" if hi is not None else "must be above 0"
            problems.append(Problem(file, path, f"the {t.kind} threshold {bound}",
                                    f"a trigger fires on a change larger than its threshold; write a positive number "
                                    f"({(spec.doc if spec is not None else 'the planned volume limit')})", value=v))
    return problems


def _worked(block: dict | None) -> dict[str, Any]:
    b = block or {}
    return {"deciders": list(b.get("deciders") or []), "rationale": normalise_text(b.get("rationale")),
            "risks": normalise_items(b.get("risks")),
            "reflections": {k: normalise_items((b.get("reflections") or {}).get(k)) for k in REFLECTIONS}}
