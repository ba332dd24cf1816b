"""Every broken scenario file under tests/broken_scenarios/ fails with the key path and the fix a user needs.

Each file is a one-mistake copy of ``valid_base.yaml`` (which must load). The expectations are the
exact key path (``workflow[1].latency.p95``), a fragment of the message, and a fragment of the fix
(the did-you-mean suggestion where there is one).
"""
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario, scenario_from_dict

HERE = Path(__file__).parent / "broken_scenarios"

# file -> (where, message fragment, fix fragment)
CASES = {
    # unknown keys with a typo: the closest valid key is suggested
    "unknown_key_typo.yaml": ("workflow[1].latency.p95", "unknown key", "did you mean 'p95_s'?"),
    "unknown_top_level_key.yaml": ("wieghts", "unknown key", "did you mean 'weights'?"),
    "checklist_key_typo.yaml": ("checklist.latency_targt", "unknown key", "did you mean 'latency_target'?"),
    # wrong types
    "wrong_type_text_for_number.yaml": ("workflow[0].tokens.input", "must be a number, not text",
                                        "remove the quotes and any unit"),
    "wrong_type_list_for_mapping.yaml": ("workflow[0].tokens", "must be a mapping", "indent the keys below it"),
    "wrong_type_text_for_bool.yaml": ("workflow[1].constraints.structured_outputs", "must be true or false",
                                      "write true or false without quotes"),
    "peak_to_average_text.yaml": ("workflow[0].peak_to_average", "must be a number, not text",
                                  "remove the quotes and any unit"),
    "step_not_a_mapping.yaml": ("workflow[1]", "must be a mapping", "indent the keys below it"),
    "not_a_mapping.yaml": ("top level", "the file must hold a mapping", "start from data/scenarios/support_assistant.yaml"),
    # unknown choices
    "unknown_role.yaml": ("workflow[1].role", "not an allowed value", "did you mean 'generator'?"),
    "unknown_modality.yaml": ("workflow[1].constraints.modalities[1]", "not an allowed value", "did you mean 'image'?"),
    "unknown_access_mode.yaml": ("workflow[1].constraints.access_modes[1]", "not an allowed value",
                                 "did you mean 'self-hosted'?"),
    "unknown_output_format.yaml": ("workflow[1].output_contract.format", "not an allowed value", "did you mean 'json'?"),
    # impossible values
    "cached_share_above_one.yaml": ("workflow[0].tokens.cached_share", "impossible value: outside 0..1",
                                    "share of input tokens read from the prompt cache, 0..1"),
    "negative_volume.yaml": ("workflow[1].requests_per_month", "must not be negative",
                             "write a number of 0 or more (requests a month for this step)"),
    "success_rate_zero.yaml": ("workflow[1].reliability.success_rate", "impossible value: outside 0.01..1",
                               "assumed share of attempts that succeed"),
    "fractional_horizon.yaml": ("horizon_months", "must be a whole number", "drop the decimals"),
    "p95_below_total.yaml": ("workflow[0].latency.p95_s", "the p95 target is below the typical (total_s) target",
                             "raise p95_s or lower total_s"),
    "ttft_above_total.yaml": ("workflow[1].latency.ttft_s", "the time to first token target exceeds the total target",
                              "make ttft_s at most total_s"),
    "cache_shares_above_one.yaml": ("workflow[0].tokens.cache_write_share",
                                    "cached_share plus cache_write_share exceeds 1", "make their sum at most 1"),
    # 3000 input + 250 output + 0 reasoning = 3250 tokens > min_context_tokens 2000
    "context_smaller_than_request.yaml": ("workflow[1].constraints.min_context_tokens",
                                          "input + output + reasoning = 3,250",
                                          "raise min_context_tokens to at least 3250"),
    "weights_all_zero.yaml": ("weights", "weights are all zero", "give at least one of quality, cost, latency"),
    # contracts and structure
    "label_without_labels.yaml": ("workflow[0].output_contract.labels", "a label output needs its labels",
                                  "list the allowed labels"),
    "duplicate_step_names.yaml": ("workflow[1].name", "two steps have the same name", "give each step its own name"),
    "empty_workflow.yaml": ("workflow", "the workflow has no steps", "add at least one step"),
    "missing_required_key.yaml": ("as_of", "required key is missing", "add 'as_of:'"),
    # dates and numbers written as text
    "bad_date.yaml": ("as_of", "not a date", "write YYYY-MM-DD"),
    "text_number_with_unit.yaml": ("workflow[1].latency.total_s", "must be a number, not text",
                                   "remove the quotes and any unit (e.g. write 2.5, not '2.5 s')"),
    "number_with_thousands_separator.yaml": ("workflow[0].requests_per_month", "must be a number, not text",
                                             "drop the thousands separators: write 20000"),
    "number_in_e_notation.yaml": ("workflow[1].requests_per_month", "must be a number, not text",
                                  "write it out as 14000 (YAML reads 14e3 as text)"),
    # YAML itself: line and column (line numbers counted in the files, header comment included)
    "yaml_syntax_error.yaml": ("line 24, column 12", "not valid YAML: expected ',' or '}'", "check the indentation"),
    "tab_indentation.yaml": ("line 35, column 1", "not valid YAML: found character '\\t'", "spaces, not tabs"),
    "duplicate_key.yaml": ("line 38", "key 'total_s' appears twice in the same mapping", "keep one of them"),
}


def test_at_least_fifteen_broken_files_and_each_has_a_case():
    files = sorted(p.name for p in HERE.glob("*.yaml") if p.name != "valid_base.yaml")
    assert len(files) >= 15
    assert sorted(CASES) == files


def test_the_base_the_broken_files_copy_is_valid():
    s = load_scenario(HERE / "valid_base.yaml")
    assert [st.name for st in s.workflow] == ["classify_intent", "answer_with_citations"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_names_key_path_and_fix(name):
    where, message, fix = CASES[name]
    with pytest.raises(WorkbenchError) as info:
        load_scenario(HERE / name)
    matching = [p for p in info.value.problems if p.where == where]
    assert matching, f"no problem at {where!r}; got {[p.where for p in info.value.problems]}"
    p = matching[0]
    assert p.file.endswith(name)
    assert message in p.message
    assert fix in p.fix
    # the one-line text a user sees carries all of it
    text = str(info.value)
    assert f"{name}: {where}: " in text and fix in text


def test_a_typo_reports_the_unknown_key_and_the_missing_one_together():
    with pytest.raises(WorkbenchError) as info:
        load_scenario(HERE / "checklist_key_typo.yaml")
    assert [p.where for p in info.value.problems] == ["checklist.latency_targt", "checklist.latency_target"]
    assert info.value.problems[1].message == "required key is missing"


def test_two_nameless_steps_are_missing_names_not_duplicates():
    doc = {"name": "x", "title": "x", "as_of": "2026-11-20",
           "checklist": {k: "x" for k in ("task_fit", "quality_bar", "latency_target", "cost_target", "context_needs",
                                          "output_contract", "privacy_and_compliance", "licensing",
                                          "operational_burden", "migration_path")},
           "workflow": [{"role": "generator", "requests_per_month": 1, "tokens": {"input": 1, "output": 1}}] * 2}
    with pytest.raises(WorkbenchError) as info:
        scenario_from_dict(doc, "mem.yaml")
    assert [(p.where, p.message) for p in info.value.problems] == [
        ("workflow[0].name", "required key is missing"), ("workflow[1].name", "required key is missing")]


def test_a_missing_file_says_where_the_shipped_ones_are():
    with pytest.raises(WorkbenchError, match="scenario file not found. Fix: check the path"):
        load_scenario(HERE / "no_such_file.yaml")
