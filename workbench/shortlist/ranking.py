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
2. **Measurements.** ``usd_per_request`` is :func:`workbench.costs.steps.request_cost_for_step` (the
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

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.catalog.load import Catalog
from workbench.costs.latency import typical_ttft_s
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.scenario.load import Scenario, Step
from workbench.shortlist.constraints import (
    _constraint_stage,
    _lit,
    _messages,
    _step_path,
)
from workbench.shortlist.leaderboards import stale_speeds
from workbench.shortlist.pool import (
    CONSTRAINT_KEYS,
    CRITERIA,
    EXCLUDED_COLUMNS,
    LATENCY_UNMEASURED,
    NORMALISATIONS,
    RANKED_COLUMNS,
    SCORE_DECIMALS,
    Candidates,
    candidates,
)
from workbench.shortlist.scoring import (
    normalise,
    pareto_front,
    rank_stability,
    weighted_score,
)

# --------------------------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------------------------

@dataclass
class ShortlistResult:
    """The shortlist of one step (columns documented in the module docstring: :data:`RANKED_COLUMNS`,
    :data:`EXCLUDED_COLUMNS`). ``weights`` are the ones used (sum 1); ``notes`` say how every number
    was made."""

    step: str
    role: str
    weights: dict[str, float]
    quality_benchmark: str
    normalisation: str
    ranked: pd.DataFrame
    excluded: pd.DataFrame
    notes: list[str]
    params: dict = field(default_factory=dict)

    def top(self, n: int = 5, columns=("rank", "offering_id", "score", "quality", "usd_per_request",
                                       "typical_latency_s", "pareto", "p_first", "p_top3")) -> pd.DataFrame:
        """The first ``n`` ranked rows, a few columns (for display)."""
        return self.ranked.loc[:, list(columns)].head(n).reset_index(drop=True)

    @property
    def scored(self) -> pd.DataFrame:
        return self.ranked[self.ranked["scored"]]

    @property
    def frontier(self) -> pd.DataFrame:
        """The Pareto-optimal candidates, in rank order."""
        return self.ranked[self.ranked["pareto"]]

    def why_excluded(self, n: int | None = None) -> pd.DataFrame:
        """Excluded offerings with their reasons joined by ' | ' (most reasons first), for display."""
        ex = self.excluded
        order = np.lexsort((ex["offering_id"].to_numpy(dtype=str), -ex["n_reasons"].to_numpy()))
        ex = ex.iloc[order if n is None else order[:n]]
        return ex[["offering_id", "n_reasons"]].assign(reasons=ex["reasons"].map(" | ".join)).reset_index(drop=True)

    def exclusion_counts(self) -> pd.DataFrame:
        """How many offerings fail each constraint (an offering counts once per constraint it fails),
        and how many fail it *only* (the constraint alone excluded them)."""
        ex = self.excluded
        if ex.empty:
            return pd.DataFrame({"constraint": pd.Series(dtype=str), "offerings": pd.Series(dtype=int),
                                 "only_reason": pd.Series(dtype=int)})
        keys = ex["failed"].explode()
        alone = ex.loc[ex["n_reasons"] == 1, "failed"].str[0]
        counts = keys.value_counts()
        order = [k for k in CONSTRAINT_KEYS if k in counts.index]
        return pd.DataFrame({"constraint": order, "offerings": [int(counts[k]) for k in order],
                             "only_reason": [int((alone == k).sum()) for k in order]})

    def to_dict(self, top: int | None = None) -> dict:
        """JSON-ready: the step, its weights and notes, ranked (first ``top``) and excluded rows."""
        ranked = self.ranked if top is None else self.ranked.head(top)
        return {"step": self.step, "role": self.role, "weights": self.weights,
                "quality_benchmark": self.quality_benchmark, "normalisation": self.normalisation,
                "params": self.params, "notes": self.notes, "n_ranked": int(len(self.ranked)),
                "n_scored": int(self.ranked["scored"].sum()), "n_excluded": int(len(self.excluded)),
                "ranked": ranked, "excluded": self.excluded}


# --------------------------------------------------------------------------------------------
# the shortlist
# --------------------------------------------------------------------------------------------

def _weights(weights, scenario: Scenario, step: Step) -> dict[str, float]:
    w = dict(scenario.weights_for(step) if weights is None else weights)
    problems = []
    file = scenario.path if weights is None else "shortlist(weights=...)"
    where = "weights" if weights is not None or not step.weights else f"{_step_path(scenario, step)}.weights"
    for k, v in w.items():
        if k not in CRITERIA:
            problems.append(Problem(file, f"{where}.{k}", "unknown weight", did_you_mean(k, CRITERIA)))
        elif not isinstance(v, (int, float)) or isinstance(v, bool) or not np.isfinite(v) or v < 0:
            problems.append(Problem(file, f"{where}.{k}", "a weight must be a number >= 0",
                                    "write a plain non-negative number such as 0.3", value=v))
    if problems:
        raise WorkbenchError(problems)
    w = {k: float(w.get(k, 0.0)) for k in CRITERIA}
    total = sum(w.values())
    if total <= 0:
        raise fail(file, where, "weights are all zero",
                   "give at least one of quality, cost, latency a positive weight")
    return {k: round(v / total, SCORE_DECIMALS) for k, v in w.items()}  # 0.6, not 0.6000000000000001


def _quality_lookup(c: Candidates, scenario: Scenario, step: Step, needed: bool) -> tuple[str, pd.DataFrame, bool]:
    bench = step.quality_benchmark or scenario.quality_benchmark
    q = c.quality(bench)
    if q.empty and needed:
        path = (f"{_step_path(scenario, step)}.quality_benchmark" if step.quality_benchmark else "quality_benchmark")
        known = c.benchmarks()
        fix = (did_you_mean(bench, known) + "; or set the quality weight to 0" if known
               else "add scores.csv to the catalog, or set the quality weight to 0")
        raise fail(scenario.path, path, f"benchmark '{bench}' has no rows in the catalog's scores.csv "
                   f"({c.files.get('scores', 'scores.csv')})", fix, value=bench)
    hib = q["higher_is_better"].astype("boolean").dropna().unique().tolist() if len(q) else [True]
    if len(hib) > 1:
        raise fail(c.files.get("scores", "scores.csv"), f"benchmark '{bench}'",
                   "rows disagree on higher_is_better", "use the same direction for every row of a benchmark")
    return bench, q, bool(hib[0]) if hib else True


def shortlist(source: Catalog | Candidates, scenario: Scenario, step: str | None = None, *,
              weights: dict | None = None, normalisation: str = "minmax", samples: int = 1000,
              concentration: float = 20.0, seed: int = 0, score_without_latency: bool = True) -> ShortlistResult:
    """Shortlist one step of a scenario (default: the first step): hard constraints with every
    reason, step-mix cost per request (USD) beside the 3:1 blend, typical latency (s), quality from
    ``scores.csv``, normalised weighted score, Pareto frontier and rank stability. ``weights``
    overrides the step's (else the scenario's) weights. ``source`` is a :class:`Catalog` or a
    prebuilt :class:`Candidates` (faster when called repeatedly). ``score_without_latency`` (default
    True) scores a passed candidate that has quality and cost but no speed fact on those two, their
    weights renormalised, flagged :data:`LATENCY_UNMEASURED` and kept off the Pareto frontier;
    False leaves it unscored. Columns and rules: see the module docstring. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``.
    """
    c = source if isinstance(source, Candidates) else candidates(source)
    st = scenario.step(step)
    if normalisation not in NORMALISATIONS:
        raise fail("shortlist()", "normalisation", f"unknown normalisation '{normalisation}'",
                   did_you_mean(normalisation, NORMALISATIONS))
    w = _weights(weights, scenario, st)
    bench, qtab, q_higher = _quality_lookup(c, scenario, st, needed=w["quality"] > 0)
    t = c.table
    n = len(t)

    # 1. constraints
    fails, fail_keys, fail_msgs = _constraint_stage(c, scenario, st)
    passed = ~fails

    # 2. measurements (vectorised over all rows: cheap, and excluded rows show them too)
    m = c.measured(st)
    cost = m["usd_per_request"].copy()
    selfhost_pricing = _self_hosted_pricing(c, st, passed, cost)
    latency = m["typical_latency_s"]
    mid = c.array("model_id")
    qcols = c.quality_columns(bench)
    quality = qcols["value"]
    values = {"quality": quality, "cost": cost, "latency": latency}

    # 3. score the candidates that have every number a positive weight needs; with
    # ``score_without_latency`` one without a speed fact is scored on the criteria it has (their
    # weights renormalised) and flagged LATENCY_UNMEASURED -- never given a latency
    need = [k for k in CRITERIA if w[k] > 0]
    other = [k for k in need if k != "latency"]
    scored = passed.copy()
    for k in (other if score_without_latency and other else need):
        scored &= ~np.isnan(values[k])
    unmeasured = scored & np.isnan(latency) & (w["latency"] > 0)
    log = normalisation == "log-minmax"
    norms = {}
    for k in CRITERIA:
        v = np.where(scored, values[k], np.nan)
        norms[k] = normalise(v, lower_is_better=(k != "quality") or not q_higher, log=log and k != "quality")
    wvec = np.array([w[k] for k in CRITERIA])
    norm_matrix = np.column_stack([norms[k] for k in CRITERIA])
    score = np.full(n, np.nan)
    if scored.any():
        score[scored] = weighted_score(norm_matrix[scored], wvec)

    # 4. Pareto among passed candidates with all three known (quality flipped to minimise)
    q_min = -quality if q_higher else quality
    pts = np.column_stack([q_min, cost, latency])
    pareto = np.zeros(n, dtype=bool)
    pidx = np.flatnonzero(passed)
    pareto[pidx] = pareto_front(pts[pidx])

    # ranking: score desc, then cheaper, then offering_id
    oid = c.array("offering_id")
    sidx = np.flatnonzero(scored)
    order = sidx[np.lexsort((oid[sidx].astype(str), cost[sidx], -score[sidx]))]
    rank = np.full(n, np.nan)
    rank[order] = np.arange(1, len(order) + 1)
    p_first = np.full(n, np.nan)
    p_top3 = np.full(n, np.nan)
    if len(order):
        pf, pt = rank_stability(norm_matrix[order], wvec, samples, concentration, seed)
        p_first[order], p_top3[order] = pf, pt

    # the ranked table: scored by rank, then unscored by quality (known first), then id
    unscored = np.flatnonzero(passed & ~scored)
    qkey = np.where(np.isnan(quality[unscored]), np.inf, -np.nan_to_num(quality[unscored]) if q_higher
                    else np.nan_to_num(quality[unscored]))
    unscored = unscored[np.lexsort((oid[unscored].astype(str), qkey))]
    rows = np.concatenate([order, unscored]).astype(int)

    blend, at3 = m["usd_per_mtok_blended_3to1"], m["usd_per_request_at_3to1"]
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = 100.0 * (cost / at3 - 1.0)

    flags = _flags(c, rows, {**values, "score": score}, w, bench, passed, selfhost_pricing, st, scenario.as_of, unmeasured)
    take = lambda a: np.asarray(a)[rows]
    ranked = pd.DataFrame({
        "rank": pd.arrays.IntegerArray(np.nan_to_num(take(rank)).astype("int64"), np.isnan(take(rank))),
        "offering_id": take(oid), "model_id": take(mid), "name": take(c.array("name")),
        "provider": take(c.array("provider")), "access_mode": take(c.array("access_mode")),
        "openness": take(c.array("openness")), "score": take(score), "quality": take(quality),
        "quality_benchmark": bench,
        "quality_source": take(qcols["source"]), "quality_as_of": take(qcols["as_of"]),
        "quality_harness": take(qcols["harness"]),
        "quality_ci_low": take(qcols["ci_low"]), "quality_ci_high": take(qcols["ci_high"]),
        "usd_per_request": take(cost), "usd_per_mtok_blended_3to1": take(blend), "usd_per_request_at_3to1": take(at3),
        "diff_vs_3to1_pct": take(diff), "typical_latency_s": take(latency),
        "ttft_s": take(c.number("ttft_s")), "output_tokens_per_s": take(c.number("output_tokens_per_s")),
        "reasoning_effort": take(c.array("reasoning_effort")), "speed_source": take(c.array("speed_source")), "speed_as_of": take(c.array("speed_as_of")),
        "norm_quality": take(norms["quality"]), "norm_cost": take(norms["cost"]),
        "norm_latency": take(norms["latency"]), "pareto": take(pareto), "p_first": take(p_first),
        "p_top3": take(p_top3), "scored": take(scored), "flags": flags,
        "source": take(c.array("source")), "as_of": take(c.array("as_of")),
    }, columns=list(RANKED_COLUMNS))

    fidx = np.flatnonzero(fails)
    excluded = pd.DataFrame({
        "offering_id": oid[fidx], "model_id": mid[fidx], "name": c.array("name")[fidx],
        "provider": c.array("provider")[fidx], "access_mode": c.array("access_mode")[fidx],
        "failed": pd.Series([list(k) for k in fail_keys], dtype=object),
        "reasons": pd.Series([list(m) for m in fail_msgs], dtype=object),
        "n_reasons": np.array([len(k) for k in fail_keys], dtype=int),
        "quality": quality[fidx], "usd_per_request": cost[fidx], "typical_latency_s": latency[fidx],
        "output_tokens_per_s": c.number("output_tokens_per_s")[fidx], "ttft_s": c.number("ttft_s")[fidx],
    }, columns=list(EXCLUDED_COLUMNS))

    params = {"samples": samples, "concentration": concentration, "seed": seed, "as_of": str(scenario.as_of),
              "horizon_date": str(scenario.horizon_date), "quality_higher_is_better": q_higher,
              "offerings": n, "scenario": scenario.name}
    notes = _notes(scenario, st, w, bench, q_higher, normalisation, ranked, excluded, params, c)
    return ShortlistResult(step=st.name, role=st.role, weights=w, quality_benchmark=bench,
                           normalisation=normalisation, ranked=ranked, excluded=excluded, notes=notes, params=params)


def _self_hosted_pricing(c: Candidates, step: Step, passed: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """The flag for each passed self-hosted row that the cost module priced with its self-hosting
    model (None elsewhere): the number is not a list price and depends on the step's volume."""
    notes = np.full(len(c), None, dtype=object)
    rows = passed & (c.array("access_mode") == "self-hosted") & ~np.isnan(cost)
    if rows.any():
        gpu = pd.Series(c.array("gpu_count"), dtype=object).astype(str) + " x " + pd.Series(c.array("gpu"), dtype=object).astype(str)
        notes[rows] = ("cost: self-hosted, priced by the self-hosting model (workbench.costs.steps.step_costs): "
                       + gpu[rows] + f" for the step's volume of {step.requests_per_month:,} requests/month, "
                       "not a list price").to_numpy(dtype=object)
    return notes


def _flags(c: Candidates, rows: np.ndarray, values: dict, w: dict, bench: str, passed: np.ndarray,
           selfhost_pricing: np.ndarray, step: Step, as_of, unmeasured: np.ndarray) -> list[list[str]]:
    """Per ranked row: what is unknown (and whether that keeps it from being scored), how a
    self-hosted row was priced, typical latency already above the step's targets (a flag, not an
    exclusion: the targets are about tails, checked in notebook 03), speed facts older than
    :data:`MAX_SCORE_AGE_DAYS` (stale, like scores), and licence caveats."""
    n = len(c)
    parts = [(pd.notna(selfhost_pricing), selfhost_pricing)]
    stale, why = stale_speeds(c.table["speed_as_of"], as_of)
    parts.append((stale, why))
    lat, tok = step.latency, step.tokens
    if lat.ttft_s is not None:
        first = typical_ttft_s(c.number("ttft_s"), lat.network_s, lat.retrieval_s, tok.tool_turns, lat.tool_call_s)
        slow = ~np.isnan(first) & (first > lat.ttft_s)
        parts.append((slow, _messages(n, slow, first, "latency: typical time to first token {:.2f} s already exceeds "
                                      + _lit(f"the step's ttft_s target of {lat.ttft_s:g} s"))))
    if lat.total_s is not None:
        slow = ~np.isnan(values["latency"]) & (values["latency"] > lat.total_s)
        parts.append((slow, _messages(n, slow, values["latency"], "latency: typical {:.2f} s already exceeds "
                                      + _lit(f"the step's total_s target of {lat.total_s:g} s (p95 is higher: "
                                             "see 03_cost_and_latency)"))))
    for k, text in (("quality", f"no quality score for {bench} in scores.csv"),
                    ("cost", "no per-request price (a price is missing, or a self-hosted row's GPU is not in gpus.csv)"),
                    ("latency", "latency unknown (no ttft_s / output_tokens_per_s)")):
        tail = "; not scored" if w[k] > 0 else f"; the {k} weight is 0, so it does not count"
        unknown = np.isnan(values[k]) & ~unmeasured if k == "latency" else np.isnan(values[k])
        parts.append((unknown, f"{text}{tail}; not in the Pareto check"))
    parts.append((unmeasured, _unmeasured_messages(n, unmeasured, values["score"], w)))
    cu = c.array("commercial_use")
    restricted = cu == "restricted"
    notes_ = c.array("license_notes")
    lic = _messages(n, restricted, np.where(pd.isna(notes_), "see the licence", notes_),
                    "licence: commercial use is restricted ({}): check the clause applies to you")
    parts.append((restricted, lic))
    matrix = np.column_stack([m[rows] for m, _ in parts]) if len(rows) else np.zeros((0, len(parts)), dtype=bool)
    out = [[] for _ in range(len(rows))]
    r_idx, c_idx = np.nonzero(matrix)
    for r, j in zip(r_idx.tolist(), c_idx.tolist()):  # one step per flag, not per offering
        msg = parts[j][1]
        out[r].append(msg if isinstance(msg, str) else msg[rows[r]])
    return out


def _unmeasured_messages(n: int, unmeasured: np.ndarray, score: np.ndarray, w: dict) -> np.ndarray:
    """The :data:`LATENCY_UNMEASURED` flag of each scored row without a speed fact, with the range its
    score would take if its latency were the slowest (norm 0) or the fastest (norm 1) of the measured
    ones: ``score x (1 - w_latency)`` to that plus ``w_latency`` (weights summing to 1)."""
    others = " and ".join(k for k in CRITERIA if k != "latency" and w[k] > 0)
    wl = w["latency"] / sum(w.values())
    lo = np.round(score * (1.0 - wl), 3)
    out = np.full(n, None, dtype=object)
    for i in np.flatnonzero(unmeasured):
        out[i] = (f"{LATENCY_UNMEASURED} (no ttft_s / output_tokens_per_s: scored on {others} only, their weights "
                  f"renormalised; no latency is assumed; as slow as the slowest measured candidate it would score "
                  f"{lo[i]:.3f}, as fast as the fastest {lo[i] + wl:.3f}; not in the Pareto check)")
    return out


def _notes(scenario, st, w, bench, q_higher, normalisation, ranked, excluded, params, c) -> list[str]:
    scored = ranked[ranked["scored"]]
    notes = [
        f"Step '{st.name}' (role {st.role}, needs {'an' if st.model_type[0] in 'aeiou' else 'a'} {st.model_type} model) of scenario '{scenario.name}', "
        f"as_of {scenario.as_of}, horizon {scenario.horizon_date}.",
        f"{len(excluded)} of {params['offerings']} offerings excluded by hard constraints (every failed "
        f"constraint is listed; an unknown fact fails a hard requirement); {len(ranked)} passed, "
        f"{len(scored)} scored.",
        f"Weights (sum 1; {'step' if st.weights else 'scenario'} weights): "
        + ", ".join(f"{k} {w[k]:.3g}" for k in CRITERIA) + ".",
        f"Normalisation: {'min-max' if normalisation == 'minmax' else 'min-max of log10 cost and latency'} over the "
        f"{len(scored)} scored candidates; 1 = best, 0 = worst; quality ({bench}) "
        f"{'higher' if q_higher else 'lower'} is better, cost (usd_per_request) lower is better, "
        "latency (typical_latency_s) lower is better. score = sum of weight x norm.",
        f"Cost: usd_per_request prices the step's token mix (input {st.tokens.input}, output {st.tokens.output}, "
        f"reasoning {st.tokens.reasoning}, cached share {st.tokens.cached_share:g}, batch share "
        f"{st.tokens.batch_share:g}, tool turns {st.tokens.tool_turns}); usd_per_request_at_3to1 prices the same "
        "tokens at the leaderboards' (3 x input + output) / 4 blend.",
        f"Latency: typical_latency_s = retrieval {st.latency.retrieval_s:g} s + (1 + {st.tokens.tool_turns} tool turns) "
        f"x (network {st.latency.network_s:g} s + ttft_s) + tool turns x {st.latency.tool_call_s:g} s + (output + "
        "reasoning tokens) / output_tokens_per_s, at the offering's median speeds (network, retrieval and tool "
        "times are the scenario's assumptions).",
        f"Pareto: no other passed candidate is at least as good on quality, usd_per_request and typical_latency_s "
        f"and better on one; {int(ranked['pareto'].sum())} on the frontier.",
        f"Rank stability: {params['samples']} weight vectors from a Dirichlet centred on the weights "
        f"(concentration {params['concentration']:g}, seed {params['seed']}).",
    ]
    unmeasured = scored[scored["typical_latency_s"].isna()] if w["latency"] > 0 else scored.iloc[0:0]
    if len(unmeasured):
        rest = {k: w[k] for k in CRITERIA if k != "latency" and w[k] > 0}
        total = sum(rest.values())
        notes.append(f"{len(unmeasured)} scored candidates have no speed fact ({LATENCY_UNMEASURED}): their "
                     "score uses " + ", ".join(f"{k} {v / total:.3g}" for k, v in rest.items())
                     + " (the weights of the criteria they have, renormalised to sum 1); their latency norm is empty, "
                     "no latency is assumed, they are not on the Pareto frontier, and the decision prefers a "
                     "candidate known to meet the step's latency target.")
    unscored = ranked[~ranked["scored"]]
    if len(unscored):
        notes.append(f"{len(unscored)} passed candidates are not scored because a number a positive weight needs is "
                     "unknown; they follow the ranked ones with rank empty and a flag saying what is missing.")
    known = scored[scored["quality_source"].notna()]
    prov = sorted(Counter(zip(known["quality_source"].tolist(), known["quality_as_of"].tolist(),
                              known["quality_harness"].tolist())).items(), key=lambda kv: (str(kv[0][1]), kv[0][0]))
    if len(prov) > 1:
        notes.append(f"Quality numbers of the scored candidates come from {len(prov)} different source/date/harness "
                     "combinations: " + "; ".join(f"{s} as_of {pd.Timestamp(d).date()} ({h}): {k}"
                                                  for (s, d, h), k in prov) + ". Compare with care.")
    elif len(prov) == 1:
        (s, d, h), k = prov[0]
        notes.append(f"Quality: {bench} from {s}, as_of {pd.Timestamp(d).date()}, harness {h} ({k} candidates).")
    known_models = set(c.array("model_id")) if scenario.constraints.exclude_models else set()
    for m in scenario.constraints.exclude_models:
        if m not in known_models and m.lower() not in known_models:
            notes.append(f"constraints.exclude_models names '{m}', which is not in the catalog; "
                         + did_you_mean(m, known_models))
    known_providers = set(c.array("provider")) if scenario.constraints.exclude_providers else set()
    for p in scenario.constraints.exclude_providers:
        if p not in known_providers and p.lower() not in known_providers:
            notes.append(f"constraints.exclude_providers names '{p}', which is not in the catalog; "
                         + did_you_mean(p, known_providers))
    return notes


def shortlist_all(source: Catalog | Candidates, scenario: Scenario, **options) -> dict[str, ShortlistResult]:
    """:func:`shortlist` for every step of the workflow, by step name (options as for shortlist).
    Used by ``python -m workbench shortlist``. Introduced in ``02_shortlist_from_leaderboards.ipynb``."""
    c = source if isinstance(source, Candidates) else candidates(source)
    return {s.name: shortlist(c, scenario, s.name, **options) for s in scenario.workflow}


# --------------------------------------------------------------------------------------------
# views used by the notebook's leaderboard-mistakes section
# --------------------------------------------------------------------------------------------

def provider_spread(result: ShortlistResult, min_offerings: int = 2) -> pd.DataFrame:
    """For each model served by at least ``min_offerings`` priced API offerings (passed or
    excluded): the cheapest and dearest USD per request for the step, and the slowest and fastest
    output tokens/s, with their ratios. Shows that "the model" is not one price or one speed.
    Introduced in ``02_shortlist_from_leaderboards.ipynb``."""
    cols = ["offering_id", "model_id", "provider", "access_mode", "usd_per_request", "output_tokens_per_s"]
    allrows = pd.concat([result.ranked[cols], result.excluded[cols]], ignore_index=True)
    allrows = allrows[allrows["access_mode"] != "self-hosted"]
    g = allrows.groupby("model_id")
    out = pd.DataFrame({
        "offerings": g.size(),
        "usd_per_request_min": g["usd_per_request"].min(), "usd_per_request_max": g["usd_per_request"].max(),
        "tokens_per_s_min": g["output_tokens_per_s"].min(), "tokens_per_s_max": g["output_tokens_per_s"].max(),
    })
    out = out[out["offerings"] >= min_offerings].copy()
    out["price_ratio"] = out["usd_per_request_max"] / out["usd_per_request_min"]
    out["speed_ratio"] = out["tokens_per_s_max"] / out["tokens_per_s_min"]
    return out.sort_values(["offerings", "price_ratio"], ascending=[False, False]).reset_index()


def offerings_of(result: ShortlistResult, model_id: str) -> pd.DataFrame:
    """Every offering of one model for this step, passed or excluded: price per request, speed,
    typical latency, and its rank or why it was excluded. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``."""
    cols = ["offering_id", "provider", "access_mode", "usd_per_request", "output_tokens_per_s", "ttft_s",
            "typical_latency_s"]
    r = result.ranked[result.ranked["model_id"] == model_id]
    e = result.excluded[result.excluded["model_id"] == model_id]
    if r.empty and e.empty:
        known = pd.concat([result.ranked["model_id"], result.excluded["model_id"]])
        raise fail("offerings_of()", f"model '{model_id}'", "no offering of this model in the shortlist",
                   did_you_mean(model_id, known))
    a = r[cols].assign(status=r["rank"].map(lambda x: "not scored" if pd.isna(x) else f"rank {int(x)}"))
    b = e[cols].assign(status=e["reasons"].map(lambda rs: "excluded: " + " | ".join(rs)))
    return pd.concat([a, b], ignore_index=True).sort_values("usd_per_request", kind="stable").reset_index(drop=True)


def leaderboard_top_vs_pick(result: ShortlistResult) -> pd.DataFrame:
    """The offering with the best quality score among *all* offerings (what a reader who only looks
    at the leaderboard picks; the cheapest offering of that model) beside the shortlist's rank 1:
    quality, USD per request, typical latency, and whether it passed. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``."""
    cols = ["offering_id", "model_id", "quality", "usd_per_request", "typical_latency_s"]
    allrows = pd.concat([result.ranked[cols].assign(passed=True),
                         result.excluded[cols].assign(passed=False)], ignore_index=True).dropna(subset=["quality"])
    higher = result.params.get("quality_higher_is_better", True)
    if allrows.empty or not result.ranked["scored"].any():
        raise fail("leaderboard_top_vs_pick()", f"step '{result.step}'", "nothing to compare",
                   "the step needs scored candidates and quality scores")
    best_q = allrows["quality"].max() if higher else allrows["quality"].min()
    top = allrows[allrows["quality"] == best_q].sort_values(["usd_per_request", "offering_id"]).head(1)
    pick = result.ranked[result.ranked["scored"]].head(1)[cols].assign(passed=True)
    out = pd.concat([top.assign(who="leaderboard #1"), pick.assign(who="shortlist rank 1")], ignore_index=True)
    return out[["who", *cols, "passed"]]
