"""``python -m workbench <verb>``: a thin shell over the package's functions.

Every verb lives in ``workbench/cli/<verb>.py``. A :class:`WorkbenchError` is printed as the
readable message it is (no traceback) and the exit code is 2; exit code 1 is reserved for verbs
that report a finding (``review`` when a trigger fires).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from workbench.errors import WorkbenchError


def _verbs():
    mods = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    return mods


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workbench",
                                     description="Model Selection Workbench: shortlist, cost, evaluate, route and "
                                                 "record LLM choices with sourced, dated numbers.")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for mod in _verbs():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except WorkbenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
