"""One model at several reasoning settings beside a small fast model: implied reasoning tokens, latency
and cost per successful task (workbench.costs.latency.implied_reasoning_tokens,
workbench.shortlist.costs.reasoning_settings). Synthetic rows; numbers worked out by hand."""
import numpy as np
import pandas as pd
import pytest

from workbench.catalog.load import catalog_from_frames
from workbench.costs.latency import implied_reasoning_tokens
from workbench.scenario.load import scenario_from_dict
from workbench.shortlist.costs import reasoning_settings

SYN = "synthetic test row"
CHECK = {k: "synthetic" for k in ("task_fit", "quality_bar", "latency_target", "cost_target", "context_needs",
                                  "output_contract", "privacy_and_compliance", "licensing", "operational_burden",
                                  "migration_path")}


def test_implied_reasoning_tokens_is_the_extra_wait_at_the_output_speed():
    # (10.5 - 0.5) s x 100 tokens/s = 1000; a setting faster than the base implies none; unknown stays unknown
    out = implied_reasoning_tokens([10.5, 0.4, np.nan], [0.5, 0.5, 0.5], [100, 100, 100])
    assert out[:2].tolist() == [1000.0, 0.0] and np.isnan(out[2])


def test_settings_side_by_side_price_the_hidden_reasoning_but_do_not_add_it_to_the_latency():
    model = dict(model_type="chat", openness="closed", license="proprietary", commercial_use="yes", source=SYN,
                 as_of="2026-11-01")
    models = pd.DataFrame([dict(model_id="m", name="M", creator="C", **model),
                           dict(model_id="s", name="S", creator="C", **model)])
    base = dict(model_id="m", provider="p", access_mode="managed-api", provider_model_id="m", usd_per_mtok_in="1",
                usd_per_mtok_out="4", output_tokens_per_s="100", source=SYN, as_of="2026-11-01")
    offers = pd.DataFrame([
        dict(base, offering_id="p/m@none", reasoning_effort="none", ttft_s="0.5"),
        dict(base, offering_id="p/m@high", reasoning_effort="high", ttft_s="10.5"),
        dict(base, offering_id="q/s", model_id="s", provider="q", provider_model_id="s", usd_per_mtok_in="0.1",
             usd_per_mtok_out="0.4", output_tokens_per_s="200", ttft_s="0.2"),
    ])
    cat = catalog_from_frames({"models": models, "offerings": offers})
    scen = scenario_from_dict({
        "name": "t", "title": "synthetic", "as_of": "2026-11-20", "horizon_months": 12, "checklist": CHECK,
        "weights": {"quality": 0.5, "cost": 0.3, "latency": 0.2},
        "workflow": [{"name": "answer", "role": "generator", "requests_per_month": 1000,
                      "tokens": {"input": 1000, "output": 200}, "latency": {"network_s": 0.1},
                      "reliability": {"success_rate": 0.9, "max_attempts": 2}}]})
    t = reasoning_settings(cat.offerings, scen.step("answer"), n_samples=2000).set_index("offering_id")
    # hidden reasoning: (10.5 - 0.5) x 100 = 1000 tokens at high, none at none, none for the small model
    assert t["implied_reasoning_tokens"].tolist() == [0.0, 1000.0, 0.0]
    # typical latency = network + ttft + output / speed: 0.1 + 0.5 + 2 = 2.6; 0.1 + 10.5 + 2 = 12.6 (the
    # wait already holds the reasoning: no second term); 0.1 + 0.2 + 200/200 = 1.3
    assert t["typical_latency_s"].tolist() == pytest.approx([2.6, 12.6, 1.3])
    # one attempt: none 1000 x 1e-6 + 200 x 4e-6 = 0.0018 USD; high + 1000 x 4e-6 = 0.0058; small 0.00018.
    # attempts per request (1 - 0.1^2) / 0.9 = 1.1, tasks succeeding 1 - 0.1^2 = 0.99:
    # per request 0.00198 / 0.00638 / 0.000198; per successful task those / 0.99
    assert t["usd_per_request"].tolist() == pytest.approx([0.00198, 0.00638, 0.000198])
    assert t["usd_per_success"].tolist() == pytest.approx([0.002, 0.00638 / 0.99, 0.0002])
    assert t["usd_per_success_model"].tolist() == pytest.approx(t["usd_per_success"].tolist())  # no escalation here
    assert t.loc["p/m@high", "p95_s"] > t.loc["p/m@high", "typical_latency_s"]
