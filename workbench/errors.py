"""Errors written for people: which file, which row or key, what is wrong, how to fix it.

Every validator in the workbench collects *all* the problems it finds in a file and raises one
:class:`WorkbenchError` that lists them, so a user fixes a file in one pass instead of one error
at a time. Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    ``where`` is a row (``"row 7"``, counting the header as row 1, as a spreadsheet does) or a key
    path (``"workflow[2].latency.p95_s"``); ``column`` is the CSV column when there is one.
    """

    file: str
    where: str
    message: str
    fix: str
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        place = self.where + (f", column '{self.column}'" if self.column else "")
        value = self.value.item() if hasattr(self.value, "item") else self.value
        shown = "" if value is None else f" (got {value!r})"
        return f"{self.file}: {place}: {self.message}{shown}. Fix: {self.fix}"


class WorkbenchError(Exception):
    """A user-facing error listing one or more :class:`Problem`.

    ``str(err)`` is the full message; ``err.problems`` keeps the structured list for tests and
    for tools that want to show the problems in a table.
    """

    def __init__(self, problems: Problem | Iterable[Problem], summary: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            raise ValueError("WorkbenchError needs at least one Problem")
        files = sorted({p.file for p in self.problems})
        n = len(self.problems)
        self.summary = summary or f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}"
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = [self.summary + ":"] if len(self.problems) > 1 else []
        lines += [("  - " if len(self.problems) > 1 else "") + str(p) for p in self.problems]
        return "\n".join(lines)


def fail(file: str, where: str, message: str, fix: str, **kw) -> WorkbenchError:
    """Build a one-problem error (to ``raise``)."""
    return WorkbenchError(Problem(file=str(file), where=where, message=message, fix=fix, **kw))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing the valid ones when none is close."""
    choices = sorted(set(str(c) for c in choices))
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) > 12:
        return "valid values include " + ", ".join(repr(c) for c in choices[:8]) + f", ... ({len(choices)} in all)"
    return "valid values: " + ", ".join(repr(c) for c in choices)
