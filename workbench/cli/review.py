"""python -m workbench review RECORD [--catalog DIR] [--as-of DATE] [--results FILE] [--log FILE] [--volume N]
"""
from __future__ import annotations

from workbench.catalog.importers.common import check_as_of
from workbench.catalog.load import load_catalog
from workbench.errors import fail
from workbench.mdr.evidence import load_results_log, load_results_summary
from workbench.mdr.markdown import read_record
from workbench.mdr.review import review_record
from workbench.tables import to_json, to_text

NAME = "review"
HELP = ("check a Model Decision Record's review triggers against a catalog (price change, deprecation, volume, "
        "age, golden-set drop, production drift in a results log, a dominating offering); exit 1 when any fires, 0 when none")


def add_arguments(p):
    p.add_argument("record", metavar="RECORD", help="a record file written by `decide`, e.g. records/0001-support-assistant.md")
    p.add_argument("--catalog", metavar="DIR", default=None, help="the (newer) catalog folder (default: data/catalog)")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="the review date YYYY-MM-DD (default: the catalog's newest as_of, so the answer depends on "
                        "the data, not on today's date)")
    p.add_argument("--results", metavar="FILE", default=None,
                   help="a newer golden-set result (a file `python -m workbench eval --out` wrote, or a CSV summary) "
                        "for the golden-set drop trigger")
    p.add_argument("--log", metavar="FILE", default=None,
                   help="a log of recent results (CSV: date, step, n_cases, n_success, label, source[, offering_id]; "
                        "golden-set reruns or graded production samples) for the production-drift trigger, e.g. "
                        "data/golden/results/illustrative_production_log.csv")
    p.add_argument("--volume", metavar="N", type=float, default=None,
                   help="observed requests per month of the step the volume trigger watches")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args) -> int:

    as_of = check_as_of(args.as_of) if args.as_of else None
    if args.volume is not None and args.volume < 0:
        raise fail("--volume", "value", "is negative", "give the observed requests per month, e.g. 25000")
    record = read_record(args.record)
    catalog = load_catalog(args.catalog)
    results = load_results_summary(args.results) if args.results else None
    log = load_results_log(args.log) if args.log else None
    table = review_record(record, catalog, as_of=as_of, results=results, volume=args.volume, log=log)
    fired = table[table["fired"]]
    if args.format == "json":
        print(to_json({"record": record.filename, "as_of": table.attrs["as_of"], "fired": int(len(fired)),
                       "triggers": table}))
    else:
        print(f"review of {record.filename} (status {record.status}, decided {record.date.isoformat()}) "
              f"as of {table.attrs['as_of']} against {catalog.path}")
        print(to_text(table[["trigger", "step", "offering_id", "observed", "fired", "detail"]]))
        print()
        print(f"{len(fired)} of {len(table)} triggers fired" + (": revisit the decision (write a new record with "
                                                                "`decide --supersedes`)" if len(fired) else ""))
    return 1 if len(fired) else 0
