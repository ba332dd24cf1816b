"""Review triggers a machine can check: is it time to revisit a Model Decision Record?

A record (:class:`workbench.mdr.Record`) carries its triggers with the baseline recorded at decision
time. :func:`review_record` checks each against a newer catalog at a review date:

- ``price_change_pct``: a decided offering's input or output list price, in effect on the review
  date (:func:`price_on`: the dated ``price_history`` row or the offering row, whichever is newer),
  moved by more than the threshold, in percent, either way; an offering gone from the catalog fires;
- ``deprecation_within_days``: the decided offering's retirement date (the earlier of its own
  ``deprecation_date`` and its model's, :func:`workbench.shortlist.pool.retirement`) is within the
  threshold of the review date (or past);
- ``volume_above``: the observed monthly volume (``--volume``) exceeds the bound;
- ``age_above_days``: the record is older than the threshold;
- ``golden_set_drop_pp``: the decided default's success rate in a newer golden-set result fell by
  more than the threshold, in percentage points;
- ``production_drift_pp``: in a log of recent results (golden-set reruns or graded samples of
  production traffic, :func:`workbench.mdr.evidence.load_results_log`), the step's pooled success
  rate over the last ``window_days`` fell by more than the threshold, in points, below the baseline
  (the decision's golden-set result, or the log's own earlier days when the record has none);
- ``dominated``: re-running the shortlist of the record's own scenario on the newer catalog finds an
  offering at least as good on quality, cost per request and typical latency and better on one
  (:func:`workbench.shortlist.pareto_front`), or the default no longer passes the hard constraints.

:func:`price_replay` walks a model's real price history forward from a date and shows when the
price trigger would have fired. Introduced in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.catalog.load import Catalog
from workbench.errors import fail
from workbench.mdr.record import Record, Trigger, fmt_value, short_source, trigger_baseline_text
from workbench.scenario.load import scenario_from_dict
from workbench.shortlist.pool import retirement
from workbench.shortlist.ranking import shortlist
from workbench.shortlist.scoring import pareto_front
from workbench.util import as_date as _day

REVIEW_COLUMNS = ("trigger", "step", "offering_id", "threshold", "baseline", "observed", "fired", "detail")
PRICE_KEYS = ("usd_per_mtok_in", "usd_per_mtok_out")


def _f(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


# ------------------------------------------------------------------------------------------------
# prices in effect on a date
# ------------------------------------------------------------------------------------------------

def price_on(catalog: Catalog, offering_id: str, on: dt.date | str) -> dict | None:
    """The list price of an offering in effect on a date, USD per million tokens.

    Candidates: the ``price_history`` rows of the offering's model and provider in effect on ``on``
    (``from_date`` empty or on/before it, ``to_date`` empty or after it), and the offering row itself
    when its ``as_of`` is on or before ``on``. The one with the latest effective date wins (a
    history row's ``from_date``, the offering row's ``as_of``). Returns ``{"usd_per_mtok_in",
    "usd_per_mtok_out", "source", "as_of", "origin"}`` (``origin``: price_history | offerings), or None
    when the offering is not in the catalog.
    """
    on = _day(on)
    o = catalog.offerings[catalog.offerings["offering_id"] == offering_id]
    if o.empty:
        return None
    row = o.iloc[0]
    options = []
    ph = catalog.price_history
    if len(ph):
        h = ph[(ph["model_id"] == row["model_id"]) & (ph["provider"] == row["provider"])]
        start = pd.to_datetime(h["from_date"])
        end = pd.to_datetime(h["to_date"])
        t = pd.Timestamp(on)
        h = h[(start.isna() | (start <= t)) & (end.isna() | (end > t))]
        for r in h.itertuples(index=False):
            eff = _day(r.from_date) or dt.date.min
            options.append((eff, 0, {"usd_per_mtok_in": _f(r.usd_per_mtok_in), "usd_per_mtok_out": _f(r.usd_per_mtok_out),
                                     "source": r.source, "as_of": _day(r.from_date) or _day(r.as_of),
                                     "origin": "price_history"}))
    off_as_of = _day(row["as_of"])
    if off_as_of is not None and off_as_of <= on or not options:
        options.append((off_as_of or dt.date.min, 1, {
            "usd_per_mtok_in": _f(row["usd_per_mtok_in"]), "usd_per_mtok_out": _f(row["usd_per_mtok_out"]),
            "source": row["source"], "as_of": off_as_of, "origin": "offerings"}))
    options.sort(key=lambda x: (x[0], x[1]))
    return options[-1][2]


def price_change_pct(baseline: dict, observed: dict) -> dict[str, float | None]:
    """Percent change of each list price from ``baseline`` to ``observed`` (``usd_per_mtok_in``,
    ``usd_per_mtok_out``): ``100 x (new - old) / old``; None where either price is unknown.
    Introduced in ``06_model_decision_record.ipynb``."""
    out = {}
    for k in PRICE_KEYS:
        old, new = _f(baseline.get(k)), _f(observed.get(k))
        out[k] = None if old is None or new is None or old == 0 else 100.0 * (new - old) / old
    return out


def price_trigger_fires(changes: dict[str, float | None], threshold_pct: float) -> bool:
    """True when any price moved by more than ``threshold_pct`` percent, up or down.
    Introduced in ``06_model_decision_record.ipynb``."""
    return any(c is not None and abs(c) > threshold_pct for c in changes.values())


def _money(v: Any) -> str:
    x = _f(v)
    return "unknown" if x is None else f"{x:g}"


def _price_text(p: dict) -> str:
    return f"in {_money(p.get('usd_per_mtok_in'))} / out {_money(p.get('usd_per_mtok_out'))} USD/Mtok"


# ------------------------------------------------------------------------------------------------
# one check per trigger kind (each returns observed, fired, detail)
# ------------------------------------------------------------------------------------------------

def _check_price(t: Trigger, catalog: Catalog, on: dt.date, **_) -> tuple[str, bool, str]:
    now = price_on(catalog, t.offering_id, on)
    if now is None:
        return "gone", True, f"{t.offering_id} is no longer in the catalog: the decided offering must be replaced"
    ch = price_change_pct(t.baseline, now)
    fired = price_trigger_fires(ch, float(t.threshold))
    moves = ", ".join(f"{k.split('_')[-1]} {_money(t.baseline.get(k))} -> {_money(now.get(k))} ({c:+.1f}%)"
                      for k, c in ch.items() if c is not None)
    when = now["as_of"].isoformat() if now.get("as_of") else "undated"
    return _price_text(now), fired, f"{moves} (USD/Mtok; {short_source(now['source'])}, {when})"


def _check_deprecation(t: Trigger, catalog: Catalog, on: dt.date, **_) -> tuple[str, bool, str]:
    model_id = t.baseline.get("model_id")
    m = catalog.models[catalog.models["model_id"] == model_id]
    if m.empty:
        return "gone", True, f"model {model_id} is no longer in the catalog"
    # the decided offering's own retirement date counts too (a cloud can retire its copy first)
    o = catalog.offerings[catalog.offerings["offering_id"] == t.offering_id] if t.offering_id else catalog.offerings.iloc[0:0]
    row = pd.DataFrame({
        "deprecation_date": [o.iloc[0]["deprecation_date"] if len(o) else None],
        "deprecation_source": [o.iloc[0]["deprecation_source"] if len(o) else None],
        "model_deprecation_date": [m.iloc[0]["deprecation_date"]],
        "model_deprecation_source": [m.iloc[0]["deprecation_source"] or short_source(m.iloc[0]["source"])]})
    day, src = retirement(row)
    dep = _day(day.iloc[0])
    if dep is None:
        return "none", False, (f"{t.offering_id or model_id}: no deprecation date in the catalog "
                               f"({short_source(m.iloc[0]['source'])})")
    days = (dep - on).days
    fired = days <= float(t.threshold)
    state = "already deprecated" if days < 0 else f"{days} days away"
    what = t.offering_id or model_id
    return f"{dep.isoformat()} ({days} days)", fired, (f"{what} deprecated on {dep.isoformat()}: {state} "
                                                       f"(limit {t.threshold:g} days; {src.iloc[0]})")


def _check_volume(t: Trigger, catalog: Catalog, on: dt.date, volume: float | None = None, **_) -> tuple[str, bool, str]:
    if volume is None:
        return "not given", False, "not checked: pass --volume N (observed requests per month of step " \
                                   f"{t.step})"
    fired = float(volume) > float(t.threshold)
    planned = t.baseline.get("requests_per_month")
    return f"{volume:,.0f}/month", fired, (f"{volume:,.0f} requests/month observed vs {planned:,} planned; bound "
                                           f"{t.threshold:,.0f} ({t.baseline.get('factor'):g}x planned)")


def _check_age(t: Trigger, catalog: Catalog, on: dt.date, record: Record | None = None, **_) -> tuple[str, bool, str]:
    made = _day(t.baseline.get("date")) or (record.date if record else None)
    age = (on - made).days
    return f"{age} days", age > float(t.threshold), f"decided {made.isoformat()}, reviewed {on.isoformat()}: " \
                                                    f"{age} days old (limit {t.threshold:g})"


def _check_golden(t: Trigger, catalog: Catalog, on: dt.date, results: pd.DataFrame | None = None,
                  **_) -> tuple[str, bool, str]:
    if results is None:
        return "not given", False, "not checked: pass --results FILE (a newer golden-set result)"
    r = results[results["candidate"] == t.offering_id]
    task = t.baseline.get("task")
    if "task" in r and task:
        r = r[r["task"].isna() | (r["task"] == task)]
    if "step" in r and t.step is not None:
        r = r[r["step"].isna() | (r["step"] == t.step)]
    if r.empty:
        return "no result", False, f"the results file has no result for {t.offering_id}"
    row = r.iloc[-1]
    new, old = float(row["success_rate"]), float(t.baseline["success_rate"])
    drop_pp = 100.0 * (old - new)
    n = int(row["n_cases"]) if "n_cases" in row and pd.notna(row["n_cases"]) else None
    return f"{new:.1%}", drop_pp > float(t.threshold), (
        f"success rate {old:.1%} -> {new:.1%} ({-drop_pp:+.1f} points; limit -{t.threshold:g})"
        + (f" on {n} cases" if n is not None else "") + (f" ({row['source']})" if "source" in row and isinstance(row["source"], str) else ""))


def _check_dominated(t: Trigger, catalog: Catalog, on: dt.date, record: Record | None = None,
                     shortlists: dict | None = None, **_) -> tuple[str, bool, str]:

    res = (shortlists or {}).get(t.step)
    if res is None:
        res = shortlist_for_review(record, catalog, on, t.step)
    ranked = res.ranked
    mine = ranked[ranked["offering_id"] == t.offering_id]
    if mine.empty:
        ex = res.excluded[res.excluded["offering_id"] == t.offering_id]
        why = " | ".join(ex.iloc[0]["reasons"]) if len(ex) else "not in the catalog"
        return "excluded", True, f"{t.offering_id} no longer passes the hard constraints: {why}"
    sign = -1.0 if res.params.get("quality_higher_is_better", True) else 1.0
    cols = ["quality", "usd_per_request", "typical_latency_s"]
    me = mine.iloc[0][cols].to_numpy(dtype=float) * np.array([sign, 1, 1])
    others = ranked[ranked["offering_id"] != t.offering_id]
    pts = others[cols].to_numpy(dtype=float) * np.array([sign, 1, 1])
    if np.isnan(me).any():
        return "incomparable", False, f"{t.offering_id} lacks a quality, cost or latency number: dominance not checked"
    fronts = [pareto_front(np.vstack([p, me])) for p in pts]  # [other on front, mine on front]
    doms = [i for i, f in enumerate(fronts) if f[0] and not f[1]]
    if not doms:
        return "not dominated", False, (f"no offering beats {t.offering_id} on quality, cost and latency at once "
                                        f"({len(ranked)} passed the constraints on {on.isoformat()})")
    d = others.iloc[doms].sort_values(["rank", "offering_id"], na_position="last").iloc[0]
    return d["offering_id"], True, (
        f"{d['offering_id']} dominates: quality {d['quality']:g} vs {mine.iloc[0]['quality']:g}, "
        f"USD/request {d['usd_per_request']:.6f} vs {mine.iloc[0]['usd_per_request']:.6f}, "
        f"latency {d['typical_latency_s']:.2f} s vs {mine.iloc[0]['typical_latency_s']:.2f} s"
        + (f" ({len(doms)} dominating offerings)" if len(doms) > 1 else ""))


def drift(log: pd.DataFrame, step: str, offering_id: str | None, on: dt.date, window_days: int,
          baseline_rate: float | None = None) -> dict[str, Any]:
    """The production-drift numbers of one step: pooled success rate (sum of ``n_success`` / sum of
    ``n_cases``) of the log rows dated in ``(on - window_days, on]`` against ``baseline_rate``, or,
    when that is None, against the rows dated on or before ``on - window_days``. Rows of another
    offering are ignored (a blank ``offering_id`` counts for the step). Returns ``recent_rate``,
    ``recent_n``, ``baseline_rate``, ``baseline_n`` (None when from the record) and ``drop_pp``
    (``100 x (baseline - recent)``; None when either side is missing); :func:`review_record` uses it."""
    rows = log[(log["step"] == step) & (log["date"] <= on)]
    if offering_id:
        rows = rows[(rows["offering_id"] == "") | (rows["offering_id"] == offering_id)]
    start = on - dt.timedelta(days=int(window_days))
    recent, earlier = rows[rows["date"] > start], rows[rows["date"] <= start]
    pooled = lambda r: float(r["n_success"].sum()) / float(r["n_cases"].sum()) if len(r) else None
    rr = pooled(recent)
    if baseline_rate is None:
        br, bn = pooled(earlier), int(earlier["n_cases"].sum())
    else:
        br, bn = float(baseline_rate), None
    return {"recent_rate": rr, "recent_n": int(recent["n_cases"].sum()), "baseline_rate": br, "baseline_n": bn,
            "drop_pp": None if rr is None or br is None else 100.0 * (br - rr),
            "labels": sorted(set(recent["label"]) | set(earlier["label"] if baseline_rate is None else []))}


def _check_drift(t: Trigger, catalog: Catalog, on: dt.date, log: pd.DataFrame | None = None,
                 **_) -> tuple[str, bool, str]:
    if log is None:
        return "not given", False, "not checked: pass --log FILE (recent golden-set or graded production results)"
    days = int(t.baseline.get("window_days") or 7)
    d = drift(log, t.step, t.offering_id, on, days, _f(t.baseline.get("success_rate")))
    if d["recent_rate"] is None:
        return "no result", False, f"the log has no result for step {t.step} in the {days} days up to {on.isoformat()}"
    if d["drop_pp"] is None:
        return f"{d['recent_rate']:.1%}", False, f"no baseline: the log has no result for {t.step} before the last {days} days"
    base = (f"{d['baseline_rate']:.1%} (the decision's golden-set result)" if d["baseline_n"] is None
            else f"{d['baseline_rate']:.1%} on {d['baseline_n']} earlier results")
    return f"{d['recent_rate']:.1%}", d["drop_pp"] > float(t.threshold), (
        f"last {days} days: {d['recent_rate']:.1%} on {d['recent_n']} results vs {base}: {-d['drop_pp']:+.1f} points "
        f"(limit -{t.threshold:g}; log labelled {', '.join(d['labels'])})")


CHECKS = {
    "price_change_pct": _check_price,
    "deprecation_within_days": _check_deprecation,
    "volume_above": _check_volume,
    "age_above_days": _check_age,
    "golden_set_drop_pp": _check_golden,
    "dominated": _check_dominated,
    "production_drift_pp": _check_drift,
}


def shortlist_for_review(record: Record, catalog: Catalog, on: dt.date, step: str):
    """Re-run the shortlist of the record's own scenario (embedded in the record) on ``catalog`` with
    the analysis date moved to ``on``."""

    scenario = scenario_from_dict(record.scenario, file=f"record {record.filename}: facts block scenario")
    scenario = dataclasses.replace(scenario, as_of=on)
    return shortlist(catalog, scenario, step)


def _baseline_text(t: Trigger) -> str:
    b = t.baseline
    if t.kind == "price_change_pct":
        return f"{_price_text(b)} ({b.get('as_of')})"
    if t.kind == "deprecation_within_days":
        return f"deprecation {b.get('deprecation_date') or 'none'} ({b.get('as_of')})"
    if t.kind == "volume_above":
        return f"{fmt_value(b.get('requests_per_month'))}/month planned"
    if t.kind == "age_above_days":
        return f"decided {b.get('date')}"
    if t.kind == "golden_set_drop_pp":
        return f"{trigger_baseline_text(t).split(': ', 1)[-1]} ({b.get('as_of')})"
    if t.kind == "production_drift_pp":
        return trigger_baseline_text(t)
    if t.kind == "dominated":
        return (f"quality {b.get('quality')}, {b.get('usd_per_request')} USD/request, "
                f"{b.get('typical_latency_s')} s ({b.get('as_of')})")
    return "; ".join(f"{k}={v}" for k, v in b.items())


def review_record(record: Record, catalog: Catalog, as_of: dt.date | str | None = None,
                  results: pd.DataFrame | None = None, volume: float | None = None,
                  shortlists: dict | None = None, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check every trigger of a record; one row per trigger with :data:`REVIEW_COLUMNS`.

    ``as_of``: the review date (default: the newest ``as_of`` in ``catalog``, or the record's date if
    later, so the result depends on the data, never on today's date); ``results``: a newer golden-set summary with columns
    ``candidate`` (offering id), ``success_rate`` (0..1), optional ``step``, ``n_cases``, ``source``;
    ``volume``: observed requests per month of the volume trigger's step; ``log``: recent results
    (:func:`workbench.mdr.evidence.load_results_log`) for the production-drift trigger; ``shortlists``: precomputed
    :func:`shortlist_for_review` results by step (tests, notebooks). A trigger that cannot be checked
    without an input says so and does not fire. Introduced in ``06_model_decision_record.ipynb``.
    """
    on = _day(as_of) if as_of is not None else max(record.date, catalog.as_of_range()[1].date())
    if on is None:
        raise fail("review", "--as-of", "not a date", "write YYYY-MM-DD")
    if results is not None and not {"candidate", "success_rate"} <= set(results.columns):
        raise fail("--results", "columns", "a golden-set summary needs 'candidate' and 'success_rate' columns",
                   "pass the summary written by `python -m workbench eval`")
    rows = []
    for t in record.triggers:
        check = CHECKS.get(t.kind)
        if check is None:
            raise fail(record.filename, f"facts block: triggers ({t.kind})", "unknown trigger kind",
                       "use one of " + ", ".join(CHECKS))
        observed, fired, detail = check(t, catalog, on, record=record, results=results, volume=volume,
                                        shortlists=shortlists, log=log)
        rows.append({"trigger": t.kind, "step": t.step or "", "offering_id": t.offering_id or "",
                     "threshold": t.threshold, "baseline": _baseline_text(t), "observed": observed,
                     "fired": bool(fired), "detail": detail})
    out = pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))
    out.attrs["as_of"] = on.isoformat()
    return out


# ------------------------------------------------------------------------------------------------
# replaying real price history
# ------------------------------------------------------------------------------------------------

def price_replay(catalog: Catalog, offering_id: str, start: dt.date | str, threshold_pct: float,
                 end: dt.date | str | None = None) -> pd.DataFrame:
    """Walk an offering's dated prices forward from ``start``: the baseline is the price in effect
    on ``start`` (:func:`price_on`); each later date on which a price takes effect (``price_history``
    ``from_date``/``to_date``, the offering row's ``as_of``) up to ``end`` is a review date.

    Columns: ``date``, ``usd_per_mtok_in``, ``usd_per_mtok_out`` (in effect that day), ``change_in_pct``,
    ``change_out_pct`` (vs the baseline), ``fired`` (:func:`price_trigger_fires`), ``source``. The first
    row is the baseline. Introduced in ``06_model_decision_record.ipynb``.
    """
    start = _day(start)
    end = _day(end) if end is not None else None
    o = catalog.offering(offering_id)
    base = price_on(catalog, offering_id, start)
    ph = catalog.price_history
    h = ph[(ph["model_id"] == o["model_id"]) & (ph["provider"] == o["provider"])] if len(ph) else ph
    dates = set()
    for col in ("from_date", "to_date"):
        if len(h):
            dates |= {d for d in (_day(x) for x in h[col]) if d is not None}
    if _day(o["as_of"]) is not None:
        dates.add(_day(o["as_of"]))
    dates = sorted(d for d in dates if d > start and (end is None or d <= end))
    rows = []
    for d in [start, *dates]:
        p = price_on(catalog, offering_id, d)
        ch = price_change_pct(base, p)
        rows.append({"date": d, "usd_per_mtok_in": p["usd_per_mtok_in"], "usd_per_mtok_out": p["usd_per_mtok_out"],
                     "change_in_pct": ch["usd_per_mtok_in"], "change_out_pct": ch["usd_per_mtok_out"],
                     "fired": price_trigger_fires(ch, threshold_pct),
                     "source": f"{short_source(p['source'])} ({p['origin']}, "
                               f"{p['as_of'].isoformat() if p['as_of'] else 'undated'})"})
    return pd.DataFrame(rows, columns=["date", "usd_per_mtok_in", "usd_per_mtok_out", "change_in_pct",
                                       "change_out_pct", "fired", "source"])


def first_firing(replay: pd.DataFrame) -> pd.Series | None:
    """The first row of a :func:`price_replay` on which the trigger fires, or None.
    Introduced in ``06_model_decision_record.ipynb``."""
    hit = replay[replay["fired"]]
    return None if hit.empty else hit.iloc[0]
