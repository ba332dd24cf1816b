"""python -m workbench pii-report [--set FILE] [--scenario SCENARIO] [--format text|table|csv|md|json]"""
from __future__ import annotations

from workbench.routing.pii import pii_config
from workbench.routing.pii_eval import (
    MIN_PRECISION,
    MIN_RECALL,
    default_pii_set_path,
    load_pii_set,
    pii_goals_missed,
    pii_labelled_scores,
    pii_labelled_table,
)
from workbench.scenario.load import load_scenario
from workbench.tables import render, to_json
from workbench.util import data_dir, shown_path

NAME = "pii-report"
HELP = ("measure the personal-data detector on a labelled set of strings (default: the project's synthetic "
        "data/pii/labelled_set.csv): precision, recall and redaction residue per kind, with the scenario's pii: "
        "settings; exits 1 when a kind misses the goal (precision and recall >= 0.95, no residue)")

FORMATS = ("text", "table", "csv", "md", "json")  # text and table are the same plain table


def add_arguments(p):
    p.add_argument("--set", metavar="FILE", default=None, dest="set_path",
                   help="a labelled CSV with columns id,text,kind,value (default: data/pii/labelled_set.csv)")
    p.add_argument("--scenario", metavar="SCENARIO", default=None,
                   help="the scenario whose pii: block sets the account-ID pattern, kinds and phone regions "
                        "(default: data/scenarios/support_assistant.yaml)")
    p.add_argument("--format", choices=FORMATS, default="text")


def build(args) -> dict:
    """Everything the verb prints, as plain values and DataFrames (used by the tests too)."""

    scenario_path = args.scenario or data_dir() / "scenarios" / "support_assistant.yaml"
    config = pii_config(load_scenario(scenario_path))
    set_path = args.set_path or default_pii_set_path()
    cases = load_pii_set(set_path)
    scores = pii_labelled_scores(cases, config)
    per = pii_labelled_table(cases, config)
    errors = per.loc[(per["missed"] != "") | (per["false_alarms"] != "") | (per["residue_chars"] > 0),
                     ["id", "kinds", "missed", "false_alarms", "residue_chars"]]
    return {"set": shown_path(set_path), "scenario": shown_path(scenario_path), "strings": len(cases),
            "lookalikes": sum(not c.items for c in cases), "phone_regions": list(config.phone_regions),
            "min_precision": MIN_PRECISION, "min_recall": MIN_RECALL,
            "scores": scores, "errors": errors.reset_index(drop=True), "missed_goals": pii_goals_missed(scores)}


def run(args) -> int:
    out = build(args)
    code = 1 if out["missed_goals"] else 0
    fmt = "table" if args.format == "text" else args.format
    if fmt == "json":
        print(to_json(out))
        return code
    if fmt == "csv":
        print(render(out["scores"], "csv"), end="")
        return code
    print(f"labelled set: {out['set']} ({out['strings']} strings, {out['lookalikes']} look-alikes)  "
          f"pii settings: {out['scenario']} (phone regions {', '.join(out['phone_regions'])})")
    print(f"goal per kind: precision >= {out['min_precision']:g}, recall >= {out['min_recall']:g}, "
          "no characters of a found item left after redaction\n")
    print(render(out["scores"], fmt, float_digits=3))
    if len(out["errors"]):
        print(f"\nstrings with a miss, a false alarm or residue ({len(out['errors'])}):")
        print(render(out["errors"], fmt))
    if out["missed_goals"]:
        print("\ngoal missed: " + "; ".join(out["missed_goals"]))
    else:
        print("\nevery kind meets the goal")
    return code
