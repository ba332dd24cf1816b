"""python -m workbench catalog [--path DIR] [--format table|json]
"""
from __future__ import annotations

from workbench.catalog.load import load_catalog, summary
from workbench.tables import to_json

NAME = "catalog"
HELP = "validate a catalog folder and print counts by openness, access mode and provider, and its as_of range"


def add_arguments(p):
    p.add_argument("--path", default=None, help="catalog folder (default: the project's data/catalog)")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args) -> int:
    cat = load_catalog(args.path)
    s = summary(cat)
    if args.format == "json":
        print(to_json({**s, "warnings": [str(w) for w in cat.warnings]}))
        return 0
    print(f"catalog: {s['path']}  (as_of {s['as_of_oldest']} .. {s['as_of_newest']})")
    for key, value in s.items():
        if key in ("path", "as_of_oldest", "as_of_newest"):
            continue
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k:<40} {v}")
        else:
            print(f"{key:<42} {value}")
    print(f"warnings: {len(cat.warnings)}" + (" (the catalog loads; check these rows)" if cat.warnings else ""))
    for w in cat.warnings:
        print(f"  - {w}")
    return 0
