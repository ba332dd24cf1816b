"""Review triggers: each fires on data built for it and stays silent otherwise; prices in effect on a
date; replaying a price history. The catalog under tests/fixtures/mdr/ is synthetic."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from workbench.catalog.load import catalog_from_frames, load_catalog, read_csv_strings
from workbench.catalog.schema import TABLES
from workbench.errors import WorkbenchError
from workbench.mdr.evidence import load_results_log
from workbench.mdr.record import Trigger
from workbench.mdr.review import (
    drift,
    first_firing,
    price_change_pct,
    price_on,
    price_replay,
    review_record,
)
from workbench.pipeline import draft_record
from workbench.scenario.load import load_scenario

FIX = Path(__file__).parent / "fixtures" / "mdr"
D = dt.date(2026, 11, 20)


def frames() -> dict[str, pd.DataFrame]:
    out = {}
    for name, spec in TABLES.items():
        p = FIX / "catalog" / spec.filename
        if p.exists():
            out[name] = read_csv_strings(p)
    return out


def catalog_with(edit) -> object:
    """The fixture catalog after ``edit(frames)`` changed some cells (all values are strings)."""
    f = frames()
    edit(f)
    return catalog_from_frames(f)


def set_cell(f, table, key_col, key, col, value):
    t = f[table]
    t.loc[t[key_col] == key, col] = value


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(FIX / "catalog")


@pytest.fixture(scope="module")
def record(catalog):
    return draft_record(load_scenario(FIX / "scenario.yaml"), catalog)


def only(record, kind, offering_id=None):
    """The record with just the triggers of one kind (and offering)."""
    ts = [t for t in record.triggers if t.kind == kind and (offering_id is None or t.offering_id == offering_id)]
    assert ts, kind
    return dataclasses.replace(record, triggers=ts)


def fired(table) -> list[bool]:
    return list(table["fired"])


# --------------------------------------------------------------------------------------------
# prices on a date
# --------------------------------------------------------------------------------------------

def test_price_on_uses_the_history_row_in_effect(catalog):
    # acme-large at acme: 2 / 10 until 2026-09-01 (to_date exclusive), 3 / 15 from then on
    before = price_on(catalog, "acme/acme-large", "2026-08-31")
    on = price_on(catalog, "acme/acme-large", "2026-09-01")
    assert (before["usd_per_mtok_in"], before["usd_per_mtok_out"], before["origin"]) == (2.0, 10.0, "price_history")
    assert (on["usd_per_mtok_in"], on["usd_per_mtok_out"], on["as_of"]) == (3.0, 15.0, dt.date(2026, 9, 1))
    # after the offering row's own as_of (2026-11-01) the offering row is the newest observation
    assert price_on(catalog, "acme/acme-large", "2026-11-20")["origin"] == "offerings"
    assert price_on(catalog, "gone/model", "2026-11-20") is None


def test_price_change_pct_hand_worked():
    # in 2 -> 3: 100 x (3 - 2) / 2 = +50%; out 10 -> 9: 100 x (9 - 10) / 10 = -10%
    ch = price_change_pct({"usd_per_mtok_in": 2.0, "usd_per_mtok_out": 10.0}, {"usd_per_mtok_in": 3.0, "usd_per_mtok_out": 9.0})
    assert ch == {"usd_per_mtok_in": pytest.approx(50.0), "usd_per_mtok_out": pytest.approx(-10.0)}


def test_price_replay_fires_on_the_real_change_date(catalog):
    rp = price_replay(catalog, "acme/acme-large", "2026-06-01", threshold_pct=20)
    # baseline 2 / 10 on 2026-06-01; 2026-09-01: 3 / 15 = +50% / +50% -> fires; 2026-11-01 offering row 3 / 15
    assert list(rp["date"]) == [dt.date(2026, 6, 1), dt.date(2026, 9, 1), dt.date(2026, 11, 1)]
    assert list(rp["fired"]) == [False, True, True]
    hit = first_firing(rp)
    assert hit["date"] == dt.date(2026, 9, 1) and hit["change_in_pct"] == pytest.approx(50.0)
    # a threshold above the change never fires
    assert first_firing(price_replay(catalog, "acme/acme-large", "2026-06-01", threshold_pct=60)) is None


def test_price_replay_sees_a_cut(catalog):
    # acme-mini: 1 / 8 until 2026-07-30, then 0.25 / 2: in 100 x (0.25 - 1) / 1 = -75%, out -75%
    rp = price_replay(catalog, "acme/acme-mini", "2026-07-01", threshold_pct=20, end="2026-08-31")
    assert list(rp["date"]) == [dt.date(2026, 7, 1), dt.date(2026, 7, 30)]
    assert rp.iloc[1]["change_out_pct"] == pytest.approx(-75.0) and bool(rp.iloc[1]["fired"])


# --------------------------------------------------------------------------------------------
# each trigger: fires on data built for it, silent otherwise
# --------------------------------------------------------------------------------------------

def test_nothing_fires_on_the_same_catalog(record, catalog):
    t = review_record(record, catalog)
    assert t.attrs["as_of"] == "2026-11-20"  # the record's date: later than the catalog's newest as_of (2026-11-01)
    assert not t["fired"].any(), t[t["fired"]].to_string()


def test_price_trigger(record):
    r = only(record, "price_change_pct", "acme/acme-mini")
    # baseline 0.25 / 2; +20% exactly (0.30) does not exceed 20 -> silent; 0.31 is +24% -> fires
    same = catalog_with(lambda f: set_cell(f, "offerings", "offering_id", "acme/acme-mini", "usd_per_mtok_in", "0.3"))
    up = catalog_with(lambda f: set_cell(f, "offerings", "offering_id", "acme/acme-mini", "usd_per_mtok_in", "0.31"))
    assert fired(review_record(r, same)) == [False]
    t = review_record(r, up)
    assert fired(t) == [True] and "in 0.25 -> 0.31 (+24.0%)" in t.iloc[0]["detail"]


def test_price_trigger_fires_when_the_offering_is_gone(record):
    r = only(record, "price_change_pct", "acme/acme-mini")

    def drop(f):
        f["offerings"] = f["offerings"][f["offerings"]["offering_id"] != "acme/acme-mini"]
    t = review_record(r, catalog_with(drop))
    assert fired(t) == [True] and "no longer in the catalog" in t.iloc[0]["detail"]


def test_deprecation_trigger(record):
    r = only(record, "deprecation_within_days", "acme/acme-mini")
    model = r.triggers[0].baseline["model_id"]
    # review on 2026-11-20: 2027-02-18 is 90 days away -> fires (<= 90); 2027-02-19 is 91 days -> silent
    near = catalog_with(lambda f: set_cell(f, "models", "model_id", model, "deprecation_date", "2027-02-18"))
    far = catalog_with(lambda f: set_cell(f, "models", "model_id", model, "deprecation_date", "2027-02-19"))
    assert fired(review_record(r, near, as_of="2026-11-20")) == [True]
    assert fired(review_record(r, far, as_of="2026-11-20")) == [False]



def test_deprecation_trigger_uses_the_offerings_own_retirement_date(record):
    # the model has no date, but the decided endpoint retires on 2027-01-10 (51 days after 2026-11-20)
    r = only(record, "deprecation_within_days", "acme/acme-mini")

    def endpoint(f):
        set_cell(f, "offerings", "offering_id", "acme/acme-mini", "deprecation_date", "2027-01-10")
        set_cell(f, "offerings", "offering_id", "acme/acme-mini", "deprecation_source", "acme retirement page")
    t = review_record(r, catalog_with(endpoint), as_of="2026-11-20")
    assert fired(t) == [True]
    assert "deprecated on 2027-01-10: 51 days away" in t.iloc[0]["detail"]
    assert "acme retirement page" in t.iloc[0]["detail"]


def test_volume_trigger(record, catalog):
    r = only(record, "volume_above")
    # bound = volume_factor 2 x 10,000 planned = 20,000 requests per month
    assert fired(review_record(r, catalog, volume=20000)) == [False]
    assert fired(review_record(r, catalog, volume=20001)) == [True]
    t = review_record(r, catalog)
    assert fired(t) == [False] and t.iloc[0]["detail"].startswith("not checked: pass --volume")


def test_age_trigger(record, catalog):
    r = only(record, "age_above_days")
    # decided 2026-11-20; 2027-05-19 is 180 days later (not beyond 180) -> silent; 2027-05-20 is 181 -> fires
    assert fired(review_record(r, catalog, as_of="2027-05-19")) == [False]
    assert fired(review_record(r, catalog, as_of="2027-05-20")) == [True]


def test_golden_set_drop_trigger(catalog):
    ev = pd.DataFrame([{"step": "answer", "candidate": "acme/acme-mini", "n_cases": 60, "success_rate": 0.90,
                        "source": "golden set (synthetic)", "as_of": "2026-11-18", "label": "synthetic"}])
    rec = draft_record(load_scenario(FIX / "scenario.yaml"), catalog, evaluations=ev)
    r = only(rec, "golden_set_drop_pp")
    # baseline 90%; 86% is a 4-point drop (<= 5) -> silent; 84% is 6 points -> fires
    ok = pd.DataFrame([{"candidate": "acme/acme-mini", "success_rate": 0.86, "n_cases": 60}])
    bad = pd.DataFrame([{"candidate": "acme/acme-mini", "success_rate": 0.84, "n_cases": 60}])
    assert fired(review_record(r, catalog, results=ok)) == [False]
    t = review_record(r, catalog, results=bad)
    assert fired(t) == [True] and "90.0% -> 84.0% (-6.0 points" in t.iloc[0]["detail"]
    assert fired(review_record(r, catalog)) == [False]  # no results file: not checked


def test_dominated_trigger(record, catalog):
    r = only(record, "dominated")
    default = r.triggers[0].offering_id
    assert default == "acme/acme-mini"

    def better(f):
        # a new offering of bolt-chat (quality 1360 > 1330) that is cheaper (0.1 / 0.5: 2000 x 0.1 + 200 x 0.5
        # = 300 / 1e6 = 0.0003 < 0.0009 USD) and faster (ttft 0.2 s, 400 tok/s) than the default
        row = f["offerings"][f["offerings"]["offering_id"] == "bolt/bolt-chat"].copy()
        row["offering_id"], row["provider"] = "zoom/bolt-chat", "zoom"
        row["usd_per_mtok_in"], row["usd_per_mtok_out"] = "0.1", "0.5"
        row["ttft_s"], row["output_tokens_per_s"] = "0.2", "400"
        f["offerings"] = pd.concat([f["offerings"], row], ignore_index=True)
        prov = f["providers"][f["providers"]["provider"] == "bolt"].copy()
        prov["provider"] = "zoom"
        f["providers"] = pd.concat([f["providers"], prov], ignore_index=True)

    def worse(f):
        better(f)
        set_cell(f, "offerings", "offering_id", "zoom/bolt-chat", "usd_per_mtok_in", "5")  # now dearer than the default

    t = review_record(r, catalog_with(better))
    assert fired(t) == [True] and t.iloc[0]["observed"] == "zoom/bolt-chat"
    assert fired(review_record(r, catalog_with(worse))) == [False]


def test_dominated_fires_when_the_default_fails_the_constraints(record):
    r = only(record, "dominated")
    trains = catalog_with(lambda f: set_cell(f, "providers", "provider", "acme", "trains_on_data", "yes"))
    t = review_record(r, trains)
    assert fired(t) == [True] and "no longer passes the hard constraints" in t.iloc[0]["detail"]


def test_bad_results_frame_is_an_error(record, catalog):
    with pytest.raises(WorkbenchError, match="needs 'candidate' and 'success_rate'"):
        review_record(record, catalog, results=pd.DataFrame({"model": ["x"]}))


def test_unknown_trigger_kind_is_an_error(record, catalog):
    r = dataclasses.replace(record, triggers=[Trigger("price_jump", 1.0)])
    with pytest.raises(WorkbenchError, match="unknown trigger kind"):
        review_record(r, catalog)


# --------------------------------------------------------------------------------------------
# production drift from a results log (hand-worked)
# --------------------------------------------------------------------------------------------

def drift_log() -> pd.DataFrame:
    rows = [("2026-11-01", "answer", "", 10, 9), ("2026-11-10", "answer", "", 10, 8),   # earlier: 17/20 = 85%
            ("2026-11-25", "answer", "", 10, 7),                                      # last 7 days: 7/10 = 70%
            ("2026-11-26", "answer", "other/model", 50, 0),                           # another offering: ignored
            ("2026-11-27", "classify", "", 10, 1)]                                    # another step: ignored
    return pd.DataFrame([{"date": dt.date.fromisoformat(d), "step": s, "offering_id": o, "n_cases": n, "n_success": k,
                          "label": "synthetic", "source": "test"} for d, s, o, n, k in rows])


def test_drift_hand_worked():
    on = dt.date(2026, 11, 28)  # window (11-21, 11-28]
    d = drift(drift_log(), "answer", "acme/acme-mini", on, 7)
    assert d["recent_rate"] == pytest.approx(0.70) and d["recent_n"] == 10
    assert d["baseline_rate"] == pytest.approx(0.85) and d["baseline_n"] == 20
    assert d["drop_pp"] == pytest.approx(15.0)
    # against the decision's own baseline of 72%: 2 points
    assert drift(drift_log(), "answer", "acme/acme-mini", on, 7, 0.72)["drop_pp"] == pytest.approx(2.0)
    # a window that ends before the drop: 11-10 -> (11-03, 11-10] = 8/10 vs 9/10
    assert drift(drift_log(), "answer", None, dt.date(2026, 11, 10), 7)["drop_pp"] == pytest.approx(10.0)


def test_production_drift_trigger_fires_beyond_the_threshold(record, catalog):
    t = only(record, "production_drift_pp", "acme/acme-mini").triggers[0]
    assert t.threshold == 5.0 and t.baseline["success_rate"] is None and t.baseline["window_days"] == 7
    table = review_record(dataclasses.replace(record, triggers=[t]), catalog, as_of="2026-11-28", log=drift_log())
    assert fired(table) == [True]
    assert "70.0% on 10 results vs 85.0% on 20 earlier results: -15.0 points (limit -5" in table["detail"].iloc[0]
    t2 = dataclasses.replace(t, baseline={**t.baseline, "success_rate": 0.72})
    table = review_record(dataclasses.replace(record, triggers=[t2]), catalog, as_of="2026-11-28", log=drift_log())
    assert fired(table) == [False] and "vs 72.0% (the decision's golden-set result): -2.0 points" in table["detail"].iloc[0]
    none = review_record(dataclasses.replace(record, triggers=[t]), catalog, as_of="2026-11-28")
    assert fired(none) == [False] and none["observed"].iloc[0] == "not given"


def test_results_log_bad_cells_are_named(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("date,step,n_cases,n_success,label,source\n2026-11-01,answer,10,11,x,y\nyesterday,answer,0,0,x,y\n")
    with pytest.raises(WorkbenchError) as e:
        load_results_log(p)
    text = str(e.value)
    assert "row 2" in text and "n_success must be a whole number between 0 and n_cases" in text
    assert "row 3" in text and "not a date" in text and "n_cases must be a whole number >= 1" in text


def test_a_negative_threshold_in_a_record_file_is_refused_not_fired(tmp_path, capsys):
    """A hand-edited price threshold of -5 would make the trigger fire on a 0% change: review says
    which trigger and exits 2 instead of reporting a revisit."""
    from workbench.cli import main

    assert main(["decide", "data/scenarios/support_assistant.yaml", "--out", str(tmp_path)]) == 0
    facts = next(tmp_path.glob("*.facts.yaml"))
    text = facts.read_text()
    first = text.index("- kind: price_change_pct\n  threshold: ")
    line_end = text.index("\n", first + len("- kind: price_change_pct\n"))
    facts.write_text(text[:first] + "- kind: price_change_pct\n  threshold: -5.0" + text[line_end:])
    capsys.readouterr()
    assert main(["review", str(next(tmp_path.glob("*.md")))]) == 2
    err = capsys.readouterr().err
    assert "facts.triggers[0].threshold: the price_change_pct threshold is outside 0.1..1000 (got -5.0)" in err
