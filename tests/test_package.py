"""The package's public surface: every advertised name resolves, and importing stays light."""
import subprocess
import sys

import workbench


def test_every_public_name_resolves():
    for name in workbench._API:
        assert getattr(workbench, name) is not None, name


def test_import_does_not_pull_in_plotting_or_widgets():
    code = ("import sys, workbench; workbench.load_catalog; workbench.shortlist_all; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_cli_lists_every_verb():
    from workbench.cli import build_parser
    verbs = set(build_parser()._subparsers._group_actions[0].choices)
    assert {"catalog", "import", "snapshot", "scenario", "shortlist", "crosscheck", "diligence", "cost", "eval",
            "route", "decide", "review", "bench"} <= verbs
