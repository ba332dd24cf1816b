"""Write numbered Model Decision Record files (the Markdown, its facts file, chart and comparison CSV).

Files are never overwritten: :func:`write_record` takes the next free number in the folder and
creates the file exclusively. :func:`supersede` is the one permitted edit of an existing record: it
changes the old record's ``status`` to ``superseded``, adds a ``superseded-by`` line to its front
matter and a link under its title, and leaves every other line as it was.
Taught in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

from workbench.errors import fail
from workbench.mdr.comparison import comparison_frame
from workbench.mdr.markdown import read_record, render_facts, render_markdown
from workbench.mdr.record import Record

# ------------------------------------------------------------------------------------------------
# numbered files that are never overwritten
# ------------------------------------------------------------------------------------------------

RECORD_NAME = re.compile(r"^(\d{4})-[a-z0-9-]+\.md$")


def existing_records(folder: str | Path) -> dict[int, Path]:
    """Record files ``NNNN-slug.md`` in a folder, by number."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    out = {}
    for p in sorted(folder.iterdir()):
        m = RECORD_NAME.match(p.name)
        if m:
            out[int(m.group(1))] = p
    return out


def next_number(folder: str | Path) -> int:
    """The next free record number in a folder (1 when there is none).
    Introduced in ``06_model_decision_record.ipynb``."""
    nums = existing_records(folder)
    return max(nums, default=0) + 1


def find_record(folder: str | Path, number: int | str) -> Path:
    """The record file with this number; an unknown number is an error listing the ones present."""
    recs = existing_records(folder)
    try:
        n = int(str(number))
    except ValueError:
        raise fail(str(folder), f"--supersedes {number}", "not a record number", "give the 4-digit number, e.g. 0001") from None
    if n not in recs:
        have = ", ".join(f"{k:04d}" for k in recs) or "none"
        raise fail(str(folder), f"--supersedes {number}", f"no record with this number (records here: {have})",
                   "give the number of an existing record in --out")
    return recs[n]


def _create(path: Path, data: bytes) -> None:
    """Create a file that must not exist yet (exclusive create: never overwrites)."""
    try:
        with open(path, "xb") as fh:
            fh.write(data)
    except FileExistsError:
        raise fail(str(path), "file", "already exists; nothing was overwritten",
                   "run again: the next free number is taken, or remove the stray file yourself") from None


def write_record(record: Record, folder: str | Path, figure=None) -> dict[str, Path]:
    """Write ``NNNN-slug.md`` and its facts file ``NNNN-slug.facts.yaml`` (+ ``NNNN-slug.png`` when
    ``figure`` is a matplotlib Figure, and the record then links to it, + the comparison table as
    ``NNNN-slug.csv``) into ``folder``; nothing existing is replaced. Keys of the result: ``md``,
    ``facts``, ``csv`` and ``png``.

    The record's number must be free (use :func:`next_number`); returns the paths written.
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if record.number in existing_records(folder):
        raise fail(str(folder / record.filename), "file", f"record number {record.number:04d} is taken",
                   f"use number {next_number(folder):04d} (workbench.mdr.markdown.next_number)")
    stem = record.filename[:-3]
    paths = {"md": folder / record.filename, "facts": folder / record.facts_filename, "csv": folder / f"{stem}.csv"}
    if figure is not None:
        paths["png"] = folder / f"{stem}.png"
        if record.chart != paths["png"].name:
            record = dataclasses.replace(record, chart=paths["png"].name)  # the record links to its chart
    for p in paths.values():
        if p.exists():
            raise fail(str(p), "file", "already exists; nothing was written", "remove the stray file or pick another folder")
    if figure is not None:
        buf = io.BytesIO()
        figure.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
        _create(paths["png"], buf.getvalue())
    _create(paths["csv"], comparison_frame(record).to_csv(index=False, lineterminator="\n").encode("utf-8"))
    _create(paths["facts"], render_facts(record).encode("utf-8"))
    _create(paths["md"], render_markdown(record).encode("utf-8"))
    return paths


def supersede(old_path: str | Path, new_filename: str) -> str:
    """Mark the record at ``old_path`` superseded by ``new_filename`` and return its new text.

    The one permitted edit of an existing record: the ``status:`` line becomes ``status: superseded``,
    a ``superseded-by:`` line is added to the front matter, and a link line is added under the title.
    Every other line is unchanged. A record that is already superseded is an error.
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    path = Path(old_path)
    text = path.read_text(encoding="utf-8")
    rec = read_record(path)  # refuses a malformed record (or missing facts) before anything is changed
    if rec.status == "superseded":
        raise fail(str(path), "front matter: status", f"is already superseded (by {rec.superseded_by})",
                   "supersede the newest record instead")
    lines = text.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    status_i = next(i for i in range(1, end) if lines[i].startswith("status:"))
    lines[status_i] = "status: superseded\n"
    last = max(i for i in range(1, end) if lines[i].strip())  # keep the blank line before the closing '---'
    lines.insert(last + 1, f"superseded-by: {new_filename}\n")
    title_i = next(i for i in range(end + 2, len(lines)) if lines[i].startswith("# "))
    lines[title_i + 1:title_i + 1] = ["\n", f"> Superseded by [{new_filename}]({new_filename}).\n"]
    return "".join(lines)


def replace_text_checked(path: str | Path, old_text: str, new_text: str) -> None:
    """Write ``new_text`` to ``path`` only if the file still holds ``old_text`` (no lost update).
    Introduced in ``06_model_decision_record.ipynb``."""
    p = Path(path)
    if p.read_text(encoding="utf-8") != old_text:
        raise fail(str(p), "file", "changed while the new record was being written; nothing was edited",
                   "run the command again")
    tmp = p.with_name(p.name + ".tmp")
    _create(tmp, new_text.encode("utf-8"))
    tmp.replace(p)
