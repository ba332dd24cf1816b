"""Cost of a request, a month and a successful task, from catalog prices (USD per million tokens).

One formula, one place, vectorised over offerings (and over offerings x steps):

- :func:`request_cost_terms` / :func:`request_cost_usd`: USD for one *attempt* of one request of a
  token mix, term by term (input, cache reads, cache writes, output, reasoning, tool-loop re-sends,
  long-context tier, batch discount);
- :func:`expected_attempts`, :func:`task_success_rate`: retries with a success probability ``p`` per
  attempt and a cap of ``n`` attempts;
- :func:`monthly_costs`: retries, human escalation, monthly cost and cost per successful task;
- :func:`step_costs`: all of it for every offering x every scenario step, self-hosted offerings
  priced through :mod:`workbench.costs.selfhost` (GPU-months, never 0 and never a silent NaN).

Which tasks count as successes: a task succeeds automatically when one of its attempts succeeds
*and* it is not handed to a human. A task that needed a human (``escalation_rate``) is not an
automated success, even when the model's attempt was fine; its model cost and its escalation cost
are both paid. A task whose every attempt failed is not a success either; its attempts are paid, and
with ``failures_escalated=True`` it also goes to a human at ``usd_per_escalation`` (a support desk
usually works that way: then a more reliable model saves human time, not only tokens).

Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb`` (token-mix pricing vs the 3:1
blend) and ``notebooks/03_cost_and_latency.ipynb`` (term by term, retries, escalation, break-even).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.errors import fail

MTOK = 1_000_000
HOURS_PER_MONTH = 730.0  # 365 days x 24 h / 12 months
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
MINUTES_PER_MONTH = HOURS_PER_MONTH * 60.0

# the per-request terms, in the order request_cost_terms returns them
COST_TERMS = ("input_usd", "cached_input_usd", "cache_write_usd", "output_usd", "reasoning_usd", "batch_discount_usd")


def _col(offers: pd.DataFrame, name: str) -> np.ndarray:
    if name not in offers:
        return np.full(len(offers), np.nan)
    s = offers[name]
    if s.dtype == np.float64:
        return s.to_numpy()
    if pd.api.types.is_numeric_dtype(s.dtype):  # e.g. Int64 with missing values
        return s.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _or(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a where known, else b."""
    return np.where(np.isnan(a), b, a)


def _billed(tokens: np.ndarray, usd_per_mtok: np.ndarray) -> np.ndarray:
    """tokens x price / 1e6; zero tokens cost 0 even when the price is unknown (an embedding model
    has no output price, and its zero output tokens must not make the request NaN)."""
    usd = np.multiply(tokens, usd_per_mtok)
    zero = np.asarray(tokens) <= 0
    if zero.any():
        usd = np.where(zero, 0.0, usd)
    usd /= MTOK
    return usd


def request_cost_terms(offers: pd.DataFrame, input_tokens, output_tokens, reasoning_tokens=0, cached_share=0.0,
                       cache_write_share=0.0, batch_share=0.0, tool_turns=0) -> pd.DataFrame:
    """Each term of :func:`request_cost_usd`, in USD per attempt, one row per offering.

    Columns: ``input_usd`` (uncached input, every tool turn included), ``cached_input_usd``,
    ``cache_write_usd``, ``output_usd``, ``reasoning_usd``, ``batch_discount_usd`` (negative),
    ``in_long_context_tier`` (bool) and ``usd_per_request`` (their sum). Introduced in
    ``notebooks/03_cost_and_latency.ipynb``.
    """
    t = _terms(offers, input_tokens, output_tokens, reasoning_tokens, cached_share, cache_write_share,
               batch_share, tool_turns)
    out = pd.DataFrame({k: np.broadcast_to(t[k], (len(offers),)) for k in (*COST_TERMS, "in_long_context_tier")},
                       index=offers.index)
    out["usd_per_request"] = np.broadcast_to(t["total"], (len(offers),))
    return out


def _terms(offers, input_tokens, output_tokens, reasoning_tokens, cached_share, cache_write_share, batch_share,
           tool_turns) -> dict:
    """The formula. Every other cost function in the workbench goes through here."""
    tin = np.asarray(input_tokens, dtype=float)
    tout = np.asarray(output_tokens, dtype=float)
    treason = np.asarray(reasoning_tokens, dtype=float)
    c = np.asarray(cached_share, dtype=float)
    w = np.asarray(cache_write_share, dtype=float)
    b = np.asarray(batch_share, dtype=float)
    turns = np.asarray(tool_turns, dtype=float)

    p_in, p_out = _col(offers, "usd_per_mtok_in"), _col(offers, "usd_per_mtok_out")
    p_reason_listed = _col(offers, "usd_per_mtok_reasoning")
    p_cached = _or(_col(offers, "usd_per_mtok_cached_in"), p_in)
    p_write = _or(_col(offers, "usd_per_mtok_cache_write"), p_in)
    p_reason = _or(p_reason_listed, p_out)

    # long-context tier: the prompt of one call crosses the threshold -> the whole request at tier prices;
    # cache prices follow the input price, a listed reasoning price the output price, by the tier's ratio.
    # Only the rows in the tier are recomputed (most requests are not).
    tier = _col(offers, "tier_above_tokens")
    in_tier = np.broadcast_to(tin, tier.shape) > np.where(np.isnan(tier), np.inf, tier)
    p_in_eff, p_out_eff = p_in, p_out
    if in_tier.any():
        i = np.flatnonzero(in_tier)
        tier_in = _or(_col(offers, "usd_per_mtok_in_above_tier")[i], p_in[i])
        tier_out = _or(_col(offers, "usd_per_mtok_out_above_tier")[i], p_out[i])
        p_in_eff, p_out_eff, p_cached, p_write, p_reason = (x.copy() for x in (p_in, p_out, p_cached, p_write, p_reason))
        p_cached[i] *= tier_in / p_in[i]
        p_write[i] *= tier_in / p_in[i]
        p_reason[i] = np.where(np.isnan(p_reason_listed[i]), tier_out, p_reason_listed[i] * tier_out / p_out[i])
        p_in_eff[i], p_out_eff[i] = tier_in, tier_out

    sent = tin * (1 + turns)  # every tool-loop turn re-sends the context
    terms = {
        "input_usd": _billed(sent * (1 - c - w), p_in_eff),
        "cached_input_usd": _billed(sent * c, p_cached),
        "cache_write_usd": _billed(sent * w, p_write),
        "output_usd": _billed(tout, p_out_eff),
        "reasoning_usd": _billed(treason, p_reason),
    }
    subtotal = terms["input_usd"] + terms["cached_input_usd"] + terms["cache_write_usd"] + terms["output_usd"] \
        + terms["reasoning_usd"]
    discount = _col(offers, "batch_discount")
    terms["batch_discount_usd"] = -subtotal * np.where(b > 0, b * np.nan_to_num(discount, nan=0.0), 0.0)
    terms["total"] = subtotal + terms["batch_discount_usd"]
    terms["in_long_context_tier"] = in_tier
    return terms


def request_cost_usd(offers: pd.DataFrame, input_tokens, output_tokens, reasoning_tokens=0, cached_share=0.0,
                     cache_write_share=0.0, batch_share=0.0, tool_turns=0) -> pd.Series:
    """USD for one attempt of one request on each offering (rows of ``offers``).

    Terms (prices in USD per million tokens, token arguments scalars or arrays aligned with the rows):

    - input sent = ``input_tokens * (1 + tool_turns)``: each tool-loop turn re-sends the context;
    - of it, ``cached_share`` is billed at the cache-read price, ``cache_write_share`` at the
      cache-write price, the rest at the input price (a missing cache price means no discount);
    - output tokens at the output price; reasoning tokens at the reasoning price, or the output
      price where none is listed;
    - long-context tier: when one call's prompt (``input_tokens``) exceeds ``tier_above_tokens``,
      *all* tokens of the request are billed at the tier's prices (as providers bill); cache prices
      scale by the tier's input-price ratio, a listed reasoning price by its output-price ratio;
    - ``batch_share`` of requests get the offering's ``batch_discount`` (none where it is unknown).

    An offering without a price it needs gives NaN, never 0 (zero tokens of an unpriced kind cost 0).
    Self-hosted offerings have no per-token price, so they give NaN here: :func:`step_costs` prices
    them through the self-hosting model.
    """
    t = _terms(offers, input_tokens, output_tokens, reasoning_tokens, cached_share, cache_write_share,
               batch_share, tool_turns)
    return pd.Series(np.broadcast_to(t["total"], (len(offers),)), index=offers.index, name="usd_per_request")




def blended_usd_per_mtok_3to1(offers: pd.DataFrame) -> pd.Series:
    """The leaderboards' blended price: (3 x input + 1 x output) / 4, USD per million tokens."""
    return pd.Series((3 * _col(offers, "usd_per_mtok_in") + _col(offers, "usd_per_mtok_out")) / 4,
                     index=offers.index, name="usd_per_mtok_blended_3to1")


def price_of(catalog, offering_id: str, input_tokens: int, output_tokens: int, **mix) -> float:
    """USD for one attempt of one request on one offering; an unknown offering or a missing price is an
    error."""
    row = catalog.offering(offering_id)
    usd = float(request_cost_usd(row.to_frame().T, input_tokens, output_tokens, **mix).iloc[0])
    if np.isnan(usd):
        raise fail(catalog.files.get("offerings", catalog.path), f"offering '{offering_id}'",
                   "has no input or output price", "add the list price, or pick a priced offering "
                   "(self-hosted offerings are priced by workbench.costs.steps.step_costs)")
    return usd


# --------------------------------------------------------------------------------------------
# retries, escalation, month, success
# --------------------------------------------------------------------------------------------

def expected_attempts(success_rate, max_attempts):
    """Expected attempts per request when each attempt succeeds with probability ``p`` and the
    client stops after a success or after ``n`` attempts: ``E = (1 - (1-p)^n) / p``.

    (Attempt k happens when the k-1 before it failed: ``sum_{k=1..n} (1-p)^(k-1)``.) Vectorised.
    """
    p = np.asarray(success_rate, dtype=float)
    n = np.asarray(max_attempts, dtype=float)
    return (1 - (1 - p) ** n) / p


def task_success_rate(success_rate, max_attempts):
    """Share of tasks with at least one successful attempt within ``n`` attempts: ``1 - (1-p)^n``.
    """
    p = np.asarray(success_rate, dtype=float)
    n = np.asarray(max_attempts, dtype=float)
    return 1 - (1 - p) ** n


def monthly_costs(usd_per_attempt, requests_per_month, success_rate, max_attempts, escalation_rate=0.0,
                  usd_per_escalation=0.0, failures_escalated: bool = False) -> pd.DataFrame:
    """Month and success arithmetic, vectorised over aligned arrays (one row per element).

    - ``attempts_per_request`` = ``(1 - (1-p)^n) / p`` (:func:`expected_attempts`);
    - ``usd_per_request`` = ``usd_per_attempt * attempts_per_request`` (retries included);
    - ``usd_per_month_model`` = ``requests_per_month * usd_per_request``;
    - ``escalated_share`` = ``escalation_rate``, plus ``(1 - escalation_rate) * (1-p)^n`` (the tasks
      whose every attempt failed) when ``failures_escalated``;
    - ``usd_per_month_escalation`` = ``requests_per_month * escalated_share * usd_per_escalation``;
    - ``usd_per_month`` = model plus escalation;
    - ``automated_success_rate`` = ``(1 - (1-p)^n) * (1 - escalation_rate)``: an escalated task is
      not an automated success (see the module docstring);
    - ``successful_tasks_per_month`` = ``requests_per_month * automated_success_rate``;
    - ``usd_per_success`` = ``usd_per_month / successful_tasks_per_month`` (NaN at zero volume).

    With no escalation this gives ``usd_per_success = usd_per_attempt / p`` whatever the cap.
    ``success_rate``, ``max_attempts``, ``escalation_rate`` and ``usd_per_escalation`` are
    assumptions until a golden-set evaluation measures them.
    """
    a = np.asarray(usd_per_attempt, dtype=float)
    vol = np.asarray(requests_per_month, dtype=float)
    e = np.asarray(escalation_rate, dtype=float)
    u = np.asarray(usd_per_escalation, dtype=float)
    attempts = expected_attempts(success_rate, max_attempts)
    task_ok = task_success_rate(success_rate, max_attempts)
    per_request = a * attempts
    model = vol * per_request
    escalated = e + (1 - e) * (1 - task_ok) if failures_escalated else e
    escalation = vol * escalated * u
    total = model + escalation
    auto = task_ok * (1 - e)
    successes = vol * auto
    with np.errstate(divide="ignore", invalid="ignore"):
        per_success = np.where(successes > 0, total / np.where(successes > 0, successes, 1.0), np.nan)
    cols = {"attempts_per_request": attempts, "usd_per_request": per_request, "usd_per_month_model": model,
            "escalated_share": escalated, "usd_per_month_escalation": escalation, "usd_per_month": total,
            "automated_success_rate": auto, "successful_tasks_per_month": successes, "usd_per_success": per_success}
    n = max(np.size(v) for v in cols.values())
    return pd.DataFrame({k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in cols.items()})


def usd_per_success_for(usd_per_attempt, success_rate, max_attempts, escalation_rate=0.0, usd_per_escalation=0.0,
                        failures_escalated: bool = False):
    """USD per automated success (volume cancels out), vectorised: the quantity two models are compared on.

    Same arithmetic as :func:`monthly_costs` at one request a month. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``.
    """
    return monthly_costs(usd_per_attempt, 1.0, success_rate, max_attempts, escalation_rate,
                         usd_per_escalation, failures_escalated)["usd_per_success"].to_numpy()


def crossing_success_rate(usd_per_attempt_pricier: float, usd_per_success_to_beat: float, max_attempts: int,
                          escalation_rate: float = 0.0, usd_per_escalation: float = 0.0,
                          failures_escalated: bool = False) -> float:
    """The per-attempt success rate a pricier model needs to cost no more per success than a rival.

    USD per success falls as the success rate rises, so the crossing is found by bisection on
    :func:`usd_per_success_for` (to 1e-9). Returns NaN when even ``p = 1`` is not enough.
    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    f = lambda p: float(usd_per_success_for(usd_per_attempt_pricier, p, max_attempts, escalation_rate,
                                            usd_per_escalation, failures_escalated)[0]) - usd_per_success_to_beat
    lo, hi = 1e-6, 1.0
    if f(hi) > 0:
        return float("nan")
    if f(lo) <= 0:
        return lo
    while hi - lo > 1e-9:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) > 0 else (lo, mid)
    return hi
