"""The bad-input suite: each broken file must give an error naming the file, the place and the fix.

Every case replaces one table of the small synthetic catalog in tests/fixtures/mini_catalog with a
broken file from tests/broken_catalog/ (named <table>__<what is wrong>.csv).
"""
import shutil
from pathlib import Path

import pytest

from workbench import WorkbenchError, load_catalog

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini_catalog"
BROKEN = HERE / "broken_catalog"

# file -> (place, column or None, words of the problem, words of the fix)
CASES = {
    "models__missing_column.csv": ("row 1", "creator", "required column is missing", "add a 'creator' column"),
    "models__typo_column.csv": ("row 1", "licence", "unknown column", "did you mean 'license'?"),
    "models__bad_openness.csv": ("row 3", "openness", "not an allowed value", "did you mean 'open-weight'?"),
    "models__bad_date.csv": ("row 2", "as_of", "not a date in YYYY-MM-DD form", "write the date as YYYY-MM-DD"),
    "models__duplicate_id.csv": ("row 4", "model_id", "first seen in row 2", "keep one row per model_id"),
    "models__missing_source.csv": ("row 3", "source", "value is missing", "fill in 'source'"),
    "models__missing_as_of.csv": ("row 2", "as_of", "value is missing", "fill in 'as_of'"),
    "models__context_with_unit.csv": ("row 2", "context_tokens", "not a number", "write a plain number"),
    "models__fractional_context.csv": ("row 3", "context_tokens", "must be a whole number", "drop the decimals"),
    "models__bad_bool.csv": ("row 3", "reasoning", "not yes/no", "write yes or no"),
    "models__bad_modality.csv": ("row 2", "input_modalities", "unknown item 'imgae'", "did you mean 'image'?"),
    "models__bad_commercial_use.csv": ("row 2", "commercial_use", "not an allowed value", "'restricted'"),
    "models__not_utf8.csv": ("byte", None, "not UTF-8", "save it as UTF-8"),
    "offerings__unknown_model.csv": ("row 3", "model_id", "not in models.csv", "did you mean 'beta'?"),
    "offerings__price_per_token.csv": ("row 2", "usd_per_mtok_in", "unit mix-up", "x 1,000,000 = 2.5 USD per million"),
    "offerings__price_per_thousand.csv": ("row 3", "usd_per_mtok_in", "unit mix-up", "x 1,000 = 0.2 USD per million"),
    "offerings__price_too_high.csv": ("row 2", "usd_per_mtok_in", "unit mix-up", "check the unit"),
    "offerings__negative_price.csv": ("row 3", "usd_per_mtok_in", "price is negative", "leave empty if unknown"),
    "offerings__missing_price.csv": ("row 2", "usd_per_mtok_out", "price is missing", "never treats a missing price as free"),
    "offerings__currency_sign.csv": ("row 2", "usd_per_mtok_in", "not a number", "no currency sign"),
    "offerings__selfhosted_without_gpu.csv": ("row 4", "gpu", "self-hosted offering needs", "assumed tokens/s per GPU"),
    "offerings__unknown_gpu.csv": ("row 4", "gpu", "not in gpus.csv", "did you mean 'L40S'?"),
    "offerings__bad_access_mode.csv": ("row 2", "access_mode", "not an allowed value", "did you mean 'managed-api'?"),
    "offerings__duplicate_offering.csv": ("row 5", "offering_id", "first seen in row 3", "keep one row per offering_id"),
    "offerings__unquoted_comma.csv": ("row 4", None, "has 13 fields but the header has 12", "quote values that contain commas"),
    "offerings__tier_without_prices.csv": ("row 2", "usd_per_mtok_in_above_tier", "tier needs its prices", "clear 'tier_above_tokens'"),
    "offerings__batch_discount_percent.csv": ("row 2", "batch_discount", "outside the allowed range 0..0.99", "fraction off list price"),
    "offerings__empty.csv": ("row 1", None, "the file is empty", "add a header row"),
    "scores__value_outside_ci.csv": ("row 3", "value", "outside its confidence interval", "ci_low <= value <= ci_high"),
    "scores__unknown_model.csv": ("row 2", "model_id", "not in models.csv", "add the model to models.csv first"),
    "gpus__zero_price.csv": ("row 2", "usd_per_hour", "outside the allowed range", "USD per GPU-hour"),
    "name_map__bad_namespace.csv": ("row 2", "namespace", "not an allowed value", "did you mean 'openrouter'?"),
    "price_history__dates_reversed.csv": ("row 2", "to_date", "to_date is before from_date", "swap or correct the dates"),
}


def test_every_broken_file_has_an_expectation():
    assert sorted(CASES) == sorted(p.name for p in BROKEN.iterdir() if p.is_file())  # plausibility/: test_plausibility.py
    assert len(CASES) >= 25


def _catalog_with(tmp_path, broken_name):
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    table = broken_name.split("__")[0]
    shutil.copy(BROKEN / broken_name, folder / f"{table}.csv")
    return folder, f"{table}.csv"


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_names_file_place_and_fix(tmp_path, name):
    place, column, problem, fix = CASES[name]
    folder, filename = _catalog_with(tmp_path, name)
    before = (folder / filename).read_bytes()
    with pytest.raises(WorkbenchError) as err:
        load_catalog(folder)
    hits = [p for p in err.value.problems
            if p.file.endswith(filename) and p.where.startswith(place) and (column is None or p.column == column)
            and problem in p.message]
    assert hits, f"no problem for {filename} at {place} {column}: {err.value}"
    assert any(fix in p.fix for p in hits), str(err.value)
    text = str(err.value)
    assert filename in text and place in text and "Fix:" in text
    assert "Traceback" not in text
    assert (folder / filename).read_bytes() == before  # nothing the user wrote is changed


def test_all_problems_in_a_file_are_reported_at_once(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    text = (folder / "offerings.csv").read_text()
    text = text.replace("2.5,10", "-2.5,0.00001").replace("managed-api", "managed_api", 1)
    (folder / "offerings.csv").write_text(text)
    with pytest.raises(WorkbenchError) as err:
        load_catalog(folder)
    columns = sorted(p.column for p in err.value.problems)
    assert columns == ["access_mode", "usd_per_mtok_in", "usd_per_mtok_out"]
    assert err.value.summary.startswith("3 problems in")


def test_missing_required_table(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    (folder / "models.csv").unlink()
    with pytest.raises(WorkbenchError, match="models.csv: file: required table is missing"):
        load_catalog(folder)


def test_missing_folder(tmp_path):
    with pytest.raises(WorkbenchError, match="catalog folder not found"):
        load_catalog(tmp_path / "nope")


def test_cli_prints_the_error_without_traceback(tmp_path, capsys):
    from workbench.cli import main
    folder, _ = _catalog_with(tmp_path, "offerings__unknown_model.csv")
    assert main(["catalog", "--path", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "did you mean 'beta'?" in err and "Traceback" not in err
