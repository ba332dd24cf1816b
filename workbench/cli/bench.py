"""python -m workbench bench [--json FILE] [--catalog DIR] [--only AREA ...] [--litellm FILE AS_OF] [--openrouter FILE AS_OF]
"""
from __future__ import annotations

import json
import platform
from pathlib import Path

import pandas as pd

from workbench.bench.harness import all_cases, time_case
from workbench.errors import fail
from workbench.tables import _plain, to_text

NAME = "bench"
HELP = "time the workbench's hot paths against their goals (median of repeated runs) and write JSON"


def add_arguments(p):
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE (never overwrites unless --force)")
    p.add_argument("--force", action="store_true", help="allow --json to replace an existing file")
    p.add_argument("--catalog", metavar="DIR", help="a catalog folder to benchmark on (default: built by resampling the snapshot)")
    p.add_argument("--only", nargs="*", default=[], metavar="AREA", help="run only benchmark modules whose name contains AREA")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--litellm", nargs=2, metavar=("FILE", "AS_OF"), default=None,
                   help="real-scale case: also import this LiteLLM price map (the date it describes)")
    p.add_argument("--openrouter", nargs=2, metavar=("FILE", "AS_OF"), default=None,
                   help="real-scale case: also import this OpenRouter /api/v1/models response (the date it describes)")


def run(args) -> int:
    if args.json and Path(args.json).exists() and not args.force:
        raise fail(args.json, "file", "already exists; nothing was run", "choose another file or pass --force")
    rows = [time_case(c) for c in all_cases(args)]
    table = pd.DataFrame([{k: r[k] for k in ("name", "value", "unit", "goal", "met", "median_s", "runs")} for r in rows])
    print(f"python {platform.python_version()} on {platform.machine()}; medians of repeated runs")
    print(to_text(table))
    if args.json:
        payload = {"python": platform.python_version(), "machine": platform.machine(),
                   "results": [{k: _plain(v) for k, v in r.items() if k != "result"} for r in rows]}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n")
    return 0 if all(r["met"] is not False for r in rows) else 1
