"""workbench.shortlist: every hard constraint with its reason, step-mix pricing, scoring, Pareto, stability.

Catalogs here are built in memory from synthetic rows (``source`` says so); each test changes the
one fact it is about. Expected numbers are worked out by hand in the comments.
"""
import math

import numpy as np
import pandas as pd
import pytest

from workbench.catalog.load import catalog_from_frames, load_catalog
from workbench.costs.steps import step_costs
from workbench.errors import WorkbenchError
from workbench.scenario.load import load_scenario, scenario_from_dict
from workbench.shortlist.constraints import with_constraints
from workbench.shortlist.pool import (
    EXCLUDED_COLUMNS,
    RANKED_COLUMNS,
    candidates,
    offering_latency_s,
    request_cost_at_3to1_usd,
)
from workbench.shortlist.ranking import (
    leaderboard_top_vs_pick,
    offerings_of,
    provider_spread,
    shortlist,
    shortlist_all,
)
from workbench.shortlist.scoring import (
    normalise,
    pareto_front,
    rank_stability,
    sample_weights,
)

SYN = "synthetic test row"
FIXTURE = "tests/fixtures/shortlist"

MODEL = dict(model_id="m1", name="M1", creator="C", model_type="chat", openness="closed", license="proprietary",
             commercial_use="yes", fine_tuning="yes", context_tokens="128000", max_output_tokens="16000",
             input_modalities="text", source=SYN, as_of="2026-11-01")
OFFER = dict(offering_id="p/m1", model_id="m1", provider="p", access_mode="managed-api", usd_per_mtok_in="1",
             usd_per_mtok_out="4", output_tokens_per_s="100", ttft_s="0.5", structured_outputs="yes",
             tool_calling="yes", prompt_caching="yes", batch_api="yes", zero_data_retention="yes",
             trains_on_data="no", regions="us;eu", source=SYN, as_of="2026-11-01")
SELF = dict(access_mode="self-hosted", usd_per_mtok_in="", usd_per_mtok_out="", gpu="L40S", gpu_count="1",
            tokens_per_s_per_gpu="800", assumptions="assumed throughput (synthetic)", zero_data_retention="",
            trains_on_data="", regions="")
GPU = dict(gpu="L40S", vram_gb="48", provider="cloud", market="on-demand", usd_per_hour="1", source=SYN, as_of="2026-11-01")


def score(model_id, value, as_of="2026-10-01", benchmark="arena", source="arena (synthetic)", harness="h1", ci=None):
    lo, hi = ci if ci else ("", "")
    return dict(model_id=model_id, benchmark=benchmark, value=str(value), ci_low=str(lo), ci_high=str(hi),
                higher_is_better="yes", harness=harness, source=source, as_of=as_of)


def make_catalog(models=(), offerings=(), scores=(), providers=()):
    """Models and offerings are dicts of changes to MODEL / OFFER."""
    models = [{**MODEL, **m} for m in (models or [{}])]
    offerings = [{**OFFER, **o} for o in (offerings or [{}])]
    frames = {"models": pd.DataFrame(models), "offerings": pd.DataFrame(offerings), "gpus": pd.DataFrame([GPU])}
    if scores:
        frames["scores"] = pd.DataFrame(list(scores))
    if providers:
        frames["providers"] = pd.DataFrame([{"source": SYN, "as_of": "2026-11-01", **p} for p in providers])
    return catalog_from_frames(frames)


CHECKLIST = {k: "synthetic" for k in ("task_fit", "quality_bar", "latency_target", "cost_target", "context_needs",
                                      "output_contract", "privacy_and_compliance", "licensing", "operational_burden",
                                      "migration_path")}


def make_scenario(constraints=None, step=None, weights=None, steps=None, benchmark="arena"):
    base_step = {"name": "answer", "role": "generator", "requests_per_month": 1000,
                 "tokens": {"input": 1000, "output": 200}, "latency": {"network_s": 0.1}}
    data = {"name": "t", "title": "synthetic", "as_of": "2026-11-20", "horizon_months": 12, "checklist": CHECKLIST,
            "constraints": constraints or {}, "weights": weights or {"quality": 0.5, "cost": 0.3, "latency": 0.2},
            "quality_benchmark": benchmark,
            "workflow": steps or [{**base_step, **(step or {})}]}
    return scenario_from_dict(data, "scenario.yaml")


def run(models=(), offerings=(), scores=None, providers=(), constraints=None, step=None, weights=None, **kw):
    scores = [score("m1", 1300)] if scores is None else scores
    cat = make_catalog(models, offerings, scores, providers)
    return shortlist(cat, make_scenario(constraints, step, weights), **kw)


def reasons_of(res, offering_id="p/m1"):
    row = res.excluded[res.excluded["offering_id"] == offering_id]
    assert len(row) == 1, f"{offering_id} was not excluded; ranked: {res.ranked['offering_id'].tolist()}"
    return row["failed"].iloc[0], row["reasons"].iloc[0]


def passes(res, offering_id="p/m1"):
    return offering_id in set(res.ranked["offering_id"])


# ------------------------------------------------------------------------------------------
# hard constraints, one by one
# ------------------------------------------------------------------------------------------

def test_stale_speed_facts_are_flagged_like_scores():
    # scenario as_of 2026-11-20; 2026-05-23 is 181 days before (limit 180) -> flagged; 2026-05-24 is not
    res = run(offerings=[{"speed_as_of": "2026-05-23"}])
    assert res.ranked["flags"].iloc[0] == ["latency: stale speed facts (speed_as_of 2026-05-23 is 181 days before "
                                           "2026-11-20, limit 180): re-measure before relying on the latency"]
    assert run(offerings=[{"speed_as_of": "2026-05-24"}]).ranked["flags"].iloc[0] == []


def test_reasoning_setting_default_is_the_fastest_with_facts_and_a_step_can_choose():
    # one offering at three settings (speeds as AA lists GPT-5.6 Luna: max 60.564 s, low 1.274 s, none 0.604 s
    # to first token) and a row at 'high' with no speed facts
    rows = [{"offering_id": "p/m1", "reasoning_effort": "max", "ttft_s": "60.564", "provider_model_id": "m1"},
            {"offering_id": "p/m1@low", "reasoning_effort": "low", "ttft_s": "1.274", "provider_model_id": "m1"},
            {"offering_id": "p/m1@none", "reasoning_effort": "none", "ttft_s": "0.604", "provider_model_id": "m1"},
            {"offering_id": "p/m1@high", "reasoning_effort": "high", "ttft_s": "", "output_tokens_per_s": "",
             "provider_model_id": "m1"}]
    res = run(offerings=rows)
    assert res.ranked["offering_id"].tolist() == ["p/m1@none"] and res.ranked["reasoning_effort"].tolist() == ["none"]
    failed, reasons = reasons_of(res, "p/m1")
    assert failed == ["reasoning_effort"]
    assert reasons == ["reasoning: setting 'max' is not this offering's default (the fastest setting with speed "
                       "facts); list it in the step's reasoning_effort to compare it"]
    # a step that lists settings gets exactly those (and an offering with no setting always passes)
    res = run(offerings=rows + [{"offering_id": "q/m1", "provider": "q", "provider_model_id": "m1"}],
              step={"reasoning_effort": ["low", "max"]})
    assert sorted(res.ranked["offering_id"]) == ["p/m1", "p/m1@low", "q/m1"]
    assert reasons_of(res, "p/m1@none")[1] == ["reasoning: setting 'none' is not one the step accepts "
                                               "(reasoning_effort: low, max)"]


def test_a_clean_offering_passes_with_no_flags():
    res = run()
    assert passes(res) and res.excluded.empty
    assert res.ranked["flags"].iloc[0] == []


@pytest.mark.parametrize("trains, expected", [("yes", "may train on prompts"), ("", "unknown whether")])
def test_no_training_on_prompts(trains, expected):
    res = run(offerings=[{"trains_on_data": trains}], constraints={"no_training_on_prompts": True})
    failed, reasons = reasons_of(res)
    assert failed == ["no_training_on_prompts"] and expected in reasons[0]
    # without the constraint the same offering passes
    assert passes(run(offerings=[{"trains_on_data": trains}]))


def test_provider_policy_fills_an_empty_offering_cell_and_the_offering_cell_wins():
    prov = [{"provider": "p", "trains_on_data": "no", "zero_data_retention": "yes", "regions": "eu"}]
    c = {"no_training_on_prompts": True, "zero_data_retention": True, "regions": ["eu"]}
    empty = {"trains_on_data": "", "zero_data_retention": "", "regions": ""}
    assert passes(run(offerings=[empty], providers=prov, constraints=c))
    failed, _ = reasons_of(run(offerings=[{**empty, "trains_on_data": "yes"}], providers=prov, constraints=c))
    assert failed == ["no_training_on_prompts"]


@pytest.mark.parametrize("zdr, expected", [("no", "no zero-data-retention option"), ("", "zero data retention unknown")])
def test_zero_data_retention(zdr, expected):
    failed, reasons = reasons_of(run(offerings=[{"zero_data_retention": zdr}], constraints={"zero_data_retention": True}))
    assert failed == ["zero_data_retention"] and expected in reasons[0]


@pytest.mark.parametrize("regions, expected", [
    ("cn", "processes data in cn, none of the allowed regions us, eu"),
    ("", "processing region unknown"),
])
def test_regions(regions, expected):
    failed, reasons = reasons_of(run(offerings=[{"regions": regions}], constraints={"regions": ["us", "eu"]}))
    assert failed == ["regions"] and expected in reasons[0]
    # one allowed region among several is enough
    assert passes(run(offerings=[{"regions": "cn;eu"}], constraints={"regions": ["us", "eu"]}))


def test_self_hosting_meets_privacy_by_construction_but_needs_gpu_operations():
    strict = {"no_training_on_prompts": True, "zero_data_retention": True, "regions": ["eu"]}
    failed, reasons = reasons_of(run(offerings=[SELF], constraints={**strict, "gpu_operations": False}))
    assert failed == ["gpu_operations"]
    assert "self-hosting needs GPU operations" in reasons[0]
    res = run(offerings=[SELF], constraints={**strict, "gpu_operations": True})
    # passes; it has no per-token price, so the cost module's self-hosting model prices it, and a flag says so
    assert passes(res)
    row = res.ranked.iloc[0]
    scen = make_scenario({**strict, "gpu_operations": True})
    cat = make_catalog(offerings=[SELF])
    expected = step_costs(cat.offerings, scen.step(), cat.gpus)["usd_per_attempt"].iloc[0]
    assert row["usd_per_request"] == pytest.approx(expected) and row["scored"]
    assert row["flags"][0] == ("cost: self-hosted, priced by the self-hosting model (workbench.costs.steps.step_costs): "
                               "1 x L40S for the step's volume of 1,000 requests/month, not a list price")


def test_an_unpriced_api_offering_is_flagged_not_free():
    cat = make_catalog(models=[{"model_type": "embedding"}], offerings=[{"usd_per_mtok_in": "0.1", "usd_per_mtok_out": ""}])
    # an embedding model has no output price: a step that makes it write 10 tokens cannot be priced
    res = shortlist(cat, make_scenario(step={"role": "embedder", "tokens": {"input": 100, "output": 10}}),
                    weights={"cost": 1})
    row = res.ranked.iloc[0]
    assert math.isnan(row["usd_per_request"]) and not row["scored"] and pd.isna(row["rank"])
    assert any(f.startswith("no per-request price") for f in row["flags"])


@pytest.mark.parametrize("cu, expected", [
    ("no", "proprietary does not allow commercial use"),
    ("unknown", "commercial use unknown"),
])
def test_commercial_use(cu, expected):
    failed, reasons = reasons_of(run(models=[{"commercial_use": cu}], constraints={"commercial_use": True}))
    assert failed == ["commercial_use"] and expected in reasons[0]


def test_restricted_licence_passes_with_a_flag_quoting_the_clause():
    res = run(models=[{"commercial_use": "restricted", "license_notes": "700M MAU clause"}])
    assert passes(res)
    assert res.ranked["flags"].iloc[0] == [
        "licence: commercial use is restricted (700M MAU clause): check the clause applies to you"]


@pytest.mark.parametrize("ft, expected", [("no", "fine-tuning is not allowed"), ("", "unknown whether fine-tuning")])
def test_fine_tuning_only_when_planned(ft, expected):
    failed, reasons = reasons_of(run(models=[{"fine_tuning": ft}], constraints={"fine_tuning": True}))
    assert failed == ["fine_tuning"] and expected in reasons[0]
    assert passes(run(models=[{"fine_tuning": ft}], constraints={"fine_tuning": False}))


def test_step_access_modes():
    failed, reasons = reasons_of(run(offerings=[{"access_mode": "hosted-inference"}],
                                     step={"constraints": {"access_modes": ["managed-api"]}}))
    assert failed == ["access_modes"]
    assert reasons[0] == ("operations: access mode 'hosted-inference' is not allowed for this step "
                          "(workflow[0].constraints.access_modes: managed-api)")


@pytest.mark.parametrize("cap", ["structured_outputs", "tool_calling", "prompt_caching", "batch_api"])
@pytest.mark.parametrize("value, expected", [("no", "platform: no "), ("", "unknown")])
def test_platform_capabilities(cap, value, expected):
    failed, reasons = reasons_of(run(offerings=[{cap: value}], step={"constraints": {cap: True}}))
    assert failed == [cap] and expected in reasons[0]
    assert passes(run(offerings=[{cap: value}]))  # not required: no effect


def test_context_window_explicit_minimum_and_offering_override():
    # model 8,192 < 16,000 required
    failed, reasons = reasons_of(run(models=[{"context_tokens": "8192"}],
                                     step={"constraints": {"min_context_tokens": 16000}}))
    assert failed == ["context_tokens"]
    assert reasons[0] == "context: 8,192 tokens < 16,000 needed (workflow[0].constraints.min_context_tokens: 16,000)"
    # the provider serves only 8,000 of the model's 128,000: the offering's limit wins
    failed, _ = reasons_of(run(offerings=[{"context_tokens": "8000"}], step={"constraints": {"min_context_tokens": 16000}}))
    assert failed == ["context_tokens"]


def test_context_window_needed_by_the_token_mix_alone():
    # input 3,000 + output 250 = 3,250 tokens > a 2,048-token window, with no explicit minimum
    failed, reasons = reasons_of(run(models=[{"context_tokens": "2048"}],
                                     step={"tokens": {"input": 3000, "output": 250}}))
    assert reasons[0] == "context: 2,048 tokens < 3,250 needed (the step's token mix uses 3,250)"


def test_unknown_context_fails_only_an_explicit_requirement():
    failed, reasons = reasons_of(run(models=[{"context_tokens": ""}], step={"constraints": {"min_context_tokens": 4000}}))
    assert failed == ["context_tokens"] and "context window unknown" in reasons[0]
    assert passes(run(models=[{"context_tokens": ""}]))


def test_output_limit():
    failed, reasons = reasons_of(run(models=[{"max_output_tokens": "512"}],
                                     step={"constraints": {"min_output_tokens": 1000}}))
    assert failed == ["output_tokens"]
    assert reasons[0] == "output: 512 tokens < 1,000 needed (workflow[0].constraints.min_output_tokens: 1,000)"


def test_modalities_vision_role_needs_images():
    failed, reasons = reasons_of(run(step={"role": "vision"}))
    assert failed == ["modalities"] and reasons[0] == "modality: accepts text; the step needs text, image"
    failed, reasons = reasons_of(run(models=[{"input_modalities": ""}], step={"role": "vision"}))
    assert "input modalities unknown" in reasons[0]
    assert passes(run(models=[{"input_modalities": "text;image"}], step={"role": "vision"}))
    # a text step does not fail a model whose modalities are unknown
    assert passes(run(models=[{"input_modalities": ""}]))


@pytest.mark.parametrize("dep, expected", [
    ("2026-06-30", "deprecation: already retired on 2026-06-30 (models.csv) (scenario as_of 2026-11-20)"),
    ("2027-03-01", "deprecation: retires on 2027-03-01 (models.csv), on or before the horizon 2027-11-20 "
                   "(as_of + horizon_months: 12)"),
    ("2027-11-20", "deprecation: retires on 2027-11-20 (models.csv), on or before the horizon 2027-11-20 "
                   "(as_of + horizon_months: 12)"),
])
def test_deprecation_before_the_horizon(dep, expected):
    failed, reasons = reasons_of(run(models=[{"deprecation_date": dep}]))
    assert failed == ["deprecation"] and reasons == [expected]


LL_DEP = ("LiteLLM key 'vertex_ai/claude-sonnet-5' deprecation_date, LiteLLM model_prices_and_context_window_backup.json "
          "(PyPI litellm 1.110.2), 2026-11-20; LiteLLM cites https://cloud.google.com/vertex-ai/generative-ai/pricing")


def test_an_offering_retiring_inside_the_horizon_is_excluded_with_its_date_and_source():
    # the endpoint (a cloud's copy) retires on 2026-12-24 although the model itself has no date: the
    # reason names the day and who says so (the source's first clause: key, file, date)
    failed, reasons = reasons_of(run(offerings=[{"deprecation_date": "2026-12-24", "deprecation_source": LL_DEP}]))
    assert failed == ["deprecation"]
    assert reasons == ["deprecation: retires on 2026-12-24 (LiteLLM key 'vertex_ai/claude-sonnet-5' deprecation_date, "
                       "LiteLLM model_prices_and_context_window_backup.json (PyPI litellm 1.110.2), 2026-11-20), "
                       "on or before the horizon 2027-11-20 (as_of + horizon_months: 12)"]
    # after the horizon it passes; the earlier of the endpoint's and the model's date counts
    assert passes(run(offerings=[{"deprecation_date": "2027-12-01", "deprecation_source": LL_DEP}]))
    failed, reasons = reasons_of(run(offerings=[{"deprecation_date": "2027-12-01", "deprecation_source": LL_DEP}],
                                     models=[{"deprecation_date": "2027-05-02", "deprecation_source": "creator page"}]))
    assert reasons[0].startswith("deprecation: retires on 2027-05-02 (creator page), on or before")


def test_deprecation_after_the_horizon_passes():
    assert passes(run(models=[{"deprecation_date": "2027-11-21"}]))


def test_model_type_must_match_the_role():
    failed, reasons = reasons_of(run(step={"role": "embedder", "tokens": {"input": 100, "output": 0}}))
    assert failed == ["model_type"]
    assert reasons[0] == "model type: a chat model; step 'answer' (role embedder) needs an embedding model"
    res = run(models=[{"model_type": "embedding"}], offerings=[{"usd_per_mtok_out": ""}],
              step={"role": "embedder", "tokens": {"input": 100, "output": 0}}, weights={"cost": 1})
    assert passes(res)
    # 100 tokens x 1 USD/Mtok = 0.0001 USD; no output price needed for zero output tokens
    assert res.ranked["usd_per_request"].iloc[0] == pytest.approx(0.0001)
    failed, reasons = reasons_of(run(step={"role": "reranker"}))
    assert "needs a reranker model" in reasons[0]


def test_scenario_exclusions_and_a_note_for_an_unknown_name():
    res = run(constraints={"exclude_models": ["m1"]})
    assert reasons_of(res)[0] == ["exclude_models"]
    res = run(constraints={"exclude_providers": ["p"]})
    assert reasons_of(res)[0] == ["exclude_providers"]
    res = run(constraints={"exclude_models": ["m2"]})
    assert passes(res)
    assert any("exclude_models names 'm2', which is not in the catalog" in n for n in res.notes)


def test_every_failed_constraint_is_listed_in_check_order():
    res = run(models=[{"commercial_use": "no", "context_tokens": "4096", "deprecation_date": "2027-01-01"}],
              offerings=[{"trains_on_data": "yes", "structured_outputs": ""}],
              constraints={"no_training_on_prompts": True},
              step={"constraints": {"structured_outputs": True, "min_context_tokens": 8000}})
    failed, reasons = reasons_of(res)
    assert failed == ["no_training_on_prompts", "commercial_use", "structured_outputs", "context_tokens", "deprecation"]
    assert len(reasons) == 5 and res.excluded["n_reasons"].iloc[0] == 5
    counts = res.exclusion_counts()
    assert counts["offerings"].tolist() == [1, 1, 1, 1, 1] and counts["only_reason"].sum() == 0


# ------------------------------------------------------------------------------------------
# measurements and scoring, worked by hand
# ------------------------------------------------------------------------------------------

THREE = dict(
    models=[{"model_id": "a"}, {"model_id": "b"}, {"model_id": "c"}],
    offerings=[
        {"offering_id": "p/a", "model_id": "a", "usd_per_mtok_in": "2.5", "usd_per_mtok_out": "10",
         "ttft_s": "0.5", "output_tokens_per_s": "100"},
        {"offering_id": "p/b", "model_id": "b", "usd_per_mtok_in": "0.2", "usd_per_mtok_out": "0.6",
         "ttft_s": "0.3", "output_tokens_per_s": "200"},
        {"offering_id": "p/c", "model_id": "c", "usd_per_mtok_in": "0.1", "usd_per_mtok_out": "0.3",
         "ttft_s": "0.8", "output_tokens_per_s": "50"},
    ],
    scores=[score("a", 1400), score("b", 1300), score("c", 1200)],
)


def test_scores_costs_latencies_and_ranks_by_hand():
    res = run(**THREE)
    r = res.ranked.set_index("offering_id")
    # cost = (1000 in x price_in + 200 out x price_out) / 1e6
    assert r.loc["p/a", "usd_per_request"] == pytest.approx((1000 * 2.5 + 200 * 10) / 1e6)   # 0.0045
    assert r.loc["p/b", "usd_per_request"] == pytest.approx((1000 * 0.2 + 200 * 0.6) / 1e6)  # 0.00032
    assert r.loc["p/c", "usd_per_request"] == pytest.approx((1000 * 0.1 + 200 * 0.3) / 1e6)  # 0.00016
    # latency = network 0.1 + ttft + 200 / tokens_per_s
    assert r.loc["p/a", "typical_latency_s"] == pytest.approx(0.1 + 0.5 + 2.0)   # 2.6
    assert r.loc["p/b", "typical_latency_s"] == pytest.approx(0.1 + 0.3 + 1.0)   # 1.4
    assert r.loc["p/c", "typical_latency_s"] == pytest.approx(0.1 + 0.8 + 4.0)   # 4.9
    # min-max norms, 1 = best
    assert r["norm_quality"].to_dict() == pytest.approx({"p/a": 1.0, "p/b": 0.5, "p/c": 0.0})
    nb_cost = (0.0045 - 0.00032) / (0.0045 - 0.00016)                      # 0.963133...
    assert r.loc["p/b", "norm_cost"] == pytest.approx(nb_cost)
    assert r.loc["p/a", "norm_latency"] == pytest.approx((4.9 - 2.6) / (4.9 - 1.4))  # 0.657142...
    # score = 0.5 q + 0.3 c + 0.2 l
    assert r.loc["p/a", "score"] == pytest.approx(0.5 * 1 + 0.3 * 0 + 0.2 * (2.3 / 3.5))   # 0.631429
    assert r.loc["p/b", "score"] == pytest.approx(0.5 * 0.5 + 0.3 * nb_cost + 0.2 * 1)     # 0.738940
    assert r.loc["p/c", "score"] == pytest.approx(0.3)
    assert res.ranked["offering_id"].tolist() == ["p/b", "p/a", "p/c"]
    assert res.ranked["rank"].tolist() == [1, 2, 3]
    assert list(res.ranked.columns) == list(RANKED_COLUMNS)
    assert list(res.excluded.columns) == list(EXCLUDED_COLUMNS)


def test_three_to_one_blend_beside_the_step_mix():
    res = run(**THREE)
    a = res.ranked.set_index("offering_id").loc["p/a"]
    assert a["usd_per_mtok_blended_3to1"] == pytest.approx((3 * 2.5 + 10) / 4)          # 4.375
    assert a["usd_per_request_at_3to1"] == pytest.approx((1000 + 200) * 4.375 / 1e6)    # 0.00525
    assert a["diff_vs_3to1_pct"] == pytest.approx(100 * (0.0045 / 0.00525 - 1))         # -14.29 %


def test_cached_share_makes_the_step_mix_cheaper_than_the_blend():
    # 1000 input, 70% cached at 0.1 (list 1.0), 10 output at 4: (300 x 1 + 700 x 0.1 + 10 x 4) / 1e6 = 0.00041
    res = run(offerings=[{"usd_per_mtok_cached_in": "0.1"}],
              step={"tokens": {"input": 1000, "output": 10, "cached_share": 0.7}})
    row = res.ranked.iloc[0]
    assert row["usd_per_request"] == pytest.approx(0.00041)
    # blend (3 x 1 + 4) / 4 = 1.75 USD/Mtok x 1010 tokens = 0.0017675
    assert row["usd_per_request_at_3to1"] == pytest.approx(0.0017675)


def test_request_cost_at_3to1_counts_tool_turns_like_the_cost_module():
    cat = make_catalog()
    scen = make_scenario(step={"tokens": {"input": 1000, "output": 100, "tool_turns": 2}})
    # input re-sent 3 times: (3000 + 100) tokens x (3 x 1 + 4) / 4 = 1.75 USD/Mtok
    got = request_cost_at_3to1_usd(cat.offerings, scen.step())
    assert got.iloc[0] == pytest.approx(3100 * 1.75 / 1e6)


def test_typical_latency_with_reasoning_and_tool_turns():
    cat = make_catalog()
    scen = make_scenario(step={"tokens": {"input": 1000, "output": 250, "reasoning": 50, "tool_turns": 1},
                               "latency": {"network_s": 0.05, "retrieval_s": 0.15, "tool_call_s": 0.2}})
    # 0.05 + 0.15 + 0.5 + (250 + 50) / 100 + 1 x (0.2 + 0.05 + 0.5) = 4.45
    assert offering_latency_s(cat.offerings, scen.step()).iloc[0] == pytest.approx(4.45)
    # no output tokens: time to first token only; speed not needed
    scen = make_scenario(step={"tokens": {"input": 100, "output": 0}})
    cat = make_catalog(offerings=[{"output_tokens_per_s": ""}])
    assert offering_latency_s(cat.offerings, scen.step()).iloc[0] == pytest.approx(0.1 + 0.5)


def test_quality_uses_the_newest_row_and_says_where_it_comes_from():
    res = run(scores=[score("m1", 1250, as_of="2026-06-01"), score("m1", 1300, as_of="2026-10-01", harness="h2")])
    row = res.ranked.iloc[0]
    assert row["quality"] == 1300 and row["quality_harness"] == "h2"
    assert row["quality_as_of"] == pd.Timestamp("2026-10-01") and row["quality_source"] == "arena (synthetic)"


def test_missing_quality_is_flagged_not_zero_and_ranked_after_the_scored():
    res = run(models=THREE["models"], offerings=THREE["offerings"], scores=[score("a", 1400), score("b", 1300)])
    assert res.ranked["offering_id"].tolist() == ["p/b", "p/a", "p/c"]
    c = res.ranked.iloc[2]
    assert not c["scored"] and pd.isna(c["rank"]) and math.isnan(c["quality"]) and math.isnan(c["score"])
    assert c["flags"] == ["no quality score for arena in scores.csv; not scored; not in the Pareto check"]
    assert math.isnan(c["p_first"]) and not c["pareto"]
    # with a quality weight of 0 the same candidate is scored (on cost and latency)
    res = run(models=THREE["models"], offerings=THREE["offerings"], scores=[score("a", 1400), score("b", 1300)],
              weights={"quality": 0, "cost": 1, "latency": 1})
    assert res.ranked["scored"].all()


def test_unknown_latency_is_flagged_and_not_scored_when_asked():
    res = run(offerings=[{"ttft_s": ""}], score_without_latency=False)
    row = res.ranked.iloc[0]
    assert not row["scored"] and any(f.startswith("latency unknown") for f in row["flags"])
    # by default it is scored on quality and cost, flagged "latency unmeasured" (tests/test_shortlist_unmeasured.py)
    row = run(offerings=[{"ttft_s": ""}]).ranked.iloc[0]
    assert row["scored"] and any(f.startswith("latency unmeasured: measure before launch") for f in row["flags"])


def test_an_unknown_benchmark_is_an_error_with_a_suggestion():
    with pytest.raises(WorkbenchError) as e:
        shortlist(make_catalog(scores=[score("m1", 1)]), make_scenario(benchmark="arenna"))
    msg = str(e.value)
    assert "scenario.yaml: quality_benchmark: benchmark 'arenna' has no rows" in msg and "did you mean 'arena'" in msg
    # not needed when the quality weight is 0
    res = shortlist(make_catalog(scores=[score("m1", 1)]), make_scenario(benchmark="arenna"),
                    weights={"quality": 0, "cost": 1})
    assert len(res.ranked) == 1


@pytest.mark.parametrize("weights, expected", [
    ({"quality": 1, "cots": 1}, "weights.cots: unknown weight. Fix: did you mean 'cost'?"),
    ({"quality": -1, "cost": 1}, "weights.quality: a weight must be a number >= 0"),
    ({"quality": 0, "cost": 0}, "weights: weights are all zero"),
])
def test_bad_weights_are_errors(weights, expected):
    with pytest.raises(WorkbenchError) as e:
        shortlist(make_catalog(scores=[score("m1", 1)]), make_scenario(), weights=weights)
    assert expected in str(e.value)


def test_log_minmax_normalisation():
    res = run(normalisation="log-minmax", **THREE)
    r = res.ranked.set_index("offering_id")
    # log10 cost: a = log10(0.0045), c = log10(0.00016); b in between
    la, lb, lc = np.log10([0.0045, 0.00032, 0.00016])
    assert r.loc["p/b", "norm_cost"] == pytest.approx((la - lb) / (la - lc))
    with pytest.raises(WorkbenchError, match="did you mean 'minmax'"):
        run(normalisation="minmx")


def test_pareto_flags_the_dominated_candidate():
    # d: worse quality than b (1250 < 1300), dearer (0.3/0.9) and slower (ttft 0.4, 150 tok/s) -> dominated by b
    models = THREE["models"] + [{"model_id": "d"}]
    offers = THREE["offerings"] + [{"offering_id": "p/d", "model_id": "d", "usd_per_mtok_in": "0.3",
                                    "usd_per_mtok_out": "0.9", "ttft_s": "0.4", "output_tokens_per_s": "150"}]
    res = run(models=models, offerings=offers, scores=THREE["scores"] + [score("d", 1250)])
    assert res.ranked.set_index("offering_id")["pareto"].to_dict() == {"p/a": True, "p/b": True, "p/c": True, "p/d": False}
    assert res.frontier["offering_id"].tolist() == ["p/b", "p/a", "p/c"]


def test_stability_numbers():
    res = run(**THREE)
    assert res.ranked["p_first"].sum() == pytest.approx(1.0)
    assert res.ranked["p_top3"].sum() == pytest.approx(3.0)  # three candidates: each always in the top 3
    assert (res.ranked["p_top3"] == 1.0).all()
    # one candidate best on every criterion ranks first under every weight draw
    p_first, p_top = rank_stability(np.array([[1.0, 1.0, 1.0], [0.5, 0.2, 0.1], [0.0, 0.3, 0.0]]), [0.5, 0.3, 0.2])
    assert p_first.tolist() == [1.0, 0.0, 0.0]


def test_sample_weights_keeps_zero_weights_at_zero_and_rows_sum_to_one():
    w = sample_weights([0.5, 0.5, 0.0], samples=200, seed=3)
    assert (w[:, 2] == 0).all() and np.allclose(w.sum(axis=1), 1.0)
    assert np.array_equal(w, sample_weights([0.5, 0.5, 0.0], samples=200, seed=3))
    assert (sample_weights([0, 1, 0], samples=5)[:, 1] == 1).all()


def test_normalise_edge_cases():
    assert normalise([2.0, 4.0, np.nan], lower_is_better=True).tolist()[:2] == [1.0, 0.0]
    assert normalise([3.0, 3.0], lower_is_better=False).tolist() == [1.0, 1.0]
    assert np.isnan(normalise([np.nan], lower_is_better=False)).all()


def test_pareto_front_by_hand():
    # minimise both: (1,3) (2,2) (3,1) form the front; (3,3) is dominated by (2,2); duplicates both stay
    pts = [[1, 3], [2, 2], [3, 1], [3, 3], [2, 2], [np.nan, 0]]
    assert pareto_front(pts).tolist() == [True, True, True, False, True, False]


# ------------------------------------------------------------------------------------------
# what-if, views, all steps, the fixture catalog
# ------------------------------------------------------------------------------------------

def test_with_constraints_changes_a_copy_and_rejects_typos():
    scen = make_scenario()
    strict = with_constraints(scen, "answer", zero_data_retention=True, structured_outputs=True, regions=["eu"])
    assert strict.constraints.zero_data_retention and strict.step("answer").constraints.structured_outputs
    assert strict.constraints.regions == ("eu",)
    assert not scen.constraints.zero_data_retention  # the original is unchanged
    with pytest.raises(WorkbenchError, match="did you mean 'zero_data_retention'"):
        with_constraints(scen, "answer", zero_data_retension=True)


@pytest.fixture(scope="module")
def fixture_results():
    cat = load_catalog(FIXTURE)
    scen = load_scenario(f"{FIXTURE}/scenario.yaml")
    return shortlist_all(cat, scen)


def test_fixture_catalog_results(fixture_results):
    ans = fixture_results["answer"]
    assert ans.ranked["offering_id"].tolist() == ["fastinfer/beta", "acme/alpha"]
    # both score 0.5 (each is best on what the other is worst at): the tie goes to the cheaper
    assert ans.ranked["score"].tolist() == [0.5, 0.5]
    assert len(ans.excluded) == 8
    assert fixture_results["embed"].ranked["offering_id"].tolist() == ["acme/vec"]


def test_provider_spread_and_offerings_of(fixture_results):
    ans = fixture_results["answer"]
    spread = provider_spread(ans).set_index("model_id")
    # beta on fastinfer (0.2/0.6), cheapinfer (0.1/0.3), farhost (0.15/0.45): 0.00032 / 0.00016 = 2.0
    assert spread.loc["beta", "offerings"] == 3 and spread.loc["beta", "price_ratio"] == pytest.approx(2.0)
    assert spread.loc["beta", "speed_ratio"] == pytest.approx(200 / 50)
    table = offerings_of(ans, "beta")
    assert table["offering_id"].tolist()[0] == "cheapinfer/beta"
    assert table.set_index("offering_id").loc["fastinfer/beta", "status"] == "rank 1"
    assert table.set_index("offering_id").loc["self/beta", "status"].startswith("excluded: operations")
    with pytest.raises(WorkbenchError, match="did you mean 'beta'"):
        offerings_of(ans, "betta")


def test_leaderboard_top_vs_pick(fixture_results):
    t = leaderboard_top_vs_pick(fixture_results["answer"]).set_index("who")
    # delta has the best arena score (1450) but retires before the horizon
    assert t.loc["leaderboard #1", "offering_id"] == "acme/delta" and not t.loc["leaderboard #1", "passed"]
    assert t.loc["shortlist rank 1", "offering_id"] == "fastinfer/beta"


def test_candidates_can_be_reused_and_give_the_same_result():
    cat = make_catalog(**{k: THREE[k] for k in ("models", "offerings", "scores")})
    cand = candidates(cat)
    scen = make_scenario()
    a, b = shortlist(cand, scen), shortlist(cat, scen)
    pd.testing.assert_frame_equal(a.ranked, b.ranked)


def test_typical_latency_above_the_targets_is_flagged_not_excluded():
    # typical TTFT = network 0.1 + ttft 0.5 = 0.6 s > 0.5 s; typical total = 0.6 + 200 / 100 = 2.6 s > 2.0 s
    res = run(step={"latency": {"network_s": 0.1, "ttft_s": 0.5, "total_s": 2.0, "p95_s": 4.0}})
    assert passes(res)
    assert res.ranked["flags"].iloc[0] == [
        "latency: typical time to first token 0.60 s already exceeds the step's ttft_s target of 0.5 s",
        "latency: typical 2.60 s already exceeds the step's total_s target of 2 s (p95 is higher: see 03_cost_and_latency)",
    ]
    assert run(step={"latency": {"network_s": 0.1, "ttft_s": 0.6, "total_s": 2.6}}).ranked["flags"].iloc[0] == []


def test_cached_constraint_results_match_fresh_ones_and_are_not_shared():
    cat = load_catalog(FIXTURE)
    scen = load_scenario(f"{FIXTURE}/scenario.yaml")
    cand = candidates(cat)
    first = shortlist(cand, scen, "answer")
    first.excluded["reasons"].iloc[0].append("edited by the user")  # must not leak into the cache
    relaxed = shortlist(cand, with_constraints(scen, "answer", no_training_on_prompts=False), "answer")
    again = shortlist(cand, scen, "answer", weights={"quality": 1, "cost": 1, "latency": 1})
    fresh = shortlist(candidates(cat), scen, "answer", weights={"quality": 1, "cost": 1, "latency": 1})
    assert len(relaxed.excluded) == len(first.excluded) - 1  # cheapinfer/beta comes in
    pd.testing.assert_frame_equal(again.excluded, fresh.excluded)
    pd.testing.assert_frame_equal(again.ranked, fresh.ranked)
    cand.clear_cache()
    pd.testing.assert_frame_equal(shortlist(cand, scen, "answer", weights={"quality": 1, "cost": 1, "latency": 1}).ranked,
                                  fresh.ranked)
