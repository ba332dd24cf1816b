"""python -m workbench shortlist: per step, ranked candidates with scores and Pareto flags, and every
excluded candidate with all its reasons (on the synthetic fixture catalog in tests/fixtures/shortlist)."""
import json
import subprocess
import sys

from workbench.cli import main

FIXTURE = "tests/fixtures/shortlist"
ARGS = ["shortlist", f"{FIXTURE}/scenario.yaml", "--catalog", FIXTURE]


def test_json_lists_ranked_and_excluded_per_step(capsys):
    assert main(ARGS + ["--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["step"] for s in out["steps"]] == ["answer", "embed"]
    answer = out["steps"][0]
    assert [r["offering_id"] for r in answer["ranked"]] == ["fastinfer/beta", "acme/alpha"]
    first = answer["ranked"][0]
    # fastinfer/beta: 1000 x 0.2 + 200 x 0.6 = 320 micro-USD; frontier; score 0.5 (tie with alpha, cheaper first)
    assert first["usd_per_request"] == 0.00032 and first["pareto"] is True and first["score"] == 0.5
    assert first["rank"] == 1 and 0 <= first["p_first"] <= 1 and first["quality_as_of"] == "2026-10-01"
    excluded = {e["offering_id"]: e for e in answer["excluded"]}
    assert excluded["farhost/beta"]["failed"] == ["regions", "structured_outputs"]
    assert len(excluded["farhost/beta"]["reasons"]) == 2
    assert excluded["acme/vec"]["failed"] == ["model_type", "structured_outputs", "context_tokens"]
    assert answer["n_excluded"] == 8 and answer["n_scored"] == 2


def test_top_and_step(capsys):
    assert main(ARGS + ["--format", "json", "--step", "answer", "--top", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["steps"]) == 1 and len(out["steps"][0]["ranked"]) == 1
    assert out["steps"][0]["n_ranked"] == 2


def test_table_md_and_csv(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # the text table fits the terminal; fix its width for the test
    assert main(ARGS + ["--step", "answer"]) == 0
    text = capsys.readouterr().out
    assert "== step 'answer'" in text and "fastinfer/beta" in text and "excluded (8), every failed constraint" in text
    assert main(ARGS + ["--step", "answer", "--format", "md"]) == 0
    assert "| rank | offering_id |" in capsys.readouterr().out
    assert main(ARGS + ["--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("step,status,rank,offering_id")
    assert sum(1 for l in lines if l.startswith("answer,excluded,")) == 8


def test_unknown_step_is_a_readable_error(capsys):
    assert main(ARGS + ["--step", "anwser"]) == 2
    err = capsys.readouterr().err
    assert "step 'anwser': no such step in the workflow" in err and "did you mean 'answer'" in err


def test_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "workbench", *ARGS, "--format", "json", "--step", "embed"],
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["steps"][0]["ranked"][0]["offering_id"] == "acme/vec"


def test_text_fits_the_terminal_and_json_keeps_every_reason(monkeypatch, capsys):
    """At 100 columns no printed line is wider; exclusions are summarised per constraint first, and
    offerings of a model type the step cannot use are counted, not listed (unless --all); json still
    carries every reason of every excluded offering."""
    monkeypatch.setenv("COLUMNS", "100")
    args = ["shortlist", "data/scenarios/support_assistant.yaml", "--step", "answer_with_citations"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "offerings failing each constraint" in text and "(--all lists them)" in text
    assert "text-embedding-3-small\n" not in text          # an embedding model: counted, not listed
    assert main(args + ["--all"]) == 0
    assert "openai/text-embedding-3-small\n" in capsys.readouterr().out
    assert main(args + ["--format", "json"]) == 0
    step = json.loads(capsys.readouterr().out)["steps"][0]
    assert len(step["excluded"]) == step["n_excluded"]
    assert all(len(e["reasons"]) == len(e["failed"]) >= 1 for e in step["excluded"])
    assert any(len(line) > 100 for e in step["excluded"] for line in e["reasons"])  # full text, not wrapped
