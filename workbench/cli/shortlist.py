"""python -m workbench shortlist SCENARIO [--step NAME] [--top N] [--format table|csv|md|json] [--catalog DIR]
"""
from __future__ import annotations

import pandas as pd

from workbench.catalog.load import load_catalog
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import NORMALISATIONS, candidates
from workbench.shortlist.ranking import shortlist
from workbench.tables import (
    FORMATS,
    records_csv,
    terminal_width,
    to_json,
    to_markdown,
    to_text,
    to_text_fitted,
    wrapped,
)

NAME = "shortlist"
HELP = ("shortlist offerings for each step of a scenario: every hard constraint an excluded offering fails, "
        "cost per request beside the 3:1 blend, a weighted score, the Pareto frontier and rank stability")

# the columns shown per step in table/md/csv output (json has every column of ShortlistResult.ranked)
SHOWN = ("rank", "offering_id", "score", "quality", "usd_per_request", "usd_per_request_at_3to1",
         "typical_latency_s", "pareto", "p_first", "p_top3", "flags")


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file, e.g. data/scenarios/support_assistant.yaml")
    p.add_argument("--step", metavar="NAME", help="only this step (default: every step of the workflow)")
    p.add_argument("--top", type=int, metavar="N", default=None,
                   help="ranked candidates shown per step (default: 10 for table/md, all for csv/json; 0 = all)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--catalog", metavar="DIR", default=None, help="catalog folder (default: the project's data/catalog)")
    p.add_argument("--normalisation", choices=NORMALISATIONS, default="minmax",
                   help="min-max of the raw numbers, or of log10 cost and latency")
    p.add_argument("--seed", type=int, default=0, help="seed of the rank-stability weight draws")
    p.add_argument("--all", action="store_true",
                   help="table/md: also list offerings of a model type the step cannot use (counted otherwise)")


def _joined(items) -> str:
    return " | ".join(items) if isinstance(items, list) else ""


def run(args) -> int:
    scenario = load_scenario(args.scenario)
    cat = candidates(load_catalog(args.catalog))
    steps = [scenario.step(args.step).name] if args.step else [s.name for s in scenario.workflow]
    results = [shortlist(cat, scenario, s, normalisation=args.normalisation, seed=args.seed) for s in steps]
    top = args.top if args.top is not None else (10 if args.format in ("table", "md") else 0)
    top = top or None

    if args.format == "json":
        print(to_json({"scenario": scenario.name, "as_of": str(scenario.as_of), "catalog": cat.path,
                       "steps": [r.to_dict(top) for r in results]}))
        return 0
    if args.format == "csv":
        frames = []
        for r in results:
            ranked = (r.ranked if top is None else r.ranked.head(top))[list(SHOWN)].assign(
                step=r.step, status="ranked", reasons="", flags=lambda d: d["flags"].map(_joined))
            excluded = r.excluded[["offering_id", "quality", "usd_per_request", "typical_latency_s"]].assign(
                step=r.step, status="excluded", reasons=r.excluded["reasons"].map(_joined))
            frames += [ranked, excluded]
        cols = ["step", "status", *SHOWN, "reasons"]
        print(records_csv(pd.concat(frames, ignore_index=True).reindex(columns=cols)), end="")
        return 0
    if args.format == "md":
        for r in results:
            _markdown(r, top, args.all)
        return 0
    width = terminal_width()
    for r in results:
        _text(r, top, args.all, width)
    return 0


# text columns: short headers so a row fits 100 columns; flags and reasons go on lines of their own
TEXT_COLUMNS = {"rank": "#", "offering_id": "offering_id", "score": "score", "quality": "quality",
                "usd_per_request": "usd/req", "usd_per_request_at_3to1": "usd@3:1",
                "typical_latency_s": "lat_s", "pareto": "pareto", "p_first": "p_1st", "p_top3": "p_top3"}
TEXT_FORMATS = {"rank": "{:.0f}", "score": "{:.3f}", "quality": "{:,.1f}", "usd_per_request": "{:.3g}",
                "usd_per_request_at_3to1": "{:.3g}", "typical_latency_s": "{:.1f}", "p_first": "{:.2f}",
                "p_top3": "{:.2f}"}


def _text_cells(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked table as short strings for a terminal (json and csv keep the full numbers)."""
    out = ranked[list(TEXT_COLUMNS)].astype(object).copy()
    for col, fmt in TEXT_FORMATS.items():
        out[col] = [("" if pd.isna(v) else fmt.format(float(v))) for v in ranked[col]]
    out["pareto"] = ["yes" if v is True else "no" if v is False else "" for v in ranked["pareto"]]
    return out.rename(columns=TEXT_COLUMNS)


def _head(r) -> str:
    return f"step '{r.step}' (role {r.role}): weights " + ", ".join(f"{k} {v:.2f}" for k, v in r.weights.items())


def _listed(r, show_all: bool):
    """Excluded offerings to list one by one, and how many of a model type the step cannot use are only counted."""
    ex = r.excluded
    wrong_type = ex["failed"].map(lambda f: "model_type" in f)
    if show_all:
        return ex, 0
    return ex[~wrong_type], int(wrong_type.sum())


def _text(r, top, show_all: bool, width: int) -> None:
    print(wrapped("== " + _head(r), width, "", "   "))
    print()
    for note in r.notes[1:]:
        print(wrapped(note, width, "  ", "    "))
    print()
    ranked = r.ranked if top is None else r.ranked.head(top)
    if len(ranked):
        table = to_text_fitted(_text_cells(ranked), width, "offering_id")
        lines = table.splitlines()
        print("\n".join(lines[:2]))
        for line, flags in zip(lines[2:], ranked["flags"]):
            print(line)
            for flag in flags if isinstance(flags, list) else []:
                print(wrapped(flag, width, "      ! ", "        "))
    else:
        print("(no candidate passed the hard constraints)")
    print()
    if not len(r.excluded):
        return
    print(wrapped(f"excluded ({len(r.excluded)}), every failed constraint; offerings failing each constraint "
                  "(one can fail several):", width, "", ""))
    counts = r.exclusion_counts().sort_values(["offerings", "constraint"], ascending=[False, True])
    print(to_text(counts.rename(columns={"only_reason": "only_this_one"})))
    print()
    listed, hidden = _listed(r, show_all)
    if hidden:
        print(wrapped(f"{hidden} offerings of a model type this step cannot use are counted above, not listed "
                      "(--all lists them).", width, "", ""))
        print()
    order = listed.sort_values(["n_reasons", "offering_id"], ascending=[False, True])
    for oid, reasons in zip(order["offering_id"], order["reasons"]):
        print(oid)
        for reason in reasons:
            print(wrapped(reason, width, "  - ", "    "))


def _markdown(r, top, show_all: bool) -> None:
    print("## " + _head(r))
    print()
    for note in r.notes[1:]:
        print("- " + note)
    print()
    shown = (r.ranked if top is None else r.ranked.head(top))[list(SHOWN)].assign(
        flags=lambda d: d["flags"].map(_joined))
    print(to_markdown(shown) if len(shown) else "(no candidate passed the hard constraints)")
    print()
    if len(r.excluded):
        listed, hidden = _listed(r, show_all)
        print(f"### excluded ({len(r.excluded)}), every failed constraint:")
        print()
        print(to_markdown(r.exclusion_counts()))
        print()
        if hidden:
            print(f"{hidden} offerings of a model type this step cannot use are counted above, not listed (--all).")
            print()
        why = r.why_excluded()
        print(to_markdown(why[why["offering_id"].isin(set(listed["offering_id"]))]))
        print()
