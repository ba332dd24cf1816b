"""Benchmark: 1,000,000 simulated task latencies (with retries) and their p50/p95/p99.

The inputs are the support-assistant scenario's answer step (tokens, network, retrieval, success rate,
attempts) with a SYNTHETIC offering of median TTFT 0.6 s and 80 tokens/s; the spreads are the shipped
ones (``data/latency_spreads.csv``). Goal: <= 0.5 s.
"""
from __future__ import annotations

import numpy as np

from workbench.bench.harness import Case
from workbench.costs.latency import latency_sigmas, simulate_latency_s
from workbench.scenario.load import load_scenario
from workbench.util import data_dir

SAMPLES = 1_000_000
GOAL_S = 0.5
STEP = "answer_with_citations"


def cases(options) -> list[Case]:
    seed = getattr(options, "seed", 7)
    step = load_scenario(data_dir() / "scenarios" / "support_assistant.yaml").step(STEP)
    s_ttft, s_tps = latency_sigmas()
    t, lat, r = step.tokens, step.latency, step.reliability

    def run():
        s = simulate_latency_s(0.6, 80.0, t.output, t.reasoning, lat.network_s, lat.retrieval_s, t.tool_turns,
                               lat.tool_call_s, r.success_rate, r.max_attempts, n=SAMPLES, seed=seed,
                               sigma_ttft=s_ttft, sigma_tokens_per_s=s_tps)
        return np.quantile(s, [0.5, 0.95, 0.99], axis=1)

    return [Case(name=f"latency simulation ({SAMPLES:,} samples, p50/p95/p99)", run=run, repeat=7,
                 goal=f"<= {GOAL_S} s", goal_s=GOAL_S, extra={"samples": SAMPLES, "step": STEP})]
