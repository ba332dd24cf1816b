"""Benchmark: 100 eval cases against a loopback OpenAI-compatible server that waits 200 ms per request.

The same run at concurrency 1 and at concurrency 8 (the runner's thread pool and the adapter's
semaphore both set to it), streaming through the real ``openai`` SDK over HTTP on 127.0.0.1.
Goal: concurrency 8 is at least 5x faster than concurrency 1 (ideal: 8x; 100 x 0.2 s = 20 s
sequential). The cases and the server's replies are SYNTHETIC; nothing reaches the network.
"""
from __future__ import annotations

import time

from workbench.bench.harness import Case
from workbench.evals.adapters.openai_compat import EndpointConfig, OpenAICompatCandidate
from workbench.evals.adapters.retry import NO_RETRY
from workbench.evals.golden import GoldenSet, case_from_dict
from workbench.evals.loopback import LoopbackServer
from workbench.evals.prompts import support_contract
from workbench.evals.runner import run_eval

N_CASES = 100
DELAY_S = 0.2
GOAL_SPEEDUP = 5.0


def _golden():
    labels = support_contract().labels
    cases = tuple(case_from_dict({"id": f"bench-{i:03d}", "task": "classify", "input": f"I was charged twice (#{i})",
                                  "expected": {"label": "billing"}, "checks": ["label_exact"],
                                  "context": {"articles": [], "customer": None}, "tags": ["synthetic"]}, "bench (synthetic)",
                                 i + 1, labels=labels) for i in range(N_CASES))
    return GoldenSet(cases=cases, labels=labels, path="bench (synthetic)")


def _run(concurrency: int) -> float:

    golden = _golden()
    with LoopbackServer(reply=lambda body: "billing", delay_s=DELAY_S) as srv:
        cand = OpenAICompatCandidate(EndpointConfig(model="loopback", base_url=srv.base_url, timeout_s=10.0,
                                                    max_concurrency=concurrency, retry=NO_RETRY), environ={})
        t0 = time.perf_counter()
        run = run_eval(golden, cand, concurrency=concurrency, use_cache=False, progress=False)
        elapsed = time.perf_counter() - t0
    if run.results["error_kind"].notna().any() or not run.results["passed"].all():
        raise RuntimeError("the loopback benchmark run had failed cases: " +
                           "; ".join(run.results["reasons"].dropna().unique()[:3]))
    return elapsed


def cases(options) -> list[Case]:
    seconds: dict[int, float] = {}

    def sequential():
        seconds[1] = _run(1)
        return seconds[1]

    def parallel():
        seconds[8] = _run(8)
        return seconds[8]

    def speedup(row):
        value = seconds[1] / seconds[8]
        return value, "x faster than concurrency 1", value >= GOAL_SPEEDUP

    return [
        Case(name=f"eval {N_CASES} cases @ {DELAY_S * 1000:.0f} ms loopback, concurrency 1 (s)", run=sequential, repeat=1,
             goal="reference for the next line", extra={"cases": N_CASES, "server_delay_s": DELAY_S}),
        Case(name=f"eval {N_CASES} cases @ {DELAY_S * 1000:.0f} ms loopback, concurrency 8", run=parallel, repeat=1,
             goal=f">= {GOAL_SPEEDUP:g}x faster than concurrency 1", check=speedup,
             extra={"cases": N_CASES, "server_delay_s": DELAY_S}),
    ]
