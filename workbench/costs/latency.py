"""Latency you can promise: the latency budget, tail latency by seeded simulation, rate-limit headroom.

- :func:`typical_latency_s` -- one attempt at median speeds: ``retrieval + (1 + tool_turns) x
  (network + TTFT) + tool_turns x tool_call_s + (output + reasoning tokens) / tokens per second``;
- :func:`simulate_latency_s` -- the same sum with TTFT and tokens/s drawn from lognormal
  distributions around the catalog's medians, and retries drawn from the step's success rate (a
  failed attempt costs its full time, then the next attempt starts); :func:`latency_table` gives
  p50/p95/p99 and the share of requests within the step's targets;
- :func:`derive_latency_spreads` -- the lognormal spreads, derived from real per-provider percentile
  data (Artificial Analysis's provider table, P5..P95 of TTFT and of tokens/s per model x provider);
  the derived ratios ship in ``data/latency_spreads.csv`` with their source, date, method and row count;
- :func:`rate_limit_headroom` -- peak requests and tokens per minute against the offering's RPM/TPM
  limits, and what it takes to fit.

Assumptions (named as such): network, retrieval and tool-call times come from the scenario; TTFT and
tokens/s of the retries of one request are drawn independently; tool-loop calls of one attempt share
the attempt's TTFT draw. Introduced in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.catalog.load import read_csv_strings
from workbench.costs.request import MINUTES_PER_MONTH, expected_attempts
from workbench.costs.steps import cross, steps_frame
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.util import data_dir

Z95 = 1.6448536269514722  # standard normal quantile at 0.95: P95/median = exp(Z95 * sigma) for a lognormal
SPREAD_COLUMNS = ("metric", "statistic", "p5_over_median", "p95_over_median", "lognormal_sigma", "n_rows",
                  "method", "source", "as_of")
SPREAD_METRICS = ("ttft_s", "output_tokens_per_s")
# the raw Artificial Analysis provider-table columns the derivation reads
AA_COLUMNS = {
    "ttft_s": ("P5 First Chunk (s)", "Median First Chunk (s)", "P95 First Chunk (s)"),
    "output_tokens_per_s": ("P5 Tokens/s", "Median Tokens/s", "P95 Tokens/s"),
}


# --------------------------------------------------------------------------------------------
# spreads from real percentile data
# --------------------------------------------------------------------------------------------

def _number(s: pd.Series) -> pd.Series:
    """Display strings such as '1,707.0', '$3.44', 'N/A' -> floats (NaN where not a number)."""
    return pd.to_numeric(s.astype(str).str.replace(r"[,$\s]", "", regex=True), errors="coerce")


def derive_latency_spreads(table: pd.DataFrame, source: str, as_of: str, file: str = "<table>") -> pd.DataFrame:
    """Typical spread ratios of TTFT and output speed from a per-provider percentile table.

    ``table`` has Artificial Analysis's provider-leaderboard columns (``P5/Median/P95 First Chunk (s)``,
    ``P5/Median/P95 Tokens/s``; display strings are parsed). Rows where P5 <= median <= P95 are all
    positive numbers are used. For each metric and for two statistics over rows (``median`` = a
    typical provider, ``p75`` = a worse-than-typical one) it gives ``p5_over_median``,
    ``p95_over_median`` and ``lognormal_sigma`` fitted to the *slow* side: ``ln(P95/median) / 1.645``
    for TTFT (a long wait is slow), ``ln(median/P5) / 1.645`` for tokens/s (a low speed is slow); for
    ``p75`` the slow-side ratio is the 75th percentile of the worse tail.
    """
    needed = [c for cols in AA_COLUMNS.values() for c in cols]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise fail(file, "row 1", f"missing column '{missing[0]}'",
                   "pass Artificial Analysis's provider table with its P5/Median/P95 columns as exported")
    rows = []
    for metric, (c5, cm, c95) in AA_COLUMNS.items():
        p5, med, p95 = _number(table[c5]), _number(table[cm]), _number(table[c95])
        ok = (p5 > 0) & (med > 0) & (p95 > 0) & (p5 <= med) & (med <= p95)
        lo, hi = (p5 / med)[ok], (p95 / med)[ok]
        n = int(ok.sum())
        if n == 0:
            raise fail(file, "all rows", f"no row has usable P5, median and P95 for {metric}",
                       "check that the percentile columns hold numbers")
        for stat, q in (("median", 0.5), ("p75", 0.75)):
            r5, r95 = float(lo.quantile(1 - q)), float(hi.quantile(q))  # p75: the wider tail on each side
            # slow = a high P95 for TTFT, a low P5 for tokens/s
            sigma = np.log(r95) / Z95 if metric == "ttft_s" else -np.log(r5) / Z95
            side = "ln(P95/median)" if metric == "ttft_s" else "ln(median/P5)"
            rows.append({"metric": metric, "statistic": stat, "p5_over_median": r5, "p95_over_median": r95,
                         "lognormal_sigma": float(sigma), "n_rows": n,
                         "method": (f"{'median' if q == 0.5 else '75th/25th percentile'} over rows of the P95/median and "
                                    f"P5/median ratios; lognormal sigma = {side} / 1.645 (slow side); rows with "
                                    "0 < P5 <= median <= P95"),
                         "source": source, "as_of": as_of})
    return pd.DataFrame(rows, columns=list(SPREAD_COLUMNS))


def spreads_path() -> Path:
    """Where the shipped spreads live: ``data/latency_spreads.csv`` (see ``notebooks/03_cost_and_latency.ipynb``)."""
    return data_dir() / "latency_spreads.csv"


def load_latency_spreads(path: str | Path | None = None) -> pd.DataFrame:
    """The derived spread ratios (default ``data/latency_spreads.csv``), checked.

    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    p = Path(path) if path is not None else spreads_path()
    df = read_csv_strings(p, str(path) if path is not None else "data/latency_spreads.csv")
    display = str(path) if path is not None else "data/latency_spreads.csv"
    problems = [Problem(display, "row 1", "required column is missing", f"add a '{c}' column", column=c)
                for c in SPREAD_COLUMNS if c not in df.columns]
    if problems:
        raise WorkbenchError(problems)
    for c in ("p5_over_median", "p95_over_median", "lognormal_sigma", "n_rows"):
        num = pd.to_numeric(df[c], errors="coerce")
        for row in df.index[num.isna() | (num < 0)]:
            problems.append(Problem(display, f"row {row}", "not a non-negative number", "write a plain number",
                                    column=c, value=df.loc[row, c]))
        df[c] = num
    for row in df.index[~df["metric"].isin(SPREAD_METRICS)]:
        problems.append(Problem(display, f"row {row}", "unknown metric", f"use one of {', '.join(SPREAD_METRICS)}",
                                column="metric", value=df.loc[row, "metric"]))
    if problems:
        raise WorkbenchError(problems)
    return df.reset_index(drop=True)


def latency_sigmas(spreads: pd.DataFrame | None = None, statistic: str = "median") -> tuple[float, float]:
    """``(sigma_ttft, sigma_tokens_per_s)`` (lognormal sigmas, unitless) for a statistic of
    :func:`load_latency_spreads` (``median`` or ``p75``)."""
    s = load_latency_spreads() if spreads is None else spreads
    pick = s[s["statistic"] == statistic]
    if pick.empty:
        raise fail("latency spreads", f"statistic '{statistic}'", "no such statistic", did_you_mean(statistic, s["statistic"]))
    by = dict(zip(pick["metric"], pick["lognormal_sigma"]))
    return float(by["ttft_s"]), float(by["output_tokens_per_s"])


# --------------------------------------------------------------------------------------------
# the latency budget
# --------------------------------------------------------------------------------------------

def typical_latency_s(ttft_s, tokens_per_s, output_tokens, reasoning_tokens=0, network_s=0.0, retrieval_s=0.0,
                      tool_turns=0, tool_call_s=0.0):
    """Seconds for one attempt at median speeds (vectorised):
    ``retrieval + (1 + tool_turns) x (network + ttft) + tool_turns x tool_call_s + (output + reasoning) / tokens_per_s``.

    Reasoning tokens are generated at the output speed before the answer. NaN when a speed needed is
    unknown (NaN) or not positive. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``; the shortlist's latency column uses it.
    """
    calls = 1 + np.asarray(tool_turns, dtype=float)
    gen = np.asarray(output_tokens, dtype=float) + np.asarray(reasoning_tokens, dtype=float)
    tps = np.asarray(tokens_per_s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        stream = np.where(gen > 0, np.where(tps > 0, gen / tps, np.nan), 0.0)
    return (np.asarray(retrieval_s, dtype=float) + calls * (np.asarray(network_s, dtype=float) + np.asarray(ttft_s, dtype=float))
            + (calls - 1) * np.asarray(tool_call_s, dtype=float) + stream)


def typical_ttft_s(ttft_s, network_s=0.0, retrieval_s=0.0, tool_turns=0, tool_call_s=0.0):
    """Seconds until the user sees the first answer token at median speed: the tool-loop calls
    before the last one, then the last call's network and TTFT (vectorised). Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    return typical_latency_s(ttft_s, 1.0, 0, 0, network_s, retrieval_s, tool_turns, tool_call_s)


def implied_reasoning_tokens(ttft_s, base_ttft_s, output_tokens_per_s):
    """Hidden reasoning tokens per request implied by a reasoning setting's longer wait for the first
    answer token: ``max(0, ttft_s - base_ttft_s) x output_tokens_per_s``, with ``base_ttft_s`` the same
    model's time to first token without reasoning. An ESTIMATE: it assumes, as Artificial Analysis's
    time to first answer token does, that the extra wait is reasoning tokens generated at the
    measured output speed. NaN when any input is unknown. Used to price a setting's reasoning tokens
    (the latency needs no extra term: ``ttft_s`` already holds the wait). Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    extra = np.asarray(ttft_s, dtype=float) - np.asarray(base_ttft_s, dtype=float)
    return np.maximum(extra, 0.0) * np.asarray(output_tokens_per_s, dtype=float)


def simulate_latency_s(ttft_s, tokens_per_s, output_tokens, reasoning_tokens=0, network_s=0.0, retrieval_s=0.0,
                       tool_turns=0, tool_call_s=0.0, success_rate=1.0, max_attempts=1, n: int = 20_000,
                       seed: int = 0, sigma_ttft: float = 0.0, sigma_tokens_per_s: float = 0.0) -> np.ndarray:
    """``n`` simulated task latencies (seconds) for each row: shape ``(rows, n)`` (rows = the length of
    the broadcast inputs; scalars give one row).

    Per attempt: TTFT ~ lognormal(median ``ttft_s``, ``sigma_ttft``), speed ~ lognormal(median
    ``tokens_per_s``, ``sigma_tokens_per_s``), time as in :func:`typical_latency_s` without retrieval.
    Attempts per task: 1 + geometric failures with ``success_rate``, capped at ``max_attempts``;
    retrieval is paid once. Seeded, with common random numbers: a row's samples depend only on the
    seed and that row's inputs.
    """
    arrs = np.broadcast_arrays(*(np.atleast_1d(np.asarray(x, dtype=float)) for x in
                                 (ttft_s, tokens_per_s, output_tokens, reasoning_tokens, network_s, retrieval_s,
                                  tool_turns, tool_call_s, success_rate, max_attempts)))
    ttft, tps, out, reason, net, retr, turns, tool_s, p, cap = (a[:, None] for a in arrs)
    rows = arrs[0].shape[0]
    # Common random numbers: every row uses the same uniform and normal draws, so a row's samples
    # depend only on the seed and its own inputs, never on which other rows are simulated with it
    # (and differences between offerings are not blurred by sampling noise).
    rng = np.random.default_rng(seed)
    k_max = int(np.nanmax(cap)) if rows else 1
    u = rng.random((1, n))
    if k_max > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            fails = np.where(p >= 1, 0.0, np.floor(np.log1p(-u) / np.log1p(-np.minimum(p, 1 - 1e-15))))
        attempts = np.minimum(cap, 1 + fails)
    else:
        attempts = np.ones((rows, n))
    calls = 1 + turns
    gen = out + reason
    total = np.broadcast_to(retr, (rows, n)).copy()
    for k in range(k_max):
        z_ttft = rng.standard_normal((1, n))
        z_tps = rng.standard_normal((1, n))
        t_first = ttft * np.exp(sigma_ttft * z_ttft)
        speed = tps * np.exp(sigma_tokens_per_s * z_tps)
        with np.errstate(divide="ignore", invalid="ignore"):
            stream = np.where(gen > 0, gen / speed, 0.0)
        one = calls * (net + t_first) + (calls - 1) * tool_s + stream
        total += np.where(attempts > k, one, 0.0) if k else one
    return total


def share_within(samples: np.ndarray, target_s) -> np.ndarray:
    """Share (0..1) of samples (seconds, last axis) at or under ``target_s`` seconds; NaN where there is
    no target."""
    t = np.asarray(target_s, dtype=float)
    share = (samples <= (t[..., None] if t.ndim else t)).mean(axis=-1)
    return np.where(np.isnan(t), np.nan, share)


def _steps(steps, volume=None) -> pd.DataFrame:
    if isinstance(steps, pd.DataFrame):
        return steps if volume is None else steps.assign(requests_per_month=float(volume))
    return steps_frame(steps if isinstance(steps, (list, tuple)) else [steps], volume)


def _num(g: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(g[name], errors="coerce").to_numpy(float) if name in g else np.full(len(g), np.nan)


def step_latency_samples(offers: pd.DataFrame, steps, spreads: pd.DataFrame | None = None, statistic: str = "median",
                         n: int = 20_000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Simulated task latencies (seconds) of every offering x step: ``(rows, samples)`` where ``rows``
    is :func:`workbench.costs.request.cross` of the two and ``samples`` has shape ``(len(rows), n)``; a row
    whose offering has no speed data is all NaN. Spreads: :func:`latency_sigmas` of ``statistic``.
    Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    g = cross(offers, _steps(steps))
    s_ttft, s_tps = latency_sigmas(spreads, statistic)
    ttft, tps = _num(g, "ttft_s"), _num(g, "output_tokens_per_s")
    gen = _num(g, "output_tokens") + _num(g, "reasoning_tokens")
    known = ~np.isnan(ttft) & (~np.isnan(tps) | (gen == 0))
    samples = np.full((len(g), n), np.nan)
    if known.any():
        idx = np.flatnonzero(known)
        args = {k: _num(g, k)[idx] for k in ("output_tokens", "reasoning_tokens", "network_s", "retrieval_s",
                                             "tool_turns", "tool_call_s", "success_rate", "max_attempts")}
        samples[idx] = simulate_latency_s(ttft[idx], np.where(np.isnan(tps[idx]), 1.0, tps[idx]), **args, n=n,
                                          seed=seed, sigma_ttft=s_ttft, sigma_tokens_per_s=s_tps)
    return g, samples


def latency_table(offers: pd.DataFrame, steps, spreads: pd.DataFrame | None = None, statistic: str = "median",
                  n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """Latency of every offering on every step: typical TTFT and total, simulated p50/p95/p99 (seconds),
    the share of requests within the step's ``total_s`` and ``p95_s`` targets, and whether the targets
    are met (typical TTFT <= ``ttft_s``, p50 <= ``total_s``, p95 <= ``p95_s``; NA when the offering has
    no speed data; a step without targets meets them). Samples: :func:`step_latency_samples`.
    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    g, sam = step_latency_samples(offers, steps, spreads, statistic, n, seed)
    known = ~np.isnan(sam[:, 0]) if n else np.zeros(len(g), bool)
    args = {k: _num(g, k) for k in ("output_tokens", "reasoning_tokens", "network_s", "retrieval_s", "tool_turns",
                                    "tool_call_s")}
    ttft = _num(g, "ttft_s")
    out = g[[c for c in ("offering_id", "model_id", "provider", "access_mode") if c in g] + ["step"]].copy()
    out["typical_ttft_s"] = typical_ttft_s(ttft, args["network_s"], args["retrieval_s"], args["tool_turns"],
                                           args["tool_call_s"])
    out["typical_latency_s"] = typical_latency_s(ttft, _num(g, "output_tokens_per_s"), **args)
    q = np.full((len(g), 3), np.nan)
    within_total = np.full(len(g), np.nan)
    within_p95 = np.full(len(g), np.nan)
    if known.any():
        q[known] = np.quantile(sam[known], [0.5, 0.95, 0.99], axis=1).T
        within_total[known] = share_within(sam[known], _num(g, "target_total_s")[known])
        within_p95[known] = share_within(sam[known], _num(g, "target_p95_s")[known])
    out["p50_s"], out["p95_s"], out["p99_s"] = q[:, 0], q[:, 1], q[:, 2]
    out["share_within_total_s"] = within_total
    out["share_within_p95_s"] = within_p95
    ok = np.ones(len(g), dtype=bool)
    for value, target in ((out["typical_ttft_s"].to_numpy(), _num(g, "target_ttft_s")),
                          (q[:, 0], _num(g, "target_total_s")), (q[:, 1], _num(g, "target_p95_s"))):
        ok &= np.isnan(target) | (value <= target)
    out["meets_latency_target"] = pd.array([bool(v) if k else pd.NA for v, k in zip(ok, known)], dtype="boolean")
    return out


# --------------------------------------------------------------------------------------------
# rate limits
# --------------------------------------------------------------------------------------------

def peak_per_minute(requests_per_month, peak_to_average, success_rate, max_attempts, input_tokens, output_tokens,
                    reasoning_tokens=0, tool_turns=0, batch_share=0.0) -> tuple[np.ndarray, np.ndarray]:
    """Peak real-time calls per minute and tokens per minute (vectorised).

    calls per request = expected attempts x (1 + tool_turns); tokens per request = expected attempts x
    (input x (1 + tool_turns) + output + reasoning); peak = monthly average x ``peak_to_average``;
    requests sent through a batch API (``batch_share``) do not count against real-time limits.
    """
    e = expected_attempts(success_rate, max_attempts)
    calls = 1 + np.asarray(tool_turns, dtype=float)
    per_min = np.asarray(requests_per_month, dtype=float) * np.asarray(peak_to_average, dtype=float) / MINUTES_PER_MONTH \
        * (1 - np.asarray(batch_share, dtype=float)) * e
    tokens = np.asarray(input_tokens, dtype=float) * calls + np.asarray(output_tokens, dtype=float) \
        + np.asarray(reasoning_tokens, dtype=float)
    return per_min * calls, per_min * tokens


def rate_limit_headroom(offers: pd.DataFrame, steps, volume: float | None = None) -> pd.DataFrame:
    """Peak requests and tokens per minute of every offering x step against its ``rpm_limit`` and ``tpm_limit``.

    Columns: ``peak_rpm``, ``peak_tpm``, the limits, ``rpm_use`` and ``tpm_use`` (peak / limit),
    ``fits_rate_limits`` (NA when neither limit is listed), ``limit_multiple`` (how many keys, projects
    or tier multiples it takes, ``ceil(max use)``), ``batch_share_to_fit`` (share of requests to move to
    a batch API so the rest fits; only for work that can wait) and ``to_fit`` (a sentence).
    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    g = cross(offers, _steps(steps, volume))
    col = lambda name: _num(g, name)
    rpm, tpm = peak_per_minute(col("requests_per_month"), col("peak_to_average"), col("success_rate"), col("max_attempts"),
                               col("input_tokens"), col("output_tokens"), col("reasoning_tokens"), col("tool_turns"),
                               col("batch_share"))
    rpm_limit, tpm_limit = col("rpm_limit"), col("tpm_limit")
    with np.errstate(divide="ignore", invalid="ignore"):
        rpm_use, tpm_use = rpm / rpm_limit, tpm / tpm_limit
    use = np.fmax(rpm_use, tpm_use)  # NaN only when both limits are unknown
    known = ~np.isnan(use)
    unbatched = 1 - col("batch_share")
    with np.errstate(divide="ignore", invalid="ignore"):
        to_batch = np.where(use > 1, 1 - unbatched / use, 0.0)
    out = g[[c for c in ("offering_id", "model_id", "provider", "access_mode") if c in g] + ["step"]].copy()
    out["peak_rpm"], out["peak_tpm"] = rpm, tpm
    out["rpm_limit"], out["tpm_limit"] = rpm_limit, tpm_limit
    out["rpm_use"], out["tpm_use"] = rpm_use, tpm_use
    out["fits_rate_limits"] = pd.array([bool(u <= 1) if k else pd.NA for u, k in zip(use, known)], dtype="boolean")
    out["limit_multiple"] = np.where(known, np.ceil(np.maximum(use, 1e-12) - 1e-12), np.nan)
    out["batch_share_to_fit"] = np.where(known, to_batch, np.nan)
    texts = []
    for mode, k, u, m, r, t, b in zip(g.get("access_mode", pd.Series([""] * len(g))), known, use,
                                      out["limit_multiple"], rpm, tpm, to_batch):
        if mode == "self-hosted":
            texts.append("no provider limit: capacity is the GPUs you run (see self-hosting)")
        elif not k:
            texts.append("unknown: the catalog lists no RPM/TPM limit for this offering; check the provider's tier page")
        elif u <= 1:
            texts.append(f"fits: peak uses {u * 100:.2g} % of the tighter limit")
        else:
            texts.append(f"over by {u:.1f}x: use {m:.0f} keys/projects, or a tier with at least {r:,.0f} RPM and "
                         f"{t:,.0f} TPM, or batch {b:.0%} of requests if they can wait")
    out["to_fit"] = texts
    return out
