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


def test_a_typo_in_the_record_block_fails_when_the_scenario_loads(tmp_path, capsys):
    """Every block is checked when the file loads: 'statsu' is named with its key path and the
    closest valid key by `python -m workbench scenario`, not later by `decide`."""
    from workbench.cli import main

    text = open("data/scenarios/support_assistant.yaml").read().replace("\nrecord:\n  status:", "\nrecord:\n  statsu:", 1)
    assert "statsu:" in text
    bad = tmp_path / "typo.yaml"
    bad.write_text(text)
    assert main(["scenario", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "record.statsu: unknown key" in err and "did you mean 'status'?" in err
