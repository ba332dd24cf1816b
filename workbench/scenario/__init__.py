"""Stage 01, the scenario: what the product needs, as a validated YAML file.

The checklist, scenario-wide constraints and workflow steps (:mod:`.load`, every block validated when
the file loads) and the views of them (:mod:`.workflow`). Taught in
``notebooks/01_requirements_and_roles.ipynb``.
"""
from __future__ import annotations

from workbench.scenario.load import TokenMix, LatencyTarget, Reliability, StepConstraints, OutputContract, Step, Constraints, Scenario, scenario_from_dict, load_scenario, scenario_from_text, list_scenarios
from workbench.scenario.workflow import roles_table, checklist_table, constraints_table, workflow_table, scenario_overview, add_step

__all__ = [
    "TokenMix",
    "LatencyTarget",
    "Reliability",
    "StepConstraints",
    "OutputContract",
    "Step",
    "Constraints",
    "Scenario",
    "scenario_from_dict",
    "load_scenario",
    "scenario_from_text",
    "list_scenarios",
    "roles_table",
    "checklist_table",
    "constraints_table",
    "workflow_table",
    "scenario_overview",
    "add_step",
]
