"""Stage 03's formulas: what a request, a month and a successful task cost, and how long a request takes.

Request cost term by term and monthly cost with retries and escalation (:mod:`.request`), the same
per workflow step (:mod:`.steps`), self-hosting and break-even (:mod:`.selfhost`), and latency
percentiles and rate limits (:mod:`.latency`). They sit below the shortlist, which prices candidates
with them. Taught in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

from workbench.costs.breakeven import break_even_table
from workbench.costs.latency import (
    derive_latency_spreads,
    implied_reasoning_tokens,
    latency_sigmas,
    latency_table,
    load_latency_spreads,
    peak_per_minute,
    rate_limit_headroom,
    share_within,
    simulate_latency_s,
    spreads_path,
    step_latency_samples,
    typical_latency_s,
    typical_ttft_s,
)
from workbench.costs.memory import (
    concurrent_sequences,
    kv_cache_bytes,
    load_model_architecture,
    memory_table,
    weights_bytes,
)
from workbench.costs.request import (
    blended_usd_per_mtok_3to1,
    crossing_success_rate,
    expected_attempts,
    monthly_costs,
    price_of,
    request_cost_terms,
    request_cost_usd,
    task_success_rate,
    usd_per_success_for,
)
from workbench.costs.selfhost import (
    SelfHostAssumptions,
    break_even_requests_per_month,
    break_even_staircase,
    cost_vs_volume,
    gpu_prices,
    gpu_tokens_per_request,
    gpus_needed,
    peak_tokens_per_s,
    selfhost_costs,
    selfhost_monthly_usd,
    selfhost_parameters,
)
from workbench.costs.steps import cost_assumptions, cross, request_cost_for_step, step_costs, steps_frame

__all__ = [
    "break_even_table",
    "derive_latency_spreads",
    "spreads_path",
    "load_latency_spreads",
    "latency_sigmas",
    "typical_latency_s",
    "typical_ttft_s",
    "implied_reasoning_tokens",
    "simulate_latency_s",
    "share_within",
    "step_latency_samples",
    "latency_table",
    "peak_per_minute",
    "rate_limit_headroom",
    "load_model_architecture",
    "weights_bytes",
    "kv_cache_bytes",
    "concurrent_sequences",
    "memory_table",
    "request_cost_terms",
    "request_cost_usd",
    "blended_usd_per_mtok_3to1",
    "price_of",
    "expected_attempts",
    "task_success_rate",
    "monthly_costs",
    "usd_per_success_for",
    "crossing_success_rate",
    "SelfHostAssumptions",
    "gpu_prices",
    "gpu_tokens_per_request",
    "peak_tokens_per_s",
    "gpus_needed",
    "selfhost_monthly_usd",
    "selfhost_costs",
    "break_even_requests_per_month",
    "break_even_staircase",
    "cost_vs_volume",
    "selfhost_parameters",
    "steps_frame",
    "cross",
    "step_costs",
    "cost_assumptions",
    "request_cost_for_step",
]
