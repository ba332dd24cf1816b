"""Evaluation evidence for a record: golden-set results files and summaries turned into per-step
:class:`Evaluation` facts with their source, date and label (measured, replayed, illustrative).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from workbench.catalog.load import read_csv_strings
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.evals.adapters.replay import RESULTS_FORMAT, read_results_file
from workbench.evals.report import summarize
from workbench.mdr.config import RecordConfig, record_config
from workbench.mdr.record import Evaluation
from workbench.scenario.load import Scenario, Step
from workbench.util import as_date as _day
from workbench.util import plain_value as _val

# ------------------------------------------------------------------------------------------------
# evaluations, matrix and triggers
# ------------------------------------------------------------------------------------------------

EVALUATION_COLUMNS = ("step", "candidate", "n_cases", "success_rate", "cost_per_success_usd", "source", "as_of", "label")


def evaluations_from_frame(df: pd.DataFrame, file: str = "<evaluations>") -> list[Evaluation]:
    """Golden-set results as :class:`Evaluation` rows, from a frame with :data:`EVALUATION_COLUMNS`
    (``cost_per_success_usd`` and ``label`` optional). Missing columns are a :class:`WorkbenchError`."""
    need = ("step", "candidate", "n_cases", "success_rate", "source", "as_of")
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise WorkbenchError([Problem(file, "columns", f"column '{c}' is missing",
                                      "give " + ", ".join(need) + " (cost_per_success_usd and label optional)")
                              for c in missing])
    out = []
    for r in df.to_dict(orient="records"):
        out.append(Evaluation(step=str(r["step"]), candidate=str(r["candidate"]), n_cases=int(r["n_cases"]),
                              success_rate=_val(r["success_rate"]), cost_per_success_usd=_val(r.get("cost_per_success_usd")),
                              source=str(r["source"]), as_of=_day(r["as_of"]), label=str(r.get("label") or "measured"),
                              task=r["task"] if isinstance(r.get("task"), str) and r.get("task") else None))
    return out


# ------------------------------------------------------------------------------------------------
# inputs of the command line: decided steps, golden-set result files
# ------------------------------------------------------------------------------------------------

def decided_steps(scenario: Scenario, config: RecordConfig | None = None) -> list[Step]:
    """The steps a record decides: ``record.steps`` when given, else every step of the workflow."""
    cfg = config if config is not None else record_config(scenario)
    return [scenario.step(s) for s in cfg.steps] if cfg.steps else list(scenario.workflow)


def _read_rows(path: str | Path) -> tuple[pd.DataFrame, str]:
    """A CSV or JSON (a list of objects, or {"results": [...]}) table, index = row numbers."""


    p = Path(path)
    display = str(path)
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise fail(display, "file", "file not found", "check the path") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            where = f"line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else "file"
            raise fail(display, where, "not valid JSON", "pass the file the eval command wrote") from None
        if isinstance(data, dict):
            data = data.get("results", data.get("summary"))
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise fail(display, "top level", 'must be a list of result objects (or {"results": [...]})',
                       "pass the summary the eval command wrote")
        df = pd.DataFrame(data)
        df.index = pd.RangeIndex(1, 1 + len(df))
        return df, display
    return read_csv_strings(p, display), display


def _is_eval_results(path: str | Path) -> bool:
    """True for a results file written by ``python -m workbench eval --out`` (JSON Lines)."""
    try:
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return f'"format": "{RESULTS_FORMAT}"' in first or f'"format":"{RESULTS_FORMAT}"' in first


def results_by_task(run) -> pd.DataFrame:
    """A golden-set run summarised per task with the eval package's own :func:`workbench.evals.summarize`.

    ``run`` is an :class:`workbench.evals.EvalRun` or the path of a results file written by
    ``python -m workbench eval --out``. Columns: ``candidate`` (the priced offering id when the run had
    one, else the run's candidate name, e.g. ``rules``), ``task``, ``n_cases``, ``success_rate``,
    ``cost_per_success_usd``, ``label`` (the run's provenance: measured, deterministic rules,
    illustrative), ``source`` and ``as_of``. Introduced in ``06_model_decision_record.ipynb``."""

    if hasattr(run, "meta") and hasattr(run, "results"):
        meta, df, name = run.meta, run.results, "in memory"
    else:
        meta, rows = read_results_file(run)
        df, name = pd.DataFrame(rows), Path(run).name
        if df.empty:
            raise fail(str(run), "file", "has no result rows", "pass a results file with at least one case")
    candidate = meta.get("offering_id") or meta.get("candidate") or "unnamed run"
    sha = str(meta.get("golden_sha256") or "")[:12]
    source = f"golden set {meta.get('golden', '?')}" + (f" (sha256 {sha})" if sha else "") + f", run {name}"
    out = []
    for task, g in df.groupby("task", sort=True):
        s = summarize(g.assign(candidate=candidate)).iloc[0]
        out.append({"candidate": candidate, "task": task, "n_cases": int(s["cases"]),
                    "success_rate": float(s["success_rate"]),
                    "cost_per_success_usd": None if pd.isna(s["cost_per_success_usd"]) else float(s["cost_per_success_usd"]),
                    "label": str(meta.get("provenance") or "measured"), "source": source,
                    "as_of": meta.get("as_of")})
    return pd.DataFrame(out)


def evaluations_for_steps(summary: pd.DataFrame, scenario: Scenario, config: RecordConfig | None = None,
                          file: str = "<results>") -> list[Evaluation]:
    """:class:`Evaluation` rows from a per-task summary (:func:`results_by_task`), one per step the
    scenario's ``record.golden_tasks`` maps to a task. Introduced in ``06_model_decision_record.ipynb``."""
    cfg = config if config is not None else record_config(scenario)
    if not cfg.golden_tasks:
        raise fail(scenario.path, "record.golden_tasks", "is missing, so results by task cannot be matched to steps",
                   "map each step to its golden-set task, e.g. golden_tasks: {classify_intent: classify}")
    by_task: dict[str, list[str]] = {}
    for step, task in cfg.golden_tasks.items():
        by_task.setdefault(task, []).append(step)
    df = summary[summary["task"].isin(list(by_task))].assign(step=lambda d: d["task"].map(by_task)).explode("step")
    return evaluations_from_frame(df.reset_index(drop=True), file)


def load_results_summary(path: str | Path) -> pd.DataFrame:
    """Golden-set results for ``review --results`` and ``decide --results``: a results file written by
    ``python -m workbench eval --out`` (summarised per task by :func:`results_by_task`), or a CSV/JSON
    summary with ``candidate`` (offering id or ``rules``), ``success_rate`` (0..1) and optional
    ``step``, ``task``, ``n_cases``, ``cost_per_success_usd``, ``source``, ``as_of``, ``label``.
    Every bad cell is reported with its row and column."""
    if _is_eval_results(path):
        return results_by_task(path)
    df, display = _read_rows(path)
    problems = []
    for col in ("candidate", "success_rate"):
        if col not in df.columns:
            problems.append(Problem(display, "header", f"column '{col}' is missing",
                                    "a results summary needs candidate and success_rate (optional: step, task, "
                                    "n_cases, source, as_of, label), or pass the file `eval --out` wrote; "
                                    + did_you_mean(col, df.columns)))
    if problems:
        raise WorkbenchError(problems)
    rate = pd.to_numeric(df["success_rate"], errors="coerce")
    for row in df.index[rate.isna() | (rate < 0) | (rate > 1)]:
        problems.append(Problem(display, f"row {row}", "success_rate must be a share between 0 and 1",
                                "write e.g. 0.92 for 92%", column="success_rate", value=df.loc[row, "success_rate"]))
    if "n_cases" in df.columns:
        n = pd.to_numeric(df["n_cases"], errors="coerce")
        for row in df.index[n.isna() | (n < 0) | (n % 1 != 0)]:
            problems.append(Problem(display, f"row {row}", "n_cases must be a whole number >= 0", "write the case count",
                                    column="n_cases", value=df.loc[row, "n_cases"]))
    if "as_of" in df.columns:
        for row in df.index:
            if df.loc[row, "as_of"] not in (None, "") and _day(df.loc[row, "as_of"]) is None:
                problems.append(Problem(display, f"row {row}", "not a date in YYYY-MM-DD form", "write e.g. 2026-11-20",
                                        column="as_of", value=df.loc[row, "as_of"]))
    if problems:
        raise WorkbenchError(problems)
    out = df.copy()
    out["success_rate"] = rate
    if "n_cases" in out:
        out["n_cases"] = pd.to_numeric(out["n_cases"]).astype(int)
    for col in ("step", "task"):
        if col in out:
            out[col] = out[col].replace("", None)
    return out.reset_index(drop=True)


def load_evaluations(path: str | Path, scenario: Scenario, config: RecordConfig | None = None) -> list[Evaluation]:
    """Golden-set results to record with a decision (``decide --results``), one :class:`Evaluation`
    per step and candidate. An ``eval`` results file is split by task and mapped to steps by the
    scenario's ``record.golden_tasks`` (step -> task); a CSV/JSON summary needs ``step``, ``n_cases``,
    ``source`` and ``as_of`` columns."""
    df = load_results_summary(path)
    if "task" in df.columns and "step" not in df.columns:
        return evaluations_for_steps(df, scenario, config, str(path))
    return evaluations_from_frame(df.reset_index(drop=True), str(path))


LOG_COLUMNS = ("date", "step", "n_cases", "n_success", "label", "source")


def _log_day(v):
    try:
        return _day(v)
    except ValueError:
        return None


def load_results_log(path: str | Path) -> pd.DataFrame:
    """A log of recent results for the production-drift trigger (``review --log``): a CSV (or JSON)
    with one row per batch of graded results: ``date`` (YYYY-MM-DD), ``step``, ``n_cases``,
    ``n_success`` (whole numbers, ``n_success <= n_cases``), ``label`` (measured, sampled production,
    illustrative, ...), ``source``, and optional ``offering_id`` (blank: whatever served the step).
    Every bad cell is reported with its row and column. Introduced in ``06_model_decision_record.ipynb``."""
    df, display = _read_rows(path)
    problems = [Problem(display, "header", f"column '{c}' is missing", "a results log needs " + ", ".join(LOG_COLUMNS)
                        + " (optional: offering_id); " + did_you_mean(c, df.columns))
                for c in LOG_COLUMNS if c not in df.columns]
    if problems:
        raise WorkbenchError(problems)
    n = pd.to_numeric(df["n_cases"], errors="coerce")
    k = pd.to_numeric(df["n_success"], errors="coerce")
    for row in df.index:
        if _log_day(df.loc[row, "date"]) is None:
            problems.append(Problem(display, f"row {row}", "not a date in YYYY-MM-DD form", "write e.g. 2026-11-20",
                                    column="date", value=df.loc[row, "date"]))
        if pd.isna(n[row]) or n[row] < 1 or n[row] % 1:
            problems.append(Problem(display, f"row {row}", "n_cases must be a whole number >= 1",
                                    "write how many results were graded", column="n_cases", value=df.loc[row, "n_cases"]))
        elif pd.isna(k[row]) or k[row] < 0 or k[row] % 1 or k[row] > n[row]:
            problems.append(Problem(display, f"row {row}", "n_success must be a whole number between 0 and n_cases",
                                    "write how many of them passed", column="n_success", value=df.loc[row, "n_success"]))
        if not str(df.loc[row, "step"] or "").strip():
            problems.append(Problem(display, f"row {row}", "step is empty", "name the workflow step", column="step"))
    if problems:
        raise WorkbenchError(problems)
    out = df.copy()
    out["date"] = [_log_day(x) for x in out["date"]]
    out["n_cases"], out["n_success"] = n.astype(int), k.astype(int)
    if "offering_id" not in out:
        out["offering_id"] = ""
    out["offering_id"] = out["offering_id"].fillna("").astype(str)
    return out.reset_index(drop=True)
