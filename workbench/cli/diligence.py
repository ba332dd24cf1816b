"""python -m workbench diligence SCENARIO [--models A,B] [--max-release-age-days N] [--format table|csv|md|json]
[--catalog DIR]
"""
from __future__ import annotations

from workbench.catalog.diligence import (
    MAX_RELEASE_AGE_DAYS,
    diligence_flags,
    diligence_table,
)
from workbench.catalog.load import load_catalog
from workbench.scenario.load import load_scenario
from workbench.tables import FORMATS, render, to_json

NAME = "diligence"
HELP = ("model-card due diligence for the catalog's open-weight models against a scenario: licence (commercial "
        "use, derivatives, user-count and territorial clauses), intended use, gated access, weights format and "
        "maintenance, as red and amber flags with reasons")

SHOWN = ["model_id", "licence_family", "commercial_use", "derivatives", "gated", "safe_weights",
         "release_age_days", "red_flags", "amber_flags"]


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file: its as_of, horizon and fine-tuning need")
    p.add_argument("--models", metavar="A,B", help="only these catalog model_ids (closed models are skipped)")
    p.add_argument("--max-release-age-days", type=int, default=MAX_RELEASE_AGE_DAYS,
                   help=f"flag a release older than this many days before as_of (default {MAX_RELEASE_AGE_DAYS})")
    p.add_argument("--licensee-in-eu", choices=("auto", "yes", "no"), default="auto",
                   help="the company using the model is established in the EU (auto: the scenario allows only region eu)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--catalog", metavar="DIR", default=None, help="catalog folder (default: the project's data/catalog)")


def run(args) -> int:
    s = load_scenario(args.scenario)
    catalog = load_catalog(args.catalog)
    ids = [x.strip() for x in args.models.split(",") if x.strip()] if args.models else None
    eu = tuple(s.constraints.regions) == ("eu",) if args.licensee_in_eu == "auto" else args.licensee_in_eu == "yes"
    kw = dict(model_ids=ids, needs_fine_tuning=s.constraints.fine_tuning, max_release_age_days=args.max_release_age_days,
              horizon_date=s.horizon_date, licensee_in_eu=eu)
    table = diligence_table(catalog, s.as_of, **kw)
    flags = diligence_flags(catalog, s.as_of, **kw)
    flags = flags.assign(_red=flags["severity"] != "red").sort_values(["_red", "model_id"], kind="stable").drop(columns="_red")
    if args.format == "json":
        print(to_json({"scenario": s.name, "as_of": str(s.as_of), "licensee_in_eu": eu, "models": table, "flags": flags}))
        return 0
    if args.format == "csv":
        print(render(flags, "csv"), end="")
        return 0
    print(f"due diligence for {s.name} (as_of {s.as_of}, horizon {s.horizon_date}, fine-tuning needed: "
          f"{'yes' if s.constraints.fine_tuning else 'no'}, licensee in the EU: {'yes' if eu else 'no'})")
    print(render(table[SHOWN], args.format))
    print("\nflags:")
    print(render(flags, args.format))
    return 0
