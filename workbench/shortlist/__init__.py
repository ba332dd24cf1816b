"""Stage 02, the shortlist: from a catalog and a scenario step to ranked candidates with reasons.

Candidates (:mod:`.pool`), hard constraints with every reason listed (:mod:`.constraints`),
normalisation, weights, Pareto front and rank stability (:mod:`.scoring`), the ranking itself
(:mod:`.ranking`), leaderboard cross-checks (:mod:`.leaderboards`) and cost tables per shortlisted
candidate (:mod:`.costs`). Taught in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

from workbench.shortlist.constraints import constraint_checks, default_settings, with_constraints
from workbench.shortlist.costs import shortlisted_offerings, candidate_costs
from workbench.shortlist.leaderboards import is_quality_benchmark, default_benchmarks, benchmark_namespace, latest_scores, score_table, spearman_rho, kendall_tau_b, rank_correlations, rank_disagreements, stale_speeds, stale_scores, mixed_harnesses, joined_names, CrossCheck, crosscheck
from workbench.shortlist.openness import openness_tradeoffs
from workbench.shortlist.pool import Candidates, retirement, candidates, offering_latency_s, request_cost_at_3to1_usd
from workbench.shortlist.ranking import ShortlistResult, shortlist, shortlist_all, provider_spread, offerings_of, leaderboard_top_vs_pick
from workbench.shortlist.scoring import normalise, weighted_score, pareto_front, sample_weights, rank_stability

__all__ = [
    "constraint_checks",
    "default_settings",
    "with_constraints",
    "shortlisted_offerings",
    "candidate_costs",
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
