"""Issue 14 item 3: `import --force` cannot break a catalog. The import is staged in a temporary folder
next to the target, the whole resulting catalog (new tables plus the target's other tables) is loaded
there, and only then are the files moved in; when anything fails the target folder is byte-identical.
"""
import json
import shutil
from pathlib import Path

import pytest

from workbench.catalog.importers import import_litellm
from workbench.catalog.importers.folder import write_import
from workbench.catalog.load import load_catalog
from workbench.cli import main
from workbench.errors import WorkbenchError

HERE = Path(__file__).parent
EXCERPT = HERE / "excerpts" / "litellm_model_prices_excerpt.json"
SHIPPED = HERE.parent / "data" / "catalog"


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _import(src, out, *extra):
    return main(["import", "litellm", str(src), "--as-of", "2026-11-20", "--out", str(out), *extra])


def _per_thousand(tmp_path):
    data = json.loads(EXCERPT.read_text())
    for entry in data.values():
        for k, v in list(entry.items()):
            if "cost_per" in k and isinstance(v, (int, float)) and not isinstance(v, bool):
                entry[k] = v * 1000
    src = tmp_path / "per_thousand.json"
    src.write_text(json.dumps(data))
    return src


@pytest.fixture
def imported(tmp_path, capsys):
    out = tmp_path / "cat"
    assert _import(EXCERPT, out) == 0
    capsys.readouterr()
    return out


@pytest.mark.parametrize("broken", ["per_thousand", "not_json"])
def test_force_with_a_broken_file_leaves_the_folder_loading_as_before(tmp_path, imported, capsys, broken):
    before = _snapshot(imported)
    n_offerings = len(load_catalog(imported).offerings)
    if broken == "per_thousand":
        src = _per_thousand(tmp_path)
    else:
        src = tmp_path / "broken.json"
        src.write_text('{"gpt-x": {"input_cost_per_token": 1e-6,')
    assert _import(src, imported, "--force") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    if broken == "per_thousand":
        assert "the whole file looks priced per thousand tokens or in cents" in err
    assert _snapshot(imported) == before
    assert len(load_catalog(imported).offerings) == n_offerings
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["cat", src.name])  # no staging folder left


def test_force_that_would_orphan_scores_is_refused_with_the_problems(tmp_path, capsys):
    cat = tmp_path / "catalog"
    shutil.copytree(SHIPPED, cat)
    before = _snapshot(cat)
    assert _import(EXCERPT, cat, "--force") == 2
    err = capsys.readouterr().err
    assert "in the catalog the import would leave in" in err and "nothing was changed" in err
    # scores.csv and price_history.csv (not part of a LiteLLM import) still name the shipped models it drops
    for name in ("scores.csv", "price_history.csv"):
        assert f"{cat / name}: row 2, column 'model_id': names a model that is not in models.csv" in err
    assert _snapshot(cat) == before
    load_catalog(cat)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]


def test_force_that_keeps_the_catalog_whole_replaces_the_files(tmp_path, imported):
    before = _snapshot(imported)
    data = json.loads(EXCERPT.read_text())
    data["gpt-5.1"]["input_cost_per_token"] = 1.5e-06  # a price change: 1.25 -> 1.5 USD per million
    src = tmp_path / "changed.json"
    src.write_text(json.dumps(data))
    tables, cat = write_import(import_litellm(src, "2026-11-20"), imported, force=True)
    after = _snapshot(imported)
    assert sorted(after) == sorted(before)
    assert after[Path("offerings.csv")] != before[Path("offerings.csv")]
    assert cat.offering("openai/gpt-5.1")["usd_per_mtok_in"] == 1.5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat", "changed.json"]


def test_without_force_an_existing_file_is_refused_and_nothing_written(tmp_path, imported):
    before = _snapshot(imported)
    with pytest.raises(WorkbenchError, match="already exists; nothing was written"):
        write_import(import_litellm(EXCERPT, "2026-11-20"), imported)
    assert _snapshot(imported) == before
