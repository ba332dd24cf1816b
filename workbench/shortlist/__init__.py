"""Stage 02, the shortlist: from a catalog and a scenario step to ranked candidates with reasons.

Candidates (:mod:`.pool`), hard constraints with every reason listed (:mod:`.constraints`),
normalisation, weights, Pareto front and rank stability (:mod:`.scoring`), the ranking itself
(:mod:`.ranking`), leaderboard cross-checks (:mod:`.leaderboards`) and cost tables per shortlisted
candidate (:mod:`.costs`). Taught in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

from workbench.shortlist.constraints import constraint_checks, EFFORT_ORDER, default_settings, SCENARIO_TOGGLES, STEP_TOGGLES, with_constraints
from workbench.shortlist.costs import CANDIDATE_COLUMNS, shortlisted_offerings, candidate_costs, SETTING_COLUMNS, reasoning_settings
from workbench.shortlist.leaderboards import MAX_SCORE_AGE_DAYS, MAX_RANK_GAP, MIN_MODELS_FOR_CORRELATION, BENCHMARK_NAMESPACES, FLAG_COLUMNS, HEADLINE_BENCHMARKS, is_quality_benchmark, default_benchmarks, benchmark_namespace, latest_scores, score_table, spearman_rho, kendall_tau_b, rank_correlations, rank_disagreements, stale_speeds, stale_scores, mixed_harnesses, joined_names, CrossCheck, crosscheck
from workbench.shortlist.openness import CLASSES, openness_tradeoffs
from workbench.shortlist.pool import CRITERIA, CRITERION_COLUMN, DIRECTION, NORMALISATIONS, LATENCY_UNMEASURED, SCORE_DECIMALS, CONSTRAINT_KEYS, CAPABILITIES, CAPABILITY_WORDS, RANKED_COLUMNS, EXCLUDED_COLUMNS, Candidates, retirement, candidates, offering_latency_s, request_cost_at_3to1_usd
from workbench.shortlist.ranking import ShortlistResult, shortlist, shortlist_all, provider_spread, offerings_of, leaderboard_top_vs_pick
from workbench.shortlist.scoring import normalise, weighted_score, pareto_front, sample_weights, rank_stability

__all__ = [
    "constraint_checks",
    "EFFORT_ORDER",
    "default_settings",
    "SCENARIO_TOGGLES",
    "STEP_TOGGLES",
    "with_constraints",
    "CANDIDATE_COLUMNS",
    "shortlisted_offerings",
    "candidate_costs",
    "SETTING_COLUMNS",
    "reasoning_settings",
    "MAX_SCORE_AGE_DAYS",
    "MAX_RANK_GAP",
    "MIN_MODELS_FOR_CORRELATION",
    "BENCHMARK_NAMESPACES",
    "FLAG_COLUMNS",
    "HEADLINE_BENCHMARKS",
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
    "CLASSES",
    "openness_tradeoffs",
    "CRITERIA",
    "CRITERION_COLUMN",
    "DIRECTION",
    "NORMALISATIONS",
    "LATENCY_UNMEASURED",
    "SCORE_DECIMALS",
    "CONSTRAINT_KEYS",
    "CAPABILITIES",
    "CAPABILITY_WORDS",
    "RANKED_COLUMNS",
    "EXCLUDED_COLUMNS",
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
