"""Write an import into a catalog folder so that it cannot break the catalog: validate in memory, refuse
to replace files unless asked, write the tables into a new temporary folder next to the target, load
the *whole* resulting catalog there (the new tables together with the tables already in the target
that the import does not replace, e.g. old scores and price history), and only then move the new
files into the target (``os.replace`` per file). When anything fails, the target is left as it was.
The shell ``python -m workbench import`` and the import benchmark both call :func:`write_import`.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from workbench.catalog.importers.common import ImportResult, skipped_frame
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


def _existing_ancestor(folder: Path) -> Path:
    p = folder.absolute().parent
    while not p.exists():
        p = p.parent
    return p


def _as_target(problems: list[Problem], staging: Path, folder: Path) -> list[Problem]:
    """Problems found in the staging folder, named by the target file they would have become."""
    return [dataclasses.replace(p, file=str(folder / Path(p.file).name), fix=p.fix + " (nothing in the folder was changed)")
            if staging.name in Path(p.file).parts else p for p in problems]


IMPLAUSIBLE_REASON = "implausible price (the catalog's plausibility check; see detail)"


def set_aside_implausible(result: ImportResult) -> ImportResult:
    """The import with offerings whose prices fail the catalog's row-level plausibility checks (a price
    30x off the same model elsewhere, a cache-read price above input) moved to ``skipped`` with the
    check's message, so one odd row in a public file does not stop a real import and every entry stays
    imported or listed. A table-level problem (the whole file in the wrong unit) is left for the
    loader to refuse: that is the user's mistake, not a row's."""
    tables = result.catalog_tables()
    display = "offerings.csv"
    if tables["offerings"].empty:
        return result
    try:
        catalog_from_frames(tables, {"offerings": display})
        return result
    except WorkbenchError as e:
        problems = e.problems
    if any(p.message.startswith("the table's median") for p in problems):
        return result
    rows = {}
    for p in problems:
        if p.file == display and (p.column or "").startswith("usd_") and p.where.startswith("row "):
            rows.setdefault(int(p.where.split()[1]) - 2, []).append(f"{p.column}: {p.message}")
    if not rows:
        return result
    offers = tables["offerings"]
    bad = offers.iloc[sorted(rows)]
    aside = skipped_frame([(oid, IMPLAUSIBLE_REASON, "; ".join(msgs))
                           for oid, msgs in zip(bad["offering_id"], (rows[i] for i in sorted(rows)))])
    kept = dict(result.tables, offerings=offers.drop(index=bad.index).reset_index(drop=True))
    return dataclasses.replace(result, tables=kept, skipped=pd.concat([result.skipped, aside], ignore_index=True),
                               imported_entries=result.imported_entries - len(bad))


def write_import(result: ImportResult, folder: str | Path, force: bool = False) -> tuple[dict, Catalog]:
    """Validate ``result``'s tables, stage them (and ``import_skipped.csv``) next to ``folder``, load the
    whole resulting catalog there, then move them into ``folder`` and load it back.

    Returns the tables written and the loaded catalog. Nothing in ``folder`` changes when the tables are
    invalid, when (without ``force``) a target file exists, or when the tables would break the catalog
    they join (an import that drops models which old scores or price history still name)."""
    folder = Path(folder)
    result = set_aside_implausible(result)
    tables = result.catalog_tables()
    displays = {n: str(folder / TABLES[n].filename) for n in TABLES}
    catalog_from_frames(tables, displays, path=str(folder))  # validate the import on its own first
    targets = check_targets(folder, list(tables), force)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.import-", dir=_existing_ancestor(folder)))
    try:
        new_files = [write_table(df, name, staging) for name, df in tables.items()]
        result.skipped.to_csv(staging / SKIPPED_FILE, index=False, lineterminator="\n")
        new_files.append(staging / SKIPPED_FILE)
        for spec in TABLES.values():  # the target's other tables join the new ones
            old = folder / spec.filename
            if spec.name not in tables and old.is_file():
                shutil.copy2(old, staging / spec.filename)
        try:
            load_catalog(staging)
        except WorkbenchError as e:
            problems = _as_target(e.problems, staging, folder)
            raise WorkbenchError(problems, summary=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the "
                                 f"catalog the import would leave in {folder}; nothing was changed") from None
        folder.mkdir(parents=True, exist_ok=True)
        for src, dst in zip(new_files, targets):
            os.replace(src, dst)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tables, load_catalog(folder)
