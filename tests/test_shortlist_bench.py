"""The shortlist benchmark's synthetic catalog and its case (timings are the bench's job, not a test's)."""
from types import SimpleNamespace

import numpy as np

from workbench.bench.harness import time_case
from workbench.bench.shortlist import cases, resample_catalog
from workbench.catalog.load import load_catalog

FIXTURE = "tests/fixtures/shortlist"


def test_resample_catalog_is_seeded_unique_and_labelled_synthetic():
    cat = load_catalog(FIXTURE)
    a = resample_catalog(cat, 3000, seed=7)
    b = resample_catalog(cat, 3000, seed=7)
    assert len(a.offerings) == 3000 and a.offerings["offering_id"].is_unique
    assert a.offerings.equals(b.offerings)
    assert a.offerings["source"].str.startswith("synthetic: resampled from").all()
    # prices are jittered by one factor per row: the in/out ratio of each row is kept
    row = a.offerings[a.offerings["model_id"] == "alpha"].iloc[0]
    assert np.isclose(row["usd_per_mtok_out"] / row["usd_per_mtok_in"], 10 / 2.5)


def test_case_runs_on_a_given_catalog():
    (case,) = cases(SimpleNamespace(catalog=FIXTURE, seed=7))
    case.repeat = 2
    row = time_case(case)
    assert row["unit"] == "ms" and row["offerings"] == 10 and row["result"].error is None
