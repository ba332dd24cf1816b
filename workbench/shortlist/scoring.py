"""Normalisation with stated directions, weighted scores, the Pareto front and rank stability under
perturbed weights. Pure array functions; taught in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
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
    weight 0 are ignored (their NaN does not spread). ``norms`` is rows x criteria.

    A row with NaN on a criterion of positive weight is scored on the criteria it has, their weights
    renormalised: ``sum_known w_k x norm_k / sum_known w_k`` (the missing criterion is neither a 0
    nor a made-up value; the ranking admits a candidate without a speed fact this way and flags it).
    A row with no known criterion stays NaN."""
    w = np.asarray(weights, dtype=float)
    norms = np.asarray(norms, dtype=float)
    use = w > 0
    if not use.any():
        return np.full(len(norms), np.nan)
    nu, wu = norms[:, use], w[use]
    score = nu @ (wu / wu.sum())
    gaps = np.isnan(nu).any(axis=1)
    if gaps.any():
        known = ~np.isnan(nu[gaps])
        den = known @ wu
        with np.errstate(invalid="ignore", divide="ignore"):
            score[gaps] = np.where(den > 0, np.nan_to_num(nu[gaps]) @ wu / den, np.nan)
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
    ``top``. Ties go to the earlier row, as in the ranking. Identical for the same seed. A row with
    NaN on a weighted criterion is scored as :func:`weighted_score` does: on the criteria it has,
    each sampled weight vector renormalised over them."""
    norms = np.asarray(norms, dtype=float)
    n = len(norms)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    w = sample_weights(weights, samples, concentration, seed)
    use = np.asarray(weights, dtype=float) > 0
    raw = w[:, use] @ np.nan_to_num(norms[:, use]).T  # samples x candidates
    gaps = np.flatnonzero(np.isnan(norms[:, use]).any(axis=1))
    if len(gaps):
        den = w[:, use] @ (~np.isnan(norms[gaps][:, use])).T.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            raw[:, gaps] = np.where(den > 0, raw[:, gaps] / den, 0.0)
    s = np.round(raw, SCORE_DECIMALS)
    k = min(top, n)
    # only candidates that beat the k-th best of the first 10 somewhere can reach the top k
    head = np.sort(s[:, : min(n, 10)], axis=1)[:, -k]
    alive = np.flatnonzero((s >= head[:, None]).any(axis=0))
    order = alive[np.argsort(-s[:, alive], axis=1, kind="stable")[:, :k]]
    p_first = np.bincount(order[:, 0], minlength=n) / samples
    p_top = np.bincount(order.ravel(), minlength=n) / samples
    return p_first, p_top
