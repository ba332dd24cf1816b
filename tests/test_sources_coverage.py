"""missing_facts and merge_results on the real excerpts, and the real-scale bench case (timings are the
bench's job; here only that it runs on real rows). Counts are worked out by hand from the excerpts."""
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from workbench.bench.harness import time_case
from workbench.bench.shortlist_real import cases
from workbench.catalog import catalog_from_frames
from workbench.catalog.importers import import_litellm, import_models_dev
from workbench.catalog.importers.coverage import merge_results, missing_facts

HERE = Path(__file__).parent / "excerpts"
MD_EXCERPT = HERE / "models_dev_api_excerpt.json"
LITELLM_EXCERPT = HERE / "litellm_model_prices_excerpt.json"
DATA_DATE = "2026-05-21"


def md_catalog(providers: pd.DataFrame | None = None):
    tables = import_models_dev(MD_EXCERPT, DATA_DATE).catalog_tables()
    if providers is not None:
        tables["providers"] = providers
    return catalog_from_frames(tables)


def test_missing_facts_of_the_models_dev_excerpt():
    # 9 offerings: all priced (the embedding has no output price, which is not missing), all with a context
    # limit, none with speed, policy or licence facts (models.dev states none of them)
    t = missing_facts(md_catalog()).set_index("fact")
    assert (t["offerings"] == 9).all()
    assert t.loc["price", "offerings_missing"] == 0 and t.loc["context", "offerings_missing"] == 0
    for fact in ("speed", "trains_on_data", "zero_data_retention", "regions", "licence"):
        assert t.loc[fact, "offerings_missing"] == 9 and t.loc[fact, "pct_missing"] == 100.0, fact


def test_provider_policy_facts_fill_the_offerings_of_that_provider():
    providers = pd.DataFrame([{"provider": "openai", "trains_on_data": "no", "zero_data_retention": "yes",
                               "regions": "us", "source": "test row", "as_of": "2026-05-21"}])
    t = missing_facts(md_catalog(providers)).set_index("fact")
    # the 3 openai offerings (gpt-4o, text-embedding-3-small, gpt-5.4) now have policy facts: 6 of 9 still lack them
    for fact in ("trains_on_data", "zero_data_retention", "regions"):
        assert t.loc[fact, "offerings_missing"] == 6 and t.loc[fact, "pct_missing"] == round(100 * 6 / 9, 1)


def test_merge_keeps_the_earlier_source_and_says_how_many_rows_it_dropped():
    a = import_litellm(LITELLM_EXCERPT, "2026-11-20")   # 12 offerings, 12 models
    b = import_models_dev(MD_EXCERPT, DATA_DATE)         # 9 offerings, 8 models
    tables, notes = merge_results([a, b])
    # shared: offerings gemini/gemini-2.5-pro and openai/text-embedding-3-small; models gemini-2.5-pro and
    # text-embedding-3-small: the LiteLLM rows are kept
    assert len(tables["offerings"]) == 12 + 9 - 2 and len(tables["models"]) == 12 + 8 - 2
    g = tables["offerings"].set_index("offering_id").loc["gemini/gemini-2.5-pro"]
    assert g["source"].startswith("LiteLLM")
    assert any(n.startswith("offerings: 2 rows of models.dev") for n in notes)
    catalog_from_frames(tables)


def test_real_scale_case_runs_on_the_bundled_models_dev_import():
    (case,) = cases(SimpleNamespace())  # no --litellm / --openrouter: the bundled models.dev file only
    case.repeat = 2
    row = time_case(case)
    assert row["unit"] == "ms" and row["offerings"] > 1000 and row["result"].error is None
    assert row["import_notes"][0].startswith("models.dev api.json as bundled in the models-dev")
    assert not row["result"].result.excluded["offering_id"].str.contains("#").any()  # real ids, not resampled
