"""python -m workbench eval [GOLDEN] --candidate rules|replay:FILE|openai:MODEL [--offering ID] [--out FILE]
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from workbench.catalog.load import load_catalog
from workbench.errors import WorkbenchError, fail
from workbench.evals import (
    failure_table,
    field_accuracy,
    load_golden,
    run_eval,
    success_by,
    summarize,
    write_results,
)
from workbench.evals.adapters import make_candidate
from workbench.tables import to_json, to_text

NAME = "eval"
HELP = ("run candidates (rules, replay:FILE, openai:MODEL) on a golden set with deterministic checks; print "
        "success, format validity, latency p50/p95, cost per successful task and the failures")


def add_arguments(p):
    p.add_argument("golden", nargs="?", default=None, metavar="GOLDEN",
                   help="golden JSONL file (default: data/golden/support_assistant.jsonl)")
    p.add_argument("--candidate", action="append", required=True, metavar="SPEC",
                   help="rules | replay:FILE | openai:MODEL; repeat to compare candidates side by side")
    p.add_argument("--base-url", default=None, help="OpenAI-compatible endpoint (default: $WORKBENCH_BASE_URL, else OpenAI); "
                   "the key comes from $WORKBENCH_API_KEY or $OPENAI_API_KEY, never from an argument")
    p.add_argument("--offering", default=None, metavar="OFFERING_ID",
                   help="catalog offering whose list prices turn token usage into USD (e.g. openai/gpt-5-mini)")
    p.add_argument("--catalog", default=None, metavar="DIR", help="catalog folder (default: data/catalog)")
    p.add_argument("--concurrency", type=int, default=4, help="most calls in flight at once (default 4)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds without a byte before a call times out")
    p.add_argument("--max-tokens", type=int, default=600, help="output token cap per call (same for every candidate)")
    p.add_argument("--cases", nargs="*", default=None, metavar="ID", help="run only these case ids")
    p.add_argument("--cache-dir", default=None, help="result cache folder (default: runs/cache)")
    p.add_argument("--no-cache", action="store_true", help="call the endpoint even when a cached result exists")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="write the results file (JSON Lines; with several candidates, FILE gets a -<n> suffix)")
    p.add_argument("--force", action="store_true", help="allow --out to replace an existing file")
    p.add_argument("--as-of", default=None, help="date of the run for the results metadata (default: today)")
    p.add_argument("--failures", type=int, default=20, help="show at most this many failures (default 20)")
    p.add_argument("--format", choices=("table", "json"), default="table")


def _offering(args, spec_meta: dict | None):
    """The --offering row; for a replay without --offering, the recorded offering when the catalog
    still has it (else the replay is unpriced, never priced at 0)."""
    if args.offering:
        return load_catalog(args.catalog).offering(args.offering)
    oid = (spec_meta or {}).get("offering_id")
    if not oid:
        return None
    try:
        return load_catalog(args.catalog).offering(oid)
    except WorkbenchError:
        return None


def run(args) -> int:


    golden = load_golden(args.golden)
    as_of = args.as_of or dt.date.today().isoformat()
    outs = []
    if args.out:
        outs = [Path(args.out)] if len(args.candidate) == 1 else [
            Path(args.out).with_name(f"{Path(args.out).stem}-{i}{Path(args.out).suffix}") for i in range(1, len(args.candidate) + 1)]
        for o in outs:
            if o.exists() and not args.force:
                raise fail(str(o), "file", "already exists; nothing was run", "choose another --out file, or pass --force")
    runs = []
    for spec in args.candidate:
        cand = make_candidate(spec, golden, base_url=args.base_url, timeout_s=args.timeout, max_tokens=args.max_tokens,
                              max_concurrency=args.concurrency) if spec.startswith("openai:") else make_candidate(spec, golden)
        offering = None if spec == "rules" else _offering(args, getattr(cand, "meta", None))
        runs.append(run_eval(golden, cand, offering=offering, concurrency=args.concurrency, cache_dir=args.cache_dir,
                             use_cache=not args.no_cache, progress=False if args.no_progress else None,
                             case_ids=args.cases, as_of=as_of))
    for r, o in zip(runs, outs):
        write_results(r, o, force=args.force)
    results = pd.concat([r.results for r in runs], ignore_index=True)
    summary = summarize(results)
    fails = failure_table(results).head(args.failures)
    if args.format == "json":
        print(to_json({"runs": [r.meta for r in runs], "summary": summary, "by_task": success_by(results, "task"),
                       "by_tag": success_by(results, "tag"), "field_accuracy": field_accuracy(results),
                       "failures": failure_table(results)}))
        return 0
    print(f"golden: {golden.path} ({len(golden)} cases, sha256 {golden.sha256[:12]})")
    for r in runs:
        note = " (ILLUSTRATIVE outputs, not a model's)" if r.meta.get("provenance") == "illustrative" else ""
        print(f"- {r.candidate}: {r.meta.get('provenance')}{note}; cost: {r.meta.get('cost_basis')}")
    print()
    show = summary.drop(columns=["provenance"])
    print(to_text(show.set_index("candidate").T.reset_index().rename(columns={"index": "metric"})))
    print("\nsuccess rate by task")
    print(to_text(success_by(results, "task")))
    fa = field_accuracy(results)
    if len(fa):
        print("\nextract: per-field accuracy")
        print(to_text(fa))
    print(f"\nfailures for review ({len(failure_table(results))}; showing {len(fails)})")
    print(to_text(fails.drop(columns=["tags"])))
    for o in outs:
        print(f"\nwrote {o}")
    return 0
