"""LMArena importer on an excerpt of the real leaderboard-text.json (5 models, 2 categories) and scatterplot-data.json."""
from pathlib import Path

import pytest

from workbench.catalog.importers import import_lmarena
from workbench.catalog.load import catalog_from_frames
from workbench.errors import WorkbenchError

HERE = Path(__file__).parent / "excerpts"
LEADERBOARD = HERE / "lmarena_leaderboard_text_excerpt.json"
SCATTER = HERE / "lmarena_scatterplot_excerpt.json"
AS_OF = "2025-12-11"


@pytest.fixture(scope="module")
def result():
    return import_lmarena(LEADERBOARD, AS_OF, scatterplot=SCATTER)


def test_ratings_with_their_95_percent_interval(result):
    assert result.counts()["total"] == 5 and result.counts()["imported"] == 5
    s = result.tables["scores"].set_index("model_id")
    g = s.loc["gemini-3-pro"]
    assert g.benchmark == "lmarena_text_full"
    assert g.value == pytest.approx(1486.6027120272704)
    assert g.ci_low == pytest.approx(1480.4026895976556)   # rating_q025
    assert g.ci_high == pytest.approx(1492.8027344568852)  # rating_q975
    assert g.higher_is_better == True and g.harness == "LMArena text leaderboard, category full"
    cat = catalog_from_frames(result.catalog_tables())
    assert len(cat.scores) == 5


def test_category_choice_and_typo(result):
    r = import_lmarena(LEADERBOARD, AS_OF, category="coding")
    s = r.tables["scores"].set_index("model_id")
    assert s.loc["llama-13b", "benchmark"] == "lmarena_text_coding"
    assert s.loc["llama-13b", "value"] == pytest.approx(679.4992209788337)
    with pytest.raises(WorkbenchError) as e:
        import_lmarena(LEADERBOARD, AS_OF, category="codng")
    assert "category 'codng'" in str(e.value) and "did you mean 'coding'" in str(e.value)


def test_licences_only_where_scatterplot_states_them(result):
    m = result.tables["models"].set_index("model_id")
    assert m.loc["gemini-3-pro", "openness"] == "closed" and m.loc["gemini-3-pro", "license"] == "proprietary"
    assert m.loc["gemini-3-pro", "creator"] == "Google"
    assert m.loc["claude-3-5-haiku-20241022", "openness"] == "closed"  # "Propretary" (sic) in the source
    q = m.loc["qwen2.5-coder-32b-instruct"]
    assert q.openness == "open-weight" and q.license == "Apache 2.0" and q.commercial_use == "unknown"
    assert "inferred" in q.license_notes
    # not in the scatterplot: nothing is guessed
    assert m.loc["llama-13b", "openness"] == "unknown"
    assert m.loc["llama-13b", "creator"] == "unknown (not stated by LMArena)"
    assert "scatterplot" in m.loc["gemini-3-pro", "source"] and "scatterplot" not in m.loc["llama-13b", "source"]


def test_malformed_inputs(tmp_path):
    bad = tmp_path / "lb.json"
    bad.write_text('{"full": {"m": {"rating": "high", "rating_q025": 1, "rating_q975": 2}}}')
    with pytest.raises(WorkbenchError) as e:
        import_lmarena(bad, AS_OF)
    assert str(bad) in str(e.value) and "full.m.rating" in str(e.value)

    bad.write_text('[1, 2]')
    with pytest.raises(WorkbenchError, match="category"):
        import_lmarena(bad, AS_OF)


def test_rating_outside_its_interval_is_skipped():
    data = {"full": {"a": {"rating": 1300, "rating_q025": 1310, "rating_q975": 1320},
                     "b": {"rating": 1200, "rating_q025": 1190, "rating_q975": 1210}}}
    r = import_lmarena(data, AS_OF)
    assert r.counts() == {"total": 2, "imported": 1, "skipped": {"rating outside its 95% interval": 1},
                          "rows": {"models": 1, "scores": 1, "name_map": 1}}
