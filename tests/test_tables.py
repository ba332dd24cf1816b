"""Rendering tables for people: numbers, escaping, formats."""
import json

import pandas as pd

from workbench.tables import render, to_html, to_markdown, to_text


def test_numbers_keep_their_whole_part_at_any_precision():
    df = pd.DataFrame({"usd": [10000.0, 2.50, 0.00012]})
    assert to_text(df, float_digits=0).split("\n")[2:] == ["10,000", "2", "0.0001"]
    assert to_text(df, float_digits=2).split("\n")[2:] == ["10,000", "2.5", "0.00012"]


def test_html_and_markdown_escape_data():
    df = pd.DataFrame({"name": ["<script>alert(1)</script>", "a|b"]})
    assert "<script>" not in to_html(df) and "&lt;script&gt;" in to_html(df)
    assert "a\\|b" in to_markdown(df)


def test_json_dates_and_missing_values():
    df = pd.DataFrame({"as_of": [pd.Timestamp("2026-11-20")], "price": [float("nan")]})
    assert json.loads(render(df, "json")) == [{"as_of": "2026-11-20", "price": None}]


def test_show_wraps_long_lines_under_their_indent(capsys):
    from workbench.tables import show
    show(["short", "  - " + "word " * 30], width=40)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "short" and lines[1].startswith("  - word") and all(len(x) <= 40 for x in lines)
    assert all(x.startswith("      word") for x in lines[2:])  # continuation hangs under the item's text
