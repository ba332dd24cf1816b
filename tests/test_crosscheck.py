"""Cross-source checks: rank correlation, strong disagreements, stale scores, mixed harnesses, the name join.

Expected values are worked out by hand in the comments. The catalog in tests/fixtures/crosscheck is
synthetic (made-up models and scores).
"""
from pathlib import Path

import pandas as pd
import pytest

from workbench.catalog.load import load_catalog
from workbench.errors import WorkbenchError
from workbench.shortlist.leaderboards import (
    MAX_RANK_GAP,
    benchmark_namespace,
    crosscheck,
    default_benchmarks,
    is_quality_benchmark,
    joined_names,
    kendall_tau_b,
    latest_scores,
    mixed_harnesses,
    rank_correlations,
    rank_disagreements,
    score_table,
    spearman_rho,
    stale_scores,
)

FIXTURE = Path(__file__).parent / "fixtures" / "crosscheck"
AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def cat():
    return load_catalog(FIXTURE)


def _scores(rows, benchmark, higher_is_better=True, as_of="2026-10-01", harness="h", source="s"):
    return pd.DataFrame([{"model_id": m, "benchmark": benchmark, "value": v, "higher_is_better": higher_is_better,
                          "harness": harness, "source": source, "as_of": pd.Timestamp(as_of)} for m, v in rows])


# ---------------------------------------------------------------------------------------------
# the rank statistics
# ---------------------------------------------------------------------------------------------

def test_spearman_and_kendall_on_four_models_by_hand():
    # arena ranks A1 B2 C3 D4; the other source swaps A and B: ranks A2 B1 C3 D4.
    # Spearman: d = (-1, 1, 0, 0), sum d^2 = 2, rho = 1 - 6*2 / (4*(16-1)) = 1 - 12/60 = 0.8
    # Kendall: 6 pairs, only (A,B) discordant: tau = (5 - 1) / 6 = 0.6667
    arena = [1400, 1350, 1300, 1250]
    other = [70, 72, 60, 50]
    assert spearman_rho(arena, other) == pytest.approx(0.8)
    assert kendall_tau_b(arena, other) == pytest.approx(4 / 6)


def test_rank_statistics_with_a_tie_by_hand():
    # x = (1, 2, 2, 3): average ranks (1, 2.5, 2.5, 4); y = (1, 3, 2, 4): ranks (1, 3, 2, 4); both means 2.5.
    # deviations x (-1.5, 0, 0, 1.5), y (-1.5, 0.5, -0.5, 1.5): sum xy = 2.25 + 2.25 = 4.5,
    # sum x^2 = 4.5, sum y^2 = 5  ->  rho = 4.5 / sqrt(4.5 * 5) = 0.948683
    # tau-b: pair signs (x*y): (1,2)+ (1,3)+ (1,4)+ (2,3)0 (tie in x) (2,4)+ (3,4)+ -> sum 5;
    # untied pairs: x 5, y 6  ->  tau_b = 5 / sqrt(30) = 0.912871
    x, y = [1, 2, 2, 3], [1, 3, 2, 4]
    assert spearman_rho(x, y) == pytest.approx(4.5 / (4.5 * 5) ** 0.5)
    assert kendall_tau_b(x, y) == pytest.approx(5 / 30 ** 0.5)


def test_rank_statistics_reverse_order_and_degenerate_inputs():
    assert spearman_rho([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert kendall_tau_b([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    # one pair left after dropping NaN: no correlation can be computed
    assert pd.isna(spearman_rho([1, None, 3], [1, 2, None]))
    assert pd.isna(kendall_tau_b([5, 5, 5], [1, 2, 3]))  # a constant side has no order


# ---------------------------------------------------------------------------------------------
# on score tables
# ---------------------------------------------------------------------------------------------

def test_rank_correlation_turns_lower_is_better_around():
    # an error rate (lower is better) that orders the models exactly as the arena does must give +1
    arena = _scores([("a", 1400), ("b", 1300), ("c", 1200)], "lmarena_text_full", source="arena")
    err = _scores([("a", 0.1), ("b", 0.2), ("c", 0.3)], "livebench_error_rate", higher_is_better=False,
                  source="livebench")
    corr = rank_correlations(pd.concat([arena, err]))
    assert len(corr) == 1
    row = corr.iloc[0]
    assert (row.n_models, row.spearman, row.kendall_tau_b) == (3, pytest.approx(1.0), pytest.approx(1.0))


def test_correlation_uses_only_models_both_sources_score_and_says_how_many(cat):
    corr = rank_correlations(cat.scores).set_index(["benchmark_a", "benchmark_b"])
    # livebench scores m_a..m_d; arena scores m_a..m_e: 4 in common.
    # newest arena rows: A 1400, B 1350, C 1300, D 1250 -> ranks A1 B2 C3 D4
    # livebench:         A 70,   B 65,   C 60,   D 75   -> ranks D1 A2 B3 C4
    # d (arena - livebench) = A -1, B -1, C -1, D 3: sum d^2 = 12; rho = 1 - 6*12/60 = -0.2
    # pairs: AB, AC, BC concordant; AD, BD, CD discordant -> tau = (3 - 3) / 6 = 0
    r = corr.loc[("livebench_average", "lmarena_text_full")]
    assert r.n_models == 4
    assert r.spearman == pytest.approx(-0.2)
    assert r.kendall_tau_b == pytest.approx(0.0)
    # the AA index scores only m_a and m_b: below the 3-model minimum, no number, and a note saying so
    r = corr.loc[("aa_intelligence_index", "lmarena_text_full")]
    assert r.n_models == 2 and pd.isna(r.spearman) and r.note == "only 2 model(s) scored by both; need 3"


def test_same_source_pairs_are_skipped_unless_asked():
    a = _scores([("a", 3), ("b", 2), ("c", 1)], "lmarena_text_full")
    b = _scores([("a", 1), ("b", 2), ("c", 3)], "lmarena_text_coding")
    both, names = pd.concat([a, b]), ["lmarena_text_full", "lmarena_text_coding"]
    assert rank_correlations(both, names).empty
    assert rank_correlations(both, names, cross_source_only=False).iloc[0].spearman == pytest.approx(-1.0)


def test_strong_rank_disagreement_is_flagged_with_the_threshold(cat):
    # n = 4: percentile = (rank - 1) / 3. D: livebench rank 1 (0.0), arena rank 4 (1.0) -> gap 1.0 > 0.4: flagged.
    # A: 2 vs 1 -> |1/3 - 0| = 0.333 <= 0.4: not flagged; B and C likewise one place apart.
    d = rank_disagreements(cat.scores, "livebench_average", "lmarena_text_full")
    assert MAX_RANK_GAP == 0.4
    assert d["model_id"].tolist()[0] == "m_d"
    top = d.iloc[0]
    assert (top.rank_a, top.rank_b, top.rank_gap, bool(top.flagged)) == (1.0, 4.0, pytest.approx(1.0), True)
    assert top.reason == ("rank 1 of 4 on livebench_average but 4 of 4 on lmarena_text_full: "
                          "percentiles differ by 1.00 > 0.4")
    rest = d.iloc[1:]
    assert rest["rank_gap"].tolist() == pytest.approx([1 / 3] * 3)
    assert not rest["flagged"].any()
    # a stricter threshold flags the one-place moves too
    assert rank_disagreements(cat.scores, "livebench_average", "lmarena_text_full", max_rank_gap=0.3)["flagged"].all()


def test_newest_snapshot_is_used_and_older_ones_kept_out(cat):
    # m_a has arena rows of 2026-06-01 (1380) and 2026-10-08 (1400): the newer one counts
    latest = latest_scores(cat.scores, ["lmarena_text_full"])
    assert latest.set_index("model_id").loc["m_a", "value"] == 1400


def test_score_table_puts_sources_side_by_side_never_averaged(cat):
    t = score_table(cat.scores, ["lmarena_text_full", "livebench_average"]).set_index("model_id")
    assert list(t.columns) == ["lmarena_text_full", "livebench_average"]
    assert t.loc["m_d"].tolist() == [1250, 75]
    assert pd.isna(t.loc["m_e", "livebench_average"])  # not scored: empty, not filled in from another source


def test_stale_and_future_scores_relative_to_as_of(cat):
    s = stale_scores(cat.scores, AS_OF).set_index(["model_id", "benchmark"])
    # 2026-01-08 -> 2026-11-20: 23 (rest of Jan) + 28+31+30+31+30+31+31+30+31 (Feb..Oct) + 20 = 316 days > 180
    assert s.loc[("m_a", "livebench_average"), "age_days"] == 316
    assert bool(s.loc[("m_a", "livebench_average"), "stale"])
    # 2026-10-08 -> 2026-11-20: 23 + 20 = 43 days: fresh
    assert s.loc[("m_a", "lmarena_text_full"), "age_days"] == 43
    assert not s.loc[("m_a", "lmarena_text_full"), "stale"]
    # 2025-08-14 -> 2026-11-20: 365 + (17 + 30 + 31 + 20 = 98) = 463 days
    assert s.loc[("m_b", "aa_intelligence_index"), "age_days"] == 463
    # m_e's arena score is dated 2026-12-01, 11 days after the analysis date
    e = s.loc[("m_e", "lmarena_text_full")]
    assert (e.age_days, bool(e.future), bool(e.stale)) == (-11, True, False)
    assert e.reason == "score dated 2026-12-01 is after the analysis date 2026-11-20: it was not known then"
    # the threshold is a parameter: with 320 days the livebench rows are no longer stale
    assert not stale_scores(cat.scores, AS_OF, max_age_days=320).set_index(
        ["model_id", "benchmark"]).loc[("m_a", "livebench_average"), "stale"]


def test_mixed_harnesses_and_index_versions_are_flagged(cat):
    m = mixed_harnesses(cat.scores)
    aa = m[m["benchmark"] == "aa_intelligence_index"]
    assert aa["mixed"].all() and len(aa) == 2
    assert aa["harness"].tolist() == ["AA Intelligence Index v2 (synthetic)", "AA Intelligence Index v4 (synthetic)"]
    assert "mixes 2 harnesses/sources" in aa["reason"].iloc[0]
    assert not m.loc[m["benchmark"] == "livebench_average", "mixed"].any()
    # restricted to one model, nothing is mixed any more
    assert not mixed_harnesses(cat.scores, model_ids=["m_a"])["mixed"].any()


def test_joined_names_show_the_external_name_behind_each_score(cat):
    n = joined_names(cat).set_index(["model_id", "benchmark"])
    assert n.loc[("m_b", "livebench_average"), "external_name"] == "Beta Large"
    assert n.loc[("m_a", "aa_intelligence_index"), "namespace"] == "artificial-analysis"
    # two entries of the arena source map to m_d: both shown, and a note
    assert n.loc[("m_d", "lmarena_text_full"), "external_name"] == "delta; delta-preview"
    assert n.loc[("m_d", "lmarena_text_full"), "note"].startswith("several of this source's entries")
    # m_c's livebench name does not say it comes from the LiveBench file: shown, but the join is loose
    assert n.loc[("m_c", "livebench_average"), "external_name"] == "gamma-instruct"
    assert n.loc[("m_c", "livebench_average"), "note"].startswith("the name-map entries do not say")
    # no lmarena name for m_e: the join is unverified
    assert not n.loc[("m_e", "lmarena_text_full"), "joined"]
    assert benchmark_namespace("lmarena_text_full") == "lmarena" and benchmark_namespace("mmlu") is None


def test_crosscheck_collects_every_flag_with_its_reason(cat):
    cc = crosscheck(cat, AS_OF)
    got = sorted(zip(cc.flags["model_id"], cc.flags["check"], cc.flags["benchmark"]))
    assert got == sorted([
        ("m_a", "mixed_harness", "aa_intelligence_index"),
        ("m_a", "stale", "livebench_average"),
        ("m_b", "mixed_harness", "aa_intelligence_index"),
        ("m_b", "stale", "aa_intelligence_index"),
        ("m_b", "stale", "livebench_average"),
        ("m_b", "unmapped_name", "aa_intelligence_index"),
        ("m_c", "stale", "livebench_average"),
        ("m_c", "untied_name", "livebench_average"),
        ("m_d", "ambiguous_name", "lmarena_text_full"),
        ("m_d", "rank_disagreement", "livebench_average vs lmarena_text_full"),
        ("m_d", "stale", "livebench_average"),
        ("m_e", "future_dated", "lmarena_text_full"),
        ("m_e", "unmapped_name", "lmarena_text_full"),
    ])
    assert (cc.flags["reason"] != "").all()
    assert cc.settings == {"as_of": AS_OF, "max_age_days": 180, "max_rank_gap": 0.4, "min_models": 3,
                           "benchmarks": ["aa_intelligence_index", "livebench_average", "lmarena_text_full"]}
    # restricted to a shortlist of three, the arena/livebench pair has 3 common models: A1 B2 C3 vs A1 B2 C3
    small = crosscheck(cat, AS_OF, model_ids=["m_a", "m_b", "m_c"])
    r = small.correlations.set_index(["benchmark_a", "benchmark_b"]).loc[("livebench_average", "lmarena_text_full")]
    assert (r.n_models, r.spearman) == (3, pytest.approx(1.0))
    assert "rank_disagreement" not in set(small.flags["check"])


def test_default_benchmarks_are_each_sources_headline_and_never_speed():
    rows = [("a", 1), ("b", 2)]
    s = pd.concat([_scores(rows, b) for b in ("lmarena_text_full", "lmarena_text_coding", "livebench_global_average",
                                              "livebench_coding", "aa_intelligence_index", "aa_median_ttft_s",
                                              "aa_median_output_tokens_per_s", "mmlu_pro")])
    # headlines where present; a namespace-less benchmark (mmlu_pro) has no headline, so it stays;
    # speed measures (names ending in _s) are never quality
    assert default_benchmarks(s) == ["aa_intelligence_index", "livebench_global_average", "lmarena_text_full", "mmlu_pro"]
    assert not is_quality_benchmark("aa_median_output_tokens_per_s")


def test_unknown_benchmark_is_an_error_with_a_suggestion(cat):
    with pytest.raises(WorkbenchError, match="did you mean 'lmarena_text_full'"):
        rank_correlations(cat.scores, ["lmarena_text_ful", "livebench_average"])


def test_bad_as_of_is_an_error():
    with pytest.raises(WorkbenchError, match="not a date"):
        stale_scores(_scores([("a", 1)], "x"), "20th of November")


def test_cli_prints_correlations_and_flags(capsys):
    from workbench.cli import main

    scenario = str(Path(__file__).parent / "broken_scenarios" / "valid_base.yaml")  # as_of 2026-11-20
    assert main(["crosscheck", scenario, "--catalog", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert "strong disagreement above a rank-percentile gap of 0.4" in out
    # the livebench/arena pair of the hand-worked example: rho -0.2, tau 0, 4 models
    assert "livebench_average      lmarena_text_full  4         -0.2      0" in out
    assert "m_d       livebench_average vs lmarena_text_full  rank_disagreement" in out
    assert main(["crosscheck", scenario, "--catalog", str(FIXTURE), "--format", "csv", "--max-age-days", "400"]) == 0
    csv = capsys.readouterr().out
    # with 400 days allowed, only the 463-day-old AA v2 score is stale
    assert csv.count(",stale,") == 1 and "m_b,aa_intelligence_index,stale" in csv
