"""Loading, typing and look-ups of the catalog, on the synthetic mini catalog (tests/fixtures)."""
from pathlib import Path

import pandas as pd
import pytest

from workbench import WorkbenchError, load_catalog
from workbench.catalog.load import summary, write_table
from workbench.costs.request import price_of

MINI = Path(__file__).parent / "fixtures" / "mini_catalog"


@pytest.fixture(scope="module")
def cat():
    return load_catalog(MINI)


def test_types_are_converted(cat):
    m = cat.models.set_index("model_id")
    assert m.loc["alpha", "context_tokens"] == 128000
    assert bool(m.loc["beta", "reasoning"]) is True
    assert m.loc["alpha", "as_of"] == pd.Timestamp("2026-11-01")
    assert m.loc["alpha", "input_modalities"] == "text;image"
    o = cat.offerings.set_index("offering_id")
    assert o.loc["acme/alpha", "usd_per_mtok_in"] == 2.5
    assert pd.isna(o.loc["acme/alpha", "zero_data_retention"])  # empty = unknown, not False


def test_unknown_model_is_an_error_never_a_zero_price(cat):
    with pytest.raises(WorkbenchError, match="no such model in the catalog.*did you mean 'alpha'"):
        cat.offerings_for("alpah")
    with pytest.raises(WorkbenchError, match="no such offering"):
        price_of(cat, "acme/gamma", 1000, 500)


def test_price_of_a_known_offering(cat):
    # 1,000 input tokens at 2.5 USD/M + 500 output tokens at 10 USD/M
    assert price_of(cat, "acme/alpha", 1000, 500) == pytest.approx(1000 * 2.5 / 1e6 + 500 * 10 / 1e6)


def test_summary_counts(cat):
    s = summary(cat)
    assert s["models"] == 2 and s["offerings"] == 3 and s["providers"] == 3
    assert s["offerings_by_access_mode"] == {"hosted-inference": 1, "managed-api": 1, "self-hosted": 1}
    assert s["as_of_oldest"] == s["as_of_newest"] == "2026-11-01"


def test_write_table_round_trip_and_refuses_to_overwrite(cat, tmp_path):
    for name in ("models", "offerings", "gpus"):
        write_table(getattr(cat, name), name, tmp_path)
    again = load_catalog(tmp_path)
    pd.testing.assert_frame_equal(again.offerings, cat.offerings)
    before = (tmp_path / "models.csv").read_bytes()
    with pytest.raises(WorkbenchError, match="already exists; nothing was written"):
        write_table(cat.models, "models", tmp_path)
    assert (tmp_path / "models.csv").read_bytes() == before
    write_table(cat.models, "models", tmp_path, force=True)


def test_typed_frames_validate_like_files(cat):
    """A validated catalog's own (typed) tables pass through catalog_from_frames unchanged."""
    from workbench import catalog_from_frames
    again = catalog_from_frames(cat.tables())
    for name, table in cat.tables().items():
        pd.testing.assert_frame_equal(getattr(again, name), table, check_dtype=False)
