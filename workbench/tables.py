"""Render DataFrames for people and machines: plain table, CSV, Markdown, JSON, escaped HTML.

Used by every command-line verb (``--format``) and by the notebooks. HTML output escapes every data
value. Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import html
import json
import shutil
import textwrap

import pandas as pd

from workbench.util import plain_value as _plain

FORMATS = ("table", "csv", "md", "json")


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts."""
    return [{str(k): _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(obj) -> str:
    """JSON text for a DataFrame, a dict of DataFrames, or plain values."""
    def conv(o):
        if isinstance(o, pd.DataFrame):
            return records(o)
        if isinstance(o, dict):
            return {str(k): conv(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [conv(x) for x in o]
        return _plain(o)
    return json.dumps(conv(obj), indent=2, ensure_ascii=False)


def _cells(df: pd.DataFrame, float_digits: int) -> pd.DataFrame:
    def cell(v):
        v = _plain(v)
        if v is None:
            return ""
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            if abs(v) < 1e-3 and v != 0:
                return f"{v:.{max(float_digits, 1)}g}"
            text = f"{v:,.{float_digits}f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        return str(v)
    return df.astype(object).map(cell) if len(df) else df.astype(str)


def to_markdown(df: pd.DataFrame, float_digits: int = 4) -> str:
    """A GitHub-flavoured Markdown table; '|' inside values is escaped."""
    c = _cells(df, float_digits)
    esc = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(esc(x) for x in c.columns) + " |", "|" + "---|" * len(c.columns)]
    lines += ["| " + " | ".join(esc(x) for x in row) + " |" for row in c.itertuples(index=False)]
    return "\n".join(lines)


def to_text(df: pd.DataFrame, float_digits: int = 4) -> str:
    """A fixed-width table for a terminal."""
    if df.empty:
        return "(no rows)"
    c = _cells(df, float_digits)
    widths = [max(len(str(col)), *(len(x) for x in c[col])) for col in c.columns]
    fmt = lambda vals: "  ".join(str(v).ljust(w) for v, w in zip(vals, widths)).rstrip()
    return "\n".join([fmt(c.columns), fmt(["-" * w for w in widths])] + [fmt(r) for r in c.itertuples(index=False)])


def to_html(df: pd.DataFrame, float_digits: int = 4) -> str:
    """An HTML table with every header and value escaped."""
    c = _cells(df, float_digits)
    head = "".join(f"<th>{html.escape(str(x))}</th>" for x in c.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in row) + "</tr>"
                   for row in c.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(df: pd.DataFrame, fmt: str = "table", float_digits: int = 4) -> str:
    """One DataFrame in one of :data:`FORMATS`."""
    if fmt == "csv":
        return records_csv(df)
    if fmt == "md":
        return to_markdown(df, float_digits)
    if fmt == "json":
        return to_json(df)
    return to_text(df, float_digits)


def records_csv(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")


def terminal_width(default: int = 100) -> int:
    """Columns of the terminal (``$COLUMNS`` first); ``default`` when output is not a terminal."""
    return shutil.get_terminal_size((default, 24)).columns


def to_text_fitted(df: pd.DataFrame, width: int, flex: str, float_digits: int = 4) -> str:
    """:func:`to_text`, with the ``flex`` column's values shortened (ending in '…') so that no line is
    wider than ``width``; every other column keeps its full values."""
    if df.empty:
        return "(no rows)"
    c = _cells(df, float_digits)
    widths = {col: max(len(str(col)), *(len(x) for x in c[col])) for col in c.columns}
    over = sum(widths.values()) + 2 * (len(widths) - 1) - width
    if over > 0 and flex in c.columns:
        room = max(len(str(flex)), widths[flex] - over, 8)
        c[flex] = c[flex].map(lambda v: v if len(v) <= room else v[: room - 1] + "…")
    return to_text(c, float_digits)


def wrapped(text: str, width: int, indent: str = "  ", subsequent: str | None = None) -> str:
    """``text`` wrapped to ``width`` columns, first line indented by ``indent``, the others by ``subsequent``."""
    return textwrap.fill(text, width=width, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent,
                         break_long_words=True, break_on_hyphens=False)


def show(obj, width: int = 100) -> None:
    """Print ``obj`` (text, an error, a list of lines) wrapped to ``width`` columns, keeping each line's
    indentation and hanging continuation lines under it: what a notebook prints fits its page."""
    if isinstance(obj, (list, tuple)):
        if not obj:
            return
        text = "\n".join(str(x) for x in obj)
    else:
        text = str(obj)
    out = []
    for line in text.splitlines() or [""]:
        if len(line) <= width:
            out.append(line)
            continue
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        hang = indent + ("  " if not stripped.startswith("- ") else "    ")
        out.append(textwrap.fill(stripped, width=width, initial_indent=indent, subsequent_indent=hang,
                                 break_long_words=True, break_on_hyphens=False))
    print("\n".join(out))
