"""The "Your turn" checks and the student edition.

Every check is run on a wrong and a right answer. Where the right answer depends on the catalog
(which is refreshed), the test derives it with the package the way the notebook's solution cell
does; where it does not (a YAML step, a golden case, a record's fixable findings, the scenario's
volume bound), the answer is written out and worked by hand.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys

import pytest

from workbench import exercises as ex
from workbench.catalog import load_catalog
from workbench.cli.student import write_student_edition
from workbench.errors import WorkbenchError
from workbench.exercises import base, catalog_to_costs, evals_to_mdr
from workbench.util import project_dir

NOTEBOOKS = project_dir() / "notebooks"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def scenario():
    from workbench.scenario import load_scenario
    return load_scenario(project_dir() / "data" / "scenarios" / "support_assistant.yaml")


@pytest.fixture(scope="module")
def golden():
    from workbench.evals import load_golden
    return load_golden()


def _text(feedback) -> str:
    return str(feedback)


def test_every_check_says_not_answered_for_the_stub():
    for checks in ex.CHECKS.values():
        for check in checks:
            fb = check(...)
            assert not fb.ok and not fb.answered
            assert _text(fb).startswith("NOT ANSWERED") and "not answered yet" in fb.message


def test_feedback_reads_well_in_a_notebook():
    fb = ex.Feedback("00 demo", False, "x " * 120 + "\nsecond point")
    lines = repr(fb).splitlines()
    assert lines[0] == "NOT YET (00 demo)" and max(map(len, lines)) <= 104 and "second point" in lines[-1]
    assert not fb and ex.Feedback("t", True, "fine") and repr(ex.Feedback("t", True, "fine")) == "RIGHT (t)\n  fine"


# ------------------------------------------------------------------------------------------- 00

def test_00_openness(catalog):
    from workbench.catalog import licence_restrictions
    lic = licence_restrictions(catalog.models)
    restricted = list(lic.loc[lic["verdict"] == ex.RESTRICTED, "model_id"])
    assert len(restricted) >= 2
    # order, case, spaces and form do not matter
    assert ex.check_00_openness(set(restricted)).ok
    assert ex.check_00_openness(" , ".join(m.upper() for m in reversed(restricted))).ok
    # a missing model is counted, not named; an open-source model is named with its verdict
    fb = ex.check_00_openness(restricted[1:] + ["olmo-3-7b-instruct"])
    assert not fb.ok and "1 more model(s)" in fb.message and restricted[0] not in fb.message
    assert "olmo-3-7b-instruct is 'open source', not restricted" in fb.message
    assert "not a model_id" in ex.check_00_openness(restricted + ["gpt-9"]).message


def test_00_source_and_date(catalog):
    from workbench.catalog import browse
    best = browse(catalog, openness="closed", access_mode="managed-api", model_type="chat").iloc[0]
    right = (best["offering_id"], f"{best['as_of']:%Y-%m-%d}")
    assert ex.check_00_source_and_date(right).ok
    assert ex.check_00_source_and_date({"offering": right[0].upper(), "as_of": right[1]}).ok
    wrong_date = ex.check_00_source_and_date((right[0], "2020-01-01"))
    assert not wrong_date.ok and "not the as_of" in wrong_date.message
    open_model = ex.check_00_source_and_date(("deepinfra/gpt-oss-20b", right[1]))
    assert not open_model.ok and "hosted-inference, not managed-api" in open_model.message
    assert best["offering_id"] not in open_model.message
    assert "give two values" in ex.check_00_source_and_date(right[0]).message


# ------------------------------------------------------------------------------------------- 01

STEP_YAML = """
name: summarize_thread
role: generator
requests_per_month: 3000
tokens: {input: 2500, output: 150}
latency: {total_s: 8.0, p95_s: 12.0}
output_contract: {format: text, max_words: 100}
"""


def test_01_step():
    assert ex.check_01_step(STEP_YAML).ok
    broken = ex.check_01_step(STEP_YAML.replace("3000", "3,000").replace("p95_s", "p95"))
    assert not broken.ok and "2 problem(s)" in broken.message
    assert "write 3000" in broken.message and "did you mean 'p95_s'" in broken.message
    valid_but_other = ex.check_01_step(STEP_YAML.replace("12.0", "15.0"))
    assert not valid_but_other.ok and "p95_s is 15.0" in valid_but_other.message


def test_01_shapes():
    from workbench.scenario import list_scenarios, load_scenario, scenario_overview
    o = scenario_overview([load_scenario(p) for p in list_scenarios()]).set_index("scenario")
    right = (o["tightest_p95_s"].idxmin(), o["max_batch_share"].idxmax())
    # by hand: support_assistant's embedder must answer within 1 s; invoices batch 90 %
    assert right == ("support_assistant", "invoice_extraction")
    assert ex.check_01_shapes((" Support_Assistant", "INVOICE_EXTRACTION")).ok
    fb = ex.check_01_shapes(("invoice_extraction", "support_assistant"))
    assert not fb.ok and "invoice_extraction's is 60s" in fb.message and "another scenario's is larger" in fb.message
    assert "not a shipped scenario" in ex.check_01_shapes(("support", "invoice_extraction")).message


# ------------------------------------------------------------------------------------------- 02

def test_02_zero_retention(catalog, scenario):
    from workbench.shortlist import candidates, shortlist, with_constraints
    step = "answer_with_citations"
    zdr = shortlist(candidates(catalog), with_constraints(scenario, step, zero_data_retention=True), step, seed=0)
    counts = zdr.exclusion_counts().set_index("constraint")["offerings"]
    right = (len(zdr.ranked), counts.idxmax())
    assert ex.check_02_zero_retention(right).ok
    assert ex.check_02_zero_retention([str(right[0]), right[1].upper()]).ok
    other = next(c for c in counts.index if c != right[1])
    fb = ex.check_02_zero_retention((right[0] + 5, other))
    assert not fb.ok and "too many" in fb.message and f"{other} excludes {int(counts[other])}" in fb.message
    assert f"excludes {int(counts[right[1]])}" not in fb.message  # the answer's count stays hidden


def test_02_blend(catalog, scenario):
    from workbench.shortlist import candidates, shortlist_all
    results = shortlist_all(candidates(catalog), scenario, seed=0)
    medians = {s: r.ranked["diff_vs_3to1_pct"].median() for s, r in results.items()}
    right = min((s for s in medians if medians[s] == medians[s]), key=medians.get)
    assert ex.check_02_blend(f"  {right.upper()} ").ok
    assert "embedding models" in ex.check_02_blend("embed_queries").message
    wrong = next(s for s in medians if s != right and medians[s] == medians[s])
    fb = ex.check_02_blend(wrong)
    assert not fb.ok and "overstates another step more" in fb.message and right not in fb.message


# ------------------------------------------------------------------------------------------- 03

def test_03_no_cache(catalog, scenario):
    from workbench.costs import step_costs, steps_frame
    from workbench.shortlist import shortlisted_offerings
    step = scenario.step("classify_intent")
    c3 = shortlisted_offerings(catalog, scenario, step.name, top=3)
    rows = []
    for share in (step.tokens.cached_share, 0.0):
        rows.append(step_costs(c3, steps_frame([step]).assign(cached_share=share)).set_index("offering_id")[
            "usd_per_month_model"])
    best = rows[1].idxmin()
    factor = rows[1][best] / rows[0][best]
    assert factor > 1
    assert ex.check_03_no_cache((best, factor * 1.005)).ok  # within 1 %
    fb = ex.check_03_no_cache((best, factor * 1.05))
    assert not fb.ok and "stays the cheapest" in fb.message and "growth factor is off" in fb.message
    assert "so above 1" in ex.check_03_no_cache((best, 1 / factor)).message
    dearer = rows[1].idxmax()
    assert "another of the three costs less" in ex.check_03_no_cache((dearer, factor)).message


def test_03_cheaper_human():
    p1, p3 = catalog_to_costs._crossing_03(1.0), catalog_to_costs._crossing_03(3.0)
    assert 0 < p3 < p1 < 1  # a cheaper human raises the bar the pricier model must clear
    assert ex.check_03_cheaper_human(round(p1, 4)).ok
    assert ex.check_03_cheaper_human(f"{100 * p1:.2f}%").ok
    at_3 = ex.check_03_cheaper_human(p3)
    assert not at_3.ok and "crossing at 3 USD" in at_3.message
    low = ex.check_03_cheaper_human(p1 - 0.01)
    assert not low.ok and low.message.startswith("too low") and f"{p1:.4f}" not in low.message


# ------------------------------------------------------------------------------------------- 04

def test_04_fix_case(golden):
    facts = golden.case("drf-006").expected.required_facts
    assert facts[0] == "14 days"
    assert ex.check_04_fix_case((("14 days", "14-day"), *facts[1:])).ok
    assert ex.check_04_fix_case([["14-DAY", "14 days"], *facts[1:]]).ok
    dropped = ex.check_04_fix_case(("14-day", *facts[1:]))
    assert not dropped.ok and "dropped a required fact ('14 days')" in dropped.message
    still = ex.check_04_fix_case(facts)
    assert not still.ok and "still fails" in still.message
    loose = ex.check_04_fix_case((("14 days", "-day"), *facts[1:]))
    assert not loose.ok and "too loose" in loose.message


def test_04_regression_case(golden):
    from workbench.evals.golden import regression_case
    pin = regression_case(golden, golden.case("cls-014"), regression_of="'where can I' outweighs 'receipt'",
                          input="Where can I find the receipt for last month's payment?")
    assert ex.check_04_regression_case(pin).ok
    caught = dict(pin, input="I was charged twice on my invoice, please refund.")
    fb = ex.check_04_regression_case(caught)
    assert not fb.ok and "does not reproduce the failure" in fb.message
    relabelled = copy.deepcopy(pin)
    relabelled["expected"]["label"] = "how_to"
    assert "pins the same right answer" in ex.check_04_regression_case(relabelled).message
    copied = dict(pin, input=golden.case("cls-014").input)
    assert "copy of an existing case" in ex.check_04_regression_case(copied).message
    invalid = dict(pin, task="clasify")
    assert "does not validate" in ex.check_04_regression_case(invalid).message


# ------------------------------------------------------------------------------------------- 05

def test_05_same_provider(catalog, scenario):
    from workbench.routing import chains_table
    before = chains_table(evals_to_mdr._config_05(), catalog).set_index("route").loc["cheap", "downtime_min_per_month"]
    data = copy.deepcopy(scenario.routing)
    data["routes"]["cheap"]["fallbacks"] = ["bedrock/nova-micro"]
    after = chains_table(evals_to_mdr._config_05(data), catalog).set_index("route").loc["cheap", "downtime_min_per_month"]
    assert after > before + 1  # sharing the provider's outages costs real minutes
    assert ex.check_05_same_provider(after - before + 0.05).ok
    whole = ex.check_05_same_provider(after)
    assert not whole.ok and "whole downtime" in whole.message
    assert "share one provider" in ex.check_05_same_provider(0).message
    assert ex.check_05_same_provider(2 * (after - before)).message.startswith("too high")


def test_05_routes():
    # by hand from the scenario's rules: no rule; an e-mail address (personal data); "dispute the
    # charge" (dispute_or_legal, before personal data); German for an answer (another language)
    right = ["cheap", "private", "human", "strong"]
    assert ex.check_05_routes(right).ok
    assert ex.check_05_routes(("Cheap ", "PRIVATE", "human", "strong")).ok
    fb = ex.check_05_routes(["cheap", "cheap", "strong", "stronk"])
    assert not fb.ok and fb.message.startswith("message 1: right")
    assert "message 2: not the default" in fb.message and "message 3: not that one" in fb.message
    assert "'stronk' is not a route" in fb.message
    assert "give 4 routes" in ex.check_05_routes(right[:3]).message


def test_05_messages_are_the_ones_the_notebook_shows():
    nb = json.loads((NOTEBOOKS / "05_routing_and_fallbacks.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for i, message in enumerate(ex.MESSAGES_05, start=1):
        assert f"{i}. {message}" in text


# ------------------------------------------------------------------------------------------- 06

def test_06_fix_record():
    from workbench.mdr import StepDecision
    record = evals_to_mdr._record_06()
    step = ex.STEP_06
    student = dataclasses.replace(record, deciders=[], risks=[], triggers=[],
                                  decisions=[StepDecision(step, record.decision(step).default,
                                                          record.decision(step).default, "same")])
    fb = ex.check_06_fix_record(student)
    assert not fb.ok and "[missing_deciders]" in fb.message and "[no_review_trigger]" in fb.message
    # the learner names deciders and risks (the drafted record leaves them blank); the worked example has some
    from workbench.mdr import record_config
    worked = record_config(evals_to_mdr._support()).worked_example
    fixed = dataclasses.replace(record, decisions=[d for d in record.decisions if d.step == step],
                                deciders=worked["deciders"], risks=worked["risks"])
    assert ex.check_06_fix_record(fixed).ok
    gone = ex.check_06_fix_record(dataclasses.replace(record, decisions=[]))
    assert not gone.ok and "silences the lint" in gone.message
    assert "give the fixed record" in ex.check_06_fix_record("my record").message


def test_06_threshold(catalog):
    from workbench.mdr import first_firing, price_replay
    right = next(p for p in range(0, 101) if first_firing(price_replay(catalog, *ex.PRICE_REPLAY_06, p)) is None)
    assert ex.check_06_threshold(right).ok and ex.check_06_threshold(f"{right}%").ok
    assert "still fires" in ex.check_06_threshold(right - 1).message
    assert "a smaller threshold also stays quiet" in ex.check_06_threshold(right + 10).message
    assert "whole number" in ex.check_06_threshold(12.5).message


def test_06_volume(scenario):
    # by hand: the trigger bound is the volume factor (2) x the 20,000 planned classifications
    planned = scenario.step("classify_intent").requests_per_month
    assert planned == 20_000
    assert ex.check_06_volume(2 * planned + 1).ok and ex.check_06_volume("40,001").ok
    assert "fires only *above* the bound" in ex.check_06_volume(2 * planned).message
    assert "look for the smallest" in ex.check_06_volume(2 * planned + 2).message


# ------------------------------------------------------------------------- notebooks and edition

def _notebooks():
    return {p.name[:2]: json.loads(p.read_text(encoding="utf-8")) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))}


def test_every_notebook_ends_with_its_checked_tasks():
    for key, nb in _notebooks().items():
        cells = nb["cells"]
        start = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Your turn"))
        tail = cells[start:]
        solutions = [c for c in tail if "solution" in c["metadata"].get("tags", [])]
        called = ["".join(c["source"]).split("(")[0] for c in tail
                  if c["cell_type"] == "code" and "".join(c["source"]).startswith("check_")]
        assert called == [f.__name__ for f in ex.CHECKS[key]], key
        assert len(solutions) == len(called) >= 2, key
        for i, cell in enumerate(tail):  # each solution cell is followed by its check
            if cell in solutions:
                assert "".join(tail[i + 1]["source"]).startswith("check_"), key
        assert not [c for c in cells[:start] if "solution" in c["metadata"].get("tags", [])], key


def test_student_edition_has_no_solutions(tmp_path):
    written = write_student_edition(NOTEBOOKS, tmp_path)
    assert [p.name for p in written] == sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    full = _notebooks()
    for path in written:
        nb = json.loads(path.read_text(encoding="utf-8"))
        original = full[path.name[:2]]
        assert len(nb["cells"]) == len(original["cells"])
        assert not [c for c in nb["cells"] if "solution" in c["metadata"].get("tags", [])]
        assert all(c.get("outputs", []) == [] for c in nb["cells"])
        stubs = ["".join(c["source"]) for c in nb["cells"] if "answer" in c["metadata"].get("tags", [])]
        n = len(ex.CHECKS[path.name[:2]])
        assert stubs == [f"answer_{i} = ...  # your answer here" for i in range(1, n + 1)]
        solutions = ["".join(c["source"]) for c in original["cells"] if "solution" in c["metadata"].get("tags", [])]
        text = path.read_text(encoding="utf-8")
        for line in (ln for source in solutions for ln in source.splitlines() if ln.startswith("answer_")):
            assert json.dumps(line)[1:-1] not in text
    with pytest.raises(WorkbenchError, match="already in"):
        write_student_edition(NOTEBOOKS, tmp_path)
    assert write_student_edition(NOTEBOOKS, tmp_path, force=True) == written


def test_student_stub_needs_an_answer_name():
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["solution"]}, "source": "x = 1",
                     "outputs": [], "execution_count": 3}]}
    with pytest.raises(WorkbenchError, match="assigns no name starting with 'answer'"):
        ex.student_notebook(nb, "demo.ipynb")
    nb["cells"][0]["source"] = "t = 2\nanswer_1 = t\nanswer_2: int = 3"
    out = ex.student_notebook(nb)
    assert out["cells"][0]["source"] == "answer_1 = ...  # your answer here\nanswer_2 = ...  # your answer here"
    assert out["cells"][0]["metadata"]["tags"] == ["answer"] and nb["cells"][0]["source"].startswith("t = 2")


def test_student_verb_writes_and_refuses_to_overwrite(tmp_path):
    from workbench.cli import main
    assert main(["student", "--out", str(tmp_path / "s")]) == 0
    assert len(list((tmp_path / "s").glob("*.ipynb"))) == 7
    assert main(["student", "--out", str(tmp_path / "s")]) == 2


def test_colab_cell_is_first_and_silent_elsewhere(tmp_path):
    for key, nb in _notebooks().items():
        first = "".join(nb["cells"][0]["source"])
        assert first.startswith("# Colab set-up") and '"google.colab" in sys.modules' in first, key
        assert "WORKBENCH_REPO" in first and "REPO_URL" not in first, key
    code = first + "\nimport os; print(repr(os.getcwd()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip() == repr(str(tmp_path)) and out.stderr == ""


def test_exercise_answers_ignore_form():
    assert base._names("a, B ;c") == {"a", "b", "c"} and base._names("a b") == {"a", "b"}
    assert base._number("1,250") == 1250 and base._number("87.5%") == 87.5 and base._number(True) is None
    assert base._number(float("nan")) is None and base._number("x") is None
