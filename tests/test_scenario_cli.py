"""python -m workbench scenario: a valid file prints its workflow; a broken one prints the problem, exit code 2."""
import json
from pathlib import Path

from workbench.cli import main

HERE = Path(__file__).parent / "broken_scenarios"


def test_valid_scenario_prints_the_workflow(capsys):
    assert main(["scenario", str(HERE / "valid_base.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("broken_example: A small scenario used to test error messages (as_of 2026-11-20, 2 steps) - valid")
    assert "classify_intent        classifier/router  chat        20000" in out


def test_broken_scenario_exits_2_with_the_key_path_and_fix(capsys):
    assert main(["scenario", str(HERE / "unknown_key_typo.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("unknown_key_typo.yaml: workflow[1].latency.p95: unknown key. Fix: did you mean 'p95_s'?")
    assert "Traceback" not in err


def test_json_has_every_table(capsys):
    assert main(["scenario", str(HERE / "valid_base.yaml"), "--show", "all", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"scenario", "title", "as_of", "workflow", "checklist", "constraints"}
    assert doc["workflow"][1]["p95_s"] == 8.0 and len(doc["checklist"]) == 10
