"""Stage 03's formulas: what a request, a month and a successful task cost, and how long a request takes.

Request cost term by term and monthly cost with retries and escalation (:mod:`.request`), the same
per workflow step (:mod:`.steps`), self-hosting and break-even (:mod:`.selfhost`), and latency
percentiles and rate limits (:mod:`.latency`). They sit below the shortlist, which prices candidates
with them. Taught in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

from workbench.costs.breakeven import break_even_table
from workbench.costs.latency import Z95, SPREAD_COLUMNS, SPREAD_METRICS, AA_COLUMNS, derive_latency_spreads, spreads_path, load_latency_spreads, latency_sigmas, typical_latency_s, typical_ttft_s, implied_reasoning_tokens, simulate_latency_s, share_within, step_latency_samples, latency_table, peak_per_minute, rate_limit_headroom
from workbench.costs.memory import BITS, GB, load_model_architecture, weights_bytes, kv_cache_bytes, concurrent_sequences, memory_table
from workbench.costs.request import MTOK, HOURS_PER_MONTH, SECONDS_PER_MONTH, MINUTES_PER_MONTH, COST_TERMS, request_cost_terms, request_cost_usd, blended_usd_per_mtok_3to1, price_of, expected_attempts, task_success_rate, monthly_costs, usd_per_success_for, crossing_success_rate
from workbench.costs.selfhost import MAX_REPLICAS, SelfHostAssumptions, gpu_prices, gpu_tokens_per_request, peak_tokens_per_s, gpus_needed, selfhost_monthly_usd, selfhost_costs, break_even_requests_per_month, break_even_staircase, cost_vs_volume, selfhost_parameters
from workbench.costs.steps import ID_COLUMNS, steps_frame, cross, step_costs, cost_assumptions, request_cost_for_step

__all__ = [
    "break_even_table",
    "Z95",
    "SPREAD_COLUMNS",
    "SPREAD_METRICS",
    "AA_COLUMNS",
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
    "BITS",
    "GB",
    "load_model_architecture",
    "weights_bytes",
    "kv_cache_bytes",
    "concurrent_sequences",
    "memory_table",
    "MTOK",
    "HOURS_PER_MONTH",
    "SECONDS_PER_MONTH",
    "MINUTES_PER_MONTH",
    "COST_TERMS",
    "request_cost_terms",
    "request_cost_usd",
    "blended_usd_per_mtok_3to1",
    "price_of",
    "expected_attempts",
    "task_success_rate",
    "monthly_costs",
    "usd_per_success_for",
    "crossing_success_rate",
    "MAX_REPLICAS",
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
    "ID_COLUMNS",
    "steps_frame",
    "cross",
    "step_costs",
    "cost_assumptions",
    "request_cost_for_step",
]
