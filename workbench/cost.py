"""Cost of a request, a month and a successful task, from catalog prices (USD per million tokens).

One formula, one place, vectorised over offerings (and over offerings x steps):

- :func:`request_cost_terms` / :func:`request_cost_usd`: USD for one *attempt* of one request of a
  token mix, term by term (input, cache reads, cache writes, output, reasoning, tool-loop re-sends,
  long-context tier, batch discount);
- :func:`expected_attempts`, :func:`task_success_rate`: retries with a success probability ``p`` per
  attempt and a cap of ``n`` attempts;
- :func:`monthly_costs`: retries, human escalation, monthly cost and cost per successful task;
- :func:`step_costs`: all of it for every offering x every scenario step, self-hosted offerings
  priced through :mod:`workbench.selfhost` (GPU-months, never 0 and never a silent NaN).

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

from .errors import fail

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
    them through the self-hosting model. Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
    """
    t = _terms(offers, input_tokens, output_tokens, reasoning_tokens, cached_share, cache_write_share,
               batch_share, tool_turns)
    return pd.Series(np.broadcast_to(t["total"], (len(offers),)), index=offers.index, name="usd_per_request")


def request_cost_for_step(offers: pd.DataFrame, step, gpus: pd.DataFrame | None = None, selfhost=None,
                          volume: float | None = None) -> pd.Series:
    """USD per attempt of a scenario step's token mix (``workbench.scenario.Step``) on each offering.

    API and hosted-inference rows: :func:`request_cost_usd` at list prices. Self-hosted rows have no
    per-token price: with ``gpus`` (``catalog.gpus``) they get the self-hosting model's cost per
    attempt at the step's volume (or ``volume``), as in :func:`step_costs`; without it they stay NaN,
    so pass ``gpus`` whenever a ranking may hold self-hosted rows. Introduced in
    ``notebooks/02_shortlist_from_leaderboards.ipynb``.
    """
    t = step.tokens
    usd = request_cost_usd(offers, t.input, t.output, t.reasoning, t.cached_share, t.cache_write_share,
                           t.batch_share, t.tool_turns)
    if gpus is not None and "access_mode" in offers and (offers["access_mode"] == "self-hosted").any():
        selfh = (offers["access_mode"] == "self-hosted").to_numpy()
        sh = step_costs(offers[selfh], step, gpus, volume, selfhost)["usd_per_attempt"].to_numpy()
        usd = usd.copy()
        usd.iloc[np.flatnonzero(selfh)] = sh
    return usd


def blended_usd_per_mtok_3to1(offers: pd.DataFrame) -> pd.Series:
    """The leaderboards' blended price: (3 x input + 1 x output) / 4, USD per million tokens.
    Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``."""
    return pd.Series((3 * _col(offers, "usd_per_mtok_in") + _col(offers, "usd_per_mtok_out")) / 4,
                     index=offers.index, name="usd_per_mtok_blended_3to1")


def price_of(catalog, offering_id: str, input_tokens: int, output_tokens: int, **mix) -> float:
    """USD for one attempt of one request on one offering; an unknown offering or a missing price is an
    error. Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    row = catalog.offering(offering_id)
    usd = float(request_cost_usd(row.to_frame().T, input_tokens, output_tokens, **mix).iloc[0])
    if np.isnan(usd):
        raise fail(catalog.files.get("offerings", catalog.path), f"offering '{offering_id}'",
                   "has no input or output price", "add the list price, or pick a priced offering "
                   "(self-hosted offerings are priced by workbench.cost.step_costs)")
    return usd


# --------------------------------------------------------------------------------------------
# retries, escalation, month, success
# --------------------------------------------------------------------------------------------

def expected_attempts(success_rate, max_attempts):
    """Expected attempts per request when each attempt succeeds with probability ``p`` and the
    client stops after a success or after ``n`` attempts: ``E = (1 - (1-p)^n) / p``.

    (Attempt k happens when the k-1 before it failed: ``sum_{k=1..n} (1-p)^(k-1)``.) Vectorised.
    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    p = np.asarray(success_rate, dtype=float)
    n = np.asarray(max_attempts, dtype=float)
    return (1 - (1 - p) ** n) / p


def task_success_rate(success_rate, max_attempts):
    """Share of tasks with at least one successful attempt within ``n`` attempts: ``1 - (1-p)^n``.

    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
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
    assumptions until a golden-set evaluation measures them. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``.
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


# --------------------------------------------------------------------------------------------
# offerings x steps
# --------------------------------------------------------------------------------------------

ID_COLUMNS = ("offering_id", "model_id", "provider", "access_mode")


def steps_frame(steps, volume: float | None = None) -> pd.DataFrame:
    """Scenario steps (``workbench.scenario.Step``) as one row each: token mix, volume, peak and reliability.

    ``volume`` (requests per month) replaces every step's ``requests_per_month`` when given. Every
    column except ``step`` and ``role`` is a scenario assumption. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``.
    """
    rows = []
    for s in steps:
        t, r, lat = s.tokens, s.reliability, s.latency
        rows.append({
            "step": s.name, "role": s.role,
            "requests_per_month": float(s.requests_per_month if volume is None else volume),
            "peak_to_average": s.peak_to_average,
            "input_tokens": t.input, "output_tokens": t.output, "reasoning_tokens": t.reasoning,
            "cached_share": t.cached_share, "cache_write_share": t.cache_write_share,
            "batch_share": t.batch_share, "tool_turns": t.tool_turns,
            "success_rate": r.success_rate, "max_attempts": r.max_attempts,
            "escalation_rate": r.escalation_rate, "usd_per_escalation": r.usd_per_escalation,
            "network_s": lat.network_s, "retrieval_s": lat.retrieval_s, "tool_call_s": lat.tool_call_s,
            "target_ttft_s": np.nan if lat.ttft_s is None else lat.ttft_s,
            "target_total_s": np.nan if lat.total_s is None else lat.total_s,
            "target_p95_s": np.nan if lat.p95_s is None else lat.p95_s,
        })
    return pd.DataFrame(rows)


def cross(offers: pd.DataFrame, steps_df: pd.DataFrame) -> pd.DataFrame:
    """Every offering x every step row (offering columns first), index reset. Used by cost and latency;
    introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    o = offers.reset_index(drop=True)
    s = steps_df.reset_index(drop=True)
    left = o.loc[np.repeat(np.arange(len(o)), len(s))].reset_index(drop=True)
    right = s.loc[np.tile(np.arange(len(s)), len(o))].reset_index(drop=True)
    right = right[[c for c in right.columns if c not in left.columns]]
    return pd.concat([left, right], axis=1)


def step_costs(offers: pd.DataFrame, steps, gpus: pd.DataFrame | None = None, volume: float | None = None,
               selfhost=None, failures_escalated: bool = False) -> pd.DataFrame:
    """Cost of every offering on every step: per attempt, per request, per month, per successful task.

    ``steps`` is a step, a list of steps or a :func:`steps_frame`; ``volume`` overrides the steps'
    requests per month. API and hosted-inference rows are priced by :func:`request_cost_usd`
    (``pricing`` = ``list price``). Self-hosted rows are priced by the self-hosting model
    (:func:`workbench.selfhost.selfhost_costs`: GPUs for the peak, GPU-hours from ``gpus`` plus an
    operations share, ``selfhost`` = :class:`workbench.selfhost.SelfHostAssumptions`), spread over the
    month's requests; ``pricing`` says so. A row whose price is unknown says ``no list price`` and
    keeps NaN, which a ranking must show as unknown, never as free. ``failures_escalated``: see
    :func:`monthly_costs`.

    Columns: the offering's ids, ``step``, ``requests_per_month``, ``usd_per_attempt``, then those
    of :func:`monthly_costs`, ``pricing``. Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    from .selfhost import SelfHostAssumptions, selfhost_costs

    sf = steps if isinstance(steps, pd.DataFrame) else steps_frame(
        steps if isinstance(steps, (list, tuple)) else [steps], volume)
    if volume is not None and isinstance(steps, pd.DataFrame):
        sf = sf.assign(requests_per_month=float(volume))
    g = cross(offers, sf)
    per_attempt = request_cost_usd(g, g["input_tokens"].to_numpy(float), g["output_tokens"].to_numpy(float),
                                   g["reasoning_tokens"].to_numpy(float), g["cached_share"].to_numpy(float),
                                   g["cache_write_share"].to_numpy(float), g["batch_share"].to_numpy(float),
                                   g["tool_turns"].to_numpy(float)).to_numpy().copy()
    pricing = np.where(np.isnan(per_attempt), "no list price", "list price").astype(object)
    selfh = (g["access_mode"] == "self-hosted").to_numpy() if "access_mode" in g else np.zeros(len(g), bool)
    if selfh.any():
        sh = selfhost_costs(g[selfh], gpus, selfhost or SelfHostAssumptions())
        attempts = expected_attempts(g.loc[selfh, "success_rate"].to_numpy(float), g.loc[selfh, "max_attempts"].to_numpy(float))
        vol = g.loc[selfh, "requests_per_month"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            per_attempt[selfh] = np.where(vol > 0, sh["usd_per_month"].to_numpy() / (vol * attempts), np.inf)
        pricing[selfh] = sh["pricing"].to_numpy()
    m = monthly_costs(per_attempt, g["requests_per_month"].to_numpy(float), g["success_rate"].to_numpy(float),
                      g["max_attempts"].to_numpy(float), g["escalation_rate"].to_numpy(float),
                      g["usd_per_escalation"].to_numpy(float), failures_escalated)
    ids = [c for c in ID_COLUMNS if c in g]
    out = pd.concat([g[ids + ["step", "requests_per_month"]], pd.DataFrame({"usd_per_attempt": per_attempt}), m],
                    axis=1)
    out["pricing"] = pricing
    return out


def cost_assumptions(step, selfhost=None) -> pd.DataFrame:
    """The assumptions behind a step's costs, each with its value, unit and where it is set.

    Introduced in ``notebooks/03_cost_and_latency.ipynb``; printed under ``python -m workbench cost``.
    """
    from .selfhost import SelfHostAssumptions

    t, r = step.tokens, step.reliability
    k = step.name
    rows = [
        ("requests_per_month", step.requests_per_month, "requests/month", f"{k}.requests_per_month"),
        ("peak_to_average", step.peak_to_average, "ratio", f"{k}.peak_to_average"),
        ("input_tokens", t.input, "tokens/request", f"{k}.tokens.input"),
        ("output_tokens", t.output, "tokens/request", f"{k}.tokens.output"),
        ("reasoning_tokens", t.reasoning, "tokens/request", f"{k}.tokens.reasoning"),
        ("cached_share", t.cached_share, "share of input", f"{k}.tokens.cached_share"),
        ("cache_write_share", t.cache_write_share, "share of input", f"{k}.tokens.cache_write_share"),
        ("batch_share", t.batch_share, "share of requests", f"{k}.tokens.batch_share"),
        ("tool_turns", t.tool_turns, "turns/request", f"{k}.tokens.tool_turns"),
        ("success_rate", r.success_rate, "per attempt", f"{k}.reliability.success_rate"),
        ("max_attempts", r.max_attempts, "attempts", f"{k}.reliability.max_attempts"),
        ("escalation_rate", r.escalation_rate, "share of requests", f"{k}.reliability.escalation_rate"),
        ("usd_per_escalation", r.usd_per_escalation, "USD", f"{k}.reliability.usd_per_escalation"),
    ]
    sh = selfhost or SelfHostAssumptions()
    rows += [(name, value, unit, "SelfHostAssumptions." + name) for name, value, unit in sh.rows()]
    return pd.DataFrame(rows, columns=["assumption", "value", "unit", "set_in"])


# --------------------------------------------------------------------------------------------
# the shortlisted candidates: cost, tail latency and rate limits side by side
# --------------------------------------------------------------------------------------------

CANDIDATE_COLUMNS = ("step", "rank", "offering_id", "model_id", "provider", "access_mode", "requests_per_month",
                     "usd_per_request", "usd_per_month", "usd_per_success", "typical_latency_s", "p95_s",
                     "target_p95_s", "share_within_p95_s", "meets_latency_target", "peak_rpm", "peak_tpm",
                     "fits_rate_limits", "to_fit", "pricing")


def shortlisted_offerings(catalog, scenario, step: str, top: int = 10) -> pd.DataFrame:
    """The first ``top`` rows of :func:`workbench.shortlist.shortlist` for ``step`` (those that passed the
    hard constraints, best first) as full offering rows with a ``rank`` column (empty when not scored).
    Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    from .shortlist import shortlist

    ranked = shortlist(catalog, scenario, step).ranked.head(top)
    offers = catalog.offerings.set_index("offering_id").loc[ranked["offering_id"]].reset_index()
    offers["rank"] = ranked["rank"].to_numpy()
    return offers


def candidate_costs(catalog, scenario, step: str | None = None, volume: float | None = None, top: int = 10,
                    offering_ids=None, selfhost=None, spreads: pd.DataFrame | None = None, statistic: str = "median",
                    n_samples: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """Per candidate and step: USD per request (retries included), per month and per successful task,
    typical and p95 latency (seconds) against the step's target, and whether the rate limits fit.

    Candidates are the shortlist's first ``top`` (:func:`shortlisted_offerings`) unless
    ``offering_ids`` names them; ``step`` None = every step of the scenario; ``volume`` replaces the
    steps' requests per month. Columns: :data:`CANDIDATE_COLUMNS`. What ``python -m workbench cost``
    prints; introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    from .latency import latency_table, rate_limit_headroom

    steps = [scenario.step(step)] if step is not None else list(scenario.workflow)
    parts = []
    for st in steps:
        if offering_ids is None:
            offers = shortlisted_offerings(catalog, scenario, st.name, top)
        else:
            offers = pd.concat([catalog.offering(i).to_frame().T for i in offering_ids], ignore_index=True)
            offers = offers.infer_objects().assign(rank=np.nan)
        if offers.empty:
            continue
        sf = steps_frame([st], volume)
        keys = ["offering_id", "step"]
        c = step_costs(offers, sf, catalog.gpus, selfhost=selfhost)
        lat = latency_table(offers, sf, spreads, statistic, n=n_samples, seed=seed)
        rl = rate_limit_headroom(offers, sf)
        t = (c.merge(lat[keys + ["typical_latency_s", "p95_s", "share_within_p95_s", "meets_latency_target"]], on=keys)
             .merge(rl[keys + ["peak_rpm", "peak_tpm", "fits_rate_limits", "to_fit"]], on=keys))
        t["rank"] = offers["rank"].to_numpy()
        t["target_p95_s"] = sf["target_p95_s"].iloc[0]
        parts.append(t[list(CANDIDATE_COLUMNS)])
    if not parts:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    return pd.concat(parts, ignore_index=True)
