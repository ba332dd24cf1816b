"""Property tests (hypothesis) for the shortlist's Pareto frontier, weight scaling and rank stability."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.catalog.load import catalog_from_frames
from workbench.scenario.load import scenario_from_dict
from workbench.shortlist.pool import candidates
from workbench.shortlist.ranking import shortlist
from workbench.shortlist.scoring import pareto_front, rank_stability

SYN = "synthetic property-test row"
CHECKLIST = {k: "synthetic" for k in ("task_fit", "quality_bar", "latency_target", "cost_target", "context_needs",
                                      "output_contract", "privacy_and_compliance", "licensing", "operational_burden",
                                      "migration_path")}
SCENARIO = scenario_from_dict({
    "name": "p", "title": "synthetic", "as_of": "2026-11-20", "checklist": CHECKLIST, "quality_benchmark": "q",
    "workflow": [{"name": "s", "role": "generator", "requests_per_month": 1, "tokens": {"input": 1000, "output": 200}}],
}, "property.yaml")

# a small grid of values makes ties and exact dominance frequent, which is where bugs hide
coord = st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.5])
points = st.lists(st.tuples(coord, coord, coord), min_size=1, max_size=25)


def dominates(a, b) -> bool:
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


@given(points)
def test_pareto_front_is_exactly_the_non_dominated_set(pts):
    mask = pareto_front(np.array(pts))
    for i, p in enumerate(pts):
        dominated = any(dominates(q, p) for j, q in enumerate(pts) if j != i)
        assert mask[i] == (not dominated)


price = st.sampled_from(["0.1", "0.5", "1", "2.5", "10"])
speed = st.sampled_from(["20", "50", "100", "250"])
ttft = st.sampled_from(["0.2", "0.5", "1", "2"])
quality = st.sampled_from([1100, 1200, 1250, 1300, 1400])
offer = st.tuples(price, price, speed, ttft, quality)
weight = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)


def catalog(rows):
    models = pd.DataFrame([dict(model_id=f"m{i}", name=f"M{i}", creator="c", model_type="chat", openness="closed",
                                license="proprietary", commercial_use="yes", source=SYN, as_of="2026-11-01")
                           for i in range(len(rows))])
    offers = pd.DataFrame([dict(offering_id=f"p/m{i}", model_id=f"m{i}", provider="p", access_mode="managed-api",
                                usd_per_mtok_in=r[0], usd_per_mtok_out=r[1], output_tokens_per_s=r[2], ttft_s=r[3],
                                source=SYN, as_of="2026-11-01") for i, r in enumerate(rows)])
    scores = pd.DataFrame([dict(model_id=f"m{i}", benchmark="q", value=str(r[4]), higher_is_better="yes", harness="h",
                                source=SYN, as_of="2026-10-01") for i, r in enumerate(rows)])
    return candidates(catalog_from_frames({"models": models, "offerings": offers, "scores": scores}))


@settings(max_examples=40, deadline=None)
@given(st.lists(offer, min_size=2, max_size=8), st.tuples(weight, weight, weight), st.floats(0.01, 1000))
def test_scaling_all_weights_changes_no_rank(rows, w, k):
    if sum(w) <= 0:
        w = (1.0, 1.0, 1.0)
    cand = catalog(rows)
    base = shortlist(cand, SCENARIO, weights=dict(zip(("quality", "cost", "latency"), w)), samples=50)
    scaled = shortlist(cand, SCENARIO, weights=dict(zip(("quality", "cost", "latency"), (k * x for x in w))), samples=50)
    assert base.ranked["offering_id"].tolist() == scaled.ranked["offering_id"].tolist()
    assert base.ranked["rank"].tolist() == scaled.ranked["rank"].tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(offer, min_size=2, max_size=8), st.integers(0, 2**32 - 1))
def test_shortlist_pareto_never_contains_a_dominated_candidate(rows, seed):
    res = shortlist(catalog(rows), SCENARIO, samples=20, seed=seed)
    r = res.ranked
    crit = np.column_stack([-r["quality"], r["usd_per_request"], r["typical_latency_s"]])
    for i in np.flatnonzero(r["pareto"].to_numpy()):
        assert not any(dominates(crit[j], crit[i]) for j in range(len(r)) if j != i)


norms = st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(norms, st.tuples(weight, weight, weight), st.integers(0, 2**32 - 1))
def test_stability_is_identical_for_the_same_seed(n, w, seed):
    if sum(w) <= 0:
        w = (1.0, 0.0, 0.0)
    a = rank_stability(np.array(n), w, samples=200, seed=seed)
    b = rank_stability(np.array(n), w, samples=200, seed=seed)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    # shares: exactly one first place and min(3, n) top-3 places per draw
    assert np.isclose(a[0].sum(), 1.0) and np.isclose(a[1].sum(), min(3, len(n)))


@settings(max_examples=15, deadline=None)
@given(st.lists(offer, min_size=2, max_size=6), st.integers(0, 1000))
def test_shortlist_stability_columns_repeat_for_the_same_seed(rows, seed):
    cand = catalog(rows)
    a = shortlist(cand, SCENARIO, samples=100, seed=seed).ranked
    b = shortlist(cand, SCENARIO, samples=100, seed=seed).ranked
    pd.testing.assert_series_equal(a["p_first"], b["p_first"])
    pd.testing.assert_series_equal(a["p_top3"], b["p_top3"])
