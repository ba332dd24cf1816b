"""python -m workbench scenario SCENARIO [--show workflow|checklist|constraints|all] [--format table|csv|md|json]
"""
from __future__ import annotations

from workbench.scenario.load import load_scenario
from workbench.scenario.workflow import (
    checklist_table,
    constraints_table,
    workflow_table,
)
from workbench.tables import FORMATS, render, to_json

NAME = "scenario"
HELP = ("validate a scenario YAML file (every problem with its key path and fix) and show its workflow: "
        "steps x roles x volumes x token mixes x latency targets")

VIEWS = {"workflow": workflow_table, "checklist": checklist_table, "constraints": constraints_table}


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file, e.g. data/scenarios/support_assistant.yaml")
    p.add_argument("--show", choices=(*VIEWS, "all"), default="workflow", help="which table to print (default: workflow)")
    p.add_argument("--format", choices=FORMATS, default="table")


def run(args) -> int:
    s = load_scenario(args.scenario)
    views = list(VIEWS) if args.show == "all" else [args.show]
    tables = {v: VIEWS[v](s) for v in views}
    if args.format == "json":
        print(to_json({"scenario": s.name, "title": s.title, "as_of": str(s.as_of), **tables}))
        return 0
    if args.format != "csv":
        print(f"{s.name}: {s.title} (as_of {s.as_of}, {len(s.workflow)} steps) - valid")
    for v, df in tables.items():
        if len(tables) > 1 or args.format != "csv":
            print(f"\n{v}:" if args.format != "csv" else f"# {v}")
        print(render(df, args.format), end="" if args.format == "csv" else "\n")
    return 0
