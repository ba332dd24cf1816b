"""The curated snapshot in data/catalog and the builder that makes it (python -m workbench snapshot).

Part 1 checks the committed snapshot against the issue's thresholds (what `python -m workbench catalog
--format json` shows). Part 2 builds a snapshot from the small raw excerpts in
tests/excerpts/snapshot/shared (real rows of each public file, nothing edited) with the three-model
curation in tests/excerpts/snapshot/curation, and checks values worked out by hand. Nothing here reads
/work/shared.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from workbench.catalog import snapshot as snap
from workbench.catalog.curation import display_number, livebench_scores, llm_prices_history, load_curation, vram_gb
from workbench.catalog.load import load_catalog, summary
from workbench.catalog.schema import TABLES
from workbench.catalog.snapshot import build_snapshot, write_snapshot
from workbench.cli import main
from workbench.errors import WorkbenchError

HERE = Path(__file__).parent
SHARED = HERE / "excerpts" / "snapshot" / "shared"
CURATION = HERE / "excerpts" / "snapshot" / "curation"
AS_OF = "2026-11-28"


# ---------------------------------------------------------------------------------------------
# part 1: the committed snapshot
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cat():
    return load_catalog()  # data/catalog, validated by the loader


@pytest.fixture(scope="module")
def counts(cat):
    return summary(cat)


def test_snapshot_model_counts_meet_the_issue(cat, counts):
    assert counts["models"] >= 40
    closed = cat.models[cat.models["openness"] == "closed"]
    assert len(closed) >= 10 and counts["closed_creators"] >= 4
    assert counts["models_by_openness"]["open-weight"] >= 15
    assert counts["models_by_openness"]["open-source"] >= 2
    assert counts["models_by_type"].get("embedding", 0) + counts["models_by_type"].get("reranker", 0) >= 3
    assert counts["reasoning_models"] >= 3
    assert counts["vision_models"] >= 3


def test_snapshot_offering_counts_meet_the_issue(cat, counts):
    assert counts["offerings"] >= 60
    assert counts["providers"] >= 10
    assert set(counts["offerings_by_access_mode"]) == {"managed-api", "hosted-inference", "self-hosted"}
    # the same open model at several providers, so price and speed can be compared by provider
    per_model = cat.offerings[cat.offerings["access_mode"] != "self-hosted"].groupby("model_id")["provider"].nunique()
    assert per_model.max() >= 5


def test_every_row_of_every_table_has_source_and_as_of(cat):
    for name, df in cat.tables().items():
        assert len(df), f"{name} is empty"
        assert df["source"].notna().all() and (df["source"].str.strip() != "").all(), name
        assert df["as_of"].notna().all(), name


def test_every_offering_names_a_model_and_every_model_is_priced(cat):
    assert set(cat.offerings["model_id"]) <= set(cat.models["model_id"])
    for name in ("scores", "name_map", "price_history"):
        assert set(getattr(cat, name)["model_id"]) <= set(cat.models["model_id"])
    assert set(cat.models["model_id"]) == set(cat.offerings["model_id"])


def test_self_hosted_rows_say_their_throughput_is_an_assumption(cat):
    sh = cat.offerings[cat.offerings["access_mode"] == "self-hosted"]
    assert len(sh) >= 3
    assert sh["assumptions"].str.startswith("ASSUMPTION").all()
    assert sh["source"].str.startswith("assumption").all()
    assert set(sh["gpu"]) <= set(cat.gpus["gpu"])


def test_speeds_carry_their_own_source_and_date(cat):
    o = cat.offerings
    fast = o[o["output_tokens_per_s"].notna() | o["ttft_s"].notna()]
    assert len(fast) >= 10
    assert fast["speed_source"].str.contains("Artificial Analysis").all()
    assert fast["speed_as_of"].notna().all()


def test_rate_limits_where_litellm_states_them(cat):
    o = cat.offerings
    assert (o["rpm_limit"].notna() & o["tpm_limit"].notna()).sum() >= 3


def test_scores_come_from_three_sources_with_dates_and_harnesses(cat):
    s = cat.scores
    prefixes = {b.split("_")[0] for b in s["benchmark"]}
    assert {"lmarena", "livebench", "aa"} <= prefixes
    assert s["harness"].notna().all()
    # Artificial Analysis: a handful of models only (its terms forbid redistributing the dataset)
    assert s.loc[s["benchmark"].str.startswith("aa_"), "model_id"].nunique() <= 12
    # the same benchmark from two dates for some models: what staleness checks are taught on
    arena = s[s["benchmark"] == "lmarena_text_full"].groupby("model_id")["as_of"].nunique()
    assert (arena >= 2).sum() >= 3


def test_gpus_cover_h100_a100_and_l40s(cat):
    g = cat.gpus
    assert {"H100", "A100", "L40S"} <= set(g["gpu"])
    assert not g.duplicated(["gpu", "provider", "market"]).any()
    index = g[g["provider"] == "Silicon Data index"]
    assert index["notes"].str.contains("ASSUMPTION").all()  # the index states no memory size


def test_name_map_covers_every_model_and_price_history_has_real_changes(cat):
    assert set(cat.name_map["model_id"]) == set(cat.models["model_id"])
    ph = cat.price_history
    changed = ph.groupby("model_id").size()
    assert (changed >= 2).sum() >= 2
    assert ph["source"].str.startswith("simonw/llm-prices @ 723ef0b").all()


def test_licence_columns_hold_all_four_kinds_of_openness(cat):
    m = cat.models.set_index("model_id")
    permissive = m[(m["openness"] == "open-weight") & m["license"].isin(["Apache-2.0", "MIT"])]
    restricted = m[(m["openness"] == "open-weight") & (m["commercial_use"] == "restricted")]
    assert len(permissive) >= 3 and len(restricted) >= 3
    assert restricted["license_notes"].str.contains("monthly active users|Prohibited Use|Acceptable Use").all()
    assert (m["openness"] == "open-source").sum() >= 2 and (m["openness"] == "closed").sum() >= 10
    assert (m["commercial_use"] == "no").sum() >= 1  # a non-commercial licence


def test_data_readme_documents_every_column_and_the_refresh_command():
    readme = (HERE.parent / "data" / "README.md").read_text(encoding="utf-8")
    for t in TABLES.values():
        assert f"`{t.filename}`" in readme, t.filename
        missing = [c.name for c in t.columns if f"`{c.name}`" not in readme]
        assert not missing, f"{t.filename}: columns not documented in data/README.md: {missing}"
    assert "python -m workbench snapshot --shared /work/shared/data --out data/catalog --as-of 2026-11-28 --force" in readme
    assert max(load_catalog().as_of_range()).strftime("%Y-%m-%d") == "2026-11-28"  # the --as-of of that command


# ---------------------------------------------------------------------------------------------
# part 2: the builder, on the excerpts
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built():
    return build_snapshot(SHARED, AS_OF, CURATION)


def test_builder_keeps_the_importers_unit_conversion(built):
    o = built.tables["offerings"].set_index("offering_id")
    # LiteLLM: groq/openai/gpt-oss-120b costs 1.5e-07 USD per input token and 6e-07 per output token;
    # x 1,000,000 = 0.15 and 0.6 USD per million tokens
    assert o.loc["groq/gpt-oss-120b", "usd_per_mtok_in"] == pytest.approx(1.5e-07 * 1_000_000)
    assert o.loc["groq/gpt-oss-120b", "usd_per_mtok_out"] == pytest.approx(0.6)
    # OpenRouter: openai/gpt-oss-120b "prompt": "0.00000003" -> 0.03 USD per million tokens
    assert o.loc["openrouter/gpt-oss-120b", "usd_per_mtok_in"] == pytest.approx(0.03)
    # an embedding model bills input only: 0.02 USD per million, no output price
    assert o.loc["openai/text-embedding-3-small", "usd_per_mtok_in"] == pytest.approx(0.02)
    assert pd.isna(o.loc["openai/text-embedding-3-small", "usd_per_mtok_out"])
    assert o.loc["groq/gpt-oss-120b", "model_id"] == "gpt-oss-120b" and o.loc["groq/gpt-oss-120b", "provider"] == "groq"


def test_builder_takes_speeds_from_the_artificial_analysis_provider_rows(built):
    o = built.tables["offerings"].set_index("offering_id")
    # the AA provider table's rows 'gpt-oss-120B (high)' x Groq: 539.2 tokens/s, 0.20 s; x Deepinfra: 153.6, 0.22
    assert o.loc["groq/gpt-oss-120b", ["output_tokens_per_s", "ttft_s"]].tolist() == [539.2, 0.2]
    assert o.loc["deepinfra/gpt-oss-120b", ["output_tokens_per_s", "ttft_s"]].tolist() == [153.6, 0.22]
    assert o.loc["groq/gpt-oss-120b", "speed_as_of"] == "2025-08-14"
    assert "'gpt-oss-120B (high)' x 'Groq'" in o.loc["groq/gpt-oss-120b", "speed_source"]
    assert pd.isna(o.loc["openai/gpt-5.1", "output_tokens_per_s"])  # no real figure: left empty


def test_builder_labels_self_hosting_throughput_as_an_assumption(built):
    o = built.tables["offerings"].set_index("offering_id")
    row = o.loc["self/gpt-oss-120b-h100"]
    assert (row["access_mode"], row["gpu"], row["gpu_count"], row["tokens_per_s_per_gpu"]) == ("self-hosted", "H100", 1, 1500.0)
    assert row["assumptions"].startswith("ASSUMPTION") and "about 1500 output tokens/s per GPU" in row["assumptions"]
    assert row["as_of"] == AS_OF


def test_builder_joins_curated_facts_and_source_limits(built):
    m = built.tables["models"].set_index("model_id")
    assert m.loc["gpt-oss-120b", "license"] == "Apache-2.0" and m.loc["gpt-oss-120b", "gated"] is False
    assert m.loc["gpt-oss-120b", "context_tokens"] == 131072       # OpenRouter context_length
    assert m.loc["gpt-5.1", "deprecation_date"] == "2027-04-01"      # LiteLLM gpt-5.1 deprecation_date
    assert m.loc["text-embedding-3-small", "context_tokens"] == 8191  # LiteLLM max_input_tokens
    assert m.loc["gpt-5.1", "deprecation_source"].startswith("LiteLLM key 'gpt-5.1' deprecation_date, LiteLLM ")
    # as_of is the date the newest cited source describes (OpenRouter's list, 2026-08-18), not the
    # curation day, which is curated_on
    assert "licence from" in m.loc["gpt-oss-120b", "source"] and m.loc["gpt-oss-120b", "as_of"] == "2026-08-18"
    assert m.loc["gpt-oss-120b", "curated_on"] == AS_OF
    # the offering carries its own endpoint's retirement date, with its source
    o = built.tables["offerings"].set_index("offering_id")
    assert o.loc["openai/gpt-5.1", "deprecation_date"] == "2027-04-01"
    assert "LiteLLM key 'gpt-5.1' deprecation_date" in o.loc["openai/gpt-5.1", "deprecation_source"]
    assert pd.isna(o.loc["groq/gpt-oss-120b", "deprecation_date"])


def test_builder_livebench_category_means_and_global_average(built):
    s = built.tables["scores"]
    lb = s[(s["model_id"] == "gpt-oss-120b") & s["benchmark"].str.startswith("livebench_")].set_index("benchmark")["value"]
    # IF = mean(paraphrase 44.833, simplify 55.5, story_generation 56.467, summarize 44.367) = 201.167 / 4 = 50.29175
    assert lb["livebench_if"] == pytest.approx(50.292)
    # Reasoning = (theory_of_mind 48.077 + zebra_puzzle 20.75 + spatial 80.0 + logic_with_navigation 8.0) / 4 = 39.20675
    assert lb["livebench_reasoning"] == pytest.approx(39.207)
    # Data Analysis = (2.87 + 29.231 + 84.314) / 3 = 38.805; Agentic Coding = (20 + 10 + 20) / 3 = 16.667
    assert lb["livebench_data_analysis"] == pytest.approx(38.805)
    assert lb["livebench_agentic_coding"] == pytest.approx(16.667)
    # global average = mean of the 7 unrounded category means:
    # (39.20675 + 60.2115 + 16.666667 + 68.87375 + 38.805 + 48.590667 + 50.29175) / 7 = 322.646083 / 7 = 46.0923
    assert lb["livebench_global_average"] == pytest.approx(46.092)
    assert len(lb) == 8


def test_builder_keeps_two_dates_of_the_arena_and_two_aa_index_versions(built):
    s = built.tables["scores"]
    arena = s[(s["model_id"] == "gpt-5.1") & (s["benchmark"] == "lmarena_text_full")].set_index("as_of")
    assert arena.loc["2025-12-11", "value"] == pytest.approx(1420.8144085943575)  # leaderboard-text.json full.gpt-5.1
    assert arena.loc["2026-10-08", ["value", "ci_low", "ci_high"]].tolist() == [1442.7, 1439, 1446.4]  # AmigaMeow
    aa = s[(s["model_id"] == "gpt-oss-120b") & (s["benchmark"] == "aa_intelligence_index")].set_index("as_of")
    assert aa.loc["2026-07-31", "value"] == 23.8 and aa.loc["2025-08-14", "value"] == 61.0
    assert aa["harness"].nunique() == 2  # different index versions: a mixed-harness flag, not a silent average


def test_builder_gpu_rows_use_the_latest_day(built):
    g = built.tables["gpus"].set_index(["gpu", "provider"])
    l40s = g.loc[("L40S", "Runpod")]
    assert (l40s["usd_per_hour"], l40s["vram_gb"], l40s["as_of"]) == (0.99, 48.0, "2026-08-22")  # '48 GB VRAM' in notes
    h100 = g.loc[("H100", "Runpod")]
    assert (h100["usd_per_hour"], h100["vram_gb"]) == (2.89, 80.0)  # the 'H100 PCIe' row, not NVL (3.19) or SXM (3.29)
    idx = g.loc[("H100", "Silicon Data index")]
    # 2026-07-16 and 2026-08-22 have no values: the latest day with one is 2026-07-15 (neocloud-H100 2.66)
    assert (idx["usd_per_hour"], idx["as_of"]) == (2.66, "2026-07-15")
    assert "ASSUMPTION" in idx["notes"]


def test_builder_name_map_price_history_and_providers(built):
    nm = built.tables["name_map"]
    assert set(nm["namespace"]) == {"litellm", "openrouter", "lmarena", "livebench", "artificial-analysis",
                                    "llm-prices", "huggingface"}
    assert not nm.duplicated(["namespace", "external_name"]).any()
    assert nm["source"].str.startswith("hand-mapped by the workbench maintainers").all() and (nm["curated_on"] == AS_OF).all()
    # as_of: the date of the source each name was checked in
    day = nm.set_index(["namespace", "external_name"])["as_of"]
    assert day[("openrouter", "openai/gpt-oss-120b")] == "2026-08-18" and day[("litellm", "gpt-5.1")] == "2026-11-20"
    assert (nm["as_of"] <= AS_OF).all()
    ph = built.tables["price_history"]
    assert ph[["model_id", "provider", "usd_per_mtok_in", "usd_per_mtok_out", "usd_per_mtok_cached_in"]].values.tolist() \
        == [["gpt-5.1", "openai", 1.25, 10.0, 0.125]]
    p = built.tables["providers"].set_index("provider")
    assert sorted(p.index) == ["deepinfra", "groq", "openai", "openrouter", "self"]
    assert p.loc["openai", "trains_on_data"] is False and pd.isna(p.loc["deepinfra", "trains_on_data"])  # unknown stays empty
    assert p.loc["deepinfra", "source"].startswith("no policy facts recorded")
    assert any("nemotron-3-super-120b-a12b" in n and "not used" in n for n in built.notes)  # a malformed raw row


def test_write_refuses_to_overwrite_and_force_replaces(built, tmp_path):
    paths = write_snapshot(built, tmp_path)
    assert sorted(p.name for p in paths) == sorted(t.filename for t in TABLES.values())
    first = (tmp_path / "models.csv").read_text()
    (tmp_path / "models.csv").write_text("user edits\n")
    with pytest.raises(WorkbenchError) as e:
        write_snapshot(built, tmp_path)
    assert len(e.value.problems) == 7 and "already exists; nothing was written" in str(e.value)
    assert (tmp_path / "models.csv").read_text() == "user edits\n"  # untouched
    write_snapshot(built, tmp_path, force=True)
    assert (tmp_path / "models.csv").read_text() == first
    assert len(load_catalog(tmp_path).models) == 3


def test_build_is_deterministic(built, tmp_path):
    write_snapshot(built, tmp_path / "a")
    write_snapshot(build_snapshot(SHARED, AS_OF, CURATION), tmp_path / "b")
    for t in TABLES.values():
        assert (tmp_path / "a" / t.filename).read_bytes() == (tmp_path / "b" / t.filename).read_bytes()


def test_cli_snapshot_writes_then_refuses(tmp_path, capsys):
    out = tmp_path / "cat"
    args = ["snapshot", "--shared", str(SHARED), "--curation", str(CURATION), "--out", str(out), "--as-of", AS_OF]
    assert main(args) == 0
    shown = capsys.readouterr().out
    assert "offerings      6" in shown and "price_history  1" in shown
    assert main(args) == 2
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert main(args + ["--force"]) == 0


# ---------------------------------------------------------------------------------------------
# bad curation and bad inputs: WorkbenchError naming the file, the entry and the fix
# ---------------------------------------------------------------------------------------------

def _copy_curation(tmp_path) -> Path:
    dst = tmp_path / "curation"
    shutil.copytree(CURATION, dst)
    return dst


def test_typo_in_a_curation_key_names_the_entry_and_suggests_the_key(tmp_path):
    cur = _copy_curation(tmp_path)
    f = cur / "models.yaml"
    f.write_text(f.read_text().replace("    license_notes: \"Apache-2.0", "    licence_notes: \"Apache-2.0"))
    with pytest.raises(WorkbenchError) as e:
        load_curation(cur)
    msg = str(e.value)
    assert "curation/models.yaml" in msg and "('gpt-oss-120b').licence_notes" in msg and "did you mean 'license_notes'" in msg


def test_a_curated_name_missing_from_its_source_is_an_error(tmp_path):
    cur = _copy_curation(tmp_path)
    f = cur / "models.yaml"
    f.write_text(f.read_text().replace("livebench: [gpt-oss-120b]", "livebench: [gpt-oss-120B]"))
    with pytest.raises(WorkbenchError) as e:
        build_snapshot(SHARED, AS_OF, cur)
    msg = str(e.value)
    assert "model 'gpt-oss-120b'.names.livebench" in msg and "'gpt-oss-120B' is not a usable row" in msg
    assert "did you mean 'gpt-oss-120b'" in msg


def test_every_mapped_name_is_checked_against_its_source(tmp_path):
    cur = _copy_curation(tmp_path)
    f = cur / "models.yaml"
    f.write_text(f.read_text().replace("      llm-prices: [gpt-5.1]\n", "      llm-prices: [gpt-5.1]\n      artificial-analysis: [gpt-5-1x]\n"))
    with pytest.raises(WorkbenchError, match=r"model 'gpt-5.1'.names.artificial-analysis: 'gpt-5-1x' is not in the "
                                             r"artificial-analysis source"):
        build_snapshot(SHARED, AS_OF, cur)


def test_an_offering_deprecated_before_as_of_is_an_error(tmp_path):
    cur = _copy_curation(tmp_path)
    with (cur / "offerings.csv").open("a") as fh:
        fh.write("fireworks_ai/gpt-oss-120b,gpt-oss-120b,fireworks_ai,litellm,"
                 "fireworks_ai/accounts/fireworks/models/gpt-oss-120b,\n")
    with pytest.raises(WorkbenchError) as e:
        build_snapshot(SHARED, AS_OF, cur)
    assert "row 7 ('fireworks_ai/gpt-oss-120b')" in str(e.value)
    assert "deprecated on 2026-11-07, before 2026-11-28" in str(e.value)


def test_as_of_before_the_newest_source_is_refused():
    with pytest.raises(WorkbenchError) as e:
        build_snapshot(SHARED, "2026-11-01", CURATION)
    assert "earlier than the newest source (litellm, 2026-11-20)" in str(e.value)
    with pytest.raises(WorkbenchError, match="not a date in YYYY-MM-DD form"):
        build_snapshot(SHARED, "28/11/2026", CURATION)


def test_a_missing_raw_file_names_it_and_the_fix(tmp_path):
    shared = tmp_path / "shared"
    shutil.copytree(SHARED, shared)
    (shared / "livebench_2026-01-08_nirvaxstiel" / "livebench_2026_01_08.csv").unlink()
    with pytest.raises(WorkbenchError) as e:
        build_snapshot(shared, AS_OF, CURATION)
    assert "livebench_2026_01_08.csv" in str(e.value) and "the livebench file is missing under --shared" in str(e.value)


def test_a_raw_file_that_is_not_json_or_not_utf8_names_the_file(tmp_path):
    shared = tmp_path / "shared"
    shutil.copytree(SHARED, shared)
    lb = shared / "lmarena_arena_catalog" / "leaderboard-text.json"
    lb.write_text('{"full": {"gpt-5.1": {"rating": 1420.8,}}}')
    with pytest.raises(WorkbenchError, match=r"leaderboard-text.json: line 1, column \d+: not valid JSON"):
        build_snapshot(shared, AS_OF, CURATION)
    gp = shared / "gpu_rental_index_joshhmckee" / "gpu_rental_index_daily_2026-03-06_to_2026-08-22.csv"
    lb.write_text((SHARED / "lmarena_arena_catalog" / "leaderboard-text.json").read_text())
    gp.write_bytes(b"date,neocloud-H100\n2026-07-15,2.66\xff\n")
    with pytest.raises(WorkbenchError, match="the file is not UTF-8 text"):
        build_snapshot(shared, AS_OF, CURATION)


def test_a_malformed_curation_csv_row_is_reported_by_row(tmp_path):
    cur = _copy_curation(tmp_path)
    with (cur / "offerings.csv").open("a") as fh:
        fh.write("x/y,gpt-oss-120b,x,litellm,groq/openai/gpt-oss-120b,aa-scrape:Llama 3.3 70B (Turbo, FP8)|Deepinfra\n")
    with pytest.raises(WorkbenchError) as e:
        load_curation(cur)
    assert "curation/offerings.csv: row 7" in str(e.value) and "has 7 fields but the header has 6" in str(e.value)


def test_more_than_the_aa_handful_is_refused(monkeypatch, tmp_path):
    cur = _copy_curation(tmp_path)
    f = cur / "models.yaml"
    f.write_text(f.read_text().replace("    facts: litellm\n", "    facts: litellm\n    aa_scores: true\n"))
    monkeypatch.setattr(snap, "MAX_AA_MODELS", 1)
    with pytest.raises(WorkbenchError, match="2 models take Artificial Analysis scores"):
        build_snapshot(SHARED, AS_OF, cur)


def test_every_provider_used_needs_a_policy_entry(tmp_path):
    cur = _copy_curation(tmp_path)
    f = cur / "providers.yaml"
    f.write_text(f.read_text().replace("  deepinfra: {}\n", ""))
    with pytest.raises(WorkbenchError, match="providers.deepinfra: offerings use this provider but it has no entry"):
        build_snapshot(SHARED, AS_OF, cur)


# ---------------------------------------------------------------------------------------------
# the small pure helpers
# ---------------------------------------------------------------------------------------------

def test_display_number_and_vram_parse_what_pages_show():
    assert display_number("1,707.0") == 1707.0 and display_number("$0.15") == 0.15 and display_number("87%") == 87.0
    assert display_number("N/A") is None and display_number("") is None
    assert vram_gb("NVIDIA H100 PCIe 80 GB 26 225 GiB 1 TiB SSD") == 80.0
    assert vram_gb("L40S", "48 GB VRAM, 94 GB RAM, 16 vCPUs") == 48.0
    assert vram_gb("hyperscaler-H100") is None


def test_llm_prices_history_keeps_every_dated_period():
    vendor = json.loads((SHARED / "simonw_llm_prices" / "openai.json").read_text())
    ph = llm_prices_history([vendor], {"gpt-5.6-luna": "luna"}, "simonw/llm-prices @ 723ef0b (llm-prices.com)", "2026-08-05")
    # GPT-5.6 Luna: 1.0/6.0 USD per million until 2026-07-30, then 0.2/1.2 (an 80 % cut: (1.0 - 0.2) / 1.0 = 0.8)
    rows = ph[["usd_per_mtok_in", "usd_per_mtok_out", "from_date", "to_date"]].astype(object)
    assert rows.where(rows.notna(), None).values.tolist() == [[1.0, 6.0, None, "2026-07-30"], [0.2, 1.2, "2026-07-30", None]]
    assert (ph["provider"] == "openai").all()
    with pytest.raises(WorkbenchError, match="'gpt-5.6-lun' is not in simonw/llm-prices.*did you mean 'gpt-5.6-luna'"):
        llm_prices_history([vendor], {"gpt-5.6-lun": "luna"}, "s", "2026-08-05")


def test_livebench_scores_skip_a_category_with_a_missing_task():
    table = pd.DataFrame({"model": ["a", "b"], "t1": [10.0, 20.0], "t2": [30.0, None], "t3": [50.0, 60.0]})
    out = livebench_scores(table, {"One": ["t1", "t2"], "Two": ["t3"]}).set_index(["model", "benchmark"])["value"]
    # a: One = (10 + 30) / 2 = 20, Two = 50, global = (20 + 50) / 2 = 35; b lacks t2: no One, no global
    assert out[("a", "livebench_one")] == 20.0 and out[("a", "livebench_global_average")] == 35.0
    assert out[("b", "livebench_two")] == 60.0 and ("b", "livebench_one") not in out.index
    assert ("b", "livebench_global_average") not in out.index
    with pytest.raises(WorkbenchError, match="names task columns the table lacks"):
        livebench_scores(table, {"One": ["t1", "t9"]})


def test_shipped_catalog_dates_retirements_settings_and_policy_pages(cat):
    o = cat.offerings.set_index("offering_id")
    # LiteLLM's vertex_ai/claude-sonnet-5 entry: deprecation_date 2026-12-24 (the endpoint, not the model)
    assert str(o.loc["vertex_ai/claude-sonnet-5", "deprecation_date"].date()) == "2026-12-24"
    assert "LiteLLM key 'vertex_ai/claude-sonnet-5'" in o.loc["vertex_ai/claude-sonnet-5", "deprecation_source"]
    # one row per reasoning setting, each with AA's own figure for that setting (GPT-5.6 Luna low: 1.274 s)
    assert o.loc["openai/gpt-5.6-luna", "reasoning_effort"] == "max" and o.loc["openai/gpt-5.6-luna", "ttft_s"] == 60.564
    assert o.loc["openai/gpt-5.6-luna@low", "ttft_s"] == 1.274
    assert "'GPT-5.6 Luna (low)'" in o.loc["openai/gpt-5.6-luna@low", "speed_source"]
    # a policy fact is dated by the page it was read from, and says which copy was read
    p = cat.providers.set_index("provider")
    assert str(p.loc["together_ai", "as_of"].date()) == "2025-12-17" and not bool(p.loc["together_ai", "trains_on_data"])
    assert "stored copy read on 2026-12-01" in p.loc["together_ai", "source"]
    # hand-written rows keep the curation day apart from the date their source describes
    assert (cat.models["as_of"] <= cat.models["curated_on"]).all()


def test_models_dev_fills_empty_facts_and_names_itself_in_the_source():
    """A curated row's empty release date and limits come from models.dev (matched by id, or with '.' as
    '-'); a value already in the row is kept; the row's source says which fields models.dev gave."""
    import pandas as pd

    from workbench.catalog.curation import fill_from_models_dev
    from workbench.catalog.importers.common import ImportResult

    md = ImportResult(source="models.dev api.json", as_of="2026-05-21", total_entries=2,
                      skipped=pd.DataFrame(columns=["entry", "reason", "detail"]),
                      tables={"models": pd.DataFrame({"model_id": ["claude-haiku-4-5", "gpt-x"],
                                                      "release_date": ["2025-10-15", "2025-01-01"],
                                                      "context_tokens": [200000, 8000]})})
    ours = pd.DataFrame({"model_id": ["claude-haiku-4.5", "gpt-x", "other"], "context_tokens": [None, 4000, None],
                         "source": ["curated", "curated", "curated"]})
    out, n = fill_from_models_dev(ours, md)
    assert n == 2
    assert out.loc[0, "release_date"] == "2025-10-15" and out.loc[0, "context_tokens"] == 200000
    assert out.loc[0, "source"] == ("curated; release_date, context_tokens: models.dev api.json (2026-05-21), "
                                    "model claude-haiku-4-5")
    assert out.loc[1, "context_tokens"] == 4000 and out.loc[1, "source"].endswith("release_date: models.dev api.json "
                                                                                   "(2026-05-21), model gpt-x")
    assert out.loc[2, "source"] == "curated"
