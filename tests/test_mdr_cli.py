"""`python -m workbench decide` and `review`: numbered files that are never overwritten, the one
permitted edit when superseding, and review's exit codes (0 none fired, 1 fired, 2 bad input).
The catalog and scenario under tests/fixtures/mdr/ are synthetic."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.mdr.markdown import read_record

FIX = Path(__file__).parent / "fixtures" / "mdr"
SCENARIO = str(FIX / "scenario.yaml")
CATALOG = str(FIX / "catalog")


def decide(out: Path, *extra: str) -> int:
    return main(["decide", SCENARIO, "--out", str(out), "--catalog", CATALOG, *extra])


def test_decide_twice_writes_two_files_and_leaves_the_first_alone(tmp_path, capsys):
    out = tmp_path / "records"
    assert decide(out) == 0
    first = out / "0001-mdr-fixture.md"
    before = first.read_bytes()
    assert decide(out) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "0001-mdr-fixture.csv", "0001-mdr-fixture.facts.yaml", "0001-mdr-fixture.md", "0001-mdr-fixture.png",
        "0002-mdr-fixture.csv", "0002-mdr-fixture.facts.yaml", "0002-mdr-fixture.md", "0002-mdr-fixture.png"]
    assert first.read_bytes() == before
    second = read_record(out / "0002-mdr-fixture.md")
    assert second.number == 2 and second.chart == "0002-mdr-fixture.png"
    printed = capsys.readouterr().out
    assert "wrote " in printed and "lint:" in printed


def test_decide_supersedes_with_one_permitted_edit(tmp_path, capsys):
    out = tmp_path / "records"
    assert decide(out) == 0
    old = out / "0001-mdr-fixture.md"
    before = old.read_text()
    assert decide(out, "--supersedes", "1") == 0
    after = old.read_text()
    removed = [ln for ln in difflib.ndiff(before.splitlines(), after.splitlines()) if ln.startswith("- ")]
    added = [ln for ln in difflib.ndiff(before.splitlines(), after.splitlines()) if ln.startswith("+ ")]
    assert removed == ["- status: proposed"]
    assert added == ["+ status: superseded", "+ superseded-by: 0002-mdr-fixture.md", "+ ",
                     "+ > Superseded by [0002-mdr-fixture.md](0002-mdr-fixture.md)."]
    old_rec, new_rec = read_record(old), read_record(out / "0002-mdr-fixture.md")
    assert (old_rec.status, old_rec.superseded_by) == ("superseded", "0002-mdr-fixture.md")
    assert new_rec.supersedes == "0001-mdr-fixture.md"
    assert "> Supersedes [0001-mdr-fixture.md](0001-mdr-fixture.md)." in (out / "0002-mdr-fixture.md").read_text()
    # superseding it again is refused, and nothing new is written
    assert decide(out, "--supersedes", "0001") == 2
    assert "already superseded" in capsys.readouterr().err
    assert not (out / "0003-mdr-fixture.md").exists()


def test_decide_supersedes_unknown_number(tmp_path, capsys):
    assert decide(tmp_path, "--supersedes", "7") == 2
    assert "no record with this number (records here: none)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_decide_never_overwrites_a_stray_file(tmp_path, capsys):
    (tmp_path / "0001-mdr-fixture.png").write_bytes(b"mine")
    assert decide(tmp_path) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "0001-mdr-fixture.png").read_bytes() == b"mine"
    assert not (tmp_path / "0001-mdr-fixture.md").exists()


def test_review_exit_codes(tmp_path, capsys):
    out = tmp_path / "records"
    assert decide(out) == 0
    rec = str(out / "0001-mdr-fixture.md")
    capsys.readouterr()
    # 0: nothing fired on the same catalog
    assert main(["review", rec, "--catalog", CATALOG]) == 0
    assert "0 of " in capsys.readouterr().out
    # 1: the default's output price rose from 2 to 3 USD/Mtok (+50% > 20%)
    newer = tmp_path / "newer"
    shutil.copytree(CATALOG, newer)
    offers = newer / "offerings.csv"
    offers.write_text(offers.read_text().replace("acme/acme-mini,acme-mini,acme,managed-api,0.25,2,",
                                                 "acme/acme-mini,acme-mini,acme,managed-api,0.25,3,"))
    assert main(["review", rec, "--catalog", str(newer)]) == 1
    text = capsys.readouterr().out
    assert "out 2 -> 3 (+50.0%)" in text and "triggers fired" in text
    # 1: volume beyond 2 x 10,000
    assert main(["review", rec, "--catalog", CATALOG, "--volume", "25000"]) == 1
    capsys.readouterr()
    # 2: bad input
    assert main(["review", str(out / "0009-nothing.md"), "--catalog", CATALOG]) == 2
    assert "record not found" in capsys.readouterr().err
    broken = out / "0003-broken.md"
    broken.write_text("no front matter here\n")
    assert main(["review", str(broken), "--catalog", CATALOG]) == 2
    assert "the record has no front matter" in capsys.readouterr().err
    assert main(["review", rec, "--catalog", CATALOG, "--as-of", "2026-13-01"]) == 2
    assert main(["review", rec, "--catalog", CATALOG, "--results", str(tmp_path / "missing.csv")]) == 2


def test_review_with_a_results_file(tmp_path, capsys):
    ev = tmp_path / "results.csv"
    ev.write_text("step,candidate,n_cases,success_rate,source,as_of,label\n"
                  "answer,acme/acme-mini,60,0.9,golden set (synthetic),2026-11-18,synthetic\n")
    out = tmp_path / "records"
    assert decide(out, "--results", str(ev)) == 0
    rec = str(out / "0001-mdr-fixture.md")
    newer = tmp_path / "newer.csv"
    newer.write_text("candidate,success_rate,n_cases\nacme/acme-mini,0.8,60\n")  # 90% -> 80%: 10 points > 5
    capsys.readouterr()
    assert main(["review", rec, "--catalog", CATALOG, "--results", str(newer)]) == 1
    assert "90.0% -> 80.0% (-10.0 points" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,success_rate\nacme/acme-mini,92%\n")
    assert main(["review", rec, "--catalog", CATALOG, "--results", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 2, column 'success_rate': success_rate must be a share between 0 and 1" in err


def write_eval_run(path: Path, offering_id: str | None, candidate: str, passed: list[bool], task: str = "answer",
                   provenance: str = "synthetic") -> Path:
    """A results file in the format `python -m workbench eval --out` writes (synthetic rows)."""
    import json
    meta = {"format": "workbench-eval-results", "version": 1, "candidate": candidate, "provenance": provenance,
            "golden": "synthetic.jsonl", "golden_sha256": "0" * 64, "as_of": "2026-11-18"}
    if offering_id:
        meta["offering_id"] = offering_id
    rows = [{"candidate": candidate, "provenance": provenance, "case_id": f"c{i}", "task": task, "passed": p,
             "format_valid": True, "escalated": False, "error_kind": None, "cost_usd": 0.001,
             "ttft_s": 0.5, "total_s": 1.0, "output_tokens_per_s": 100.0, "stale_prompt": False}
            for i, p in enumerate(passed)]
    path.write_text("\n".join(json.dumps(x) for x in [meta, *rows]) + "\n")
    return path


def test_decide_and_review_with_eval_run_files(tmp_path, capsys):
    # 60 cases, 54 passed: 54 / 60 = 90%
    first = write_eval_run(tmp_path / "run1.jsonl", "acme/acme-mini", "openai:acme-mini", [True] * 54 + [False] * 6)
    out = tmp_path / "records"
    assert decide(out, "--results", str(first)) == 0
    rec = read_record(out / "0001-mdr-fixture.md")
    ev = rec.evaluations[0]
    assert (ev.step, ev.candidate, ev.task, ev.n_cases, ev.label) == ("answer", "acme/acme-mini", "answer", 60, "synthetic")
    assert ev.success_rate == pytest.approx(0.9)
    # cost per success: 0.001 USD per case / 0.9 = 0.001111 USD
    assert ev.cost_per_success_usd == pytest.approx(0.001 / 0.9)
    # a newer run: 50 / 60 = 83.3%, a 6.7-point drop > 5 -> review exits 1
    newer = write_eval_run(tmp_path / "run2.jsonl", "acme/acme-mini", "openai:acme-mini", [True] * 50 + [False] * 10)
    capsys.readouterr()
    assert main(["review", str(out / "0001-mdr-fixture.md"), "--catalog", CATALOG, "--results", str(newer)]) == 1
    assert "90.0% -> 83.3% (-6.7 points" in capsys.readouterr().out
    # 52 / 60 = 86.7%: a 3.3-point drop -> nothing fires
    ok = write_eval_run(tmp_path / "run3.jsonl", "acme/acme-mini", "openai:acme-mini", [True] * 52 + [False] * 8)
    assert main(["review", str(out / "0001-mdr-fixture.md"), "--catalog", CATALOG, "--results", str(ok)]) == 0


def test_decide_then_review_on_the_shipped_snapshot(tmp_path, capsys):
    """The README's flow on the project's own data: decide writes 0001, review reads it back."""
    root = Path(__file__).parent.parent
    out = tmp_path / "records"
    assert main(["decide", str(root / "data" / "scenarios" / "support_assistant.yaml"), "--out", str(out)]) == 0
    rec_path = out / "0001-support-assistant.md"
    rec = read_record(rec_path)
    assert [d.step for d in rec.decisions] == ["classify_intent", "embed_queries", "answer_with_citations", "draft_reply"]
    assert all(d.fallback for d in rec.decisions)
    capsys.readouterr()
    code = main(["review", str(rec_path), "--catalog", str(root / "data" / "catalog")])
    text = capsys.readouterr().out
    fired = int(text.strip().splitlines()[-1].split(" of ")[0])
    assert code == (1 if fired else 0)
    # two pages for people, every fact for machines beside it
    md = rec_path.read_text(encoding="utf-8")
    assert len(md.splitlines()) < 150 and "e-0" not in md
    assert (out / "0001-support-assistant.facts.yaml").exists() and (out / "0001-support-assistant.png").exists()
    # the illustrative results log: answer_with_citations fell from 90.0% (3 weeks x 20 x 18/20) to 80.0% (16/20)
    log = root / "data" / "golden" / "results" / "illustrative_production_log.csv"
    assert main(["review", str(rec_path), "--catalog", str(root / "data" / "catalog"), "--log", str(log)]) == 1
    text = capsys.readouterr().out
    assert "last 7 days: 80.0% on 140 results vs 90.0% on 420 earlier results: -10.0 points (limit -5" in text


def test_template_blanks_and_lint_lists_them(tmp_path, capsys):
    out = tmp_path / "records"
    assert decide(out, "--template") == 0
    rec = out / "0001-mdr-fixture.md"
    text = rec.read_text(encoding="utf-8")
    assert "_(to write: Why this default and this fallback for each step?" in text
    assert "deciders: []" in text
    r = read_record(rec)
    assert not r.rationale and not r.risks and not any(r.reflections.values())
    capsys.readouterr()
    assert main(["lint", str(rec), "--catalog", CATALOG]) == 1
    printed = capsys.readouterr().out
    for code in ("missing_deciders", "missing_rationale", "missing_risks"):
        assert code in printed
    assert printed.count("missing_reflection") == 4
    # the learner writes a claim the facts contradict: the fixture's default has no golden-set result
    rec.write_text(text.replace("_(to write: Why this default and this fallback for each step? What did you weigh, "
                                "in which order?)_", "We tested acme/acme-mini on the golden set and it passed."),
                   encoding="utf-8")
    assert main(["lint", str(rec), "--catalog", CATALOG]) == 1
    assert "claims_evaluated" in capsys.readouterr().out


def test_review_refuses_a_hand_edited_baseline_readably(tmp_path, capsys):
    out = tmp_path / "records"
    assert decide(out) == 0
    facts = out / "0001-mdr-fixture.facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "  baseline:\n    usd_per_mtok_in: 0.25\n" in text  # the first trigger: the default's price
    facts.write_text(text.replace("  baseline:\n    usd_per_mtok_in: 0.25\n", "  baseline:\n    usd_per_mtok_in: 3.5 cents\n", 1),
                     encoding="utf-8")
    capsys.readouterr()
    assert main(["review", str(out / "0001-mdr-fixture.md"), "--catalog", CATALOG]) == 2
    err = capsys.readouterr().err
    assert "0001-mdr-fixture.facts.yaml: facts: triggers[0] (price_change_pct).baseline.usd_per_mtok_in: is not a number" in err
    assert "Traceback" not in err


def test_hostile_scenario_and_catalog_text_is_inert_end_to_end(tmp_path, capsys):
    """<script>, <img onerror> and <iframe> in the scenario's title and description and a model's
    name, and a newline plus '#' in a catalog source cell: the record shows them as text, no
    heading is injected, and read_record gives the values back exactly."""
    cat = tmp_path / "catalog"
    shutil.copytree(CATALOG, cat)
    offers = cat / "offerings.csv"
    evil_source = "mdr test fixture (synthetic)\n# Injected heading <iframe src=//evil></iframe>"
    offers.write_text(offers.read_text().replace(
        "acme/acme-mini,acme-mini,acme,managed-api,0.25,2,,150,0.4,yes,yes,no,no,500,2000000,mdr test fixture (synthetic),",
        f'acme/acme-mini,acme-mini,acme,managed-api,0.25,2,,150,0.4,yes,yes,no,no,500,2000000,"{evil_source}",'))
    models = cat / "models.csv"
    models.write_text(models.read_text().replace("acme-mini,Acme Mini,", "acme-mini,<img src=x onerror=alert(1)> Mini,"))
    scen = tmp_path / "scenario.yaml"
    scen.write_text((FIX / "scenario.yaml").read_text()
                    .replace("title: MDR fixture (synthetic)", "title: 'MDR <script>alert(1)</script> fixture'")
                    .replace("description: A synthetic", "description: <iframe src=//evil></iframe> A synthetic"))
    out = tmp_path / "records"
    assert main(["decide", str(scen), "--out", str(out), "--catalog", str(cat)]) == 0
    md_path = out / "0001-mdr-fixture.md"
    text = md_path.read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<iframe"):
        assert raw not in text
    assert "&lt;script&gt;" in text and "&lt;iframe src=//evil&gt;" in text
    assert not any(ln.lstrip("0123456789. ").startswith("# Injected") for ln in text.splitlines())
    assert "mdr test fixture (synthetic)<br># Injected heading &lt;iframe" in text  # one Sources item, one line
    rec = read_record(md_path)
    assert rec.title == "MDR <script>alert(1)</script> fixture: model choice"
    assert rec.context.startswith("<iframe src=//evil></iframe> A synthetic")
    c = rec.candidate("answer", "acme/acme-mini")
    assert c.facts["usd_per_mtok_in"].source == evil_source
