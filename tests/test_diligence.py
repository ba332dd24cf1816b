"""Model-card due diligence: each red and amber flag, with its reason, on a synthetic models table.

tests/fixtures/diligence/models.csv holds made-up models (not facts about real ones); the ages are
worked out by hand against the analysis date 2026-11-20.
"""
import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from workbench.catalog.diligence import (
    diligence_flags,
    diligence_for_scenario,
    diligence_table,
    licence_terms,
)
from workbench.catalog.load import load_catalog
from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario

FIXTURE = Path(__file__).parent / "fixtures" / "diligence"
AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def cat():
    return load_catalog(FIXTURE)


def flags_of(df, model_id):
    f = df[df["model_id"] == model_id]
    return sorted(zip(f["check"], f["severity"]))


def test_a_recent_permissive_model_with_safetensors_has_no_flags(cat):
    f = diligence_flags(cat, AS_OF)
    assert flags_of(f, "open_new") == []
    t = diligence_table(cat, AS_OF).set_index("model_id")
    row = t.loc["open_new"]
    # 2026-09-01 -> 2026-11-20: 29 (rest of Sep) + 31 (Oct) + 20 = 80 days
    assert (row.release_age_days, row.red_flags, row.amber_flags) == (80, 0, 0)
    assert (row.licence_family, row.safe_weights, row.intended_use) == ("Apache-2.0", "yes",
                                                                        "any lawful use (permissive licence)")


def test_pickle_only_weights_are_red_and_an_old_release_is_amber(cat):
    f = diligence_flags(cat, AS_OF)
    assert flags_of(f, "open_old") == [("maintenance", "amber"), ("maintenance", "amber"), ("weights_format", "red")]
    reasons = f.loc[f["model_id"] == "open_old", "reason"].tolist()
    # 2025-06-01 -> 2026-06-01 = 365 days; + 29 (Jun) + 31 + 31 + 30 + 31 + 20 (Nov) = 172; total 537 > 365
    assert "released 2025-06-01, 537 days before 2026-11-20 (limit 365): check it is still maintained" in reasons
    assert "Synth A has released a newer open model: open_new (2026-09-01)" in reasons
    assert any(r.startswith("only pickle-based weights (pytorch): loading them can run code") for r in reasons)
    # a longer maintenance limit clears the age flag but not the newer-model note
    f2 = diligence_flags(cat, AS_OF, max_release_age_days=600)
    assert flags_of(f2, "open_old") == [("maintenance", "amber"), ("weights_format", "red")]


def test_user_count_clause_use_policy_and_gating_are_amber(cat):
    f = diligence_flags(cat, AS_OF)
    # the restriction *is* the user-count clause: flagged once, under user_count, with the catalog's note
    assert flags_of(f, "llama_like") == [("gated", "amber"), ("intended_use", "amber"), ("user_count", "amber")]
    r = f[(f["model_id"] == "llama_like") & (f["check"] == "user_count")]["reason"].item()
    assert r == "user-count clause: over 700M monthly active users need a licence from the creator"
    # without a catalog note, the licence family's known clause is used (Qwen: 100M MAU), and its outputs clause
    assert flags_of(f, "qwen_like") == [("outputs", "amber"), ("user_count", "amber")]
    t = diligence_table(cat, AS_OF).set_index("model_id")
    assert t.loc["qwen_like", "user_count_clause"] == "more than 100M monthly active users need a separate licence"
    assert t.loc["llama_like", "gated"] == "yes"


def test_clauses_are_quoted_one_by_one_and_an_eu_clause_is_red_for_an_eu_licensee(cat):
    f = diligence_flags(cat, AS_OF)
    assert flags_of(f, "eu_clause") == [("intended_use", "amber"), ("territory", "amber"), ("user_count", "amber")]
    reason = lambda df, check: df[(df["model_id"] == "eu_clause") & (df["check"] == check)]["reason"].item()
    # only the matching part of the ';'-separated note is quoted
    assert reason(f, "user_count") == ("user-count clause: products with more than 700 million monthly active users "
                                       "need a separate licence")
    assert reason(f, "territory") == ("territorial clause: rights to its multimodal models are not granted to "
                                      "companies with their principal place of business in the European Union")
    eu = diligence_flags(cat, AS_OF, licensee_in_eu=True)
    assert ("territory", "red") in flags_of(eu, "eu_clause")
    assert reason(eu, "territory").endswith("; the scenario's licensee is in the EU")


def test_non_commercial_licence_marked_commercial_is_a_red_conflict(cat):
    f = diligence_flags(cat, AS_OF)
    assert flags_of(f, "nc_model") == [("derivatives", "amber"), ("licence", "red")]
    r = f[(f["model_id"] == "nc_model") & (f["check"] == "licence")]["reason"].item()
    assert r.startswith("the catalog says commercial use 'yes' but 'CC-BY-NC-4.0' is a Creative Commons Non-Commercial")
    # a scenario that needs fine-tuning makes 'no derivatives' red
    f2 = diligence_flags(cat, AS_OF, needs_fine_tuning=True)
    assert flags_of(f2, "nc_model") == [("derivatives", "red"), ("licence", "red")]


def test_unknown_licence_format_and_release_date_are_flagged(cat):
    f = diligence_flags(cat, AS_OF)
    assert flags_of(f, "mystery") == [("licence", "amber"), ("licence", "red"), ("maintenance", "amber"),
                                      ("weights_format", "amber")]


def test_deprecation_before_the_horizon_is_red(cat):
    # qwen_like is deprecated on 2027-03-01: after as_of, but before a 12-month horizon (2027-11-20)
    assert ("maintenance", "red") not in flags_of(diligence_flags(cat, AS_OF), "qwen_like")
    f = diligence_flags(cat, AS_OF, horizon_date="2027-11-20")
    r = f[(f["model_id"] == "qwen_like") & (f["severity"] == "red")]["reason"].item()
    assert r == "deprecated on 2027-03-01, before the horizon 2027-11-20"


def test_table_skips_closed_models_and_sorts_by_red_then_amber(cat):
    t = diligence_table(cat, AS_OF)
    assert "closed_one" not in set(t["model_id"])
    # red flags: mystery 1 (3 amber), open_old 1 (2 amber), nc_model 1 (1 amber);
    # then eu_clause 0/3, llama_like 0/3 (ties by model_id), qwen_like 0/2, open_new 0/0
    assert t["model_id"].tolist() == ["mystery", "open_old", "nc_model", "eu_clause", "llama_like", "qwen_like",
                                      "open_new"]
    assert t.loc[0, "flags"].startswith("red: commercial use not stated for licence 'SomeCorp Model License v2'")
    assert {"source", "as_of", "licence_source"} <= set(t.columns)


def test_model_ids_restrict_and_an_unknown_id_is_an_error(cat):
    assert diligence_table(cat, AS_OF, model_ids=["open_new", "closed_one"])["model_id"].tolist() == ["open_new"]
    with pytest.raises(WorkbenchError, match="did you mean 'open_new'"):
        diligence_table(cat, AS_OF, model_ids=["open_nwe"])


def test_licence_families_match_common_spellings():
    assert licence_terms("Apache 2.0").family == "Apache-2.0"
    assert licence_terms("apache-2.0").family == "Apache-2.0"
    assert licence_terms("MIT").family == "MIT"
    assert licence_terms("Modified MIT").family == "Modified MIT"   # not plain MIT
    assert licence_terms("Llama 4").family == "Llama Community License"
    assert licence_terms("MRL").kind == "non-commercial"
    assert licence_terms("Qwen Research License").kind == "non-commercial"  # before the general Qwen entry
    assert licence_terms("Gemma license").family == "Gemma Terms of Use"
    assert licence_terms("proprietary") is None and licence_terms(None) is None


def test_for_scenario_uses_its_as_of_horizon_and_fine_tuning_need(cat, tmp_path):
    text = (Path(__file__).parent / "broken_scenarios" / "valid_base.yaml").read_text()
    text = text.replace("as_of: 2026-11-20\n", "as_of: 2026-11-20\nhorizon_months: 6\nconstraints: {fine_tuning: true}\n")
    (tmp_path / "s.yaml").write_text(text)
    sc = load_scenario(tmp_path / "s.yaml")
    t = diligence_for_scenario(cat, sc).set_index("model_id")
    # horizon 2026-11-20 + 6 months = 2027-05-20 > 2027-03-01: the deprecation is red
    assert "red: deprecated on 2027-03-01, before the horizon 2027-05-20" in t.loc["qwen_like", "flags"]
    assert "the scenario needs fine-tuning" in t.loc["nc_model", "flags"]
    # regions [us, eu] is not an EU-only scenario: the EU clause stays amber; EU-only makes it red
    assert t.loc["eu_clause", "red_flags"] == 0
    eu_only = load_scenario(Path(__file__).parents[1] / "data" / "scenarios" / "compliance_review.yaml")
    assert diligence_for_scenario(cat, eu_only).set_index("model_id").loc["eu_clause", "red_flags"] == 1
    assert t.loc["open_new", "release_age_days"] == 80 and pd.notna(t.loc["open_new", "release_date"])


def test_cli_lists_red_flags_first(capsys):
    from workbench.cli import main

    scenario = str(Path(__file__).parent / "broken_scenarios" / "valid_base.yaml")
    assert main(["diligence", scenario, "--catalog", str(FIXTURE), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["model_id", "check", "severity", "reason"]
    severities = [r[2] for r in rows[1:]]
    # 4 red flags come before every amber one: mystery, nc_model, open_old, and qwen_like (deprecated
    # 2027-03-01, before the 12-month horizon 2027-11-20 of the scenario)
    assert severities[:4] == ["red"] * 4 and set(severities[4:]) == {"amber"}
    assert [r[0] for r in rows[1:5]] == ["mystery", "nc_model", "open_old", "qwen_like"]
    assert main(["diligence", scenario, "--catalog", str(FIXTURE), "--licensee-in-eu", "yes"]) == 0
    assert "licensee in the EU: yes" in capsys.readouterr().out
