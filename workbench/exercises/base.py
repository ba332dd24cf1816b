"""What every exercise check shares: the :class:`Feedback` it returns, generous readers of
answers, the shipped inputs (loaded once per kernel), and the student edition (solution cells
replaced by stubs)."""
from __future__ import annotations

import ast
import copy
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from workbench.catalog import load_catalog
from workbench.errors import Problem, WorkbenchError
from workbench.evals import load_golden
from workbench.scenario import load_scenario
from workbench.util import project_dir

NOT_ANSWERED = "not answered yet: write your answer in the cell above (replace the ...), run it, then run this cell"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``ok``, a ``message`` for people, and ``answered`` (False for the
    ``...`` stub). Shows as one readable block in a notebook; ``bool(feedback)`` is ``ok``.
    Every ``check_NN_*`` returns one; the notebooks' "Your turn" sections show them.
    """

    task: str
    ok: bool
    message: str
    answered: bool = True

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = "RIGHT" if self.ok else ("NOT ANSWERED" if not self.answered else "NOT YET")
        lines = [f"{head} ({self.task})"]
        for para in self.message.split("\n"):
            lines += textwrap.wrap(para, 100, initial_indent="  ", subsequent_indent="    ") or [""]
        return "\n".join(lines)

    __repr__ = __str__


# --------------------------------------------------------------------------------------------
# reading answers
# --------------------------------------------------------------------------------------------

def _unanswered(answer: Any) -> bool:
    return answer is ... or answer is None


def _norm(text: Any) -> str:
    return str(text).strip().strip("'\"").strip().lower()


def _names(answer: Any) -> set[str]:
    """A set of names from a string (comma-, semicolon- or space-separated) or any iterable."""
    if isinstance(answer, str):
        parts = answer.replace(";", ",").replace("\n", ",").split(",")
        if len(parts) == 1:
            parts = answer.split()
    elif isinstance(answer, Iterable):
        parts = list(answer)
    else:
        parts = [answer]
    return {_norm(p) for p in parts if _norm(p)}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("_", "").rstrip("%").strip()
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _pair(answer: Any, task: str, shape: str) -> tuple[Any, Any] | Feedback:
    """Two values from a tuple/list of two or a dict of two; a :class:`Feedback` when it is not."""
    if isinstance(answer, dict) and len(answer) == 2:
        return tuple(answer.values())
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return answer[0], answer[1]
    return Feedback(task, False, f"give two values, as {shape}; got {answer!r}")


def _close(x: float, expected: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    return abs(x - expected) <= max(abs_, rel * abs(expected))


def _listing(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


# --------------------------------------------------------------------------------------------
# shared inputs, computed once per kernel
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _catalog():
    return load_catalog()


def _scenario_path(name: str = "support_assistant"):
    return project_dir() / "data" / "scenarios" / f"{name}.yaml"


@lru_cache(maxsize=1)
def _support():
    return load_scenario(_scenario_path())


@lru_cache(maxsize=1)
def _golden():
    return load_golden()


# --------------------------------------------------------------------------------------------
# the student edition: the notebooks without their solutions
# --------------------------------------------------------------------------------------------

SOLUTION_TAG = "solution"
STUB = "{name} = ...  # your answer here"


def answer_names(source: str, where: str = "<cell>") -> list[str]:
    """The names a solution cell assigns at its top level, in order (``answer_1 = ...``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise WorkbenchError(_problem(where, f"the solution cell is not valid Python ({err.msg})",
                                      "fix the cell in the full notebook")) from None
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for t in targets:
            if isinstance(t, ast.Name) and t.id.startswith("answer") and t.id not in names:
                names.append(t.id)
    if not names:
        raise WorkbenchError(_problem(where, "a cell tagged 'solution' assigns no name starting with 'answer'",
                                      "write the solution as answer_N = ..., or remove the tag"))
    return names


def _problem(where: str, message: str, fix: str):
    file, _, place = where.partition(": ")
    return Problem(file, place or "cell", message, fix)


def student_notebook(nb: dict, name: str = "<notebook>") -> dict:
    """A copy of notebook ``nb`` (nbformat 4, as a dict) for learners: every cell tagged
    ``solution`` becomes a stub ``answer_N = ...  # your answer here`` (tagged ``answer``), and
    every output and execution count is cleared, so no answer is printed anywhere.
    Used by ``python -m workbench student`` (``make student``)."""
    out = copy.deepcopy(nb)
    for i, cell in enumerate(out.get("cells", [])):
        tags = list(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if SOLUTION_TAG not in tags:
            continue
        source = "".join(cell.get("source", ""))
        stub = "\n".join(STUB.format(name=n) for n in answer_names(source, f"{name}: cell {i}"))
        cell["source"] = stub
        cell["metadata"]["tags"] = [t for t in tags if t != SOLUTION_TAG] + ["answer"]
    return out
