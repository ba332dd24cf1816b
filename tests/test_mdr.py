"""Model Decision Records: the scenario's record block, drafting, comparison levels, lint, render/parse.

The catalog and scenario under tests/fixtures/mdr/ are synthetic (see its README). Worked numbers
are written out in the tests.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.errors import WorkbenchError
from workbench.mdr.comparison import comparison_frame, comparison_levels
from workbench.mdr.config import record_config
from workbench.mdr.draft import (
    capability_checks,
    choose_decision,
    pick_candidates,
    scenario_to_dict,
)
from workbench.mdr.linting import lint
from workbench.mdr.markdown import (
    md_escape,
    md_unescape,
    parse_markdown,
    read_record,
    record_facts,
    render_facts,
    render_markdown,
)
from workbench.mdr.record import (
    COMPARISON_COLUMNS,
    Candidate,
    Evaluation,
    Fact,
    Level,
    MatrixRow,
    Record,
    StepDecision,
    Trigger,
    normalise_text,
)
from workbench.pipeline import draft_record
from workbench.scenario.load import load_scenario, scenario_from_dict
from workbench.shortlist.ranking import shortlist

FIX = Path(__file__).parent / "fixtures" / "mdr"
D = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(FIX / "catalog")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(FIX / "scenario.yaml")


@pytest.fixture(scope="module")
def drafted(catalog, scenario):
    return draft_record(scenario, catalog)


def fact(v, source="synthetic test value", as_of=D, note=""):
    return Fact(v, source, as_of, note)


def cand(step, oid, provider, regions="us;eu", checked=True, **facts):
    f = {"usd_per_mtok_in": fact(1.0), "usd_per_mtok_out": fact(4.0), "regions": fact(regions),
         "license": fact("proprietary"), "commercial_use": fact("yes"), "licence_checked": fact(checked),
         "deprecation_date": fact(None)}
    f.update(facts)
    return Candidate(step, oid, oid.split("/")[1], provider, "managed-api", "test", f,
                     {"task_fit": Level("high", 1.0, "3/3 checks met")})


def clean_record(**changes) -> Record:
    """A hand-built record that lint finds nothing wrong with (each test breaks one thing)."""
    r = Record(
        number=3, title="A clean record", status="accepted", date=D, deciders=["Lead"],
        scenario={"name": "clean_case", "as_of": D}, catalog={"path": "data/catalog"},
        context="Why we decide.", decisions=[StepDecision("answer", "a/m1", "b/m2", "best rank")],
        candidates=[cand("answer", "a/m1", "a", "us"), cand("answer", "b/m2", "b", "eu")],
        evaluations=[Evaluation("answer", "a/m1", 60, 0.9, 0.002, "golden set run (synthetic)", D, "measured")],
        matrix=[MatrixRow("use_case", "A need.", "A finding.")],
        rationale="Because.", risks=["A risk."],
        reflections={"leaderboard_helped": ["Which models are close in quality for general chat."],
                     "leaderboard_could_not_prove": ["That it cites the right article on our data."],
                     "measure_before_launch": ["Success rate on 60 golden-set cases per task."],
                     "revisit_when": ["When a review trigger of this record fires."]},
        triggers=[Trigger("age_above_days", 180.0, None, None, {"date": D, "as_of": D})],
    )
    return dataclasses.replace(r, **changes)


# --------------------------------------------------------------------------------------------
# the scenario's record block
# --------------------------------------------------------------------------------------------

def test_record_config_reads_the_block(scenario):
    cfg = record_config(scenario)
    assert cfg.deciders == ("Product lead", "Backend engineer")
    assert cfg.triggers["price_change_pct"] == 20
    assert cfg.second_source == "live_average"
    assert cfg.reflections["measure_before_launch"] == ["Golden-set success rate on 50 cases."]


def test_record_config_typo_has_key_path_and_suggestion(scenario):
    bad = {"review_triggers": {"price_change_pc": 10}, "deciderz": ["x"]}
    with pytest.raises(WorkbenchError) as e:
        record_config(scenario, bad)
    wheres = {p.where: p for p in e.value.problems}
    assert "did you mean 'price_change_pct'" in wheres["record.review_triggers.price_change_pc"].fix
    assert "did you mean 'deciders'" in wheres["record.deciderz"].fix


def test_record_config_unknown_step_and_bad_threshold(scenario):
    with pytest.raises(WorkbenchError) as e:
        record_config(scenario, {"decision": {"answr": {"default": "a/b"}}, "review_triggers": {"age_days": -3}})
    text = str(e.value)
    assert "record.decision.answr: no such step" in text and "did you mean 'answer'" in text
    assert "record.review_triggers.age_days" in text


def test_shipped_scenario_leaves_the_human_parts_to_the_learner():
    """The shipped scenario holds example text only as a marked worked answer, never as the record's."""
    s = load_scenario(Path(__file__).parent.parent / "data" / "scenarios" / "support_assistant.yaml")
    cfg = record_config(s)
    assert not cfg.deciders and not cfg.rationale and not cfg.risks
    assert not any(cfg.reflections[k] for k in cfg.reflections)
    w = cfg.worked_example
    assert w["deciders"] and w["rationale"] and w["risks"] and all(w["reflections"].values())
    text = " ".join([w["rationale"], *w["risks"], *(t for v in w["reflections"].values() for t in v)])
    assert "second source cross-checked" not in text.lower()


# --------------------------------------------------------------------------------------------
# drafting
# --------------------------------------------------------------------------------------------

def test_pick_candidates_rules(catalog, scenario):
    res = shortlist(catalog, scenario, "answer")
    picked = pick_candidates(res.ranked)
    # managed closed model with the best rank; then the best open-weight; then a cheaper model than the
    # first if one is left (none: acme-mini at 0.0009 USD/request is the cheapest closed), so the next best fills
    first = res.ranked[(res.ranked["access_mode"] == "managed-api") & (res.ranked["openness"] == "closed")].iloc[0]
    assert picked.iloc[0]["offering_id"] == first["offering_id"] == "acme/acme-mini"
    assert picked.iloc[1]["picked_as"] == "open-weight option" and picked.iloc[1]["model_id"] == "open-7b"
    assert picked["model_id"].is_unique and len(picked) == 3


def test_decision_default_best_rank_fallback_other_provider(catalog, scenario, drafted):
    d = drafted.decision("answer")
    ranks = {c.offering_id: c.fact("shortlist_rank") for c in drafted.candidates}
    assert ranks[d.default] == min(ranks.values())
    assert drafted.candidate("answer", d.fallback).provider != drafted.candidate("answer", d.default).provider


def test_default_skips_a_better_ranked_candidate_that_is_too_slow():
    """Rank 1 needs 60 s where the step allows 6 s: the default is the best-ranked candidate within
    the target, and the record says why."""
    picked = pd.DataFrame({"offering_id": ["a/slow", "b/fast", "c/fast"], "provider": ["a", "b", "c"],
                           "rank": [1, 2, 3], "typical_latency_s": [60.0, 2.0, 3.0]})
    table = pd.DataFrame({"offering_id": ["a/slow", "b/fast", "c/fast"], "regions": ["us", "us", "us"]})
    d = choose_decision(picked, table, "answer", different_region=False, latency_target_s=6.0)
    assert (d.default, d.fallback) == ("b/fast", "c/fast")
    assert "within the latency target" in d.why
    none_fast = picked.assign(typical_latency_s=[60.0, 70.0, None])
    d = choose_decision(none_fast, table, "answer", different_region=False, latency_target_s=6.0)
    assert d.default == "a/slow" and "none is known to meet the latency target" in d.why


def test_drafted_facts_have_sources_dates_and_hand_worked_costs(drafted):
    c = drafted.candidate("answer", "acme/acme-mini")
    # 2000 input x 0.25 + 200 output x 2 USD per million tokens = (500 + 400) / 1e6 = 0.0009 USD per attempt
    assert c.fact("usd_per_request") == pytest.approx(0.0009)
    # attempts with p = 0.9, cap 2: (1 - 0.1^2) / 0.9 = 1.1; 10,000 x 0.0009 x 1.1 = 9.90 USD/month
    assert c.fact("usd_per_month") == pytest.approx(9.9)
    assert c.facts["usd_per_mtok_in"] == Fact(0.25, "mdr test fixture (synthetic)", dt.date(2026, 11, 1))
    assert c.facts["quality"] == Fact(1330.0, "arena (synthetic)", dt.date(2026, 10, 1), "arena_text")
    assert c.facts["quality_second"].value == 60.0 and c.facts["quality_second"].note == "live_average"
    # privacy facts come from providers.csv and say so
    assert c.facts["regions"].value == "us;eu" and c.facts["regions"].source.startswith("providers.csv")
    for name, f in c.facts.items():
        if isinstance(f.value, (int, float)) and not isinstance(f.value, bool):
            assert f.as_of is not None, name
    # 9.9 / 100 budget = 9.9% < 10% -> low cost risk
    assert c.comparison["cost_risk"].level == "low"
    assert c.comparison["cost_risk"].value == pytest.approx(0.099)


def test_drafted_record_carries_the_human_parts_and_triggers(drafted):
    assert drafted.deciders == ["Product lead", "Backend engineer"]
    assert drafted.rationale == "Synthetic rationale for the tests."
    kinds = [t.kind for t in drafted.triggers]
    assert {"price_change_pct", "deprecation_within_days", "volume_above", "age_above_days", "dominated"} <= set(kinds)
    vol = next(t for t in drafted.triggers if t.kind == "volume_above")
    assert vol.threshold == 2 * 10000  # volume_factor 2 x 10,000 planned
    assert [m.dimension for m in drafted.matrix][:3] == ["use_case", "task_fit", "candidates"]
    assert len(drafted.matrix) == 11


def test_pinned_offering_that_fails_constraints_is_an_error(catalog, scenario):
    cfg = record_config(scenario, {"candidates": {"answer": ["acme/acme-mini", "acme/acme-typo"]}})
    with pytest.raises(WorkbenchError) as e:
        draft_record(scenario, catalog, config=cfg)
    assert "acme/acme-typo" in str(e.value) and "did you mean 'acme/acme-mini'" in str(e.value)


def test_pinned_decision_is_used(catalog, scenario):
    cfg = record_config(scenario, {"decision": {"answer": {"default": "bolt/bolt-chat", "fallback": "hosty/open-7b"}}})
    r = draft_record(scenario, catalog, config=cfg)
    assert (r.decisions[0].default, r.decisions[0].fallback) == ("bolt/bolt-chat", "hosty/open-7b")
    assert r.candidate("answer", "hosty/open-7b") is not None


def test_scenario_round_trips_through_the_record(scenario):
    back = scenario_from_dict(scenario_to_dict(scenario), scenario.path)
    assert back == dataclasses.replace(scenario, record=None)


def test_capability_checks_count_unknown_as_not_met(scenario):
    step = scenario.step("answer")
    row = pd.Series({"structured_outputs": pd.NA, "context_tokens": 32768.0, "max_output_tokens": 4096.0,
                     "input_modalities": "text"})
    met, total, missing = capability_checks(row, step)
    # checks: structured outputs (unknown -> not met), context >= 16,000, output >= 200, text input
    assert (met, total) == (3, 4) and missing == ["structured outputs"]


# --------------------------------------------------------------------------------------------
# comparison levels: each rule with its boundary
# --------------------------------------------------------------------------------------------

def test_comparison_levels_rules():
    inputs = pd.DataFrame({
        "checks_met": [4, 3, 1], "checks_total": [4, 4, 4],
        "quality_percentile": [67.0, 33.0, np.nan],
        "typical_latency_s": [3.0, 6.0, np.nan], "latency_target_s": [6.0, 6.0, 6.0],
        "p95_s": [4.0, 9.0, np.nan], "p95_target_s": [8.0, 8.0, 8.0],
        "usd_per_month": [9.99, 10.0, 33.0],
        "trains_on_data": [False, False, pd.NA], "zero_data_retention": [True, False, True],
        "regions": ["us;eu", "us", "us"],
        "access_mode": ["managed-api", "hosted-inference", "managed-api"],
        "peak_rpm": [1.0, 1.0, 600.0], "limit_use": [0.1, np.nan, 1.2],
        "providers_serving_model": [3, 2, 1], "openness": ["closed", "open-weight", "closed"],
    })
    lv = comparison_levels(inputs, budget_usd_per_month=100.0, required_regions=("us", "eu"))
    assert list(lv["task_fit"]) == ["high", "medium", "low"]            # 0, 1, 3 checks missing
    assert list(lv["expected_quality"]) == ["high", "medium", "low"]    # 67 -> high, 33 -> medium, no score -> low
    # latency: max(3/6, 4/8) = 0.5 -> low; max(6/6, 9/8 = 1.125) -> high; no speed -> high
    assert list(lv["latency_risk"]) == ["low", "high", "high"]
    assert lv["latency_risk_value"].iloc[1] == pytest.approx(1.125)
    # cost: 9.99% -> low, 10% -> medium, 33% -> high
    assert list(lv["cost_risk"]) == ["low", "medium", "high"]
    # privacy: ZDR + no training + regions inside -> low; no ZDR -> medium; training unknown -> high
    assert list(lv["privacy_risk"]) == ["low", "medium", "high"]
    # ops: managed low; hosted-inference medium; over the rate limit (use 1.2) -> high
    assert list(lv["operational_burden"]) == ["low", "medium", "high"]
    # migration: 3 providers low; 2 providers medium, open weights lower it to low; 1 provider high
    assert list(lv["migration_difficulty"]) == ["low", "low", "high"]
    assert lv["cost_risk_shown"].iloc[0] == "9.99 USD/month = 10.0% of 100 budget"


def test_comparison_without_budget_is_relative_to_cheapest():
    lv = comparison_levels(pd.DataFrame({"usd_per_month": [10.0, 20.0, 50.0, 51.0]}))
    # ratios 1, 2, 5, 5.1 -> low, low, medium, high
    assert list(lv["cost_risk"]) == ["low", "low", "medium", "high"]


def test_comparison_frame_has_the_seven_columns(drafted):
    cf = comparison_frame(drafted)
    assert list(cf.columns[-7:]) == list(COMPARISON_COLUMNS)
    assert set(cf["decision"]) == {"default", "fallback", "candidate"}
    assert cf.iloc[0]["cost_risk"].startswith(("low (", "medium (", "high ("))


# --------------------------------------------------------------------------------------------
# lint: each finding on a record built to have it
# --------------------------------------------------------------------------------------------

def codes(record) -> list[str]:
    return list(lint(record)["code"])


def test_clean_record_has_no_findings():
    assert codes(clean_record()) == []


def test_lint_stale_speed_of_a_decided_candidate():
    # D is 2026-11-20: a speed dated 2026-05-23 is 181 days old (limit 180) -> stale; 2026-05-24 (180) is not
    old = cand("answer", "a/m1", "a", "us", ttft_s=fact(0.4, as_of=dt.date(2026, 5, 23)),
               output_tokens_per_s=fact(90.0, as_of=dt.date(2026, 5, 23)))
    r = clean_record(candidates=[old, cand("answer", "b/m2", "b", "eu")])
    assert codes(r) == ["stale_speed"]
    assert "dated 2026-05-23, 181 days before the record (limit 180)" in lint(r)["message"].iloc[0]
    ok = cand("answer", "a/m1", "a", "us", ttft_s=fact(0.4, as_of=dt.date(2026, 5, 24)))
    assert codes(clean_record(candidates=[ok, cand("answer", "b/m2", "b", "eu")])) == []


def test_lint_record_dated_before_a_fact_it_cites():
    later = cand("answer", "b/m2", "b", "eu", trains_on_data=fact(False, as_of=dt.date(2026, 11, 28)))
    r = clean_record(candidates=[cand("answer", "a/m1", "a", "us"), later])
    assert codes(r) == ["dated_before_fact"]
    assert lint(r)["message"].iloc[0] == ("the record is dated 2026-11-20, before 1 fact(s) it cites "
                                          "(trains_on_data); newest: b/m2 trains_on_data as_of 2026-11-28")


def test_lint_no_fallback():
    r = clean_record(decisions=[StepDecision("answer", "a/m1", None)])
    assert codes(r) == ["no_fallback"]


def test_lint_fallback_same_provider():
    r = clean_record(candidates=[cand("answer", "a/m1", "a", "us"), cand("answer", "b/m2", "a", "eu")])
    assert codes(r) == ["fallback_same_provider"]


def test_lint_fallback_same_region():
    r = clean_record(candidates=[cand("answer", "a/m1", "a", "us;eu"), cand("answer", "b/m2", "b", "eu;us")])
    assert codes(r) == ["fallback_same_region"]
    assert "eu;us" in lint(r)["message"].iloc[0]


def test_lint_fallback_too_slow():
    slow = cand("answer", "b/m2", "b", "eu")
    slow.comparison["latency_risk"] = Level("high", 10.1, "typical 60.6 s of 6 s")
    r = clean_record(candidates=[cand("answer", "a/m1", "a", "us"), slow])
    f = lint(r)
    assert list(f["code"]) == ["fallback_too_slow"] and "typical 60.6 s of 6 s" in f["message"].iloc[0]


def test_lint_default_too_slow():
    slow = cand("answer", "a/m1", "a", "us")
    slow.comparison["latency_risk"] = Level("high", None, "no speed data")
    r = clean_record(candidates=[slow, cand("answer", "b/m2", "b", "eu")])
    assert codes(r) == ["default_too_slow"]


def test_lint_no_review_trigger():
    assert codes(clean_record(triggers=[])) == ["no_review_trigger"]


def test_lint_number_without_a_date():
    c = cand("answer", "a/m1", "a", "us", usd_per_month=Fact(12.5, "computed", None))
    r = clean_record(candidates=[c, cand("answer", "b/m2", "b", "eu")])
    f = lint(r)
    assert list(f["code"]) == ["undated_number"] and "'usd_per_month' = 12.5" in f["message"].iloc[0]


def test_lint_undated_trigger_baseline():
    r = clean_record(triggers=[Trigger("price_change_pct", 20.0, "answer", "a/m1", {"usd_per_mtok_in": 1.0})])
    assert codes(r) == ["undated_number"]


def test_lint_small_evaluation():
    r = clean_record(evaluations=[Evaluation("answer", "a/m1", 49, 0.9, None, "golden (synthetic)", D)])
    f = lint(r)
    assert list(f["code"]) == ["small_evaluation"] and "only 49 golden-set cases" in f["message"].iloc[0]


def test_lint_no_and_illustrative_evaluation():
    assert codes(clean_record(evaluations=[])) == ["no_evaluation"]
    r = clean_record(evaluations=[Evaluation("answer", "a/m1", 60, 0.9, None, "replay", D, "illustrative")])
    assert codes(r) == ["illustrative_evaluation"]


def test_lint_licence_not_checked():
    r = clean_record(candidates=[cand("answer", "a/m1", "a", "us", checked=False), cand("answer", "b/m2", "b", "eu")])
    assert codes(r) == ["licence_not_checked"]


def test_lint_missing_human_parts():
    r = clean_record(deciders=[], rationale="", risks=[],
                     reflections={**clean_record().reflections, "leaderboard_helped": []})
    assert codes(r) == ["missing_deciders", "missing_rationale", "missing_risks", "missing_reflection"]
    assert "What did the leaderboard help you understand?" in lint(r)["fix"].iloc[3]


def test_lint_placeholders_and_short_reflections():
    refl = {**clean_record().reflections, "revisit_when": ["Later."], "leaderboard_helped": ["TODO"]}
    r = clean_record(rationale="TBD", deciders=["..."], reflections=refl)
    f = lint(r)
    assert list(f["code"]) == ["short_reflection", "placeholder", "placeholder", "placeholder"]
    assert "'Later.' is shorter than a sentence" in f["message"].iloc[0]
    assert list(f["where"].iloc[1:]) == ["front matter: deciders", "Rationale",
                                         "Reflections: What the leaderboard helped us understand"]
    # four words is short, five is a sentence
    assert codes(clean_record(reflections={**refl, "leaderboard_helped": ["One two three four."],
                                           "revisit_when": ["One two three four five."]})) == ["short_reflection"]


# each contradiction check, firing and silent: the clean record's default a/m1 has a golden-set result
# and (below) no second-source score

def test_lint_claims_second_source_fires_and_stays_silent():
    says = "A second source cross-checked the ranking, so one leaderboard did not decide alone."
    r = clean_record(rationale=says)
    f = lint(r)
    assert list(f["code"]) == ["claims_second_source"] and "a/m1 has no second-source score" in f["message"].iloc[0]
    assert codes(clean_record(rationale="No second source scores a/m1, so the ranking rests on one leaderboard.")) == []
    c = cand("answer", "a/m1", "a", "us", quality_second=fact(61.0, note="live_average"))
    assert codes(clean_record(rationale=says, candidates=[c, cand("answer", "b/m2", "b", "eu")])) == []


def test_lint_claims_evaluated_fires_and_stays_silent():
    says = "We evaluated a/m1 on the golden set and it passed."
    assert codes(clean_record(rationale=says)) == []  # a/m1 has a golden-set result
    f = lint(clean_record(rationale=says, evaluations=[]))
    assert "claims_evaluated" in list(f["code"])
    assert "a/m1 has no golden-set result in the record" in f.loc[f["code"] == "claims_evaluated", "message"].iloc[0]
    # a plan is not a claim, and "What we will measure" holds plans
    plan = "We will evaluate it on the golden set before launch."
    assert "claims_evaluated" not in codes(clean_record(rationale=plan, evaluations=[]))


def test_lint_unknown_model_fires_and_stays_silent():
    assert codes(clean_record(rationale="We prefer a/m1 over b/m2 for its regions.")) == []
    f = lint(clean_record(rationale="We prefer a/m1 over a/m9 for its regions."))
    assert list(f["code"]) == ["unknown_model"] and "names a/m9" in f["message"].iloc[0]
    # with the catalog's ids, a bare model id is found too; a compared model's id is fine
    known = {"m1", "m2", "gpt-zeta", "a/m1", "b/m2"}
    assert list(lint(clean_record(rationale="We prefer m1 to m2."), known)["code"]) == []
    f = lint(clean_record(rationale="Unlike gpt-zeta, m1 keeps data in the US."), known_models=known)
    assert list(f["code"]) == ["unknown_model"] and "names gpt-zeta" in f["message"].iloc[0]


# --------------------------------------------------------------------------------------------
# inert text and rounded numbers
# --------------------------------------------------------------------------------------------

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil></iframe>",
           "# heading", "a | pipe", "line one\n# line two", "back\\slash \\| [link](x)", "- item", "&amp; kept", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_is_inert_and_reversible(text):
    e = md_escape(text)
    assert "<" not in e.replace("<br>", "") and ">" not in e.replace("<br>", "") and "\n" not in e
    assert not e.startswith(("#", "-")) and "|" not in e.replace("\\|", "")
    assert md_unescape(e) == text


def test_hostile_values_render_inert_and_round_trip():
    bad = "<script>alert(1)</script>"
    c = cand("answer", "a/<img src=x onerror=alert(1)>", "a", "us",
             quality=fact(1300.0, "arena line 1\n# Injected heading | with pipe", note="arena"))
    c = dataclasses.replace(c, model_id="<iframe src=//x>")
    r = clean_record(title=f"Title {bad}", context=f"Description {bad}", candidates=[c, cand("answer", "b/m2", "b", "eu")],
                     decisions=[StepDecision("answer", c.offering_id, "b/m2", "best rank")],
                     scenario={"name": "clean_case", "title": bad, "as_of": D},
                     matrix=[MatrixRow("use_case", f"needs {bad}", "found | it\n## not a heading")])
    text, facts = render_markdown(r), render_facts(r)
    for raw in ("<script", "<img", "<iframe"):
        assert raw not in text
    assert not any(ln.startswith("# Injected") or ln.startswith("## not a heading") for ln in text.splitlines())
    assert "1. arena line 1<br># Injected heading \\| with pipe\n" in text  # the Sources item stays one line
    assert parse_markdown(text, "x.md", facts=facts) == r


def test_numbers_are_rounded_for_people():
    from workbench.mdr.record import fmt_value
    assert fmt_value(8.601250000000002e-06) == "0.0000086"
    assert fmt_value(0.1806) == "0.1806" and fmt_value(1210.0) == "1,210" and fmt_value(3.2126) == "3.213"
    assert fmt_value(0.01024) == "0.01024" and fmt_value(0.0042) == "0.0042" and fmt_value(None) == "unknown"


# --------------------------------------------------------------------------------------------
# render and parse
# --------------------------------------------------------------------------------------------

def tricky_record() -> Record:
    """Pipes in table cells, several paragraphs, empty lists, supersede links, no fallback, odd facts."""
    r = clean_record(
        title="Models | with a pipe", status="superseded", supersedes="0001-old.md", superseded_by="0004-new.md",
        context=normalise_text("First paragraph\nwraps here.\n\nSecond   paragraph."),
        decisions=[StepDecision("answer", "a/m1", None, "only one passed")],
        matrix=[MatrixRow("quality", "needs | pipes", "found 1,400 (arena, 2026-10-01)"),
                MatrixRow("context", "", "")],
        risks=[], rationale="",
        reflections={"leaderboard_helped": [], "leaderboard_could_not_prove": ["Tone – in *our* voice"],
                     "measure_before_launch": [], "revisit_when": []},
        evaluations=[],
        triggers=[Trigger("dominated", None, "answer", "a/m1", {"quality": 1400.0, "usd_per_request": 0.0009,
                                                                "typical_latency_s": None, "as_of": D})],
    )
    c = r.candidates[0]
    c.facts["note_text"] = Fact("yes", "a source: with colon", None, "looks like a bool")
    c.facts["a_date"] = Fact("2026-12-31", "models.csv", D)
    return r


@pytest.mark.parametrize("make", [clean_record, tricky_record], ids=["clean", "tricky"])
def test_round_trip_hand_built(make):
    r = make()
    text, facts = render_markdown(r), render_facts(r)
    back = parse_markdown(text, "x.md", facts=facts)
    assert back == r
    assert render_markdown(back) == text and render_facts(back) == facts


def test_round_trip_drafted(drafted):
    assert parse_markdown(render_markdown(drafted), facts=render_facts(drafted)) == drafted


def test_round_trip_drafted_with_evaluations(catalog, scenario):
    ev = pd.DataFrame([{"step": "answer", "candidate": "acme/acme-mini", "n_cases": 60, "success_rate": 0.9,
                        "cost_per_success_usd": 0.0011, "source": "golden set (synthetic)", "as_of": "2026-11-18",
                        "label": "synthetic"}])
    r = draft_record(scenario, catalog, evaluations=ev, number=7)
    assert r.evaluations[0].as_of == dt.date(2026, 11, 18)
    assert any(t.kind == "golden_set_drop_pp" for t in r.triggers)
    assert parse_markdown(render_markdown(r), facts=render_facts(r)) == r
    assert r.filename == "0007-mdr-fixture.md" and r.facts_filename == "0007-mdr-fixture.facts.yaml"


def test_rendered_record_has_front_matter_and_sections(drafted):
    text = render_markdown(drafted)
    assert text.startswith("---\nstatus: proposed\ndate: 2026-11-20\ndeciders: [Product lead, Backend engineer]\n")
    for heading in ("## Decision", "## Decision matrix", "## Comparison", "## Evaluation", "## Rationale", "## Risks",
                    "### What the leaderboard helped us understand", "### What it could not prove",
                    "### What we will measure before launch", "### When we revisit", "## Review triggers",
                    "## Sources", "[0001-mdr-fixture.facts.yaml](0001-mdr-fixture.facts.yaml)"):
        assert heading in text
    assert "mdr-facts" not in text  # the facts live in the sidecar file
    # the front matter is line 1 and a blank line precedes its closing '---' (no setext heading)
    lines = text.splitlines()
    close = lines.index("---", 1)
    assert lines[0] == "---" and lines[close - 1] == "" and "facts: 0001-mdr-fixture.facts.yaml" in lines[:close]


def test_facts_block_holds_prices_with_source_and_date(drafted):
    facts = record_facts(drafted)
    c = next(x for x in facts["candidates"] if x["offering_id"] == "acme/acme-mini")
    assert c["facts"]["usd_per_mtok_out"] == {"value": 2.0, "source": "mdr test fixture (synthetic)",
                                              "as_of": dt.date(2026, 11, 1)}


def test_parse_errors_name_the_file_and_part(drafted):
    text, facts = render_markdown(drafted), render_facts(drafted)
    with pytest.raises(WorkbenchError, match="r.md: line 1: the record has no front matter"):
        parse_markdown(text.split("---", 2)[2], "r.md", facts=facts)
    with pytest.raises(WorkbenchError, match="front matter: status: not an allowed status.*did you mean 'accepted'"):
        parse_markdown(text.replace("status: proposed", "status: acceptd", 1), "r.md", facts=facts)
    broken = facts.replace("  offering_id: acme/acme-mini\n", "", 1)
    with pytest.raises(WorkbenchError, match=r"facts block: candidates\[\d\]\.offering_id: is missing"):
        parse_markdown(text, "r.md", facts=broken)
    with pytest.raises(WorkbenchError, match=r"r.md: facts: the record's facts \(0001-mdr-fixture.facts.yaml\) were not given"):
        parse_markdown(text, "r.md")
    with pytest.raises(WorkbenchError, match="aliases"):
        parse_markdown(text, "r.md", facts="a: &x [1, 2]\nb: *x\n")
    with pytest.raises(WorkbenchError, match="record not found"):
        read_record(FIX / "no-such-record.md")


def test_with_human_parts_fills_only_what_is_given():
    from workbench.mdr.record import with_human_parts
    r = clean_record(rationale="", risks=[])
    mine = with_human_parts(r, {"rationale": "  Quality first,\n then   cost. ", "revisit_when": ["When prices move by 20%."],
                                "risks": ["", "A provider outage."]})
    assert mine.rationale == "Quality first, then cost." and mine.risks == ["A provider outage."]
    assert mine.reflections["revisit_when"] == ["When prices move by 20%."]
    assert mine.reflections["leaderboard_helped"] == r.reflections["leaderboard_helped"] and mine.deciders == ["Lead"]
    with pytest.raises(WorkbenchError, match="rationalle: not a human part"):
        with_human_parts(r, {"rationalle": "x"})
