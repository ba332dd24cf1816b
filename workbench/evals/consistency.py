"""Consistency under rephrasing: does the verdict on a case change when the customer says the same
thing in other words?

A paraphrase keeps the case's meaning, so it keeps its expected output: the same label, the same
required facts. ``support_assistant_paraphrases.jsonl`` (beside the golden set) holds hand-written
paraphrases, one JSON object a line: ``id`` (``<case id>~p<n>``), ``of`` (the golden case) and
``input``. :func:`paraphrased_golden` adds them to a golden set as cases of their own, the runner
scores them like any case, and :func:`verdict_changes` counts how often a paraphrase's verdict
(passed or not) differs from its original's. A model whose verdict flips under rephrasing is
matching words, not meaning; a change rate near zero is what you want. Introduced in
``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd

from workbench.errors import Problem, WorkbenchError, did_you_mean
from workbench.evals.golden import golden_dir

PARAPHRASES_FILE = "support_assistant_paraphrases.jsonl"


def load_paraphrases(path: str | Path | None = None, golden=None) -> pd.DataFrame:
    """The paraphrases file (default: ``data/golden/support_assistant_paraphrases.jsonl``) as a DataFrame
    (``id``, ``of``, ``input``). Every problem is reported at once by line: bad JSON, a missing or empty
    key, a repeated id, and (when ``golden`` is given) an ``of`` that is not a case of it.
    Introduced in ``notebooks/04_golden_dataset_eval.ipynb``."""
    f = Path(path) if path is not None else golden_dir() / PARAPHRASES_FILE
    shown = str(f)
    try:
        lines = f.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise WorkbenchError(Problem(shown, "file", "file not found",
                                     "check the path, or write one JSON object a line: id, of, input")) from None
    known = {c.id for c in golden.cases} if golden is not None else None
    rows, problems, seen = [], [], set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(Problem(shown, f"line {n}", f"not JSON ({e.msg})", "write one JSON object a line"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(shown, f"line {n}", "not a JSON object", 'write {"id": ..., "of": ..., "input": ...}'))
            continue
        bad = [k for k in ("id", "of", "input") if not isinstance(obj.get(k), str) or not obj[k].strip()]
        if bad:
            problems.append(Problem(shown, f"line {n}", f"missing or empty: {', '.join(bad)}",
                                    "give the paraphrase's own id, the golden case it rephrases (of) and its text"))
            continue
        if obj["id"] in seen:
            problems.append(Problem(shown, f"line {n}", f"id '{obj['id']}' is used twice", "give each paraphrase its own id"))
        seen.add(obj["id"])
        if known is not None and obj["of"] not in known:
            problems.append(Problem(shown, f"line {n}", f"of '{obj['of']}' is not a case of the golden set",
                                    did_you_mean(obj["of"], known)))
        if known is not None and obj["id"] in known:
            problems.append(Problem(shown, f"line {n}", f"id '{obj['id']}' is already a golden case id",
                                    "name it '<case id>~p<n>'"))
        rows.append({"id": obj["id"], "of": obj["of"], "input": obj["input"]})
    if problems:
        raise WorkbenchError(problems)
    return pd.DataFrame(rows, columns=["id", "of", "input"])


def paraphrased_golden(golden, paraphrases: pd.DataFrame):
    """A golden set holding the rephrased cases and their paraphrases (and nothing else): each paraphrase is
    its original case with the paraphrase's ``id`` and ``input`` (same task, expected output, checks,
    articles and customer). Introduced in ``notebooks/04_golden_dataset_eval.ipynb``."""
    originals = list(dict.fromkeys(paraphrases["of"]))
    cases = [golden.case(i) for i in originals]
    cases += [replace(golden.case(r.of), id=r.id, input=r.input, line=0) for r in paraphrases.itertuples()]
    return replace(golden, cases=tuple(cases))


def verdict_changes(results: pd.DataFrame, paraphrases: pd.DataFrame) -> pd.DataFrame:
    """One row per rephrased case: ``case_id``, ``task``, ``passed`` (the original's verdict),
    ``paraphrases``, ``paraphrases_passed``, ``changed`` (paraphrases whose verdict differs) and
    ``change_rate`` (changed / paraphrases). ``results`` has ``case_id``, ``task``, ``passed`` for the
    originals and the paraphrases (a run on :func:`paraphrased_golden`).
    Introduced in ``notebooks/04_golden_dataset_eval.ipynb``."""
    v = results.set_index("case_id")
    missing = [i for i in list(paraphrases["of"]) + list(paraphrases["id"]) if i not in v.index]
    if missing:
        raise WorkbenchError(Problem("results", f"case '{missing[0]}'", "has no result",
                                     "run the candidate on paraphrased_golden(golden, paraphrases)"))
    rows = []
    for of, grp in paraphrases.groupby("of", sort=False):
        base = bool(v.loc[of, "passed"])
        para = [bool(v.loc[i, "passed"]) for i in grp["id"]]
        changed = sum(p != base for p in para)
        rows.append({"case_id": of, "task": v.loc[of, "task"], "passed": base, "paraphrases": len(para),
                     "paraphrases_passed": sum(para), "changed": changed, "change_rate": changed / len(para)})
    return pd.DataFrame(rows, columns=["case_id", "task", "passed", "paraphrases", "paraphrases_passed", "changed",
                                       "change_rate"])


def consistency_summary(changes: pd.DataFrame) -> dict:
    """``cases``, ``pairs`` (case, paraphrase), ``pairs_changed``, ``pair_change_rate`` (changed pairs / pairs)
    and ``cases_with_a_change`` from :func:`verdict_changes`. Introduced in ``notebooks/04_golden_dataset_eval.ipynb``."""
    pairs = int(changes["paraphrases"].sum())
    changed = int(changes["changed"].sum())
    return {"cases": len(changes), "pairs": pairs, "pairs_changed": changed,
            "pair_change_rate": changed / pairs if pairs else float("nan"),
            "cases_with_a_change": int((changes["changed"] > 0).sum())}
