"""python -m workbench student [--out DIR] [--notebooks DIR] [--force]"""
from __future__ import annotations

import json
from pathlib import Path

from workbench.errors import Problem, WorkbenchError
from workbench.exercises import student_notebook
from workbench.util import project_dir

NAME = "student"
HELP = ("write the student edition of the notebooks: every cell tagged 'solution' replaced by an "
        "'answer_N = ...' stub and every output cleared (the full notebooks are the answer key)")


def add_arguments(p):
    p.add_argument("--out", default="student", help="folder to write to (default: student/, ignored by git)")
    p.add_argument("--notebooks", default=None, help="folder of full notebooks (default: the project's notebooks/)")
    p.add_argument("--force", action="store_true", help="replace notebooks of the same name in --out")


def write_student_edition(src: Path, out: Path, force: bool = False) -> list[Path]:
    """Write the student edition of every ``NN_*.ipynb`` in ``src`` to ``out``; refuses to replace
    an existing file unless ``force``. Returns the paths written."""
    notebooks = sorted(src.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise WorkbenchError(Problem(str(src), "folder", "no notebooks named NN_*.ipynb here",
                                     "pass --notebooks with the folder of the full notebooks"))
    targets = [out / nb.name for nb in notebooks]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise WorkbenchError([Problem(str(t), "file", "already exists", "pass --force to replace the student "
                                      "edition, or choose another --out") for t in existing],
                             summary=f"{len(existing)} notebook(s) of a student edition already in {out}")
    editions = [student_notebook(json.loads(nb.read_text(encoding="utf-8")), nb.name) for nb in notebooks]
    out.mkdir(parents=True, exist_ok=True)
    for target, edition in zip(targets, editions):
        target.write_text(json.dumps(edition, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return targets


def run(args) -> int:
    src = Path(args.notebooks) if args.notebooks else project_dir() / "notebooks"
    written = write_student_edition(src, Path(args.out), force=args.force)
    for path in written:
        print(path)
    print(f"{len(written)} notebooks written without their solution cells; the full notebooks in {src} are the "
          "answer key")
    return 0
