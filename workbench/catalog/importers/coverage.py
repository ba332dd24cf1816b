"""How many offerings of a catalog lack which facts, and combining several imports into one catalog.

An imported catalog is wide but thin: a price map states prices and limits, rarely speed, almost
never policy facts or licences, and the shortlist treats every unknown fact as *not met*. The table
of :func:`missing_facts` says, before any ranking, how much of a catalog a constraint can even
judge. Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

import pandas as pd

from workbench.catalog.importers.common import ImportResult, dedupe_name_map
from workbench.catalog.importers.folder import set_aside_implausible
from workbench.catalog.load import Catalog

# fact -> (what it is, how "missing" is decided); policy facts use provider-level values where the
# offering's own cell is empty, as the shortlist does (Catalog.offerings_with_policy)
FACTS = (
    ("price", "input price; and output price for chat models (usd_per_mtok_in, usd_per_mtok_out)"),
    ("speed", "output tokens/s and time to first token (output_tokens_per_s, ttft_s)"),
    ("context", "context window of the offering or, if empty, of its model (context_tokens)"),
    ("trains_on_data", "whether the provider may train on prompts (offering or providers.csv)"),
    ("zero_data_retention", "whether a zero-data-retention option exists (offering or providers.csv)"),
    ("regions", "processing regions (offering or providers.csv)"),
    ("licence", "the model's commercial_use is stated (yes / restricted / no), not unknown"),
)


def missing_facts(catalog: Catalog) -> pd.DataFrame:
    """One row per fact: ``fact``, ``what``, ``offerings_missing``, ``offerings``, ``pct_missing`` (0-100, one
    decimal). Self-hosted offerings are not counted as missing a price (they are priced by GPU hours).
    Pure: reads the catalog only. Introduced in ``notebooks/00_start_here.ipynb``.
    """
    o = catalog.offerings_with_policy()
    m = catalog.models.set_index("model_id")
    n = len(o)
    mtype = o["model_id"].map(m["model_type"])
    api = o["access_mode"] != "self-hosted"
    price_missing = api & (o["usd_per_mtok_in"].isna() | ((mtype == "chat") & o["usd_per_mtok_out"].isna()))
    speed_missing = o["output_tokens_per_s"].isna() | o["ttft_s"].isna()
    context_missing = o["context_tokens"].isna() & o["model_id"].map(m["context_tokens"]).isna()
    commercial = o["model_id"].map(m["commercial_use"])
    licence_missing = commercial.isna() | (commercial == "unknown")
    missing = {
        "price": price_missing,
        "speed": speed_missing,
        "context": context_missing,
        "trains_on_data": o["trains_on_data"].isna(),
        "zero_data_retention": o["zero_data_retention"].isna(),
        "regions": o["regions"].isna(),
        "licence": licence_missing,
    }
    rows = []
    for fact, what in FACTS:
        k = int(missing[fact].sum())
        rows.append({"fact": fact, "what": what, "offerings_missing": k, "offerings": n,
                     "pct_missing": round(100.0 * k / n, 1) if n else 0.0})
    return pd.DataFrame(rows)


def merge_results(results: list[ImportResult]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The tables of several imports as one catalog's tables, and a note per table on rows dropped.

    Rule: sources are taken in the order given; a ``model_id`` (models) or ``offering_id`` (offerings)
    that an earlier source already has is dropped, and the note counts them per source, so a reader
    knows which source's row a duplicate id shows. Name-map rows are kept (one per namespace and name).
    Used by the real-scale benchmark (:mod:`workbench.bench.shortlist_real`).
    """
    out: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    results = [set_aside_implausible(r) for r in results]  # a source's odd rows, listed as skipped
    for table, key in (("models", "model_id"), ("offerings", "offering_id")):
        frames, seen = [], set()
        for r in results:
            df = r.tables.get(table)
            if df is None or df.empty:
                continue
            low = df[key].str.lower()  # ids that differ only in case are one id (the loader refuses both)
            dup = low.isin(seen) | low.duplicated()
            if dup.any():
                notes.append(f"{table}: {int(dup.sum())} rows of {r.source} dropped: their {key} is in an earlier "
                             "source (or repeats in this one), compared without case")
            frames.append(df[~dup])
            seen |= set(low)
        out[table] = pd.concat(frames, ignore_index=True) if frames else results[0].catalog_tables()[table]
    maps = [r.tables["name_map"] for r in results if "name_map" in r.tables and not r.tables["name_map"].empty]
    if maps:
        out["name_map"] = dedupe_name_map(pd.concat(maps, ignore_index=True))
    # a price can be plausible within one source and not beside another's (the same model 40x dearer)
    merged = set_aside_implausible(ImportResult(source="merged import", as_of="", tables=out, total_entries=0,
                                                skipped=pd.DataFrame(columns=["entry", "reason", "detail"])))
    if len(merged.skipped):
        notes.append(f"offerings: {len(merged.skipped)} rows set aside after merging: their prices fail the "
                     "plausibility checks beside the other sources' (see the import's skipped rows)")
    return merged.tables, notes


__all__ = ["missing_facts", "merge_results", "FACTS"]
