"""Views of a scenario for people: the roles, the checklist, the workflow as a table, and drafting a step.

:mod:`workbench.scenario` loads and validates a scenario; this module shows one as tables (steps x
roles x volumes x token mixes x latency targets) and lets a reader add a step written as YAML text and
validate it in the context of a shipped scenario, so an error names the key path the step will have
(``workflow[4].latency.p95_s``). Introduced in ``notebooks/01_requirements_and_roles.ipynb``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import fail
from workbench.scenario.load import (
    CHECKLIST_KEYS,
    ROLE_MODALITY,
    ROLE_MODEL_TYPE,
    ROLES,
    Scenario,
    scenario_from_dict,
)
from workbench.spec import parse_yaml, read_yaml

# what each role does in a workflow (the model type and modality it needs come from scenario.py)
ROLE_PURPOSE = {
    "generator": "writes the answer, draft or extraction the user sees",
    "embedder": "turns text into vectors for retrieval (an embedding model, billed on input tokens)",
    "reranker": "reorders retrieved passages by relevance (a reranker model)",
    "classifier/router": "picks one label from a fixed list; the label routes the rest of the workflow",
    "reasoning": "thinks step by step before answering (reasoning tokens are billed, and take time)",
    "code": "writes or edits code",
    "vision": "reads images such as scans and screenshots",
    "audio": "transcribes or understands speech",
    "fallback": "takes over when the default fails validation or is down (a second provider)",
}


def roles_table() -> pd.DataFrame:
    """The step roles a scenario may use: what each does, the catalog ``model_type`` it needs and the
    input modality it adds beyond text. Introduced in ``01_requirements_and_roles.ipynb``."""
    return pd.DataFrame({
        "role": list(ROLES),
        "model_type": [ROLE_MODEL_TYPE.get(r, "chat") for r in ROLES],
        "adds_modality": [ROLE_MODALITY.get(r, "") for r in ROLES],
        "what_it_does": [ROLE_PURPOSE[r] for r in ROLES],
    })


def checklist_table(scenario: Scenario) -> pd.DataFrame:
    """The first-pass checklist as ``question`` / ``answer`` rows, in the chapter's order.
    Introduced in ``01_requirements_and_roles.ipynb``."""
    return pd.DataFrame({"question": list(CHECKLIST_KEYS),
                         "answer": [" ".join(scenario.checklist[k].split()) for k in CHECKLIST_KEYS]})


def constraints_table(scenario: Scenario) -> pd.DataFrame:
    """The scenario-wide hard constraints (privacy, licence, operations) as ``constraint`` / ``value`` rows.
    Introduced in ``01_requirements_and_roles.ipynb``."""
    c = scenario.constraints
    rows = [(k, ", ".join(v) if isinstance(v, tuple) else v) for k, v in vars(c).items()]
    return pd.DataFrame(rows, columns=["constraint", "value"])


def _contract(step) -> str:
    oc = step.output_contract
    if oc.format == "label":
        return f"label ({len(oc.labels)} labels)"
    if oc.format == "json":
        return "json (schema)" if oc.schema else "json"
    if oc.max_words:
        return f"{oc.format} (<= {oc.max_words} words)"
    return oc.format


def _hard(step) -> str:
    c = step.constraints
    parts = [name for name in ("structured_outputs", "tool_calling", "prompt_caching", "batch_api")
             if getattr(c, name)]
    if c.min_context_tokens:
        parts.append(f"context >= {c.min_context_tokens:,}")
    if c.min_output_tokens:
        parts.append(f"output >= {c.min_output_tokens:,}")
    if tuple(c.modalities) != ("text",):
        parts.append("+".join(c.modalities))
    if len(c.access_modes) < 3:
        parts.append("/".join(c.access_modes))
    return ", ".join(parts)


def workflow_table(scenario: Scenario) -> pd.DataFrame:
    """One row per step: role, model type, volume (requests a month, peak-to-average), token mix (tokens
    per request; shares 0..1), latency targets in seconds (empty = none), output contract and the step's
    hard constraints. Every number is the scenario's own (an assumption unless measured).
    Introduced in ``01_requirements_and_roles.ipynb``."""
    rows = []
    for s in scenario.workflow:
        t, lat = s.tokens, s.latency
        rows.append({
            "step": s.name, "role": s.role, "model_type": s.model_type,
            "requests_per_month": s.requests_per_month, "peak_to_average": s.peak_to_average,
            "input_tokens": t.input, "output_tokens": t.output, "reasoning_tokens": t.reasoning,
            "cached_share": t.cached_share, "batch_share": t.batch_share,
            "ttft_s": lat.ttft_s, "total_s": lat.total_s, "p95_s": lat.p95_s,
            "output": _contract(s), "hard_constraints": _hard(s),
        })
    df = pd.DataFrame(rows)
    for col in ("ttft_s", "total_s", "p95_s"):
        df[col] = pd.to_numeric(df[col]).astype(float)
    return df


def scenario_overview(scenarios) -> pd.DataFrame:
    """Several scenarios side by side: steps, roles, monthly requests, the largest context a step needs,
    the largest batch share, the tightest p95 target (s), privacy and operations constraints, budget (USD
    a month). Introduced in ``01_requirements_and_roles.ipynb``."""
    rows = []
    for sc in scenarios:
        steps = sc.workflow
        p95 = [s.latency.p95_s for s in steps if s.latency.p95_s is not None]
        ctx = [s.constraints.min_context_tokens for s in steps if s.constraints.min_context_tokens]
        rows.append({
            "scenario": sc.name, "steps": len(steps),
            "roles": ", ".join(dict.fromkeys(s.role for s in steps)),
            "requests_per_month": sum(s.requests_per_month for s in steps),
            "max_context_tokens": max(ctx) if ctx else None,
            "max_batch_share": max(s.tokens.batch_share for s in steps),
            "tightest_p95_s": min(p95) if p95 else None,
            "zero_data_retention": sc.constraints.zero_data_retention,
            "regions": ", ".join(sc.constraints.regions),
            "gpu_operations": sc.constraints.gpu_operations,
            "budget_usd_per_month": sc.budget_usd_per_month,
        })
    return pd.DataFrame(rows)


def add_step(scenario_path: str | Path, step: str | dict, display: str | None = None) -> Scenario:
    """Append a step (YAML text of one mapping, or a dict) to a scenario file's workflow and validate the
    whole scenario, as :func:`workbench.scenario.load_scenario` would. The file is only read, never
    written. Errors name the key path the step gets (``workflow[4]...``) and ``display`` (default: the
    file's name plus ' + your step'). Introduced in ``01_requirements_and_roles.ipynb``.
    """
    path = Path(scenario_path)
    display = display or f"{path.name} + your step"
    data: Any = read_yaml(path, "scenario file")
    new = parse_yaml(step, display) if isinstance(step, str) else step
    if isinstance(new, list) and len(new) == 1:
        new = new[0]
    if not isinstance(new, dict):
        raise fail(display, "your step", "a step must be one mapping (key: value lines)",
                   "start with 'name: ...' and put role, requests_per_month and tokens below it")
    if not isinstance(data, dict) or not isinstance(data.get("workflow"), list):
        raise fail(str(path), "workflow", "the scenario has no workflow list to add a step to",
                   "start from data/scenarios/support_assistant.yaml")
    data = {**data, "workflow": [*data["workflow"], new]}
    return scenario_from_dict(data, display)
