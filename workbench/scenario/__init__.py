"""Stage 01, the scenario: what the product needs, as a validated YAML file.

The checklist, scenario-wide constraints and workflow steps (:mod:`.load`, every block validated when
the file loads) and the views of them (:mod:`.workflow`). Taught in
``notebooks/01_requirements_and_roles.ipynb``.
"""
from __future__ import annotations

from workbench.scenario.blocks import STATUSES, REFLECTIONS, REFLECTION_TITLES, DEFAULT_TRIGGERS, TRIGGERS_SPEC, REFLECTIONS_SPEC, FALLBACK_SPEC, DECISION_SPEC, RECORD_SPEC, PII_SPEC, WHEN_SPEC, ROUTE_SPEC, RULE_SPEC, AVAILABILITY_SPEC, BREAKER_SPEC, ROUTING_SPEC
from workbench.scenario.load import ROLES, ROLE_MODEL_TYPE, ROLE_MODALITY, OUTPUT_FORMATS, CHECKLIST_KEYS, WEIGHT_KEYS, TokenMix, LatencyTarget, Reliability, StepConstraints, OutputContract, Step, Constraints, Scenario, TOKENS_SPEC, LATENCY_SPEC, RELIABILITY_SPEC, STEP_CONSTRAINTS_SPEC, CONTRACT_SPEC, WEIGHTS_SPEC, STEP_SPEC, CONSTRAINTS_SPEC, SCENARIO_SPEC, scenario_from_dict, load_scenario, scenario_from_text, list_scenarios
from workbench.scenario.workflow import ROLE_PURPOSE, roles_table, checklist_table, constraints_table, workflow_table, scenario_overview, add_step

__all__ = [
    "STATUSES",
    "REFLECTIONS",
    "REFLECTION_TITLES",
    "DEFAULT_TRIGGERS",
    "TRIGGERS_SPEC",
    "REFLECTIONS_SPEC",
    "FALLBACK_SPEC",
    "DECISION_SPEC",
    "RECORD_SPEC",
    "PII_SPEC",
    "WHEN_SPEC",
    "ROUTE_SPEC",
    "RULE_SPEC",
    "AVAILABILITY_SPEC",
    "BREAKER_SPEC",
    "ROUTING_SPEC",
    "ROLES",
    "ROLE_MODEL_TYPE",
    "ROLE_MODALITY",
    "OUTPUT_FORMATS",
    "CHECKLIST_KEYS",
    "WEIGHT_KEYS",
    "TokenMix",
    "LatencyTarget",
    "Reliability",
    "StepConstraints",
    "OutputContract",
    "Step",
    "Constraints",
    "Scenario",
    "TOKENS_SPEC",
    "LATENCY_SPEC",
    "RELIABILITY_SPEC",
    "STEP_CONSTRAINTS_SPEC",
    "CONTRACT_SPEC",
    "WEIGHTS_SPEC",
    "STEP_SPEC",
    "CONSTRAINTS_SPEC",
    "SCENARIO_SPEC",
    "scenario_from_dict",
    "load_scenario",
    "scenario_from_text",
    "list_scenarios",
    "ROLE_PURPOSE",
    "roles_table",
    "checklist_table",
    "constraints_table",
    "workflow_table",
    "scenario_overview",
    "add_step",
]
