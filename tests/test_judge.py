"""LLM-as-judge: the prompt, verdict parsing, calibration (agreement and Cohen's kappa worked by hand), and
the judge run through the same adapters as any candidate (replay, and a loopback OpenAI-compatible server)."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from fake_openai_server import serve

from workbench.errors import WorkbenchError
from workbench.evals import load_golden, make_candidate
from workbench.evals.golden import golden_dir
from workbench.evals.judge import (
    JUDGE_RUBRIC,
    cohens_kappa,
    disagreements,
    judge_agreement,
    judge_prompt,
    parse_verdict,
    run_judge,
)


def test_kappa_on_a_small_table_by_hand():
    # judge pass & label pass 20, judge pass & label fail 5, judge fail & label pass 10, both fail 15 (n = 50)
    judge = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
    label = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    # p_obs = 35/50 = 0.7; judge passes 25/50 = 0.5, label 30/50 = 0.6
    # p_chance = 0.5 x 0.6 + 0.5 x 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    assert cohens_kappa(judge, label) == pytest.approx(0.4)
    judged = pd.DataFrame({"case_id": [f"c{i}" for i in range(50)], "label_passed": label, "judge_passed": judge,
                           "judge_verdict": ["pass" if j else "fail" for j in judge], "judge_reason": ""})
    a = judge_agreement(judged)
    assert a["agreement"] == pytest.approx(0.7) and a["kappa"] == pytest.approx(0.4)
    assert a["table"].to_numpy().tolist() == [[20, 5], [10, 15]]
    assert len(disagreements(judged)) == 15


def test_kappa_edges():
    assert cohens_kappa([True, False], [True, False]) == 1.0
    assert cohens_kappa([True, False], [False, True]) == -1.0  # p_obs 0, p_chance 0.5
    assert math.isnan(cohens_kappa([True, True], [True, True]))  # chance agreement is 1
    with pytest.raises(WorkbenchError):
        cohens_kappa([True], [True, False])


def test_parse_verdict():
    assert parse_verdict('{"verdict": "PASS", "reason": "grounded"}') == ("pass", "grounded")
    assert parse_verdict('Sure.\n```json\n{"verdict": "fail", "reason": "no citation"}\n```') == ("fail", "no citation")
    assert parse_verdict("FAIL: invents a feature")[0] == "fail"
    assert parse_verdict("pass or fail? hard to say")[0] is None
    assert parse_verdict("")[0] is None


def test_judge_prompt_holds_rubric_message_articles_and_answer():
    g = load_golden()
    case = g.case("ans-001")
    p = judge_prompt(case, '{"answer": "14 days", "citations": ["hc-billing-refunds"]}', g.articles)
    system, user = p.messages[0]["content"], p.messages[1]["content"]
    assert JUDGE_RUBRIC in system and '"verdict"' in system
    assert case.input in user and '<article id="hc-billing-refunds">' in user and '"answer": "14 days"' in user
    assert p.prompt_hash != judge_prompt(case, "other answer", g.articles).prompt_hash


def test_shipped_illustrative_judge_replays_with_its_stated_agreement():
    g = load_golden()
    path = golden_dir() / "results" / "illustrative_judge.jsonl"
    meta = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert meta["provenance"] == "illustrative" and "ILLUSTRATIVE" in meta["note"]
    graded = [json.loads(l) for l in (golden_dir() / "results" / meta["graded"]).read_text().splitlines()[1:]]
    judged = run_judge(g, pd.DataFrame(graded), make_candidate(f"replay:{path}"))
    assert len(judged) == 34 and not judged["stale_prompt"].any()
    a = judge_agreement(judged)
    # the file's note: 5 verdicts flipped against the checks (3 lenient passes, 2 wrong fails)
    assert a["table"].loc["judge pass", "label fail"] == 3 and a["table"].loc["judge fail", "label pass"] == 2
    assert a["agreement"] == pytest.approx(29 / 34)


def test_judge_through_the_openai_compatible_adapter():
    g = load_golden()
    answers = pd.DataFrame({"case_id": ["ans-001", "ans-002", "cls-001"], "output": ["a", "b", "billing"],
                            "passed": [True, False, True]})

    def reply(body):  # a SYNTHETIC judge: passes every answer
        assert "Apply the rubric" in body["messages"][0]["content"]
        return '{"verdict": "pass", "reason": "ok"}'

    with serve(reply=reply) as srv:
        judge = make_candidate("openai:judge-1", base_url=srv.base_url, environ={"WORKBENCH_API_KEY": "k"})
        judged = run_judge(g, answers, judge)
        assert len(srv.requests) == 2  # the classify case is not judged
    assert judged["judge_verdict"].tolist() == ["pass", "pass"]
    assert judge_agreement(judged)["agreement"] == 0.5
