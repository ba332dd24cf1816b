"""Scores of evaluation runs: success, format validity, latency, cost per successful task, failures.

All functions take the ``results`` DataFrame of one or more :class:`~workbench.evals.runner.EvalRun`
(concatenated) and return DataFrames, so candidates sit side by side:

- :func:`summarize`: per candidate, success rate, format-valid rate, escalation and error rates,
  latency p50/p95 (linear-interpolated percentiles over the cases that have a measurement), cost
  per case and cost per successful task;
- :func:`success_by`: success rate per task kind or per tag;
- :func:`field_accuracy`: per-field accuracy of the extract task;
- :func:`failure_table`: every failed case with the checks it failed and why, for manual review.

Costs come from catalog prices times reported tokens (:func:`case_costs_usd`, through
:func:`workbench.costs.request.request_cost_usd`); cost per successful task is
:func:`workbench.costs.request.usd_per_success_for` with one attempt per case. Introduced in
``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from workbench.costs.request import request_cost_usd, usd_per_success_for
from workbench.tables import _plain


def case_costs_usd(results: pd.DataFrame, offering: pd.Series | None, free: bool = False) -> tuple[pd.Series, str]:
    """USD per case and a sentence saying how it was priced.

    ``free`` (the rule baseline): 0 USD, no model call. No ``offering``: NaN (unknown), never 0.
    Otherwise the offering's list prices (USD per million tokens) times each case's reported tokens:
    ``input_tokens`` (``cached_input_tokens`` of them at the cache-read price), ``output_tokens``
    minus ``reasoning_tokens`` at the output price and ``reasoning_tokens`` at the reasoning price.
    A case without reported usage (a failed call, a server that sends no usage) costs NaN.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    n = len(results)
    if free:
        return pd.Series(0.0, index=results.index, name="cost_usd"), "no model call: 0 USD per case"
    if offering is None:
        return (pd.Series(np.nan, index=results.index, name="cost_usd"),
                "unpriced: no catalog offering given (pass --offering OFFERING_ID)")
    tin = pd.to_numeric(results["input_tokens"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    tout = pd.to_numeric(results["output_tokens"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    reason = pd.to_numeric(results["reasoning_tokens"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    cached = pd.to_numeric(results["cached_input_tokens"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    reason = np.nan_to_num(reason, nan=0.0)
    share = np.where(tin > 0, np.nan_to_num(cached, nan=0.0) / np.where(tin > 0, tin, 1.0), 0.0)
    offers = pd.DataFrame([offering.to_dict()] * n, index=results.index) if n else pd.DataFrame([offering.to_dict()]).iloc[:0]
    usd = request_cost_usd(offers, np.nan_to_num(tin, nan=0.0), np.nan_to_num(np.maximum(tout - reason, 0), nan=0.0),
                           reason, cached_share=share)
    usd = usd.where(~(np.isnan(tin) | np.isnan(tout)), np.nan).rename("cost_usd")
    basis = (f"{offering.get('offering_id')} list prices ({_plain(offering.get('source'))}, as_of "
             f"{_plain(offering.get('as_of'))}) x token usage reported per case")
    return usd, basis


def _pct(values: pd.Series, q: float) -> float:
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(v).all():
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.nanpercentile(v, q))


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate: cases; success_rate (all checks passed); format_valid_rate;
    escalation_rate (answers and drafts that hand the case to a person, over all cases);
    error_rate (endpoint failures); ttft/total latency p50 and p95 in seconds; median output
    tokens per second; cost_per_case_usd (mean over priced cases); cost_per_success_usd;
    total_cost_usd; stale_prompts (replayed outputs answering an older prompt).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    rows = []
    for cand, g in results.groupby("candidate", sort=False):
        n = len(g)
        success = float(g["passed"].mean()) if n else float("nan")
        per_case = float(pd.to_numeric(g["cost_usd"], errors="coerce").mean())
        per_success = float(usd_per_success_for(per_case, success, 1)[0]) if success > 0 and not np.isnan(per_case) \
            else float("nan")
        rows.append({
            "candidate": cand, "provenance": g["provenance"].iloc[0], "cases": n, "passed": int(g["passed"].sum()),
            "success_rate": success, "format_valid_rate": float(g["format_valid"].mean()),
            "escalation_rate": float(g["escalated"].mean()), "error_rate": float(g["error_kind"].notna().mean()),
            "ttft_p50_s": _pct(g["ttft_s"], 50), "ttft_p95_s": _pct(g["ttft_s"], 95),
            "total_p50_s": _pct(g["total_s"], 50), "total_p95_s": _pct(g["total_s"], 95),
            "output_tokens_per_s_p50": _pct(g["output_tokens_per_s"], 50),
            "cost_per_case_usd": per_case, "cost_per_success_usd": per_success,
            "total_cost_usd": float(pd.to_numeric(g["cost_usd"], errors="coerce").sum(min_count=1)),
            "stale_prompts": int(g["stale_prompt"].fillna(False).astype(bool).sum()),
        })
    return pd.DataFrame(rows)


def success_by(results: pd.DataFrame, by: str = "task") -> pd.DataFrame:
    """Success rate per ``task`` or per ``tag`` (a case counts once for each of its tags; cases
    without tags are grouped as ``(none)``): columns group, then per candidate ``<name>`` (rate)
    and ``<name> n`` (cases).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    df = results[["candidate", "case_id", "passed", "task", "tags"]].copy()
    if by == "tag":
        df["group"] = df["tags"].fillna("").map(lambda t: [x for x in str(t).split(";") if x] or ["(none)"])
        df = df.explode("group")
    elif by == "task":
        df["group"] = df["task"]
    else:
        raise ValueError("by must be 'task' or 'tag'")
    out = None
    for cand, g in df.groupby("candidate", sort=False):
        agg = g.groupby("group")["passed"].agg(["mean", "size"]).rename(columns={"mean": cand, "size": f"{cand} n"})
        out = agg if out is None else out.join(agg, how="outer")
    return out.reset_index().rename(columns={"group": by})


def field_accuracy(results: pd.DataFrame) -> pd.DataFrame:
    """Per candidate: extract cases, fields right, fields total and the share right.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    ext = results[results["task"] == "extract"]
    rows = []
    for cand, g in ext.groupby("candidate", sort=False):
        right = int(pd.to_numeric(g["fields_right"], errors="coerce").fillna(0).sum())
        total = int(pd.to_numeric(g["fields_total"], errors="coerce").fillna(0).sum())
        rows.append({"candidate": cand, "extract_cases": len(g), "fields_right": right, "fields_total": total,
                     "field_accuracy": right / total if total else float("nan")})
    return pd.DataFrame(rows)


def failure_table(results: pd.DataFrame, max_output_chars: int = 80) -> pd.DataFrame:
    """Every failed case for manual review: candidate, case, task, tags, the failed checks, why,
    and the start of the output.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    f = results[~results["passed"].astype(bool)]
    out = f[["candidate", "case_id", "task", "tags", "failed_checks", "reasons"]].copy()
    out["output"] = f["output"].fillna("").map(lambda s: _clip(s, max_output_chars))
    return out.reset_index(drop=True)


def _clip(s: str, n: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def compare(*runs) -> pd.DataFrame:
    """The results of several runs in one DataFrame (for :func:`summarize` and friends).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    return pd.concat([r.results for r in runs], ignore_index=True)
