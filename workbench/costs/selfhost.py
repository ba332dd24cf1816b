"""Self-hosting: GPUs for the peak, their monthly cost, and the break-even volume against each API.

The model (every number in it is either a catalog fact with a source or a named assumption):

- peak GPU tokens/s = ``requests_per_month x attempts_per_request x GPU tokens per attempt
  x peak_to_average / seconds per month``, where GPU tokens per attempt = output + reasoning tokens
  + ``input_token_weight`` x uncached prompt tokens (``input x (1 + tool_turns) x (1 - cached_share)``);
- GPUs needed = whole replicas of ``gpu_count`` GPUs, enough for the peak at ``tokens_per_s_per_gpu``
  (an assumption in the offering's row) x ``utilisation`` (an assumption: the share of that
  throughput you can use before queues ruin latency); at least one replica, always on;
- monthly cost = GPUs x ``usd_per_hour`` (the ``gpus`` table: a rental price with source and as_of)
  x 730 h + operations (a share of an engineer: an assumption, stated in
  :class:`SelfHostAssumptions`).

``tokens_per_s_per_gpu`` counts generated tokens. Reading the prompt (prefill) also takes GPU time,
much less per token than generating: ``input_token_weight`` (an assumption, default 0 = prompt tokens
cost nothing, which flatters self-hosting on prompt-heavy steps) says how much of a generated token's
GPU time one uncached prompt token costs; set it from your own measurement, or measure
``tokens_per_s_per_gpu`` at the step's prompt length and leave it at 0. API cost grows linearly with
volume, self-hosting in steps (one more replica at a time): :func:`break_even_requests_per_month`
finds the first volume at which self-hosting costs no more than an API.

Introduced in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.costs.request import (
    HOURS_PER_MONTH,
    SECONDS_PER_MONTH,
    expected_attempts,
)
from workbench.errors import did_you_mean, fail

MAX_REPLICAS = 1_000_000  # break-even searches stop here (no one rents a million replicas)


@dataclass(frozen=True)
class SelfHostAssumptions:
    """Assumptions of the self-hosting model; change them to your own.

    - ``utilisation``: share of the assumed per-GPU throughput used at peak (0.6 = 60 %);
    - ``engineer_usd_per_month`` x ``engineer_share``: operations cost (the default, 12,500 USD a
      month fully loaded, i.e. 150,000 USD a year, x 0.25 of one engineer, is an illustrative
      ASSUMPTION, not a published figure);
    - ``usd_per_gpu_hour``: replaces the ``gpus`` table's price when set (the widget's GPU-price slider);
    - ``gpu_market``: which rows of the ``gpus`` table to price from (the cheapest such row per GPU;
      any market when the GPU has no row in it);
    - ``input_token_weight``: GPU time of one uncached prompt token as a share of one generated
      token's (0 = prompt tokens are free: an ASSUMPTION that flatters self-hosting; see the module).
    """

    utilisation: float = 0.6
    engineer_usd_per_month: float = 12_500.0
    engineer_share: float = 0.25
    usd_per_gpu_hour: float | None = None
    gpu_market: str = "on-demand"
    input_token_weight: float = 0.0

    def __post_init__(self):
        where = "SelfHostAssumptions"
        if not 0 < self.utilisation <= 1:
            raise fail(where, "utilisation", f"must be above 0 and at most 1, got {self.utilisation!r}",
                       "write a share, e.g. 0.6 for 60 %")
        if self.engineer_usd_per_month < 0 or not 0 <= self.engineer_share <= 10:
            raise fail(where, "engineer_usd_per_month / engineer_share", "must not be negative",
                       "write the monthly cost of one engineer in USD and the share of one engineer, e.g. 0.25")
        if not 0 <= self.input_token_weight <= 10:
            raise fail(where, "input_token_weight", f"must be between 0 and 10, got {self.input_token_weight!r}",
                       "write the GPU time of a prompt token as a share of a generated token's, e.g. 0.05")
        if self.usd_per_gpu_hour is not None and not self.usd_per_gpu_hour > 0:
            raise fail(where, "usd_per_gpu_hour", f"must be a positive USD price per GPU-hour, got {self.usd_per_gpu_hour!r}",
                       "leave it None to use the gpus table")

    @property
    def ops_usd_per_month(self) -> float:
        """Operations cost per month, USD (an assumption)."""
        return self.engineer_usd_per_month * self.engineer_share

    def rows(self) -> list[tuple[str, object, str]]:
        """(name, value, unit) of each assumption, for :func:`workbench.costs.steps.cost_assumptions`."""
        return [("utilisation", self.utilisation, "share of assumed GPU throughput at peak"),
                ("engineer_usd_per_month", self.engineer_usd_per_month, "USD/month, fully loaded (illustrative)"),
                ("engineer_share", self.engineer_share, "engineers"),
                ("usd_per_gpu_hour", self.usd_per_gpu_hour if self.usd_per_gpu_hour is not None else "gpus table",
                 "USD/GPU-hour"),
                ("gpu_market", self.gpu_market, "gpus table rows used"),
                ("input_token_weight", self.input_token_weight, "GPU time of a prompt token / a generated token's")]


def gpu_prices(gpus: pd.DataFrame | None, market: str = "on-demand") -> pd.DataFrame:
    """One price per GPU: the cheapest row of ``market`` (any market when the GPU has none), USD per GPU-hour,
    with that row's provider, market, source and as_of."""
    if gpus is None or not len(gpus):
        raise fail("gpus.csv", "file", "no GPU prices, so self-hosted offerings cannot be priced",
                   "pass catalog.gpus (load_catalog reads data/catalog/gpus.csv)")
    g = gpus.copy()
    g["_pref"] = (g["market"] != market).astype(int)
    g = g.sort_values(["gpu", "_pref", "usd_per_hour"], kind="stable").drop_duplicates("gpu")
    return g.drop(columns="_pref").set_index("gpu")[["usd_per_hour", "provider", "market", "source", "as_of"]]


def gpu_tokens_per_request(output_tokens, reasoning_tokens=0, input_tokens=0, tool_turns=0, cached_share=0.0,
                           attempts=1.0, input_token_weight=0.0):
    """Tokens of GPU work per request, in generated-token equivalents (vectorised):
    ``attempts x (output + reasoning + input_token_weight x input x (1 + tool_turns) x (1 - cached_share))``."""
    prompt = (np.asarray(input_tokens, dtype=float) * (1 + np.asarray(tool_turns, dtype=float))
              * (1 - np.asarray(cached_share, dtype=float)))
    return np.asarray(attempts, dtype=float) * (np.asarray(output_tokens, dtype=float)
                                                + np.asarray(reasoning_tokens, dtype=float) + input_token_weight * prompt)


def peak_tokens_per_s(requests_per_month, peak_to_average, generated_tokens_per_request):
    """Peak GPU tokens per second: ``volume x peak_to_average x tokens per request / seconds per month``
    (vectorised)."""
    return (np.asarray(requests_per_month, dtype=float) * np.asarray(peak_to_average, dtype=float)
            * np.asarray(generated_tokens_per_request, dtype=float) / SECONDS_PER_MONTH)


def gpus_needed(peak_tokens_s, tokens_per_s_per_gpu, utilisation, gpu_count=1):
    """GPUs for a peak: whole replicas of ``gpu_count``, ``ceil(peak / (tok/s per GPU x utilisation x gpu_count))``,
    at least one replica. Vectorised; returns floats (GPU counts). Introduced in ``03_cost_and_latency.ipynb``."""
    per_replica = (np.asarray(tokens_per_s_per_gpu, dtype=float) * np.asarray(utilisation, dtype=float)
                   * np.asarray(gpu_count, dtype=float))
    replicas = np.maximum(1.0, np.ceil(np.asarray(peak_tokens_s, dtype=float) / per_replica - 1e-12))
    return replicas * np.asarray(gpu_count, dtype=float)


def selfhost_monthly_usd(n_gpus, usd_per_gpu_hour, ops_usd_per_month):
    """``GPUs x USD per GPU-hour x 730 h + operations``, USD per month (vectorised)."""
    return np.asarray(n_gpus, dtype=float) * np.asarray(usd_per_gpu_hour, dtype=float) * HOURS_PER_MONTH \
        + np.asarray(ops_usd_per_month, dtype=float)


def _params(rows: pd.DataFrame, gpus: pd.DataFrame | None, a: SelfHostAssumptions) -> pd.DataFrame:
    """Per self-hosted row: gpu, gpu_count, tokens_per_s_per_gpu and the GPU's price with its provenance."""
    missing = [c for c in ("gpu", "gpu_count", "tokens_per_s_per_gpu") if c not in rows or rows[c].isna().any()]
    if missing:
        bad = rows.loc[rows[missing[0]].isna(), "offering_id"].iloc[0] if missing[0] in rows else "?"
        raise fail("offerings.csv", f"offering '{bad}'", f"a self-hosted offering needs {', '.join(missing)}",
                   "give the GPU, GPUs per replica and the assumed tokens/s per GPU")
    out = pd.DataFrame({"gpu": rows["gpu"].to_numpy(),
                        "gpu_count": pd.to_numeric(rows["gpu_count"]).to_numpy(float),
                        "tokens_per_s_per_gpu": pd.to_numeric(rows["tokens_per_s_per_gpu"]).to_numpy(float)})
    if a.usd_per_gpu_hour is not None:
        out["usd_per_gpu_hour"] = float(a.usd_per_gpu_hour)
        out["gpu_price_source"] = "assumption (SelfHostAssumptions.usd_per_gpu_hour)"
        return out
    prices = gpu_prices(gpus, a.gpu_market)
    unknown = sorted(set(out["gpu"]) - set(prices.index))
    if unknown:
        raise fail("gpus.csv", f"gpu '{unknown[0]}'", "has no rental price", "add a row for it to gpus.csv; "
                   + did_you_mean(unknown[0], prices.index))
    p = prices.loc[out["gpu"]]
    out["usd_per_gpu_hour"] = p["usd_per_hour"].to_numpy(float)
    out["gpu_price_source"] = [f"{r.provider} {r.market}, {r.source}, {pd.Timestamp(r.as_of):%Y-%m-%d}"
                               for r in p.itertuples()]
    return out


def selfhost_costs(rows: pd.DataFrame, gpus: pd.DataFrame | None, assumptions: SelfHostAssumptions | None = None
                   ) -> pd.DataFrame:
    """The self-hosting model for rows that carry a self-hosted offering's columns and a step's
    (``requests_per_month``, ``peak_to_average``, ``output_tokens``, ``reasoning_tokens``,
    ``success_rate``, ``max_attempts``; ``input_tokens``, ``tool_turns``, ``cached_share`` when
    ``input_token_weight`` > 0) -- e.g. rows of :func:`workbench.costs.request.cross`.

    Columns (aligned with ``rows``): ``peak_tokens_per_s``, ``gpus_needed``, ``usd_per_gpu_hour``,
    ``gpu_price_source``, ``usd_per_month_gpu``, ``usd_per_month_ops``, ``usd_per_month``,
    ``usd_per_mtok_at_target_utilisation`` (GPU cost per million generated tokens when fully used at
    the target utilisation: below an API's price there is a volume where self-hosting wins) and
    ``pricing`` (a sentence naming every assumption).
    """
    a = assumptions or SelfHostAssumptions()
    p = _params(rows, gpus, a)
    attempts = expected_attempts(rows["success_rate"].to_numpy(float), rows["max_attempts"].to_numpy(float))
    num = lambda c: rows[c].to_numpy(float) if c in rows else np.zeros(len(rows))
    gen = gpu_tokens_per_request(num("output_tokens"), num("reasoning_tokens"), num("input_tokens"), num("tool_turns"),
                                 num("cached_share"), attempts, a.input_token_weight)
    peak = peak_tokens_per_s(rows["requests_per_month"].to_numpy(float), rows["peak_to_average"].to_numpy(float), gen)
    n = gpus_needed(peak, p["tokens_per_s_per_gpu"], a.utilisation, p["gpu_count"])
    gpu_usd = selfhost_monthly_usd(n, p["usd_per_gpu_hour"], 0.0)
    ops = np.full(len(rows), a.ops_usd_per_month)
    full = p["usd_per_gpu_hour"].to_numpy() / (p["tokens_per_s_per_gpu"].to_numpy() * a.utilisation * 3600) * 1e6
    out = pd.DataFrame({
        "peak_tokens_per_s": peak, "gpus_needed": n, "usd_per_gpu_hour": p["usd_per_gpu_hour"].to_numpy(),
        "gpu_price_source": p["gpu_price_source"].to_numpy(), "usd_per_month_gpu": gpu_usd,
        "usd_per_month_ops": ops, "usd_per_month": gpu_usd + ops, "usd_per_mtok_at_target_utilisation": full,
    }, index=rows.index)
    out["pricing"] = [
        f"self-hosting model: {k:g} x {g} at {usd:.2f} USD/h ({src}) + ops {a.ops_usd_per_month:,.0f} USD/month "
        f"(assumption); {tps:g} tok/s per GPU (assumption) at {a.utilisation:.0%} utilisation (assumption)"
        + ("" if a.input_token_weight else "; prompt tokens not counted (input_token_weight 0, assumption)")
        for k, g, usd, src, tps in zip(n, p["gpu"], p["usd_per_gpu_hour"], p["gpu_price_source"],
                                       p["tokens_per_s_per_gpu"])]
    return out


def break_even_requests_per_month(api_usd_per_request: float, generated_tokens_per_request: float,
                                  peak_to_average: float, tokens_per_s_per_gpu: float, gpu_count: int,
                                  usd_per_gpu_hour: float, utilisation: float, ops_usd_per_month: float) -> float:
    """The smallest monthly volume (requests) at which self-hosting costs no more than the API.

    API: ``api_usd_per_request x N`` (retries included in both). Self-hosting: replica ``k`` serves up
    to ``N_k = floor(k x gpu_count x tok/s per GPU x utilisation x seconds per month / (peak_to_average
    x tokens per request))`` requests and costs ``C_k = k x gpu_count x USD/h x 730 + ops``. In
    segment ``k`` the first volume where the API costs at least ``C_k`` is
    ``max(N_(k-1) + 1, ceil(C_k / api_usd_per_request))`` if that is at most ``N_k``; the first such
    ``k`` gives the answer. NaN when self-hosting never catches up (its GPU cost per request at full
    utilisation is at or above the API's price). Past a break-even, a step to one more replica can
    make the API cheaper again for a while: :func:`break_even_staircase` lists those windows and
    :func:`cost_vs_volume` shows the whole curve.
    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    a = float(api_usd_per_request)
    if not np.isfinite(a) or a <= 0:
        return float("nan")
    cap1 = gpu_count * tokens_per_s_per_gpu * utilisation * SECONDS_PER_MONTH / (peak_to_average * generated_tokens_per_request)
    g = gpu_count * usd_per_gpu_hour * HOURS_PER_MONTH
    if a * cap1 <= g:
        k_max = 1  # a replica earns back at most a x cap1 <= its own cost: more replicas only fall further behind
    else:  # a x N_k - C_k >= k (a cap1 - g) - ops - a grows with k: past this k a segment always qualifies
        k_max = int(min(MAX_REPLICAS, np.ceil((ops_usd_per_month + a) / (a * cap1 - g)) + 2))
    k = np.arange(1, k_max + 1, dtype=float)
    n_k = np.floor(k * cap1 + 1e-9)
    n_prev = np.concatenate([[0.0], n_k[:-1]])
    c_k = k * g + ops_usd_per_month
    cand = np.maximum(n_prev + 1, np.ceil(c_k / a - 1e-9))
    ok = cand <= n_k
    if not ok.any():
        return float("nan")
    return float(cand[np.argmax(ok)])


def break_even_staircase(api_usd_per_request: float, generated_tokens_per_request: float,
                         peak_to_average: float, tokens_per_s_per_gpu: float, gpu_count: int,
                         usd_per_gpu_hour: float, utilisation: float, ops_usd_per_month: float) -> dict:
    """Where self-hosting is cheaper than the API, replica by replica (the "staircase").

    Same model as :func:`break_even_requests_per_month`: in segment ``k`` (volumes ``N_(k-1) + 1`` to
    ``N_k``, served by ``k`` replicas at ``C_k`` USD a month) self-hosting costs no more than the API
    from ``max(N_(k-1) + 1, ceil(C_k / api_usd_per_request))`` to ``N_k``. Because GPUs come in whole
    units, the API can be cheaper again just after each new replica. Returns a dict:

    - ``first_crossing``: the first volume where self-hosting costs no more (NaN = never);
    - ``stays_cheaper_from``: the volume from which self-hosting costs no more at every higher volume
      (NaN = never);
    - ``windows``: DataFrame (``replicas``, ``gpus``, ``from_requests``, ``to_requests``,
      ``selfhost_usd_per_month``) of the volume ranges where self-hosting costs no more; the last one
      never ends (``to_requests`` inf; its replicas and cost are those at its start).

    Introduced in ``notebooks/03_cost_and_latency.ipynb``.
    """
    cols = ["replicas", "gpus", "from_requests", "to_requests", "selfhost_usd_per_month"]
    never = {"first_crossing": float("nan"), "stays_cheaper_from": float("nan"), "windows": pd.DataFrame(columns=cols)}
    a = float(api_usd_per_request)
    if not np.isfinite(a) or a <= 0:
        return never
    cap1 = gpu_count * tokens_per_s_per_gpu * utilisation * SECONDS_PER_MONTH / (peak_to_average * generated_tokens_per_request)
    g = gpu_count * usd_per_gpu_hour * HOURS_PER_MONTH
    if a * cap1 <= g:
        k_max = 1  # each replica earns back at most its own cost: only segment 1 can qualify
    else:  # a x (N_(k-1) + 1) - C_k >= k (a cap1 - g) - a cap1 - ops: past this k every segment is cheaper whole
        k_max = int(min(MAX_REPLICAS, np.ceil((ops_usd_per_month + a * cap1 + a) / (a * cap1 - g)) + 2))
    k = np.arange(1, k_max + 1, dtype=float)
    n_k = np.floor(k * cap1 + 1e-9)
    n_prev = np.concatenate([[0.0], n_k[:-1]])
    c_k = k * g + ops_usd_per_month
    start = np.maximum(n_prev + 1, np.ceil(c_k / a - 1e-9))
    ok = start <= n_k
    whole = start <= n_prev + 1
    if not ok.any():
        return never
    row = lambda i, frm, to: {"replicas": int(k[i]), "gpus": int(k[i] * gpu_count), "from_requests": float(frm),
                              "to_requests": float(to), "selfhost_usd_per_month": float(c_k[i])}
    if a * cap1 <= g or not whole[-1]:  # the last segment checked is not cheaper whole: the API wins again above it
        stays, rows = float("nan"), [row(i, start[i], n_k[i]) for i in range(len(k)) if ok[i]]
    else:
        partial = np.flatnonzero(~whole)
        j = int(partial[-1]) if len(partial) else -1  # the last segment the API still wins part of
        rows = [row(i, start[i], n_k[i]) for i in range(j) if ok[i]]
        if j >= 0 and not ok[j]:
            rows.append(row(j + 1, n_k[j] + 1, np.inf))
        else:
            rows.append(row(max(j, 0), start[max(j, 0)], np.inf))
        stays = rows[-1]["from_requests"]
    return {"first_crossing": float(start[np.argmax(ok)]), "stays_cheaper_from": stays,
            "windows": pd.DataFrame(rows, columns=cols)}


def cost_vs_volume(volumes, api: pd.DataFrame, selfhosted: pd.DataFrame) -> pd.DataFrame:
    """Monthly model cost against volume, long format (``requests_per_month``, ``option``, ``kind``,
    ``usd_per_month``): APIs linear (``api``: ``offering_id``, ``usd_per_request``), self-hosting in steps
    (``selfhosted``: ``offering_id``, ``generated_tokens_per_request`` (:func:`gpu_tokens_per_request`), ``peak_to_average``,
    ``tokens_per_s_per_gpu``, ``gpu_count``, ``usd_per_gpu_hour``, ``utilisation``, ``ops_usd_per_month``).
    Escalation costs are left out: they are the same whichever model serves. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    v = np.asarray(volumes, dtype=float)
    parts = []
    for r in api.itertuples():
        parts.append(pd.DataFrame({"requests_per_month": v, "option": r.offering_id, "kind": "api",
                                   "usd_per_month": v * r.usd_per_request}))
    for r in selfhosted.itertuples():
        peak = peak_tokens_per_s(v, r.peak_to_average, r.generated_tokens_per_request)
        n = gpus_needed(peak, r.tokens_per_s_per_gpu, r.utilisation, r.gpu_count)
        parts.append(pd.DataFrame({"requests_per_month": v, "option": r.offering_id, "kind": "self-hosted",
                                   "usd_per_month": selfhost_monthly_usd(n, r.usd_per_gpu_hour, r.ops_usd_per_month)}))
    if not parts:
        return pd.DataFrame(columns=["requests_per_month", "option", "kind", "usd_per_month"])
    return pd.concat(parts, ignore_index=True)


def selfhost_parameters(selfhosted_offers: pd.DataFrame, step, gpus: pd.DataFrame | None,
                        assumptions: SelfHostAssumptions | None = None) -> pd.DataFrame:
    """One row per self-hosted offering with what :func:`break_even_requests_per_month` and
    :func:`cost_vs_volume` need for ``step`` (tokens include expected retries; USD per GPU-hour with its
    source). Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    a = assumptions or SelfHostAssumptions()
    p = _params(selfhosted_offers, gpus, a)
    r, t = step.reliability, step.tokens
    gen = float(gpu_tokens_per_request(t.output, t.reasoning, t.input, t.tool_turns, t.cached_share,
                                       expected_attempts(r.success_rate, r.max_attempts), a.input_token_weight))
    p.insert(0, "offering_id", selfhosted_offers["offering_id"].to_numpy())
    p["generated_tokens_per_request"] = gen
    p["peak_to_average"] = step.peak_to_average
    p["utilisation"] = a.utilisation
    p["ops_usd_per_month"] = a.ops_usd_per_month
    return p


