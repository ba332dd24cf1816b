"""Small helpers every stage uses: one date parser, one "path shown relative to the project", one
conversion from pandas/numpy values to plain Python values, and where the project's data lives.
"""
from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import Problem, WorkbenchError, fail

DATA_ENV = "WORKBENCH_DATA"  # a folder laid out like the project's data/ (catalog/, scenarios/, golden/)


def _bundled_data() -> Path | None:
    """The data shipped inside an installed wheel (``workbench/_data``), when there is one."""
    p = Path(__file__).resolve().parent / "_data"
    return p if p.is_dir() else None


def project_dir() -> Path:
    """The repository root when the package is used from a clone (``pip install -e .``).

    An installed package has no project folder: this raises a :class:`WorkbenchError` that says
    to pass a path or set ``WORKBENCH_DATA``; it never falls back to the current directory.
    Introduced in ``notebooks/01_requirements_and_roles.ipynb``."""
    here = Path(__file__).resolve().parent.parent
    if (here / "data").is_dir() and (here / "workbench").is_dir():
        return here
    raise WorkbenchError([_no_data_problem()])


def _no_data_problem():
    return Problem(file="data/", where="", message="the workbench is installed without its project folder, so "
                   "there is no data/ next to it", fix=f"pass --path DIR (a catalog folder), or set {DATA_ENV} to a "
                   "folder laid out like the project's data/ (catalog/, scenarios/, golden/), or clone the "
                   "project and `pip install -e .` there")


def data_dir() -> Path:
    """Where the shipped data lives: ``$WORKBENCH_DATA``, else the project's ``data/`` (a clone), else the
    copy bundled in the wheel; otherwise a :class:`WorkbenchError` naming ``--path`` and ``WORKBENCH_DATA``."""
    env = os.environ.get(DATA_ENV)
    if env:
        p = Path(env).expanduser()
        if not p.is_dir():
            raise fail(DATA_ENV, "environment", f"names {env!r}, which is not a folder",
                       "point it at a folder laid out like the project's data/ (catalog/, scenarios/, golden/)")
        return p
    here = Path(__file__).resolve().parent.parent
    if (here / "data").is_dir() and (here / "workbench").is_dir():
        return here / "data"
    bundled = _bundled_data()
    if bundled is not None:
        return bundled
    raise WorkbenchError([_no_data_problem()])


def shown_path(path: str | Path) -> str:
    """``path`` relative to the project folder (or else the current folder) when it is inside it; else the
    file name of an absolute path, or the path as given: no machine paths in reports and records."""
    p = Path(path)
    bases = [Path.cwd()]
    try:
        bases.insert(0, project_dir())
    except WorkbenchError:
        pass
    for base in bases:
        try:
            return str(p.resolve().relative_to(base.resolve()))
        except (ValueError, OSError):
            continue
    return p.name if p.is_absolute() else str(p)


def as_date(v: Any) -> dt.date | None:
    """A date from a Timestamp, datetime, date or YYYY-MM-DD text; None for a missing value.
    Text that is not a date raises ValueError (callers check user input before)."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def as_of_timestamp(as_of) -> pd.Timestamp:
    """The analysis date (a date, Timestamp or 'YYYY-MM-DD' text) as a midnight Timestamp; anything else is a
    :class:`WorkbenchError`."""
    if isinstance(as_of, (dt.date, pd.Timestamp)):
        return pd.Timestamp(as_of).normalize()
    if isinstance(as_of, str):
        try:
            return pd.Timestamp(dt.date.fromisoformat(as_of.strip()))
        except ValueError:
            pass
    raise fail("as_of", "argument", "not a date", "pass the scenario's as_of (a date or 'YYYY-MM-DD')", value=as_of)


def plain_value(v: Any, dates: str = "iso") -> Any:
    """A plain Python value from a pandas/numpy one: numpy scalars unwrapped, NA/NaN/NaT -> None, dicts
    and lists converted item by item. Timestamps and datetimes become ``YYYY-MM-DD`` text
    (``dates="iso"``, for JSON and tables) or ``datetime.date`` (``dates="date"``, for YAML)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        v = v.date()
    if isinstance(v, dt.date):
        return v.isoformat() if dates == "iso" else v
    if isinstance(v, dict):
        return {str(k): plain_value(x, dates) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain_value(x, dates) for x in v]
    return v
