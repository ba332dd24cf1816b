"""Consistency under rephrasing: the paraphrases file and the verdict-change count (hand-worked fixtures)."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.evals.consistency import (
    consistency_summary,
    load_paraphrases,
    paraphrased_golden,
    verdict_changes,
)
from workbench.evals.golden import load_golden


def test_verdict_changes_by_hand():
    para = pd.DataFrame({"id": ["a~p1", "a~p2", "b~p1", "b~p2", "b~p3"], "of": ["a", "a", "b", "b", "b"],
                         "input": ["x"] * 5})
    res = pd.DataFrame({"case_id": ["a", "a~p1", "a~p2", "b", "b~p1", "b~p2", "b~p3"],
                        "task": ["classify"] * 7, "passed": [True, True, False, False, True, True, False]})
    ch = verdict_changes(res, para).set_index("case_id")
    # a passes; one of its 2 paraphrases fails -> 1 change (0.5). b fails; 2 of its 3 paraphrases pass -> 2/3
    assert ch.loc["a", "changed"] == 1 and ch.loc["a", "change_rate"] == 0.5
    assert ch.loc["b", "changed"] == 2 and ch.loc["b", "change_rate"] == pytest.approx(2 / 3)
    s = consistency_summary(ch.reset_index())
    assert s == {"cases": 2, "pairs": 5, "pairs_changed": 3, "pair_change_rate": 0.6, "cases_with_a_change": 2}
    with pytest.raises(WorkbenchError, match="has no result"):
        verdict_changes(res[res["case_id"] != "b~p3"], para)


def test_shipped_paraphrases_cover_ten_cases_and_keep_meaning_safe():
    g = load_golden()
    p = load_paraphrases(golden=g)
    assert p["of"].nunique() >= 10
    assert (p.groupby("of").size() >= 1).all()
    for r in p.itertuples():
        assert r.id.startswith(r.of + "~p")
        # no personal data: a paraphrase must not bring an address or account id the case does not allow
        assert not re.search(r"@|ACCT-\d{6}|\d{3}-\d{4}", r.input), r.id
    pg = paraphrased_golden(g, p)
    assert len(pg) == p["of"].nunique() + len(p)
    para = pg.case(p["id"].iloc[0])
    orig = g.case(p["of"].iloc[0])
    assert para.expected == orig.expected and para.task == orig.task and para.input != orig.input


def test_bad_paraphrase_files_name_the_line(tmp_path):
    g = load_golden()
    f = tmp_path / "p.jsonl"
    f.write_text("\n".join([json.dumps({"id": "cls-001~p1", "of": "cls-001", "input": "hi"}),
                            "{not json", json.dumps({"id": "cls-001~p1", "of": "cls-999", "input": "x"}),
                            json.dumps({"id": "z", "of": "cls-001", "input": " "})]) + "\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as e:
        load_paraphrases(f, golden=g)
    text = str(e.value)
    for bit in ("line 2", "not JSON", "line 3", "used twice", "cls-999", "line 4", "input"):
        assert bit in text
