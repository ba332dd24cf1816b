"""python -m workbench import {litellm,openrouter,artificial-analysis,lmarena} FILE --as-of DATE --out DIR [--force]

A thin shell over :mod:`workbench.catalog.importers`: import one public file, validate the tables in memory
(nothing is written if they are invalid), check that no target file exists (unless ``--force``),
stage one CSV per table in a temporary folder next to ``--out``, load the whole resulting catalog there
(with the tables of ``--out`` the import does not replace), move the files in only when it loads, and
print how many entries were imported and why the others were skipped.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.catalog.importers import FORMATS, importer
from workbench.catalog.importers.common import check_as_of
from workbench.catalog.importers.folder import SKIPPED_FILE, write_import
from workbench.catalog.schema import TABLES
from workbench.tables import to_text

NAME = "import"
HELP = "import a public file (LiteLLM, OpenRouter, Artificial Analysis, LMArena) into catalog CSVs, with skipped entries and reasons"


def add_arguments(p):
    p.add_argument("format", choices=sorted(FORMATS), help="the file's format")
    p.add_argument("file", help="the JSON file as downloaded")
    p.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the date the file describes (written into every row)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write models.csv, offerings.csv, ... into")
    p.add_argument("--force", action="store_true", help="replace CSVs that already exist in --out (only when the whole resulting catalog still loads)")
    p.add_argument("--source", default=None, help="provenance written into every row (default: the format and file name)")
    p.add_argument("--category", default="full", help="lmarena only: the leaderboard category (default: full)")
    p.add_argument("--scatterplot", default=None, metavar="FILE",
                   help="lmarena only: LMArena's scatterplot-data.json, for organisation and licence facts")
    p.add_argument("--show-skipped", type=int, default=0, metavar="N", help="also list the first N skipped entries")


def run(args) -> int:
    as_of = check_as_of(args.as_of)
    fn = importer(args.format)
    kwargs = {"category": args.category, "scatterplot": args.scatterplot} if args.format == "lmarena" else {}
    result = fn(args.file, as_of, source=args.source, **kwargs)

    tables, cat = write_import(result, Path(args.out), force=args.force)  # validated, written, loaded back

    c = result.counts()
    print(f"source: {result.source}  (as_of {result.as_of})")
    print(f"entries: {c['total']}  imported: {c['imported']}  skipped: {c['total'] - c['imported']}")
    for name in tables:
        print(f"  wrote {TABLES[name].filename:<16} {len(getattr(cat, name)):>6} rows")
    print(f"  wrote {SKIPPED_FILE:<16} {len(result.skipped):>6} rows (entry, reason, detail)")
    for note in result.notes:
        print(f"note: {note}")
    if c["skipped"]:
        print("skipped by reason:")
        print(to_text(pd.DataFrame({"reason": list(c["skipped"]), "entries": list(c["skipped"].values())})))
    if args.show_skipped:
        print(to_text(result.skipped.head(args.show_skipped)))
    return 0
