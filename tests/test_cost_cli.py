"""``python -m workbench cost`` and the benchmark's row-by-row baseline (SYNTHETIC fixture catalogs)."""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from workbench.bench.cost import cost_row_by_row, synthetic_rows
from workbench.catalog.load import load_catalog
from workbench.cli import main
from workbench.costs.request import request_cost_usd

ARGS = ["cost", "tests/fixtures/shortlist/scenario.yaml", "--catalog", "tests/fixtures/shortlist"]


def test_json_lists_every_candidate_with_cost_latency_and_limits(capsys):
    assert main(ARGS + ["--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["candidates"]
    assert {r["step"] for r in rows} == {"answer", "embed"}
    first = rows[0]
    for key in ("usd_per_request", "usd_per_month", "usd_per_success", "p95_s", "meets_latency_target",
                "fits_rate_limits", "pricing"):
        assert key in first
    # month = requests x per request (+ escalation, none in this fixture step)
    assert first["usd_per_month"] == pytest.approx(first["requests_per_month"] * first["usd_per_request"])
    assert "answer" in out["assumptions"] and out["notes"]


def test_volume_and_step_options(capsys):
    assert main(ARGS + ["--step", "answer", "--volume", "20000", "--format", "csv"]) == 0
    t = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert set(t["step"]) == {"answer"} and set(t["requests_per_month"]) == {20000}


def test_table_output_and_errors(capsys):
    assert main(ARGS + ["--step", "answer"]) == 0
    out = capsys.readouterr().out
    assert "usd_per_success" in out and "no target" in out
    assert main(ARGS + ["--step", "answr"]) == 2
    assert "did you mean 'answer'" in capsys.readouterr().err
    assert main(ARGS + ["--volume", "-5"]) == 2
    assert "must not be negative" in capsys.readouterr().err


def test_the_command_runs_as_a_module():
    r = subprocess.run([sys.executable, "-m", "workbench", *ARGS, "--format", "json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["scenario"] == "shortlist_fixture"


def test_the_benchmarks_row_by_row_baseline_agrees_with_the_formula():
    # synthetic rows resampled from a synthetic fixture, plus hand-made rows with tiers, caches and reasoning prices
    offers, mix = synthetic_rows(load_catalog("tests/fixtures/shortlist").offerings, 3000, seed=1)
    extra = pd.DataFrame({"usd_per_mtok_in": [2.0, 1.0], "usd_per_mtok_out": [8.0, np.nan],
                          "usd_per_mtok_cached_in": [0.5, np.nan], "usd_per_mtok_cache_write": [2.5, np.nan],
                          "usd_per_mtok_reasoning": [4.0, np.nan], "batch_discount": [0.5, np.nan],
                          "tier_above_tokens": [200_000, np.nan], "usd_per_mtok_in_above_tier": [4.0, np.nan],
                          "usd_per_mtok_out_above_tier": [12.0, np.nan]})
    offers = pd.concat([extra, offers], ignore_index=True)
    mix = {k: np.concatenate([[250_000.0, 500.0] if k == "input_tokens" else
                              ([1000.0, 0.0] if k == "output_tokens" else [v[0], v[1]]), v]) for k, v in mix.items()}
    vec = request_cost_usd(offers, *(mix[k] for k in ("input_tokens", "output_tokens", "reasoning_tokens", "cached_share",
                                                       "cache_write_share", "batch_share", "tool_turns"))).to_numpy()
    ref = np.array(cost_row_by_row(offers, mix, len(offers)))
    assert np.allclose(vec, ref, rtol=1e-12, atol=0, equal_nan=True)
