"""Stage 05, routing: send each request to the right model and survive outages.

The router as data (:mod:`.config`), request signals (:mod:`.signals`), rule decisions
(:mod:`.router`), routed vs single-model reports (:mod:`.report`), chain availability
(:mod:`.availability`), a runtime fallback chain with circuit breakers (:mod:`.fallback`) and
reversible personal-data redaction (:mod:`.pii`). Taught in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

from workbench.routing.availability import independent_chain_availability, chain_members, with_component, served_shares, chain_availability, OutageSimulation, simulate_outages, fallback_expectations, chain_summary, chains_table, trap_curve
from workbench.routing.config import Route, Rule, Availability, Breaker, RouterConfig, routing_config, load_routing, routes_table, rules_table
from workbench.routing.fallback import CircuitBreaker, FallbackEvent, ChainExhausted, FallbackCandidate, endpoint_chain
from workbench.routing.pii import card_spans, PiiSpan, PiiConfig, luhn_valid, detect_pii, Redaction, redact_pii, restore_pii, pii_config, gold_spans, pii_detection_table, pii_detection_scores
from workbench.routing.report import route_outcomes, route_shares, system_costs, system_p95_s, RoutingReport, routing_report, results_for_routes, traffic_mix_shares, routing_whatif, chain_expectations
from workbench.routing.router import Decision, route_request, explain_routing, prepare_request, request_from_case, rules_intent, route_cases, routing_accuracy, route_messages
from workbench.routing.signals import Request, strip_markup, detect_language, detect_code, injection_patterns, detect_injection, difficulty_signals, Signals, request_signals

__all__ = [
    "independent_chain_availability",
    "chain_members",
    "with_component",
    "served_shares",
    "chain_availability",
    "OutageSimulation",
    "simulate_outages",
    "fallback_expectations",
    "chain_summary",
    "chains_table",
    "trap_curve",
    "Route",
    "Rule",
    "Availability",
    "Breaker",
    "RouterConfig",
    "routing_config",
    "load_routing",
    "routes_table",
    "rules_table",
    "CircuitBreaker",
    "FallbackEvent",
    "ChainExhausted",
    "FallbackCandidate",
    "endpoint_chain",
    "card_spans",
    "PiiSpan",
    "PiiConfig",
    "luhn_valid",
    "detect_pii",
    "Redaction",
    "redact_pii",
    "restore_pii",
    "pii_config",
    "gold_spans",
    "pii_detection_table",
    "pii_detection_scores",
    "route_outcomes",
    "route_shares",
    "system_costs",
    "system_p95_s",
    "RoutingReport",
    "routing_report",
    "results_for_routes",
    "traffic_mix_shares",
    "routing_whatif",
    "chain_expectations",
    "Decision",
    "route_request",
    "explain_routing",
    "prepare_request",
    "request_from_case",
    "rules_intent",
    "route_cases",
    "routing_accuracy",
    "route_messages",
    "Request",
    "strip_markup",
    "detect_language",
    "detect_code",
    "injection_patterns",
    "detect_injection",
    "difficulty_signals",
    "Signals",
    "request_signals",
]
