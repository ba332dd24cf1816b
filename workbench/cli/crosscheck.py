"""python -m workbench crosscheck SCENARIO [--models A,B] [--benchmarks X,Y] [--max-age-days N] [--max-rank-gap F]
[--format table|csv|md|json] [--catalog DIR]
"""
from __future__ import annotations

from workbench.catalog.load import load_catalog
from workbench.scenario.load import load_scenario
from workbench.shortlist.leaderboards import (
    MAX_RANK_GAP,
    MAX_SCORE_AGE_DAYS,
    crosscheck,
)
from workbench.tables import FORMATS, render, to_json

NAME = "crosscheck"
HELP = ("compare the catalog's quality sources on the models both score (Spearman and Kendall rank correlation, "
        "with the count), and flag strong rank disagreements, scores older than the scenario's as_of allows, "
        "mixed harnesses and unverified name joins; sources are never averaged")


def _csv_list(text):
    return [x.strip() for x in text.split(",") if x.strip()] if text else None


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file: its as_of is the analysis date")
    p.add_argument("--models", metavar="A,B", help="only these catalog model_ids (default: every scored model)")
    p.add_argument("--benchmarks", metavar="X,Y",
                   help="benchmarks to compare (default: each source's headline, e.g. lmarena_text_full)")
    p.add_argument("--max-age-days", type=int, default=MAX_SCORE_AGE_DAYS,
                   help=f"a score older than this many days before as_of is stale (default {MAX_SCORE_AGE_DAYS})")
    p.add_argument("--max-rank-gap", type=float, default=MAX_RANK_GAP,
                   help=f"rank percentiles differing by more than this disagree strongly (default {MAX_RANK_GAP})")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--catalog", metavar="DIR", default=None, help="catalog folder (default: the project's data/catalog)")


def run(args) -> int:
    scenario = load_scenario(args.scenario)
    cc = crosscheck(load_catalog(args.catalog), scenario.as_of, model_ids=_csv_list(args.models),
                    benchmarks=_csv_list(args.benchmarks), max_age_days=args.max_age_days,
                    max_rank_gap=args.max_rank_gap)
    corr = cc.correlations.drop(columns=["source_a", "source_b"])
    if args.format == "json":
        print(to_json({"scenario": scenario.name, "settings": cc.settings, "correlations": cc.correlations,
                       "flags": cc.flags, "names": cc.names}))
        return 0
    if args.format == "csv":
        print(render(cc.flags, "csv"), end="")
        return 0
    s = cc.settings
    print(f"cross-check for {scenario.name} (as_of {s['as_of']}; stale after {s['max_age_days']} days; "
          f"strong disagreement above a rank-percentile gap of {s['max_rank_gap']:g})")
    print("\nrank correlation on the models both sources score:")
    print(render(corr, args.format, float_digits=3))
    print(f"\nflags ({len(cc.flags)}, by check):")
    print(render(cc.flags.groupby("check").size().rename("flags").reset_index(), args.format))
    print("\nflags:")
    print(render(cc.flags, args.format))
    return 0
