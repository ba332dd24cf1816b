"""The scenario's optional blocks, specified where the scenario is read, so that a typo in ``record:``
fails when the scenario loads (``python -m workbench scenario``), not later at ``decide``.

The stages that use a block build their objects from it (:func:`workbench.mdr.config.record_config`);
the shape (keys, types, ranges, allowed words) is defined here, once.
"""
from __future__ import annotations

from workbench.spec import F

STATUSES = ("proposed", "accepted", "superseded")
REFLECTIONS = ("leaderboard_helped", "leaderboard_could_not_prove", "measure_before_launch", "revisit_when")
REFLECTION_TITLES = {
    "leaderboard_helped": "What the leaderboard helped us understand",
    "leaderboard_could_not_prove": "What it could not prove",
    "measure_before_launch": "What we will measure before launch",
    "revisit_when": "When we revisit",
}

DEFAULT_TRIGGERS = {
    "price_change_pct": 20.0,
    "deprecation_within_days": 90,
    "volume_factor": 2.0,
    "age_days": 180,
    "golden_set_drop_pp": 5.0,
    "dominated": True,
    "production_drift_pp": 5.0,
    "drift_window_days": 7,
}
TRIGGERS_SPEC = {
    "price_change_pct": F("float", False, 0.1, 1000,
                          doc="fire when a decided offering's input or output list price moves by more than this many percent"),
    "deprecation_within_days": F("int", False, 0, 3650, doc="fire when a decided model is deprecated within this many days"),
    "volume_factor": F("float", False, 1.0, 1000,
                       doc="fire when the observed monthly volume exceeds this multiple of the planned volume"),
    "volume_step": F("str", doc="the step whose monthly volume is watched (default: the first decided step)"),
    "age_days": F("int", False, 1, 3650, doc="fire when the record is older than this many days"),
    "golden_set_drop_pp": F("float", False, 0.1, 100,
                            doc="fire when a decided offering's golden-set success rate drops by more than this "
                                "many percentage points"),
    "dominated": F("bool", doc="fire when a new offering beats the default on quality, cost and latency at once"),
    "production_drift_pp": F("float", False, 0.1, 100,
                             doc="fire when a step's success rate over the last drift_window_days of a results log "
                                 "(golden-set reruns or graded production samples) falls more than this many points "
                                 "below the baseline"),
    "drift_window_days": F("int", False, 1, 365, doc="the recent window of the results log, in days"),
}
REFLECTIONS_SPEC = {k: F("list[str]", doc=REFLECTION_TITLES[k]) for k in REFLECTIONS}
FALLBACK_SPEC = {
    "different_region": F("bool", doc="prefer a fallback whose processing regions differ from the default's"),
}
DECISION_SPEC = {"default": F("str", True, doc="offering id of the default"), "fallback": F("str", doc="offering id")}
RECORD_SPEC = {
    "title": F("str", doc="the record's title"),
    "status": F("str", choices=STATUSES),
    "deciders": F("list[str]", doc="who decides (roles or names)"),
    "steps": F("list[str]", doc="the workflow steps this record decides (default: all)"),
    "context": F("str", doc="what the scenario description does not say"),
    "rationale": F("str", doc="why this default and fallback"),
    "risks": F("list[str]"),
    "reflections": F("dict", sub=REFLECTIONS_SPEC),
    "review_triggers": F("dict", sub=TRIGGERS_SPEC),
    "candidates": F("map", doc="step -> the offering ids to compare"),
    "decision": F("map", doc="step -> {default: offering id, fallback: offering id}"),
    "fallback": F("dict", sub=FALLBACK_SPEC),
    "second_source": F("str", doc="the scores.csv benchmark used to cross-check quality, e.g. livebench_global_average"),
    "golden_tasks": F("map", doc="step -> the golden set's task that evaluates it (classify, answer, draft, extract)"),
    "worked_example": F("dict", sub={"deciders": F("list[str]"), "rationale": F("str"), "risks": F("list[str]"),
                                     "reflections": F("dict", sub=REFLECTIONS_SPEC)},
                        doc="a worked answer to compare yours with (shown by notebook 06; never copied into a record)"),
}
