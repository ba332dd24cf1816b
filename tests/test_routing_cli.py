"""python -m workbench route: the report on a synthetic fixture, JSON output, readable errors."""
import json

from workbench.cli import main

FIX = "tests/fixtures/routing/"
ARGS = ["route", FIX + "scenario.yaml", "--golden", FIX + "golden.jsonl", "--catalog", FIX]


def test_table_report_shows_accuracy_pii_systems_and_chains(capsys):
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    assert "routing accuracy: 100.0% (6 of 6 cases take the golden set's route)" in out
    assert "personal data detection" in out
    # 11,000 requests a month x 0.002 USD (alpha/small) = 22 USD; see tests/test_routing.py for the arithmetic
    assert "only cheap (alpha/small)" in out and "22" in out
    assert "rules baseline" in out
    assert "alpha/large > alpha/small" in out          # the strong route's chain stays on one provider


def test_json_report_has_the_numbers(capsys):
    assert main(ARGS + ["--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["routing_accuracy"] == 1.0
    systems = {s["system"]: s for s in data["systems"]}
    assert systems["routed"]["usd_per_month"] == 810.5            # 50 (classify) + 760.5 (answer)
    assert systems["routed"]["usd_per_month_human"] == 750.0      # 1,000 x 1/4 x 3 USD
    assert systems["rules baseline"]["usd_per_month"] == 0.0
    chains = {c["route"]: c for c in data["fallback_chains"]}
    # strong: alpha/large then alpha/small, both on provider alpha (0.99): 0.99 x (1 - 0.01 x 0.01) = 0.989901
    assert chains["strong"]["shared_provider"] is True
    assert abs(chains["strong"]["availability"] - 0.989901) < 1e-9
    # cheap: alpha/small then beta/small, different providers: 1 - (1 - 0.9801)^2 = 0.99960399
    assert abs(chains["cheap"]["availability"] - (1 - (1 - 0.99 * 0.99) ** 2)) < 1e-12
    assert {d["case_id"]: d["rule"] for d in data["decisions"]}["a2"] == "other_customer"


def test_a_broken_routing_file_is_a_readable_error(tmp_path, capsys):
    bad = tmp_path / "routing.yaml"
    bad.write_text("routes:\n  cheap: {offering: alpha/smal}\nrules: []\ndefault: cheep\n", encoding="utf-8")
    assert main(ARGS + ["--routing", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "routing.routes.cheap.offering: no such offering in the catalog" in err
    assert "did you mean 'alpha/small'?" in err
    assert "routing.default: no such route (got 'cheep'). Fix: did you mean 'cheap'?" in err
    assert "Traceback" not in err


def test_the_golden_file_is_required(capsys):
    import pytest
    with pytest.raises(SystemExit):
        main(["route", FIX + "scenario.yaml"])
    assert "--golden" in capsys.readouterr().err
