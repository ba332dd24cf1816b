"""The runner: cache, progress bar, results files, replay, costs from catalog prices, scores."""
import io
import json
import threading

import numpy as np
import pandas as pd
import pytest
from evals_helpers import case, golden

from workbench.catalog.load import load_catalog
from workbench.errors import WorkbenchError
from workbench.evals.adapters import make_candidate
from workbench.evals.adapters.base import Completion
from workbench.evals.adapters.errors import RateLimited
from workbench.evals.adapters.replay import ReplayCandidate
from workbench.evals.report import (
    case_costs_usd,
    failure_table,
    field_accuracy,
    success_by,
    summarize,
)
from workbench.evals.runner import ProgressBar, run_eval, write_results


class Counting:
    """A fake candidate that answers 'billing' and counts its calls; case 'c-err' is rate limited."""

    name, provenance, cache_key = "counting", "measured", "counting|v1"

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()

    def describe(self):
        return {"candidate": self.name, "adapter": "test", "provenance": self.provenance}

    def complete(self, c, prompt):
        with self.lock:
            self.calls += 1
        if c.id == "c-err":
            raise RateLimited("HTTP 429: slow down", retry_after_s=99)
        return Completion(text="billing", input_tokens=1000, output_tokens=200, reasoning_tokens=50,
                          cached_input_tokens=400, ttft_s=0.2, total_s=1.0)


def three():
    return golden(case(id="c-1"), case(id="c-2", expected={"label": "cancellation"}), case(id="c-err"))


def test_failed_calls_fail_their_case_and_the_cache_makes_reruns_free(tmp_path):
    cand = Counting()
    run = run_eval(three(), cand, cache_dir=tmp_path, progress=False)
    r = run.results.set_index("case_id")
    assert cand.calls == 3 and list(r["passed"]) == [True, False, False]
    assert r.loc["c-err", "error_kind"] == "rate_limited" and r.loc["c-err", "reasons"] == "rate_limited: HTTP 429: slow down"
    again = run_eval(three(), cand, cache_dir=tmp_path, progress=False)
    # only the failed case is called again: successes are cached by candidate, case and prompt hash
    assert cand.calls == 4 and list(again.results["from_cache"]) == [True, True, False]
    assert again.results["output"].tolist()[:2] == ["billing", "billing"]
    run_eval(three(), cand, cache_dir=tmp_path, use_cache=False, progress=False)
    assert cand.calls == 7


def test_progress_bar_writes_only_to_a_terminal_or_when_asked():
    quiet = io.StringIO()  # not a terminal, like a notebook's stderr
    run_eval(three(), Counting(), use_cache=False, progress=None, progress_stream=quiet)
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    bar = ProgressBar(2, "rules:", stream=loud, enabled=True, width=4)
    bar.update()
    bar.update()
    bar.close()
    assert loud.getvalue() == "\rrules: 1/2 [##..]\rrules: 2/2 [####]\n"


def test_costs_come_from_the_offering_prices_times_reported_tokens():
    offering = pd.Series({"offering_id": "x/y", "usd_per_mtok_in": 2.5, "usd_per_mtok_out": 10.0,
                          "usd_per_mtok_cached_in": 0.25, "source": "test (synthetic)", "as_of": "2026-11-01"})
    run = run_eval(three(), Counting(), offering=offering, use_cache=False, progress=False)
    # 1000 input tokens, 400 of them cached: 600 x 2.5 + 400 x 0.25 = 1,600; output 200 (50 reasoning, billed at
    # the output price as none is listed): 200 x 10 = 2,000; (1,600 + 2,000) / 1e6 = 0.0036 USD
    assert run.results["cost_usd"].tolist()[:2] == pytest.approx([0.0036, 0.0036])
    assert np.isnan(run.results["cost_usd"].iloc[2])  # the failed call reported no usage: unknown, not 0
    assert run.meta["offering_id"] == "x/y" and "x/y list prices (test (synthetic), as_of 2026-11-01)" in run.meta["cost_basis"]
    cat = load_catalog("tests/fixtures/mini_catalog")
    usd, _ = case_costs_usd(run.results, cat.offering("acme/alpha"))
    # acme/alpha: 2.5 in, 10 out, no cache price -> (1000 x 2.5 + 200 x 10) / 1e6 = 0.0045
    assert usd.iloc[0] == pytest.approx(0.0045)
    none, basis = case_costs_usd(run.results, None)
    assert none.isna().all() and basis.startswith("unpriced")


def test_summary_arithmetic_by_hand():
    res = pd.DataFrame({
        "candidate": ["m"] * 4, "provenance": ["measured"] * 4, "case_id": list("abcd"), "task": ["classify"] * 4,
        "tags": ["x", "x;y", "", "y"], "passed": [True, True, False, True], "format_valid": [True, True, True, False],
        "escalated": [False, True, False, False], "error_kind": [None, None, "timeout", None],
        "ttft_s": [0.1, 0.2, np.nan, 0.4], "total_s": [1.0, 2.0, 3.0, 4.0], "output_tokens_per_s": [np.nan] * 4,
        "cost_usd": [0.001, 0.002, 0.003, 0.002], "stale_prompt": [False] * 4, "failed_checks": ["", "", "error", ""],
        "reasons": ["", "", "timeout: slow", ""], "output": ["a", "b", "", "d"]})
    s = summarize(res).iloc[0]
    assert (s["cases"], s["passed"], s["success_rate"], s["format_valid_rate"]) == (4, 3, 0.75, 0.75)
    assert (s["escalation_rate"], s["error_rate"]) == (0.25, 0.25)
    # total_s 1,2,3,4: p50 = 2.5; p95 at position 0.95 x 3 = 2.85 -> 3 + 0.85 x (4 - 3) = 3.85
    assert s["total_p50_s"] == pytest.approx(2.5) and s["total_p95_s"] == pytest.approx(3.85)
    assert s["ttft_p50_s"] == pytest.approx(0.2)  # the case without a measurement is left out
    # cost per case 0.008 / 4 = 0.002; per success 0.002 / 0.75 = 0.008 / 3 successes
    assert s["cost_per_case_usd"] == pytest.approx(0.002) and s["cost_per_success_usd"] == pytest.approx(0.008 / 3)
    by_tag = success_by(res, "tag").set_index("tag")
    assert by_tag.loc["x", "m"] == 1.0 and by_tag.loc["y", "m"] == 1.0 and by_tag.loc["(none)", "m"] == 0.0
    assert failure_table(res)["case_id"].tolist() == ["c"]


def test_results_file_round_trip_replays_and_rescores(tmp_path):
    g = golden(case(id="c-1"), case(id="c-2", expected={"label": "cancellation"}), case(id="c-err"))
    run = run_eval(g, Counting(), use_cache=False, progress=False, as_of="2026-11-20")
    path = write_results(run, tmp_path / "r.jsonl")
    with pytest.raises(WorkbenchError, match="already exists; nothing was written"):
        write_results(run, path)
    meta = json.loads(path.read_text().splitlines()[0])
    assert meta["format"] == "workbench-eval-results" and meta["as_of"] == "2026-11-20" and meta["cases"] == 3
    replay = make_candidate(f"replay:{path}")
    again = run_eval(g, replay, progress=False)
    cols = ["case_id", "passed", "output", "error_kind", "input_tokens", "ttft_s"]
    assert again.results[cols].equals(run.results[cols])
    assert replay.name == "replay:counting" and again.results["stale_prompt"].sum() == 0
    # a case the file lacks fails as not recorded; an edited prompt marks the replayed row stale
    g2 = golden(case(id="c-1", input="charged twice, again"), case(id="c-new"))
    r2 = run_eval(g2, ReplayCandidate(path), progress=False).results.set_index("case_id")
    assert r2.loc["c-new", "error_kind"] == "not_recorded" and bool(r2.loc["c-1", "stale_prompt"])


def test_replay_rejects_a_file_that_is_not_a_results_file(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"case_id": "a"}\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match="line 1: the first line is not the metadata"):
        ReplayCandidate(p)
    p.write_text('{"format": "workbench-eval-results"}\n{"case_id": 3}\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match="line 2: a result row needs a string 'case_id'"):
        ReplayCandidate(p)


def test_field_accuracy_counts_fields():
    g = golden(case(id="e-1", task="extract", input="x", expected={"label": None, "fields": {"email": None, "plan": "pro"}},
                    checks=["json_schema"]))

    class Fixed(Counting):
        def complete(self, c, prompt):
            return Completion(text='{"email": null, "plan": "free"}')

    fa = field_accuracy(run_eval(g, Fixed(), use_cache=False, progress=False).results).iloc[0]
    assert (fa["fields_right"], fa["fields_total"], fa["field_accuracy"]) == (1, 2, 0.5)


def test_the_committed_illustrative_results_replay_on_todays_prompts_and_stay_labelled():
    from workbench.evals import load_golden
    from workbench.evals.golden import golden_dir
    g = load_golden()
    path = golden_dir() / "results" / "illustrative_small_llm.jsonl"
    cand = ReplayCandidate(path)
    assert cand.provenance == "illustrative" and "no model was called" in cand.meta["note"]
    run = run_eval(g, cand, progress=False)
    r = run.results
    # every case has an output written for it, against the current prompt templates (re-author it if a template changes)
    assert r["error_kind"].isna().all() and not r["stale_prompt"].any()
    assert run.meta["provenance"] == "illustrative" and (r["provenance"] == "illustrative").all()
    assert r["ttft_s"].isna().all()  # nothing was measured
