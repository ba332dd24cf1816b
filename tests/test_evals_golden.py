"""Loading the golden set: every mistake is reported with its line, key path and a fix."""
import json

import pytest
from evals_helpers import ARTICLES

from workbench.errors import WorkbenchError
from workbench.evals.golden import (
    cases_from_lines,
    load_golden,
    load_help_center,
    load_schema,
)
from workbench.evals.prompts import (
    build_prompt,
    contract_for,
    support_contract,
    template_version,
)

GOOD = {"id": "cls-001", "task": "classify", "input": "charged twice", "context": {"articles": [], "customer": None},
        "expected": {"label": "billing"}, "checks": ["label_exact"], "tags": []}


def lines(*objs):
    return [o if isinstance(o, str) else json.dumps(o) for o in objs]


def problems(*objs, **kw):
    with pytest.raises(WorkbenchError) as e:
        cases_from_lines(lines(*objs), "golden.jsonl", articles=ARTICLES, labels=support_contract().labels,
                         schemas={"answer": support_contract().answer_schema}, **kw)
    return [str(p) for p in e.value.problems]


def test_a_good_line_loads_with_customer_null_as_empty():
    (c,) = cases_from_lines(lines(GOOD), "golden.jsonl", labels=support_contract().labels)
    assert (c.id, c.task, c.expected.label, c.customer, c.line) == ("cls-001", "classify", "billing", {}, 1)


def test_malformed_json_names_the_line():
    (p,) = problems(GOOD, '{"id": "cls-002", "task": "classify",}')
    assert p.startswith("golden.jsonl: line 2: not valid JSON") and "Fix:" in p


def test_unknown_keys_get_did_you_mean_with_key_paths():
    bad = {**GOOD, "tag": [], "expected": {"label": "billing", "max_wrds": 3}}
    ps = problems(bad)
    assert any("line 1, tag: unknown key" in p and "did you mean 'tags'?" in p for p in ps)
    assert any("line 1, expected.max_wrds: unknown key" in p and "did you mean 'max_words'?" in p for p in ps)


def test_wrong_task_label_check_and_types_are_reported_together():
    bad = {**GOOD, "task": "clasify", "checks": ["label_exakt"], "expected": {"label": "billing", "max_words": -3}}
    ps = problems(bad)
    assert any("task: not a task kind" in p and "did you mean 'classify'?" in p for p in ps)
    assert any("checks[0]: unknown check 'label_exakt'" in p and "did you mean 'label_exact'?" in p for p in ps)
    assert any("expected.max_words: must be a positive whole number" in p for p in ps)
    assert any("expected.label" not in p for p in ps)
    (p,) = problems({**GOOD, "expected": {"label": "biling"}})
    assert "expected.label: 'biling' is not a label of the classifier" in p and "did you mean 'billing'?" in p


def test_a_check_without_what_it_reads_or_on_the_wrong_task_is_an_error():
    (p,) = problems({**GOOD, "checks": ["label_exact", "required_facts"]})
    assert "expected.required_facts: check 'required_facts' needs expected.required_facts" in p
    (p,) = problems({**GOOD, "checks": ["label_exact", "citations"]})
    assert "checks[1]: 'citations' does not apply to classify cases" in p
    ext = {**GOOD, "task": "extract", "expected": {}, "checks": ["json_schema"]}
    ps = problems(ext)
    assert any("checks[0]: no JSON schema for task 'extract'" in p for p in ps)
    assert any("expected.fields: an extract case checked with 'json_schema' needs expected.fields" in p for p in ps)


def test_unknown_articles_duplicate_ids_and_regression_without_reason():
    ans = {**GOOD, "id": "ans-001", "task": "answer", "context": {"articles": ["hc-refund"]},
           "expected": {"must_cite": ["hc-refund"]}, "checks": ["citations"]}
    ps = problems(ans)
    assert any("context.articles[0]: no help-center article 'hc-refund'" in p and "did you mean 'hc-refunds'?" in p for p in ps)
    ps = problems(GOOD, GOOD)
    assert any("line 2, id: case id 'cls-001' is used twice (first on line 1)" in p for p in ps)
    (p,) = problems({**GOOD, "tags": ["regression"]})
    assert "regression_of: a case tagged 'regression' needs regression_of" in p


def test_help_center_and_schema_files_are_checked(tmp_path):
    (tmp_path / "hc-a.md").write_text("# Title A\n\nBody.", encoding="utf-8")
    (tmp_path / "hc-b.md").write_text("", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="hc-b.md: file: the article is empty"):
        load_help_center(tmp_path)
    (tmp_path / "hc-b.md").unlink()
    assert load_help_center(tmp_path)["hc-a"].title == "Title A"
    s = tmp_path / "schema.json"
    s.write_text('{"type": "object", "oneOf": []}', encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"\$\.oneOf: keyword 'oneOf' is not supported"):
        load_schema(s)
    s.write_text('{"type": "object",}', encoding="utf-8")
    with pytest.raises(WorkbenchError, match="line 1: not valid JSON"):
        load_schema(s)


def test_missing_golden_file_says_where_the_shipped_one_is(tmp_path):
    with pytest.raises(WorkbenchError, match="golden file not found.*data/golden/support_assistant.jsonl"):
        load_golden(tmp_path / "nope.jsonl")


def test_the_shipped_golden_set_loads_and_every_prompt_builds():
    g = load_golden()
    assert len(g) >= 90 and {c.task for c in g.cases} == {"classify", "answer", "draft", "extract"}
    assert set(g.schemas) == {"answer", "extract"} and g.labels == support_contract().labels
    contract = contract_for(g)
    for c in g.cases:
        p = build_prompt(c, g.articles, contract)
        assert p.messages[0]["role"] == "system" and c.input in p.messages[1]["content"]
        for a in c.articles:  # the retrieved articles' text is in the prompt
            assert g.articles[a].text in p.messages[1]["content"]


def test_prompt_hash_changes_with_the_case_and_version_with_the_template(monkeypatch):
    from workbench.evals import prompts
    (a,) = cases_from_lines(lines(GOOD), labels=support_contract().labels)
    (b,) = cases_from_lines(lines({**GOOD, "input": "charged three times"}), labels=support_contract().labels)
    pa, pb = build_prompt(a), build_prompt(b)
    assert pa.template_version == pb.template_version and pa.prompt_hash != pb.prompt_hash
    before = template_version("classify")
    monkeypatch.setitem(prompts.SYSTEM, "classify", prompts.SYSTEM["classify"] + " Be brief.")
    assert template_version("classify") != before and build_prompt(a).prompt_hash != pa.prompt_hash


def test_the_loader_takes_the_case_format_from_the_schema_file():
    """One definition of a case: the keys, required keys and check names the loader enforces are the
    JSON schema's, so a key added to the schema is accepted and a key removed is refused."""
    import json

    from workbench.evals import golden

    schema = json.loads(golden.CASE_SCHEMA_FILE.read_text())
    assert golden.CASE_KEYS == tuple(schema["properties"])
    assert golden.REQUIRED_CASE_KEYS == tuple(schema["required"])
    assert golden.CHECKS == tuple(schema["properties"]["checks"]["items"]["enum"])
    with pytest.raises(WorkbenchError) as e:
        golden.case_from_dict({"id": "cls-900", "task": "classify", "input": "hi", "checks": ["label_exact"],
                               "expected": {"label": "billing"}, "context": {"articles": [], "customer": None}})
    assert any(p.where == "case, tags" and "required key is missing" in p.message for p in e.value.problems)
