"""The scenario's optional blocks, specified where the scenario is read, so that a typo in ``record:``
fails when the scenario loads (``python -m workbench scenario``), not later at ``decide``.

The stages that use a block build their objects from it (:func:`workbench.mdr.config.record_config`);
the shape (keys, types, ranges, allowed words) is defined here, once.
"""
from __future__ import annotations

from workbench.spec import F
from workbench.vocab import DIFFICULTY_SIGNALS, PII_TYPES, TASKS

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


# the `pii:` block (workbench.routing.pii.pii_config builds a PiiConfig from it)
PII_SPEC = {
    "account_id_pattern": F("str", doc="a regular expression for your account IDs, e.g. 'ACCT-\\d{6}'"),
    "types": F("list[str]", choices=PII_TYPES, doc="which kinds of personal data to detect"),
    "public_contacts": F("list[str]", doc="the company's own published addresses: not personal data"),
    "phone_regions": F("list[str]", doc="regions whose national phone formats are read, e.g. [US, GB, DE, FR]"),
}

# the `routing:` block (workbench.routing.config.routing_config builds a RouterConfig from it)
WHEN_SPEC = {
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
ROUTE_SPEC = {
    "offering": F("str", doc="an offering_id from the catalog"),
    "human": F("bool", doc="a person handles the request; no model"),
    "redact_pii": F("bool", doc="replace personal data by placeholders before sending; restore it in the answer"),
    "fallbacks": F("list[str]", doc="offering_ids tried in order on 429, 5xx or a timeout"),
    "results": F("str", doc="an evaluation results file (python -m workbench eval ... --out FILE) for this route"),
    "description": F("str"),
}
RULE_SPEC = {"name": F("str", True), "route": F("str", True, doc="a route name from routes:"),
        "when": F("dict", True, sub=WHEN_SPEC, doc="conditions that must all hold"), "description": F("str")}
AVAILABILITY_SPEC = {
    "providers": F("map", doc="provider: availability of the whole provider, 0..1"),
    "offerings": F("map", doc="offering_id: availability of that offering alone, 0..1"),
    "default_provider": F("float", False, 0.5, 1, doc="provider availability when not listed"),
    "default_offering": F("float", False, 0.5, 1, doc="offering availability when not listed"),
    "timeout_s": F("float", False, 0.01, 600, doc="seconds before a hanging call is abandoned"),
    "fast_fail_s": F("float", False, 0, 60, doc="seconds a fast failure (429, 5xx) takes"),
    "hang_share": F("float", False, 0, 1, doc="share of failures that hang until the timeout"),
    "source": F("str", doc="where the availability numbers come from"),
}
BREAKER_SPEC = {"failure_threshold": F("int", False, 1, 1000, doc="consecutive failures that open the circuit"),
           "cooldown_s": F("float", False, 0, 86_400, doc="seconds before an open circuit lets one request try")}
ROUTING_SPEC = {"description": F("str"), "routes": F("map", True, doc="route name: {offering: ..., ...}"),
       "rules": F("list[dict]", True, sub=RULE_SPEC), "default": F("str", True, doc="the route when no rule fires"),
       "steps": F("map", doc="task: scenario step whose volume and token mix price it"),
       "availability": F("dict", sub=AVAILABILITY_SPEC), "circuit_breaker": F("dict", sub=BREAKER_SPEC)}
