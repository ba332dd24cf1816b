"""python -m workbench route SCENARIO --golden GOLDEN [--catalog DIR] [--routing FILE] [--format table|json]
"""
from __future__ import annotations

from workbench.catalog.load import load_catalog
from workbench.evals import load_golden, make_candidate, run_eval
from workbench.evals.checks import public_contacts
from workbench.routing.availability import chains_table
from workbench.routing.config import load_routing, routing_config
from workbench.routing.pii_eval import pii_detection_scores, pii_detection_table
from workbench.routing.report import results_for_routes, routing_report
from workbench.scenario.load import load_scenario
from workbench.tables import to_json, to_text
from workbench.util import shown_path

NAME = "route"
HELP = ("route a golden set with the scenario's routing rules: routing accuracy and confusion, PII detection "
        "precision/recall, the routed system next to each single model (success, monthly cost, p95 latency), "
        "and each route's fallback-chain availability")

SYSTEM_COLUMNS = ("system", "cases_scored", "success_rate", "automated_success_rate", "human_share",
                  "usd_per_month_models", "usd_per_month_human", "usd_per_month")


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file with a routing: block, "
                                                         "e.g. data/scenarios/support_assistant.yaml")
    p.add_argument("--golden", metavar="GOLDEN", required=True,
                   help="a golden JSONL file whose cases carry expected.route and expected.pii, "
                        "e.g. data/golden/support_assistant.jsonl")
    p.add_argument("--catalog", metavar="DIR", default=None, help="catalog folder (default: the project's data/catalog)")
    p.add_argument("--routing", metavar="FILE", default=None,
                   help="a routing YAML file to use instead of the scenario's routing: block")
    p.add_argument("--no-rules-baseline", action="store_true",
                   help="leave the rule baseline (a real, free candidate, run on the spot) out of the comparison")
    p.add_argument("--format", choices=("table", "json"), default="table")


def build(args) -> dict:
    """Everything the verb prints, as plain values and DataFrames (used by the tests too)."""

    scenario = load_scenario(args.scenario)
    catalog = load_catalog(args.catalog)
    golden = load_golden(args.golden)
    contacts = public_contacts(golden)
    if args.routing:
        config = load_routing(args.routing, scenario, catalog, public_contacts=contacts)
    else:
        config = routing_config(scenario, catalog, public_contacts=contacts)
    results = results_for_routes(config, golden)
    baselines = {}
    if not args.no_rules_baseline:
        rules = make_candidate("rules", golden, account_id_pattern=config.pii.account_id_pattern)
        baselines["rules baseline"] = run_eval(golden, rules, use_cache=False, progress=False).results
    report = routing_report(golden, config, scenario, catalog, results, baselines=baselines)
    pii_table = pii_detection_table(golden.cases, config.pii)
    return {
        "scenario": scenario.name, "golden": golden.path, "cases": len(golden), "catalog": catalog.path,
        "routing": shown_path(config.file), "accuracy": report.accuracy, "report": report,
        "pii": pii_detection_scores(golden.cases, config.pii),
        "pii_misses": pii_table.loc[(pii_table["missed"] != "") | (pii_table["false_alarms"] != ""),
                                    ["case_id", "missed", "false_alarms"]],
        "chains": chains_table(config, catalog), "availability_source": config.availability.source,
    }


def run(args) -> int:
    out = build(args)
    rep = out["report"]
    wrong = rep.decisions.loc[~rep.decisions["correct"], ["case_id", "task", "expected_route", "route", "rule", "why"]]
    p95 = [c for c in rep.systems.columns if c.startswith("p95_s:")]
    systems = rep.systems[[*SYSTEM_COLUMNS, *p95, "quality_from"]]
    if args.format == "json":
        print(to_json({"scenario": out["scenario"], "golden": out["golden"], "routing": out["routing"],
                       "routing_accuracy": out["accuracy"], "confusion": rep.confusion.reset_index(),
                       "misrouted": wrong, "decisions": rep.decisions, "pii_detection": out["pii"],
                       "pii_misses": out["pii_misses"], "systems": systems, "by_step": rep.by_step,
                       "fallback_chains": out["chains"], "availability_source": out["availability_source"],
                       "notes": rep.notes}))
        return 0
    n = len(rep.decisions)
    print(f"routing: {out['routing']}  golden: {out['golden']} ({out['cases']} cases)  catalog: {out['catalog']}")
    print(f"\nrouting accuracy: {out['accuracy']:.1%} ({int(rep.decisions['correct'].sum())} of {n} cases "
          "take the golden set's route)\n")
    print(to_text(rep.confusion.reset_index()))
    if len(wrong):
        print("\nmisrouted cases:\n")
        print(to_text(wrong))
    print("\npersonal data detection (span level: type, start and end must match the annotation):\n")
    print(to_text(out["pii"]))
    if len(out["pii_misses"]):
        print(to_text(out["pii_misses"]))
    print("\nrouted vs single-model systems on the same cases:\n")
    print(to_text(systems, float_digits=3))
    print("\nfallback chains (availability numbers are assumptions: "
          f"{' '.join(str(out['availability_source']).split())}):\n")
    print(to_text(out["chains"], float_digits=6))
    print("\nnotes:")
    for note in rep.notes:
        print(f"  - {note}")
    return 0
