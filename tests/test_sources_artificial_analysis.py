"""Artificial Analysis importer on a 4-row excerpt of a real /api/v2/data/llms/models response.

Source: Artificial Analysis (artificialanalysis.ai); see tests/excerpts/README.md for attribution.
"""
from pathlib import Path

import pytest

from workbench.catalog.importers import import_artificial_analysis
from workbench.catalog.load import catalog_from_frames
from workbench.errors import WorkbenchError

EXCERPT = Path(__file__).parent / "excerpts" / "artificial_analysis_models_excerpt.json"
AS_OF = "2026-07-31"


@pytest.fixture(scope="module")
def result():
    return import_artificial_analysis(EXCERPT, AS_OF)


def score(result, model_id, benchmark):
    s = result.tables["scores"]
    return s[(s["model_id"] == model_id) & (s["benchmark"] == benchmark)].iloc[0]


def test_counts_and_validation(result):
    c = result.counts()
    assert c["total"] == 4 and c["imported"] == 3
    assert c["skipped"] == {"no scores (no evaluations and no measured speed)": 1}
    # gpt-oss-120b: 15 non-null evaluations + 3 speed rows; grok-1: 1 index (speed 0 = not measured);
    # claude-sonnet-5-medium: 0 evaluations + 3 speed rows  ->  18 + 1 + 3 = 22
    assert len(result.tables["scores"]) == 15 + 3 + 1 + 3
    cat = catalog_from_frames(result.catalog_tables())
    assert len(cat.scores) == 22 and len(cat.offerings) == 0


def test_indices_and_evaluations_keep_their_scales(result):
    idx = score(result, "gpt-oss-120b", "aa_intelligence_index")
    assert idx.value == pytest.approx(23.8) and idx.higher_is_better == True
    assert idx.harness == "Artificial Analysis Intelligence Index v4 (API v2), index 0-100"
    assert score(result, "gpt-oss-120b", "aa_coding_index").value == pytest.approx(30.4)
    assert score(result, "gpt-oss-120b", "aa_math_index").value == pytest.approx(93.4)
    gpqa = score(result, "gpt-oss-120b", "aa_gpqa")
    assert gpqa.value == pytest.approx(0.782) and gpqa.harness.endswith("fraction 0-1")


def test_speed_rows_and_their_direction(result):
    tps = score(result, "gpt-oss-120b", "aa_median_output_tokens_per_s")
    ttft = score(result, "gpt-oss-120b", "aa_median_ttft_s")
    assert tps.value == pytest.approx(193.41) and tps.higher_is_better == True
    assert ttft.value == pytest.approx(0.551) and ttft.higher_is_better == False
    assert tps.harness == "Artificial Analysis API v2, prompt_length 1000, parallel_queries 1"
    # grok-1 reports 0 tokens/s = not measured: no speed rows at all
    s = result.tables["scores"]
    assert set(s.loc[s["model_id"] == "grok-1", "benchmark"]) == {"aa_intelligence_index"}


def test_attribution_in_every_row_and_no_offerings(result):
    for t in result.tables.values():
        assert t["source"].str.startswith("Artificial Analysis (artificialanalysis.ai) API v2").all()
    assert "offerings" not in result.tables
    r = import_artificial_analysis(EXCERPT, AS_OF, source="my AA pull")
    assert r.source == "Artificial Analysis (artificialanalysis.ai) API v2; my AA pull"


def test_model_rows(result):
    m = result.tables["models"].set_index("model_id")
    assert m.loc["gpt-oss-120b", "creator"] == "OpenAI"
    assert m.loc["gpt-oss-120b", "release_date"] == "2025-08-05"
    assert m.loc["gpt-oss-120b", "name"] == "gpt-oss-120b (high)"
    assert m.loc["grok-1", "openness"] == "unknown"
    assert m.loc["grok-1", "license"] == "unknown (not stated by Artificial Analysis)"
    nm = result.tables["name_map"]
    assert set(nm["namespace"]) == {"artificial-analysis"} and "claude-sonnet-5-medium" in set(nm["external_name"])


def test_malformed_inputs(tmp_path):
    bad = tmp_path / "aa.json"
    bad.write_text('[{"slug": "x"}]')
    with pytest.raises(WorkbenchError) as e:
        import_artificial_analysis(bad, AS_OF)
    assert str(bad) in str(e.value) and "'data' list" in str(e.value) and "api/v2/data/llms/models" in str(e.value)

    bad.write_text('{"data": [{"slug": "m", "evaluations": {"gpqa": "high"}}]}')
    with pytest.raises(WorkbenchError) as e:
        import_artificial_analysis(bad, AS_OF)
    assert "data[0] (slug 'm'), key 'evaluations.gpqa'" in str(e.value)

    bad.write_text('{"data": [{"name": "no slug"}]}')
    with pytest.raises(WorkbenchError, match=r"data\[0\].*without a 'slug'"):
        import_artificial_analysis(bad, AS_OF)
