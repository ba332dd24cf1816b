"""The one field-spec validator and YAML reader (workbench.spec): people-first messages, no hang."""
from __future__ import annotations

import time

import pytest

from workbench.errors import Problem, WorkbenchError
from workbench.scenario import scenario_from_text
from workbench.spec import MAX_YAML_BYTES, MAX_YAML_NODES, F, check_mapping, parse_yaml

BOMB = """a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def test_an_alias_bomb_is_refused_at_once_with_its_line():
    t0 = time.perf_counter()
    with pytest.raises(WorkbenchError) as e:
        parse_yaml(BOMB, "bomb.yaml")
    assert time.perf_counter() - t0 < 5
    p = e.value.problems[0]
    assert p.file == "bomb.yaml" and p.where.startswith("line 6,") and f"{MAX_YAML_NODES:,} values" in p.message


def test_a_bomb_inside_a_step_schema_stops_the_scenario_load():
    text = BOMB.replace("g: &g", "title: t\ng:")
    with pytest.raises(WorkbenchError, match="aliases"):
        scenario_from_text(text, "s.yaml")


def test_a_modest_alias_is_still_read():
    assert parse_yaml("x: &v {a: 1, b: [1, 2]}\ny: *v\n", "ok.yaml") == {"x": {"a": 1, "b": [1, 2]}, "y": {"a": 1, "b": [1, 2]}}


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    with pytest.raises(WorkbenchError) as e:
        parse_yaml("a: " + "x" * (MAX_YAML_BYTES + 1), "huge.yaml")
    assert f"{MAX_YAML_BYTES:,} bytes" in e.value.problems[0].message


def test_a_comma_string_where_a_list_is_expected_is_an_error_with_the_list_written_out():
    problems: list[Problem] = []
    out = check_mapping({"regions": "us, eu"}, {"regions": F("list[str]")}, "constraints", "s.yaml", problems)
    assert out == {"regions": None}
    (p,) = problems
    assert (p.where, p.message, p.fix) == ("constraints.regions", "a list written as one string",
                                           "write it as a list: regions: [us, eu]")


def test_a_single_word_still_counts_as_a_one_item_list():
    problems: list[Problem] = []
    assert check_mapping({"regions": "eu"}, {"regions": F("list[str]")}, "", "s.yaml", problems) == {"regions": ["eu"]}
    assert not problems


def test_a_sentence_with_a_comma_is_one_item_not_a_list():
    problems: list[Problem] = []
    out = check_mapping({"risks": "Latency may rise at peak, so we watch p95"}, {"risks": F("list[str]")}, "record",
                        "s.yaml", problems)
    assert out == {"risks": ["Latency may rise at peak, so we watch p95"]} and not problems
