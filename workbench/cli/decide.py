"""python -m workbench decide SCENARIO --out DIR [--template] [--catalog DIR] [--as-of DATE] [--supersedes NNNN] [--results FILE]
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from workbench.catalog.importers.common import check_as_of
from workbench.catalog.load import load_catalog
from workbench.errors import fail
from workbench.mdr.config import record_config
from workbench.mdr.evidence import decided_steps, load_evaluations
from workbench.mdr.files import (
    find_record,
    next_number,
    replace_text_checked,
    supersede,
    write_record,
)
from workbench.mdr.linting import lint
from workbench.mdr.markdown import read_record
from workbench.pipeline import draft_record
from workbench.scenario.load import load_scenario
from workbench.shortlist.pool import candidates
from workbench.shortlist.ranking import shortlist
from workbench.tables import to_text
from workbench.ui.decision_chart import decision_chart

NAME = "decide"
HELP = ("draft a Model Decision Record for a scenario and write it as DIR/NNNN-slug.md with its facts file "
        "NNNN-slug.facts.yaml, Pareto chart PNG and comparison CSV at the next free number; never overwrites")


def add_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file, e.g. data/scenarios/support_assistant.yaml")
    p.add_argument("--out", metavar="DIR", required=True, help="the folder of decision records (created if missing)")
    p.add_argument("--template", action="store_true",
                   help="leave the human parts (deciders, rationale, risks, reflections) as marked blanks for you to "
                        "write, whatever the scenario's record: block holds; `python -m workbench lint` lists them")
    p.add_argument("--catalog", metavar="DIR", default=None, help="catalog folder (default: the project's data/catalog)")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="the decision date YYYY-MM-DD (default: the scenario's as_of)")
    p.add_argument("--supersedes", metavar="NNNN", default=None,
                   help="the number of a record in --out that this one replaces: the old record's status becomes "
                        "'superseded' and both link to each other (the only edit ever made to an existing record)")
    p.add_argument("--results", metavar="FILE", default=None,
                   help="golden-set results to record: a file written by `python -m workbench eval --out` (mapped "
                        "to steps by the scenario's record.golden_tasks), or a CSV summary")


def run(args) -> int:

    as_of = check_as_of(args.as_of) if args.as_of else None
    scenario = load_scenario(args.scenario)
    catalog = load_catalog(args.catalog)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise fail(str(out), "--out", "is a file, not a folder", "give the folder that holds (or will hold) the records")
    old_path = old_text = None
    if args.supersedes is not None:
        old_path = find_record(out, args.supersedes)
        old_text = old_path.read_text(encoding="utf-8")
        old = read_record(old_path)
        if old.status == "superseded":
            raise fail(str(old_path), "front matter: status", f"is already superseded by {old.superseded_by}",
                       "supersede the newest record instead")
    evaluations = load_evaluations(args.results, scenario) if args.results else None
    number = next_number(out)
    if as_of is not None:
        scenario = dataclasses.replace(scenario, as_of=dt.date.fromisoformat(as_of))
    cand = candidates(catalog)
    shortlists = {s.name: shortlist(cand, scenario, s.name) for s in decided_steps(scenario)}
    config = record_config(scenario).blank() if args.template else None
    record = draft_record(scenario, catalog, config=config, shortlists=shortlists, evaluations=evaluations, number=number)
    if old_path is not None:
        record.supersedes = old_path.name
    record.chart = record.filename[:-3] + ".png"
    figure = decision_chart(record, shortlists)
    paths = write_record(record, out, figure)
    if old_path is not None:
        replace_text_checked(old_path, old_text, supersede(old_path, record.filename))
    print(f"wrote {paths['md']}")
    for kind in ("facts", "png", "csv"):
        if kind in paths:
            print(f"wrote {paths[kind]}")
    if old_path is not None:
        print(f"marked {old_path} superseded by {record.filename} (status line, a superseded-by line and a link; "
              "nothing else in it changed)")
    print()
    print(f"{record.filename}: status {record.status}, date {record.date.isoformat()}")
    print(to_text(pd.DataFrame([{"step": d.step, "default": d.default, "fallback": d.fallback or "NONE"}
                                for d in record.decisions])))
    findings = lint(record, known_models=set(catalog.models["model_id"]) | set(catalog.offerings["offering_id"]))
    print()
    if findings.empty:
        print("lint: nothing missing or weak")
    else:
        print(f"lint: {len(findings)} finding(s) to address before accepting the record:")
        print(to_text(findings[["code", "where", "message"]]))
    return 0
