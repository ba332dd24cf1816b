"""Write an import into a catalog folder: validate in memory, refuse to replace files unless asked,
write one CSV per table plus the skipped entries, and load the folder back.
The shell ``python -m workbench import`` and the import benchmark both call :func:`write_import`.
"""
from __future__ import annotations

from pathlib import Path

from workbench.catalog.importers.common import ImportResult
from workbench.catalog.load import (
    Catalog,
    catalog_from_frames,
    load_catalog,
    write_table,
)
from workbench.catalog.schema import TABLES
from workbench.errors import Problem, WorkbenchError, fail

SKIPPED_FILE = "import_skipped.csv"


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


def write_import(result: ImportResult, folder: str | Path, force: bool = False) -> tuple[dict, Catalog]:
    """Validate ``result``'s tables, write them (and ``import_skipped.csv``) into ``folder``, load it back.

    Returns the tables written and the loaded catalog. Nothing is written when the tables are invalid
    or (without ``force``) when a target file exists."""
    folder = Path(folder)
    tables = result.catalog_tables()
    displays = {n: str(folder / TABLES[n].filename) for n in TABLES}
    catalog_from_frames(tables, displays, path=str(folder))  # validate before writing anything
    check_targets(folder, list(tables), force)
    for name, df in tables.items():
        write_table(df, name, folder, force=force)
    result.skipped.to_csv(folder / SKIPPED_FILE, index=False, lineterminator="\n")
    return tables, load_catalog(folder)
