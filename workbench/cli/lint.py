"""python -m workbench lint RECORD [--catalog DIR] [--format table|json]
"""
from __future__ import annotations

from workbench.catalog.load import load_catalog
from workbench.mdr.linting import lint
from workbench.mdr.markdown import read_record
from workbench.tables import to_json, to_text

NAME = "lint"
HELP = ("check a Model Decision Record (NNNN-slug.md with its facts file): blank or placeholder human parts, "
        "reflections shorter than a sentence, claims its facts contradict, and what is missing or weak; exit 1 "
        "when there is a finding, 0 when none")


def add_arguments(p):
    p.add_argument("record", metavar="RECORD", help="a record file written by `decide`, e.g. records/0001-support-assistant.md")
    p.add_argument("--catalog", metavar="DIR", default=None,
                   help="catalog folder whose model and offering ids are looked for in the prose (default: data/catalog)")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args) -> int:
    record = read_record(args.record)
    catalog = load_catalog(args.catalog)
    known = set(catalog.models["model_id"]) | set(catalog.offerings["offering_id"])
    findings = lint(record, known_models=known)
    if args.format == "json":
        print(to_json({"record": record.filename, "findings": findings}))
    elif findings.empty:
        print(f"lint {record.filename}: nothing missing or weak")
    else:
        print(f"lint {record.filename}: {len(findings)} finding(s)")
        print(to_text(findings[["code", "where", "message"]]))
    return 1 if len(findings) else 0
