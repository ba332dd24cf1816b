"""A candidate without a speed fact is scored on the criteria it has (weights renormalised), flagged
"latency unmeasured: measure before launch", kept off the Pareto frontier, never given a latency, and
chosen as a default or fallback only when no candidate known to meet the latency target is left (and
then the decision says so).

The catalog is tests/fixtures/shortlist (synthetic) copied with two changes: acme/alpha's speed facts
are blanked, and the scenario allows training on prompts (so cheapinfer/beta passes). Numbers are
worked out by hand below.
"""
import shutil

import numpy as np
import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.mdr.draft import choose_decision
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import LATENCY_UNMEASURED
from workbench.shortlist.ranking import shortlist
from workbench.shortlist.scoring import rank_stability, weighted_score

FIXTURE = "tests/fixtures/shortlist"


@pytest.fixture
def case(tmp_path):
    d = tmp_path / "cat"
    shutil.copytree(FIXTURE, d)
    o = (d / "offerings.csv").read_text().splitlines()
    o = [line.replace("acme/alpha,alpha,acme,managed-api,2.5,10,0.25,,100,0.5,", "acme/alpha,alpha,acme,managed-api,2.5,10,0.25,,,,")
         for line in o]
    (d / "offerings.csv").write_text("\n".join(o) + "\n")
    s = (d / "scenario.yaml").read_text().replace("no_training_on_prompts: true", "no_training_on_prompts: false")
    (d / "scenario.yaml").write_text(s)
    return load_catalog(str(d)), load_scenario(str(d / "scenario.yaml"))


def test_weighted_score_renormalises_over_the_known_criteria():
    norms = np.array([[1.0, 0.0, np.nan], [0.0, 1.0, 1.0], [np.nan, np.nan, np.nan]])
    # row 0: (0.5 x 1 + 0.3 x 0) / 0.8 = 0.625; row 1: 0.3 + 0.2 = 0.5; row 2: nothing known
    s = weighted_score(norms, [0.5, 0.3, 0.2])
    assert s[0] == pytest.approx(0.625) and s[1] == pytest.approx(0.5) and np.isnan(s[2])
    # a NaN on a zero-weight criterion does not count at all
    assert weighted_score(np.array([[1.0, 0.0, np.nan]]), [0.5, 0.5, 0.0])[0] == pytest.approx(0.5)


def test_rank_stability_scores_a_row_with_a_gap_on_the_criteria_it_has():
    # row 0 has no latency; with weights (q, c) only it is (wq x 1) / (wq + wc) per sample. Row 1 is
    # 0 on quality and cost and 1 on latency. Row 0 beats row 1 whenever wq / (wq + wc) > wl, which
    # holds for every sample near (0.5, 0.3, 0.2): 0.625 vs 0.2
    pf, pt = rank_stability(np.array([[1.0, 0.0, np.nan], [0.0, 0.0, 1.0]]), [0.5, 0.3, 0.2], samples=200)
    assert pf[0] > 0.95 and pt.tolist() == [1.0, 1.0]


def test_a_candidate_without_speed_is_scored_on_quality_and_cost_and_flagged(case):
    cat, scen = case
    res = shortlist(cat, scen, "answer")
    r = res.ranked.set_index("offering_id")
    assert list(res.ranked["offering_id"]) == ["acme/alpha", "fastinfer/beta", "cheapinfer/beta"]
    assert res.ranked["scored"].all()
    # cost per request (input 1000, output 200): alpha 2.5e-3 + 2e-3 = 0.0045; fastinfer/beta
    # 2e-4 + 1.2e-4 = 0.00032; cheapinfer/beta 1e-4 + 6e-5 = 0.00016
    # latency: fastinfer 0.1 + 0.3 + 200/200 = 1.4 s; cheapinfer 0.1 + 0.8 + 200/50 = 4.9 s; alpha none
    assert r.loc["fastinfer/beta", "typical_latency_s"] == pytest.approx(1.4)
    assert np.isnan(r.loc["acme/alpha", "typical_latency_s"])  # never a made-up latency
    # norms: quality alpha 1, beta 0; cost fastinfer (0.0045-0.00032)/(0.0045-0.00016) = 0.963134;
    # latency over the measured only: fastinfer 1, cheapinfer 0, alpha empty
    assert r.loc["fastinfer/beta", "norm_cost"] == pytest.approx(0.00418 / 0.00434)
    assert np.isnan(r.loc["acme/alpha", "norm_latency"]) and r.loc["cheapinfer/beta", "norm_latency"] == 0
    # scores: alpha (0.5 x 1 + 0.3 x 0) / 0.8 = 0.625; fastinfer 0.3 x 0.963134 + 0.2 x 1 = 0.488940;
    # cheapinfer 0.3 x 1 = 0.3
    assert r.loc["acme/alpha", "score"] == pytest.approx(0.625)
    assert r.loc["fastinfer/beta", "score"] == pytest.approx(0.3 * 0.00418 / 0.00434 + 0.2)
    assert r.loc["cheapinfer/beta", "score"] == pytest.approx(0.3)
    # Pareto: only the measured two (fastinfer faster, cheapinfer cheaper); alpha is not on it
    assert r["pareto"].to_dict() == {"acme/alpha": False, "fastinfer/beta": True, "cheapinfer/beta": True}
    flags = r.loc["acme/alpha", "flags"]
    unm = [f for f in flags if f.startswith(LATENCY_UNMEASURED)]
    # the score range if it were the slowest / fastest measured: 0.625 x 0.8 = 0.5 .. 0.5 + 0.2
    assert len(unm) == 1 and "would score 0.500, as fast as the fastest 0.700" in unm[0]
    assert not any(f.startswith("latency unknown") for f in flags)
    assert not any(LATENCY_UNMEASURED in f for f in r.loc["fastinfer/beta", "flags"])
    assert any("1 scored candidates have no speed fact" in n and "quality 0.625, cost 0.375" in n for n in res.notes)


def test_without_the_option_it_is_left_unscored(case):
    cat, scen = case
    res = shortlist(cat, scen, "answer", score_without_latency=False)
    r = res.ranked.set_index("offering_id")
    assert not r.loc["acme/alpha", "scored"] and pd.isna(r.loc["acme/alpha", "rank"])
    # among the two measured: quality equal (norm 1 each); fastinfer 0.5 + 0 + 0.2 = 0.7, cheapinfer 0.5 + 0.3 = 0.8
    assert r.loc["cheapinfer/beta", "score"] == pytest.approx(0.8) and r.loc["fastinfer/beta", "score"] == pytest.approx(0.7)


def _picked(rows):
    cols = ["offering_id", "model_id", "provider", "rank", "typical_latency_s"]
    return pd.DataFrame(rows, columns=cols).assign(scored=True)


TABLE = pd.DataFrame({"offering_id": ["acme/alpha", "fastinfer/beta", "cheapinfer/beta"], "regions": ["us;eu", "us", "us"]})


def test_the_decision_prefers_a_measured_candidate_within_the_target():
    picked = _picked([("acme/alpha", "alpha", "acme", 1, np.nan), ("fastinfer/beta", "beta", "fastinfer", 2, 1.4),
                      ("cheapinfer/beta", "beta", "cheapinfer", 3, 4.9)])
    d = choose_decision(picked, TABLE, "answer", latency_target_s=6.0)
    assert (d.default, d.fallback) == ("fastinfer/beta", "cheapinfer/beta")
    assert LATENCY_UNMEASURED not in d.why


def test_an_unmeasured_default_or_fallback_says_measure_before_launch():
    # the only measured candidate is too slow (7 s > 6 s): the best rank wins, and the record says plainly
    picked = _picked([("acme/alpha", "alpha", "acme", 1, np.nan), ("fastinfer/beta", "beta", "fastinfer", 2, 7.0)])
    d = choose_decision(picked, TABLE, "answer", latency_target_s=6.0)
    assert d.default == "acme/alpha" and f"none is known to meet the latency target; {LATENCY_UNMEASURED}" in d.why
    # an unmeasured fallback says it too
    picked = _picked([("fastinfer/beta", "beta", "fastinfer", 1, 1.4), ("acme/alpha", "alpha", "acme", 2, np.nan)])
    d = choose_decision(picked, TABLE, "answer", latency_target_s=6.0)
    assert d.fallback == "acme/alpha" and d.why.endswith(f"{LATENCY_UNMEASURED} (no speed fact for it in the catalog)")


def test_cost_tables_take_measured_candidates_first(case):
    from workbench.shortlist.costs import shortlisted_offerings
    cat, scen = case
    # ranked: alpha (unmeasured, rank 1), fastinfer/beta (2), cheapinfer/beta (3); the cost tables
    # simulate latency, so the measured ones come first
    got = shortlisted_offerings(cat, scen, "answer", top=2)
    assert got["offering_id"].tolist() == ["fastinfer/beta", "cheapinfer/beta"] and got["rank"].tolist() == [2, 3]
    assert shortlisted_offerings(cat, scen, "answer")["offering_id"].tolist()[-1] == "acme/alpha"
