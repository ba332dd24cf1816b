"""Shortlist: hard constraints with every reason, step-mix pricing beside the 3:1 blend, a normalised
weighted score, the Pareto frontier and rank stability.

``shortlist(catalog, scenario, step=...)`` takes every offering of the catalog (one row per model x
provider x access mode) through four stages and returns a :class:`ShortlistResult`:

1. **Hard constraints.** Every constraint is checked on every offering, and an excluded offering
   lists *all* the constraints it failed, not only the first. An empty cell (an unknown fact) fails
   a hard requirement with a reason that says "unknown", so the user knows to verify rather than
   read it as "no". Checks: the step's model type (embedder -> embedding, reranker -> reranker,
   others -> chat); ``exclude_models`` / ``exclude_providers``; operations (no GPU operations
   excludes self-hosting; the step's ``access_modes``); privacy (no training on prompts, zero data
   retention, processing region; provider-level facts from ``providers.csv`` are used where the
   offering's own cell is empty; a self-hosted offering meets the privacy constraints by
   construction, since prompts stay on your own machines); licence (commercial use: ``no`` and
   ``unknown`` fail, ``restricted`` passes with a flag quoting ``license_notes``; fine-tuning when
   the scenario plans it); platform capabilities the step requires (structured outputs, tool
   calling, prompt caching, batch API); context and output length; input modalities; deprecation
   on or before the scenario's horizon (``as_of`` + ``horizon_months``).
2. **Measurements.** ``usd_per_request`` is :func:`workbench.costs.request.request_cost_for_step` (the
   step's own token mix: cached share, reasoning, tool turns, batch share, tiers); a self-hosted
   offering is priced by the cost module's self-hosting model (``request_cost_for_step`` with the
   catalog's ``gpus``: GPU-months at the step's volume), with a flag saying so; an
   offering without a price stays NaN (flagged, never free). Beside it,
   ``usd_per_mtok_blended_3to1`` (the leaderboards' blend) and ``usd_per_request_at_3to1`` (the
   same request's tokens all priced at that blended rate), and the difference in percent.
   ``typical_latency_s`` is :func:`offering_latency_s` (the formula of
   :func:`workbench.costs.latency.typical_latency_s`). ``quality`` is the newest ``scores.csv``
   row of the step's ``quality_benchmark`` (else the scenario's), with its source, as_of, harness
   and confidence interval.
3. **Score.** Each criterion is normalised over the *scored* candidates (those that passed and have
   every number a positive weight needs), with its direction stated: quality higher is better, cost
   and latency lower are better; 1 = the best of them, 0 = the worst. ``normalisation="minmax"``
   is linear min-max; ``"log-minmax"`` takes log10 of cost and latency first (prices span orders of
   magnitude). ``score`` = sum of weight x norm with the weights divided by their sum (so scaling
   all weights changes nothing), rounded to 12 decimals; ties go to the cheaper, then by id.
   A candidate that lacks a number a positive weight needs is **not scored**: it stays in
   ``ranked`` (it passed the constraints) after the scored ones, with ``rank`` empty and a flag
   saying what is missing (e.g. "no quality score for lmarena_text_full") -- never a silent 0.
4. **Pareto and stability.** ``pareto`` marks the candidates no other candidate beats on quality,
   cost per request and latency at once (computed among the passed candidates with all three
   known). ``p_first`` / ``p_top3``: the share of weight vectors, drawn from a Dirichlet centred on
   the chosen weights (``concentration``, ``samples``, ``seed``), under which the candidate ranks
   first / in the top 3.

The result (a stable contract: cost, routing and decision-record modules read it)
--------------------------------------------------------------------------------
``ShortlistResult.ranked`` columns, in this order (:data:`RANKED_COLUMNS`): ``rank`` (1 = best,
empty when not scored), ``offering_id``, ``model_id``, ``name``, ``provider``, ``access_mode``,
``openness``, ``score`` (0..1), ``quality``, ``quality_benchmark``, ``quality_source``,
``quality_as_of``, ``quality_harness``, ``quality_ci_low``, ``quality_ci_high``,
``usd_per_request``, ``usd_per_mtok_blended_3to1``, ``usd_per_request_at_3to1``,
``diff_vs_3to1_pct``, ``typical_latency_s``, ``ttft_s``, ``output_tokens_per_s``,
``speed_source``, ``speed_as_of``, ``norm_quality``, ``norm_cost``, ``norm_latency`` (0..1, 1 =
best), ``pareto`` (bool), ``p_first``, ``p_top3`` (0..1; empty when not scored), ``scored``
(bool), ``flags`` (list of str: a number that is unknown and whether that keeps the candidate from
being scored, a self-hosted price that comes from the self-hosting model, a typical latency already
above the step's ``ttft_s``/``total_s`` target, a restricted licence), ``source``, ``as_of`` (the
offering row's provenance).

``ShortlistResult.excluded`` columns (:data:`EXCLUDED_COLUMNS`): ``offering_id``, ``model_id``,
``name``, ``provider``, ``access_mode``, ``failed`` (list of constraint keys, see
:data:`CONSTRAINT_KEYS`), ``reasons`` (list of str, every failed constraint), ``n_reasons``,
``quality``, ``usd_per_request``, ``typical_latency_s``, ``output_tokens_per_s``, ``ttft_s``.

Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

import numpy as np

from workbench.shortlist.pool import SCORE_DECIMALS

# --------------------------------------------------------------------------------------------
# normalisation, Pareto, stability: small pure functions on arrays
# --------------------------------------------------------------------------------------------

def normalise(values, lower_is_better: bool, log: bool = False) -> np.ndarray:
    """Min-max normalisation to 0..1 with 1 = best: ``(v - min) / (max - min)`` for higher-is-better,
    ``(max - v) / (max - min)`` for lower-is-better; ``log=True`` applies log10 first (values must be
    positive). NaN stays NaN; when all known values are equal every one gets 1. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``.
    """
    v = np.asarray(values, dtype=float)
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.log10(np.where(v > 0, v, np.nan))
    known = ~np.isnan(v)
    out = np.full(v.shape, np.nan)
    if not known.any():
        return out
    lo, hi = v[known].min(), v[known].max()
    if hi - lo <= 0:
        out[known] = 1.0
        return out
    out[known] = (hi - v[known]) / (hi - lo) if lower_is_better else (v[known] - lo) / (hi - lo)
    return out


def weighted_score(norms: np.ndarray, weights) -> np.ndarray:
    """``sum_k w_k x norm_k / sum_k w_k`` per row, rounded to :data:`SCORE_DECIMALS`; criteria with
    weight 0 are ignored (their NaN does not spread). ``norms`` is rows x criteria."""
    w = np.asarray(weights, dtype=float)
    norms = np.asarray(norms, dtype=float)
    use = w > 0
    score = norms[:, use] @ (w[use] / w[use].sum()) if use.any() else np.full(len(norms), np.nan)
    return np.round(score, SCORE_DECIMALS)


def pareto_front(points) -> np.ndarray:
    """Boolean mask of the rows no other row dominates, all columns to be *minimised* (negate a
    higher-is-better column). Row a dominates row b when a <= b in every column and a < b in at
    least one; identical rows do not dominate each other. Rows with NaN are never on the front.
    Vectorised: each pass removes every row the current row dominates.
    """
    p = np.asarray(points, dtype=float)
    n = len(p)
    mask = np.zeros(n, dtype=bool)
    complete = ~np.isnan(p).any(axis=1) if p.ndim == 2 else np.zeros(n, dtype=bool)
    idx = np.flatnonzero(complete)
    if not len(idx):
        return mask
    pts = p[idx]
    order = np.argsort(pts.sum(axis=1), kind="stable")  # strong points first: they cull the most
    idx, pts = idx[order], pts[order]
    i = 0
    while i < len(pts):
        keep = np.any(pts < pts[i], axis=1) | np.all(pts == pts[i], axis=1)
        idx, pts = idx[keep], pts[keep]
        i = int(keep[:i].sum()) + 1
    mask[idx] = True
    return mask


def sample_weights(weights, samples: int = 1000, concentration: float = 20.0, seed: int = 0) -> np.ndarray:
    """``samples`` weight vectors (rows sum to 1) from a Dirichlet centred on ``weights``
    (alpha = concentration x weights / sum); a zero weight stays zero. A larger concentration keeps
    them closer: with 20, a weight of 0.5 varies by about +-0.11 (one standard deviation). Seeded."""
    w = np.asarray(weights, dtype=float)
    out = np.zeros((samples, len(w)))
    use = w > 0
    rng = np.random.default_rng(seed)
    if use.sum() == 1:
        out[:, use] = 1.0
    elif use.any():
        out[:, use] = rng.dirichlet(concentration * w[use] / w[use].sum(), size=samples)
    return out


def rank_stability(norms, weights, samples: int = 1000, concentration: float = 20.0, seed: int = 0,
                   top: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``norms`` (rows x criteria, the scored candidates in rank order): the share of
    sampled weight vectors (:func:`sample_weights`) under which it ranks first, and in the top
    ``top``. Ties go to the earlier row, as in the ranking. Identical for the same seed."""
    norms = np.asarray(norms, dtype=float)
    n = len(norms)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    w = sample_weights(weights, samples, concentration, seed)
    use = np.asarray(weights, dtype=float) > 0
    s = np.round(w[:, use] @ np.nan_to_num(norms[:, use]).T, SCORE_DECIMALS)  # samples x candidates
    k = min(top, n)
    # only candidates that beat the k-th best of the first 10 somewhere can reach the top k
    head = np.sort(s[:, : min(n, 10)], axis=1)[:, -k]
    alive = np.flatnonzero((s >= head[:, None]).any(axis=0))
    order = alive[np.argsort(-s[:, alive], axis=1, kind="stable")[:, :k]]
    p_first = np.bincount(order[:, 0], minlength=n) / samples
    p_top = np.bincount(order.ravel(), minlength=n) / samples
    return p_first, p_top
