"""Plausibility checks (issue 14 item 1): values that parse and lie in their column's hard range but are
still wrong. Each broken file in tests/broken_catalog/plausibility/ (named <table>__<what is wrong>.csv)
replaces one table of the synthetic mini catalog; the expected messages are worked out by hand from
the file (e.g. 0.0025 against the median 2.5 of three other prices of the same model = 0.001 times).
The "accepted in silence" cases of the issue on the shipped catalog are at the end.
"""
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workbench import WorkbenchError, load_catalog
from workbench.catalog.importers import import_litellm
from workbench.catalog.importers.folder import write_import
from workbench.catalog.plausibility import reference_date
from workbench.cli import main
from workbench.mdr.config import trigger_threshold_problems
from workbench.mdr.record import Trigger
from workbench.scenario.load import scenario_from_dict

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini_catalog"
BROKEN = HERE / "broken_catalog" / "plausibility"
SHIPPED = HERE.parent / "data" / "catalog"
SCENARIO = HERE.parent / "data" / "scenarios" / "support_assistant.yaml"
EXCERPT = HERE / "excerpts" / "litellm_model_prices_excerpt.json"

# file -> (row, column, words of the message, words of the fix): errors, the load stops
ERRORS = {
    "offerings__per_thousand.csv": ("row 5", "usd_per_mtok_in", "is 0.001 times the median of the 3 other prices of "
                                    "model 'alpha' (2.5): this looks like USD per thousand tokens",
                                    "multiply by 1,000 to get USD per million tokens (2.5)"),
    "offerings__cents.csv": ("row 5", "usd_per_mtok_in", "is 100 times the median of the 3 other prices of model "
                             "'alpha' (2.5): this looks like US cents", "divide by 100 to get USD per million tokens (2.5)"),
    "offerings__swapped.csv": ("row 5", "usd_per_mtok_in", "input and output prices look swapped: 'acme/alpha' "
                               "charges 2.5 in / 10 out", "put the input price in usd_per_mtok_in"),
    "offerings__cache_above_input.csv": ("row 3", "usd_per_mtok_cached_in", "cache-read price is above the input price (0.2)",
                                         "a cache read costs less than an uncached input token"),
    "price_history__cache_above_input.csv": ("row 2", "usd_per_mtok_cached_in", "cache-read price is above the input "
                                             "price (2.5)", "a cache read costs less"),
    "offerings__provider_typo.csv": ("row 2", "provider", "unknown provider", "did you mean 'openai'?"),
    "offerings__case_duplicate_id.csv": ("row 4", "offering_id", "differs from row 3 ('host/alpha') only in letter case",
                                         "use one spelling"),
    "models__case_duplicate_id.csv": ("row 4", "model_id", "differs from row 3 ('beta') only in letter case",
                                      "use one spelling"),
    "models__as_of_2099.csv": ("row 3", "as_of", "date lies 26359 days after the catalog's median as_of (2026-11-01): "
                               "a fact cannot be dated in the future", "write the date the source describes"),
    "models__retired_2001.csv": ("row 2", "deprecation_date", "the model is retired 9435 days before 2026-11-01, the "
                                 "date a source lists it as current", "check the deprecation date"),
    "scores__outside_scale.csv": ("row 3", "value", "outside the 0..100 scale of 'aa_intelligence_index' (index 0-100)",
                                  "check the value and which benchmark it belongs to"),
}
# file -> (row, column, words of the message, words of the fix): warnings, the catalog loads
WARNINGS = {
    "offerings__output_below_input.csv": ("row 3", "usd_per_mtok_out", "output (0.3) is cheaper than input, which no "
                                          "other offering of a OpenCo model is", "check that the two prices are not swapped"),
    "models__retired_last_month.csv": ("row 2", "deprecation_date", "the model is retired 31 days before 2026-11-01",
                                       "remove the model and its offerings if it is really retired"),
    "scores__undeclared_benchmark.csv": ("row 2", "benchmark", "benchmark 'my_private_eval' has no declared scale",
                                         "add its scale to workbench/catalog/benchmark_scales.csv"),
}


def test_every_broken_file_has_an_expectation():
    assert not set(ERRORS) & set(WARNINGS)
    assert sorted({**ERRORS, **WARNINGS}) == sorted(p.name for p in BROKEN.iterdir())


def _catalog_with(tmp_path, broken_name, base=MINI):
    folder = tmp_path / "catalog"
    shutil.copytree(base, folder)
    table = broken_name.split("__")[0]
    shutil.copy(BROKEN / broken_name, folder / f"{table}.csv")
    return folder, f"{table}.csv"


def _hits(problems, filename, place, column, message):
    return [p for p in problems if p.file.endswith(filename) and p.where == place and p.column == column
            and message in p.message]


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_implausible_value_stops_the_load(tmp_path, name):
    place, column, message, fix = ERRORS[name]
    folder, filename = _catalog_with(tmp_path, name)
    with pytest.raises(WorkbenchError) as err:
        load_catalog(folder)
    hits = _hits(err.value.problems, filename, place, column, message)
    assert hits, str(err.value)
    assert any(fix in p.fix for p in hits), str(err.value)


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_doubtful_value_is_a_warning(tmp_path, name):
    place, column, message, fix = WARNINGS[name]
    folder, filename = _catalog_with(tmp_path, name)
    cat = load_catalog(folder)
    hits = _hits(cat.warnings, filename, place, column, message)
    assert hits, "\n".join(map(str, cat.warnings))
    assert any(fix in p.fix for p in hits)


def test_the_shipped_and_the_mini_catalog_load_without_plausibility_errors():
    assert load_catalog(SHIPPED).warnings == []
    # the mini catalog's synthetic providers are not in the known list: a warning each, not an error
    assert [(p.where, p.value) for p in load_catalog(MINI).warnings] == [("row 2", "acme"), ("row 3", "host")]


def test_reference_date_is_the_median_not_the_newest():
    t = pd.DataFrame({"as_of": pd.to_datetime(["2026-01-01", "2026-06-01", "2099-01-01"])})
    assert reference_date({"a": t}) == pd.Timestamp("2026-06-01")


def test_catalog_cli_lists_the_warnings(tmp_path, capsys):
    folder, _ = _catalog_with(tmp_path, "offerings__output_below_input.csv")
    assert main(["catalog", "--path", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "warnings: 1 (the catalog loads; check these rows)" in out
    assert "row 3, column 'usd_per_mtok_out': output (0.3) is cheaper than input" in out


# ------------------------------------------------------------------------------------------------
# the "accepted in silence" cases on a copy of the shipped catalog
# ------------------------------------------------------------------------------------------------

def _shipped_with(tmp_path, table, edit):
    folder = tmp_path / "catalog"
    shutil.copytree(SHIPPED, folder)
    df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    edit(df)
    df.to_csv(folder / f"{table}.csv", index=False, lineterminator="\n")
    return folder


def _opus(df):
    return df["offering_id"] == "anthropic/claude-opus-4.5"


def _opus_row() -> str:
    """Opus's row in the shipped offerings.csv as the loader names it (the header is row 1)."""
    df = pd.read_csv(SHIPPED / "offerings.csv", dtype=str, keep_default_na=False)
    return f"row {int(df.index[_opus(df)][0]) + 2}"


def _load_problems(folder):
    with pytest.raises(WorkbenchError) as err:
        load_catalog(folder)
    return err.value.problems


def test_shipped_opus_priced_per_thousand_is_refused(tmp_path):
    # Opus is 5 / 25 USD per million in price_history.csv; 0.005 is 0.001 times that
    folder = _shipped_with(tmp_path, "offerings", _set(["usd_per_mtok_in", "usd_per_mtok_out"], ["0.005", "0.025"]))
    (p,) = [p for p in _load_problems(folder) if p.column == "usd_per_mtok_in"]
    assert p.where == _opus_row() and "is 0.001 times the median of the 1 other price of model 'claude-opus-4.5' (5): " \
        "this looks like USD per thousand tokens" in p.message and "(5)" in p.fix


def _set(cols, values):
    def edit(df):
        df.loc[_opus(df), cols] = values
    return edit


def test_shipped_opus_in_cents_is_refused(tmp_path):
    folder = _shipped_with(tmp_path, "offerings", _set(["usd_per_mtok_in", "usd_per_mtok_out"], ["500", "999"]))
    msgs = [p.message for p in _load_problems(folder) if p.where == _opus_row()]
    assert any("is 100 times the median of the 1 other price of model 'claude-opus-4.5' (5): this looks like US cents"
               in m for m in msgs), msgs


def test_shipped_opus_swapped_is_refused(tmp_path):
    folder = _shipped_with(tmp_path, "offerings", _set(["usd_per_mtok_in", "usd_per_mtok_out"], ["25", "5"]))
    msgs = [p.message for p in _load_problems(folder)]
    assert msgs == ["input and output prices look swapped: 'anthropic in price_history.csv' charges 5 in / 25 out"]


def test_shipped_cache_read_ten_times_input_is_refused(tmp_path):
    folder = _shipped_with(tmp_path, "offerings", _set(["usd_per_mtok_cached_in"], ["50"]))
    (p,) = _load_problems(folder)
    assert (p.where, p.column, p.message) == (_opus_row(), "usd_per_mtok_cached_in",
                                              "cache-read price is above the input price (5)")


def test_shipped_as_of_2099_is_refused(tmp_path):
    def edit(df):
        df.loc[df["model_id"] == "claude-opus-4.5", "as_of"] = "2099-01-01"
    problems = _load_problems(_shipped_with(tmp_path, "models", edit))
    assert [(p.column, "a fact cannot be dated in the future" in p.message) for p in problems] == [("as_of", True)]


def test_shipped_deprecation_in_2001_on_a_current_model_is_refused(tmp_path):
    def edit(df):
        df.loc[df["model_id"] == "claude-opus-4.5", "deprecation_date"] = "2001-01-01"
    (p,) = _load_problems(_shipped_with(tmp_path, "models", edit))
    # Opus 4.5 now carries models.dev's release date, so the sharper of the two checks names the problem
    assert (p.column, p.message) == ("deprecation_date", "deprecation date is before the release date (2025-11-24)")


def test_shipped_case_only_duplicate_model_is_refused(tmp_path):
    def edit(df):
        extra = df[df["model_id"] == "claude-opus-4.5"].assign(model_id="Claude-Opus-4.5")
        df.loc[len(df)] = extra.iloc[0]
    problems = _load_problems(_shipped_with(tmp_path, "models", edit))
    assert any(p.column == "model_id" and "only in letter case" in p.message for p in problems)


def test_shipped_intelligence_index_of_1400_is_refused(tmp_path):
    def edit(df):
        df.loc[(df["model_id"] == "claude-haiku-4.5") & (df["benchmark"] == "aa_intelligence_index"), "value"] = "1400"
    (p,) = _load_problems(_shipped_with(tmp_path, "scores", edit))
    assert p.where == "row 2" and p.message.startswith("outside the 0..100 scale of 'aa_intelligence_index'")


def test_shipped_provider_typo_is_refused(tmp_path):
    def edit(df):
        df.loc[df["provider"] == "openai", "provider"] = "opanai"
    problems = _load_problems(_shipped_with(tmp_path, "offerings", edit))
    assert problems and all(p.column == "provider" and p.fix.startswith("did you mean 'openai'?") for p in problems)


def test_litellm_map_priced_per_thousand_is_refused(tmp_path):
    import json
    data = json.loads(EXCERPT.read_text())
    for entry in data.values():
        for k, v in list(entry.items()):
            if "cost_per" in k and isinstance(v, (int, float)) and not isinstance(v, bool):
                entry[k] = v * 1000  # a map written per 1,000 tokens instead of per token
    src = tmp_path / "per_thousand.json"
    src.write_text(json.dumps(data))
    out = tmp_path / "imported"
    with pytest.raises(WorkbenchError) as err:
        write_import(import_litellm(src, "2026-11-20"), out)
    # the 5 entries left after the importer's own range check: 20, 50, 140, 165, 280 USD/M in -> median 140
    assert {p.message.split(":")[0] for p in err.value.problems} == {
        "the table's median input price is 140 USD per million tokens, more than 20 (a real price list's median is "
        "about 0.1 to 2)"}
    assert sorted(p.value for p in err.value.problems) == [50.0, 140.0, 165.0, 280.0]  # every row above 20
    assert not out.exists()  # nothing written
    assert main(["import", "litellm", str(src), "--as-of", "2026-11-20", "--out", str(out)]) == 2


# ------------------------------------------------------------------------------------------------
# scenarios and review thresholds
# ------------------------------------------------------------------------------------------------

def _scenario(edit):
    d = yaml.safe_load(SCENARIO.read_text())
    edit(d)
    with pytest.raises(WorkbenchError) as err:
        scenario_from_dict(d, "s.yaml")
    return err.value.problems


def test_regions_written_as_one_string_are_refused():
    def edit(d):
        d.setdefault("constraints", {})["regions"] = "us, eu"
    (p,) = _scenario(edit)
    assert (p.where, p.message, p.fix) == ("constraints.regions", "a list written as one string",
                                           "write it as a list: regions: [us, eu]")


def test_zero_token_step_is_refused():
    def edit(d):
        d["workflow"][0]["tokens"].update({"input": 0, "output": 0})
        d["workflow"][0]["tokens"].pop("reasoning", None)
        d["workflow"][0]["tokens"].pop("cached_share", None)
        d["workflow"][0].get("constraints", {}).pop("min_context_tokens", None)
    problems = _scenario(edit)
    assert [(p.where, p.message) for p in problems] == [
        ("workflow[0].tokens", "a step with 0 input and 0 output tokens costs nothing")]


def test_negative_review_threshold_is_refused():
    triggers = [Trigger("price_change_pct", -5.0, "s", "a/b"), Trigger("age_above_days", 180.0),
                Trigger("dominated", None), Trigger("volume_above", 0.0)]
    problems = trigger_threshold_problems(triggers, "0001-x.md")
    assert [(p.where, p.message, p.value) for p in problems] == [
        ("facts.triggers[0].threshold", "the price_change_pct threshold is outside 0.1..1000", -5.0),
        ("facts.triggers[3].threshold", "the volume_above threshold must be above 0", 0.0)]


def test_a_typo_is_one_edit_and_a_different_name_is_not():
    from workbench.catalog.plausibility import one_edit_apart
    assert one_edit_apart("opanai", "openai") and one_edit_apart("opneai", "openai")      # changed, swapped
    assert one_edit_apart("openaii", "openai") and one_edit_apart("opnai", "openai")      # added, dropped
    assert not one_edit_apart("vault", "vultr") and not one_edit_apart("openai", "openai")
