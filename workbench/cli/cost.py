"""python -m workbench cost SCENARIO [--step NAME] [--volume N] [--top N] [--format table|csv|md|json] [--catalog DIR]
"""
from __future__ import annotations

import pandas as pd

from workbench.catalog.load import load_catalog
from workbench.costs.steps import cost_assumptions
from workbench.errors import fail
from workbench.scenario.load import load_scenario
from workbench.shortlist.costs import candidate_costs
from workbench.tables import FORMATS, render, to_json

NAME = "cost"
HELP = ("per shortlisted candidate: USD per request, per month and per successful task, p95 latency, and "
        "whether the step's latency target and the rate limits are met")

SHOWN = ("step", "rank", "offering_id", "usd_per_request", "usd_per_month", "usd_per_success", "p95_s", "target_p95_s",
         "latency_ok", "rate_limits_ok")


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file, e.g. data/scenarios/support_assistant.yaml")
    p.add_argument("--step", default=None, help="one step of the workflow (default: every step)")
    p.add_argument("--volume", type=float, default=None, metavar="N",
                   help="requests per month for every step shown (default: each step's requests_per_month)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many shortlisted candidates per step (default 10)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--catalog", default=None, metavar="DIR", help="catalog folder (default: the project's data/catalog)")
    p.add_argument("--seed", type=int, default=0, help="seed of the latency simulation (default 0)")


def _yes_no(v) -> str:
    return "unknown" if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else ("yes" if bool(v) else "no")


def run(args) -> int:
    if args.volume is not None and args.volume < 0:
        raise fail("--volume", "value", f"must not be negative, got {args.volume:g}", "give requests per month, e.g. 20000")
    if args.top < 1:
        raise fail("--top", "value", f"must be at least 1, got {args.top}", "e.g. --top 5")
    scenario = load_scenario(args.scenario)
    catalog = load_catalog(args.catalog)
    table = candidate_costs(catalog, scenario, args.step, args.volume, args.top, seed=args.seed)
    steps = [scenario.step(args.step)] if args.step else list(scenario.workflow)
    if args.format == "json":
        print(to_json({"scenario": scenario.name, "catalog": catalog.path, "volume_override": args.volume,
                       "candidates": table,
                       "assumptions": {s.name: cost_assumptions(s) for s in steps},
                       "notes": notes()}))
        return 0
    if args.format == "csv":
        print(render(table, "csv"), end="")
        return 0
    no_target = {s.name for s in steps if s.latency.ttft_s is None and s.latency.total_s is None and s.latency.p95_s is None}
    latency_ok = [("no target" if st in no_target else _yes_no(v)) for st, v in zip(table["step"], table["meets_latency_target"])]
    limits_ok = [("n/a (self-hosted)" if m == "self-hosted" else _yes_no(v))
                 for m, v in zip(table["access_mode"], table["fits_rate_limits"])]
    shown = table.assign(latency_ok=latency_ok, rate_limits_ok=limits_ok)[list(SHOWN)]
    print(render(shown, args.format))
    if args.format == "table":
        print()
        for line in notes():
            print("- " + line)
        self_hosted = table[table["access_mode"] == "self-hosted"]
        for r in self_hosted.itertuples():
            print(f"- {r.offering_id}: {r.pricing}")
        print("- assumptions: see the scenario's tokens and reliability keys, or --format json")
    return 0


def notes() -> list[str]:
    return [
        "usd_per_request includes expected retries: (1 - (1-p)^n) / p attempts for success rate p and n attempts "
        "(scenario reliability keys, assumptions until measured)",
        "usd_per_month = requests x usd_per_request + requests x escalation_rate x usd_per_escalation",
        "usd_per_success = usd_per_month / (requests x (1 - (1-p)^n) x (1 - escalation_rate)); "
        "an escalated task is not an automated success",
        "p95_s: seeded simulation with TTFT and tokens/s spreads from data/latency_spreads.csv "
        "(Artificial Analysis provider percentiles, 2025-08-14) and retries; 'unknown' = no speed data",
        "rate_limits_ok: peak requests and tokens per minute (requests_per_month x peak_to_average) against "
        "the offering's rpm_limit/tpm_limit; 'unknown' = no limit listed",
    ]
