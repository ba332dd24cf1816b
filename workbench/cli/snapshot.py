"""python -m workbench snapshot --shared DIR --out DIR --as-of DATE [--curation DIR] [--force]

A thin shell over :mod:`workbench.catalog.importers.snapshot`: build the curated catalog snapshot from the raw
public files under ``--shared`` and the hand-curated inputs (default ``data/catalog/curation``),
validate every table, refuse to replace existing CSVs unless ``--force``, write the seven CSVs and
load the folder back with :func:`~workbench.catalog.load_catalog`. ``data/README.md`` gives the
exact command that produced the committed ``data/catalog``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.catalog.load import load_catalog
from workbench.catalog.schema import TABLES
from workbench.catalog.snapshot import build_snapshot, write_snapshot
from workbench.tables import to_text

NAME = "snapshot"
HELP = "rebuild the curated catalog snapshot (data/catalog/*.csv) from raw public files plus the curation folder"


def add_arguments(p):
    p.add_argument("--shared", required=True, metavar="DIR",
                   help="folder holding the raw public files in the layout of curation/sources.yaml "
                        "(e.g. /work/shared/data, or your own downloads)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write models.csv, offerings.csv, ... into")
    p.add_argument("--as-of", required=True, metavar="YYYY-MM-DD",
                   help="the day the curated rows describe; not earlier than the newest source")
    p.add_argument("--curation", default=None, metavar="DIR", help="hand-curated inputs (default: data/catalog/curation)")
    p.add_argument("--force", action="store_true", help="replace CSVs that already exist in --out")


def run(args) -> int:
    snap = build_snapshot(args.shared, args.as_of, args.curation)
    write_snapshot(snap, args.out, force=args.force)
    cat = load_catalog(Path(args.out))  # read back what was written: it must load as it was built
    counts = pd.DataFrame([{"table": n, "rows": len(t), "file": str(Path(args.out) / TABLES[n].filename)}
                           for n, t in cat.tables().items()])
    print(f"snapshot as of {args.as_of} written to {args.out}:")
    print(to_text(counts))
    for note in snap.notes:
        print(f"note: {note}")
    return 0
