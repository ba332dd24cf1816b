"""Scenario views (workbench.scenario.workflow) and validating YAML text (scenario_from_text, add_step)."""
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario, scenario_from_text
from workbench.scenario.workflow import (
    add_step,
    checklist_table,
    constraints_table,
    roles_table,
    scenario_overview,
    workflow_table,
)

HERE = Path(__file__).parent
BASE = HERE / "broken_scenarios" / "valid_base.yaml"


def test_roles_table_says_which_model_type_and_modality_a_role_needs():
    r = roles_table().set_index("role")
    assert len(r) == 9
    assert r.loc["embedder", "model_type"] == "embedding"
    assert r.loc["reranker", "model_type"] == "reranker"
    assert r.loc["vision", "adds_modality"] == "image"
    assert r.loc["generator", "adds_modality"] == ""


def test_workflow_table_is_the_scenarios_own_numbers():
    t = workflow_table(load_scenario(BASE)).set_index("step")
    row = t.loc["classify_intent"]
    assert (row.role, row.requests_per_month, row.peak_to_average, row.input_tokens, row.output_tokens,
            row.cached_share) == ("classifier/router", 20000, 4.0, 450, 8, 0.7)
    assert (row.ttft_s, row.total_s, row.p95_s) == (0.8, 1.0, 2.0)
    assert row.output == "label (3 labels)"
    a = t.loc["answer_with_citations"]
    # two of three access modes allowed: shown; the default peak_to_average is 3
    assert a.hard_constraints == "structured_outputs, managed-api/hosted-inference"
    assert a.peak_to_average == 3.0 and a.output == "json"


def test_checklist_and_constraints_tables():
    s = load_scenario(BASE)
    c = checklist_table(s)
    assert c["question"].tolist()[0] == "task_fit" and len(c) == 10
    assert c.set_index("question").loc["cost_target", "answer"] == "Under 300 USD a month."
    k = constraints_table(s).set_index("constraint")["value"]
    assert k["gpu_operations"] is False and k["regions"] == ""


def test_overview_compares_shapes():
    base = load_scenario(BASE)
    o = scenario_overview([base]).iloc[0]
    # 20,000 + 14,000 requests; tightest p95 is the classifier's 2.0 s; no step sets min_context_tokens
    assert (o.steps, o.requests_per_month, o.tightest_p95_s, o.max_batch_share) == (2, 34000, 2.0, 0.0)
    assert o.max_context_tokens is None
    assert o.roles == "classifier/router, generator"


def test_scenario_from_text_validates_like_a_file():
    text = BASE.read_text()
    assert scenario_from_text(text, "pasted.yaml").name == "broken_example"
    with pytest.raises(WorkbenchError) as info:
        scenario_from_text(text.replace("role: generator", "role: writer"), "pasted.yaml")
    assert str(info.value) == ("pasted.yaml: workflow[1].role: not an allowed value (got 'writer'). "
                               "Fix: valid values: 'audio', 'classifier/router', 'code', 'embedder', 'fallback', "
                               "'generator', 'reasoning', 'reranker', 'vision'")
    with pytest.raises(WorkbenchError, match=r"pasted.yaml: line 2: key 'b' appears twice"):
        scenario_from_text("b: 1\nb: 2\n", "pasted.yaml")


STEP = """
name: summarize_thread
role: generator
requests_per_month: 3000
tokens: {input: 2500, output: 150}
latency: {total_s: 8.0, p95_s: 12.0}
"""


def test_add_step_validates_in_context_and_never_writes():
    before = BASE.read_text()
    s = add_step(BASE, STEP)
    assert [st.name for st in s.workflow][-1] == "summarize_thread"
    assert s.step("summarize_thread").tokens.input == 2500
    assert BASE.read_text() == before
    # the error carries the key path the new step gets: it is the third step, workflow[2]
    with pytest.raises(WorkbenchError) as info:
        add_step(BASE, STEP.replace("p95_s", "p95"))
    assert str(info.value) == ("valid_base.yaml + your step: workflow[2].latency.p95: unknown key. "
                               "Fix: did you mean 'p95_s'?")
    # a name that is already taken
    with pytest.raises(WorkbenchError, match=r"workflow\[2\].name: two steps have the same name"):
        add_step(BASE, STEP.replace("summarize_thread", "classify_intent"))
    # not a mapping
    with pytest.raises(WorkbenchError, match="a step must be one mapping"):
        add_step(BASE, "just some words")
