"""Stage 02, the shortlist: from a catalog and a scenario step to ranked candidates with reasons.

Candidates (:mod:`.pool`), hard constraints with every reason listed (:mod:`.constraints`),
normalisation, weights, Pareto front and rank stability (:mod:`.scoring`), the ranking itself
(:mod:`.ranking`), leaderboard cross-checks (:mod:`.leaderboards`) and cost tables per shortlisted
candidate (:mod:`.costs`). Taught in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

from workbench.shortlist.constraints import constraint_checks, default_settings, with_constraints
from workbench.shortlist.costs import candidate_costs, reasoning_settings, shortlisted_offerings
from workbench.shortlist.leaderboards import (
    CrossCheck,
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
    stale_speeds,
)
from workbench.shortlist.openness import openness_tradeoffs
from workbench.shortlist.pool import (
    LATENCY_UNMEASURED,
    Candidates,
    candidates,
    offering_latency_s,
    request_cost_at_3to1_usd,
    retirement,
)
from workbench.shortlist.ranking import (
    ShortlistResult,
    leaderboard_top_vs_pick,
    offerings_of,
    provider_spread,
    shortlist,
    shortlist_all,
)
from workbench.shortlist.scoring import normalise, pareto_front, rank_stability, sample_weights, weighted_score

__all__ = [
    "LATENCY_UNMEASURED",
    "constraint_checks",
    "default_settings",
    "with_constraints",
    "shortlisted_offerings",
    "candidate_costs",
    "reasoning_settings",
    "is_quality_benchmark",
    "default_benchmarks",
    "benchmark_namespace",
    "latest_scores",
    "score_table",
    "spearman_rho",
    "kendall_tau_b",
    "rank_correlations",
    "rank_disagreements",
    "stale_speeds",
    "stale_scores",
    "mixed_harnesses",
    "joined_names",
    "CrossCheck",
    "crosscheck",
    "openness_tradeoffs",
    "Candidates",
    "retirement",
    "candidates",
    "offering_latency_s",
    "request_cost_at_3to1_usd",
    "ShortlistResult",
    "shortlist",
    "shortlist_all",
    "provider_spread",
    "offerings_of",
    "leaderboard_top_vs_pick",
    "normalise",
    "weighted_score",
    "pareto_front",
    "sample_weights",
    "rank_stability",
]
