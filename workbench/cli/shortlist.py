"""python -m workbench shortlist SCENARIO [--step NAME] [--top N] [--format table|csv|md|json] [--catalog DIR]
"""
from __future__ import annotations

import pandas as pd

from workbench.catalog.load import load_catalog
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import NORMALISATIONS, candidates
from workbench.shortlist.ranking import shortlist
from workbench.tables import FORMATS, records_csv, to_json, to_markdown, to_text

NAME = "shortlist"
HELP = ("shortlist offerings for each step of a scenario: every hard constraint an excluded offering fails, "
        "cost per request beside the 3:1 blend, a weighted score, the Pareto frontier and rank stability")

# the columns shown per step in table/md/csv output (json has every column of ShortlistResult.ranked)
SHOWN = ("rank", "offering_id", "score", "quality", "usd_per_request", "usd_per_request_at_3to1",
         "typical_latency_s", "pareto", "p_first", "p_top3", "flags")


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file, e.g. data/scenarios/support_assistant.yaml")
    p.add_argument("--step", metavar="NAME", help="only this step (default: every step of the workflow)")
    p.add_argument("--top", type=int, metavar="N", default=None,
                   help="ranked candidates shown per step (default: 10 for table/md, all for csv/json; 0 = all)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--catalog", metavar="DIR", default=None, help="catalog folder (default: the project's data/catalog)")
    p.add_argument("--normalisation", choices=NORMALISATIONS, default="minmax",
                   help="min-max of the raw numbers, or of log10 cost and latency")
    p.add_argument("--seed", type=int, default=0, help="seed of the rank-stability weight draws")


def _joined(items) -> str:
    return " | ".join(items) if isinstance(items, list) else ""


def run(args) -> int:
    scenario = load_scenario(args.scenario)
    cat = candidates(load_catalog(args.catalog))
    steps = [scenario.step(args.step).name] if args.step else [s.name for s in scenario.workflow]
    results = [shortlist(cat, scenario, s, normalisation=args.normalisation, seed=args.seed) for s in steps]
    top = args.top if args.top is not None else (10 if args.format in ("table", "md") else 0)
    top = top or None

    if args.format == "json":
        print(to_json({"scenario": scenario.name, "as_of": str(scenario.as_of), "catalog": cat.path,
                       "steps": [r.to_dict(top) for r in results]}))
        return 0
    if args.format == "csv":
        frames = []
        for r in results:
            ranked = (r.ranked if top is None else r.ranked.head(top))[list(SHOWN)].assign(
                step=r.step, status="ranked", reasons="", flags=lambda d: d["flags"].map(_joined))
            excluded = r.excluded[["offering_id", "quality", "usd_per_request", "typical_latency_s"]].assign(
                step=r.step, status="excluded", reasons=r.excluded["reasons"].map(_joined))
            frames += [ranked, excluded]
        cols = ["step", "status", *SHOWN, "reasons"]
        print(records_csv(pd.concat(frames, ignore_index=True).reindex(columns=cols)), end="")
        return 0
    render = to_markdown if args.format == "md" else to_text
    for r in results:
        head = f"step '{r.step}' (role {r.role}): weights " + ", ".join(f"{k} {v:.2f}" for k, v in r.weights.items())
        print(("## " if args.format == "md" else "== ") + head)
        print()
        for note in r.notes[1:]:
            print(("- " if args.format == "md" else "  ") + note)
        print()
        shown = (r.ranked if top is None else r.ranked.head(top))[list(SHOWN)].assign(
            flags=lambda d: d["flags"].map(_joined))
        print(render(shown) if len(shown) else "(no candidate passed the hard constraints)")
        print()
        if len(r.excluded):
            print(("### " if args.format == "md" else "") + f"excluded ({len(r.excluded)}), every failed constraint:")
            print()
            print(render(r.why_excluded()))
            print()
    return 0
