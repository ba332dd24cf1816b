"""Cross-source checks on quality scores: do the leaderboards agree, are the numbers fresh, comparable?

The catalog's ``scores`` table is long format (model x benchmark x source x date) and already uses
the catalog's ``model_id``: the ``name_map`` table is what made that join possible, so
:func:`joined_names` shows which external name of each source was joined to which model. On top of
that join this module reports

- rank correlation between two benchmarks on the models *both* score (Spearman's rho and Kendall's
  tau-b, computed with pandas/numpy, with the count of models): :func:`rank_correlations`;
- models whose ranks disagree strongly between two benchmarks: :func:`rank_disagreements`, flagged
  when the two rank percentiles differ by more than ``max_rank_gap`` (default 0.4, i.e. 40% of the
  field);
- scores older than ``max_age_days`` (default 180) before the scenario's ``as_of``, or dated after it:
  :func:`stale_scores`;
- benchmarks whose rows come from different harnesses or index versions: :func:`mixed_harnesses`;
- scores whose name join is unverified, loose or ambiguous: :func:`joined_names`.

Without a list of benchmarks the checks use each source's headline number
(:func:`default_benchmarks`); speed measures (names ending in ``_s``) are never treated as quality.
Nothing here averages across sources: :func:`score_table` puts each benchmark in its own column.
:func:`crosscheck` runs every check and collects one ``flags`` table with a reason per flag.
Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from workbench.errors import did_you_mean, fail
from workbench.util import as_of_timestamp

MAX_SCORE_AGE_DAYS = 180   # a score older than this before the analysis date is flagged as stale
MAX_RANK_GAP = 0.4         # rank percentiles differing by more than this (40% of the field) disagree strongly
MIN_MODELS_FOR_CORRELATION = 3

# whose naming a benchmark's model names follow, by benchmark-name prefix (name_map namespaces)
BENCHMARK_NAMESPACES = (
    ("lmarena_", "lmarena"),
    ("livebench_", "livebench"),
    ("aa_", "artificial-analysis"),
)

FLAG_COLUMNS = ["model_id", "benchmark", "check", "reason"]

# each source's headline quality number; the default benchmarks for cross-checks (see default_benchmarks)
HEADLINE_BENCHMARKS = ("lmarena_text_full", "livebench_global_average", "aa_intelligence_index")


def is_quality_benchmark(benchmark: str) -> bool:
    """False for speed and latency measures, which carry a time unit in their name (``aa_median_ttft_s``,
    ``aa_median_output_tokens_per_s``)."""
    return not str(benchmark).endswith("_s")


def default_benchmarks(scores: pd.DataFrame) -> list[str]:
    """The benchmarks cross-checked when none are named: each source's headline number
    (:data:`HEADLINE_BENCHMARKS`) where the catalog has it, and every quality benchmark of a source
    (name-map namespace) that has no headline, sorted."""
    present = sorted(b for b in scores["benchmark"].unique() if is_quality_benchmark(b))
    headline = [b for b in present if b in HEADLINE_BENCHMARKS]
    covered = {benchmark_namespace(b) for b in headline}
    return sorted(headline + [b for b in present if b not in headline and benchmark_namespace(b) not in covered])


def benchmark_namespace(benchmark: str) -> str | None:
    """The ``name_map`` namespace a benchmark's source names models in (``lmarena_text_full`` -> ``lmarena``),
    or None when the prefix is not one of :data:`BENCHMARK_NAMESPACES`."""
    for prefix, namespace in BENCHMARK_NAMESPACES:
        if str(benchmark).startswith(prefix):
            return namespace
    return None


def _select(scores: pd.DataFrame, benchmarks=None, model_ids=None) -> pd.DataFrame:
    """Rows of the given benchmarks and models; an unknown benchmark is an error with a suggestion."""
    s = scores
    if benchmarks is not None:
        known = set(scores["benchmark"])
        for b in benchmarks:
            if b not in known:
                raise fail("scores.csv", f"benchmark '{b}'", "no scores for this benchmark in the catalog",
                           did_you_mean(b, known) if known else "the scores table is empty")
        s = s[s["benchmark"].isin(list(benchmarks))]
    if model_ids is not None:
        s = s[s["model_id"].isin(list(model_ids))]
    return s


def latest_scores(scores: pd.DataFrame, benchmarks=None, model_ids=None) -> pd.DataFrame:
    """One row per model x benchmark: the newest ``as_of`` (the table keeps older snapshots for history).

    Columns are those of the scores table.
    """
    s = _select(scores, benchmarks, model_ids)
    if s.empty:
        return s.copy()
    s = s.sort_values(["model_id", "benchmark", "as_of", "source"], kind="stable")
    return s.drop_duplicates(["model_id", "benchmark"], keep="last").reset_index(drop=True)


def score_table(scores: pd.DataFrame, benchmarks, model_ids=None) -> pd.DataFrame:
    """Scores side by side: ``model_id`` plus one column per benchmark (its own unit), newest row each.

    Sources are never averaged: a model a source does not score has an empty cell.
    Introduced in ``02_shortlist_from_leaderboards.ipynb``.
    """
    s = latest_scores(scores, benchmarks, model_ids)
    wide = s.pivot(index="model_id", columns="benchmark", values="value")
    wide = wide.reindex(columns=list(benchmarks))
    wide.columns.name = None
    return wide.reset_index()


# --------------------------------------------------------------------------------------------
# rank statistics (scipy is not a dependency: pandas ranks, numpy pair signs)
# --------------------------------------------------------------------------------------------

def spearman_rho(x, y) -> float:
    """Spearman's rank correlation: the Pearson correlation of the two average-rank vectors (ties get
    the mean of their ranks). NaN pairs are dropped; NaN when fewer than 2 pairs or a constant side."""
    a, b = _pairs(x, y)
    if len(a) < 2:
        return float("nan")
    ra, rb = a.rank(method="average"), b.rank(method="average")
    if ra.nunique() < 2 or rb.nunique() < 2:
        return float("nan")
    return float(ra.corr(rb))


def kendall_tau_b(x, y) -> float:
    """Kendall's tau-b: (concordant - discordant pairs) / sqrt(pairs not tied in x * pairs not tied in y).

    NaN pairs are dropped; NaN when fewer than 2 pairs or one side is constant.
    Introduced in ``02_shortlist_from_leaderboards.ipynb``."""
    a, b = _pairs(x, y)
    if len(a) < 2:
        return float("nan")
    va, vb = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    i, j = np.triu_indices(len(va), k=1)
    sa, sb = np.sign(va[i] - va[j]), np.sign(vb[i] - vb[j])
    untied_a, untied_b = np.count_nonzero(sa), np.count_nonzero(sb)
    if untied_a == 0 or untied_b == 0:
        return float("nan")
    return float((sa * sb).sum() / np.sqrt(untied_a * untied_b))


def _pairs(x, y) -> tuple[pd.Series, pd.Series]:
    a = pd.Series(x, dtype=float).reset_index(drop=True)
    b = pd.Series(y, dtype=float).reset_index(drop=True)
    keep = a.notna() & b.notna()
    return a[keep], b[keep]


def _oriented(s: pd.DataFrame) -> pd.Series:
    """Values with lower-is-better benchmarks negated, so that larger always means better."""
    sign = np.where(s["higher_is_better"].fillna(True).astype(bool), 1.0, -1.0)
    return s["value"].astype(float) * sign


def _source_of(s: pd.DataFrame, benchmark: str) -> str:
    return "; ".join(sorted(s.loc[s["benchmark"] == benchmark, "source"].dropna().unique()))


def _same_source(a: str, b: str, latest: pd.DataFrame) -> bool:
    na, nb = benchmark_namespace(a), benchmark_namespace(b)
    if na is not None or nb is not None:
        return na == nb
    return _source_of(latest, a) == _source_of(latest, b)


def _both_scored(latest: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Models scored on both benchmarks: model_id, value_a, value_b (oriented: larger is better)."""
    o = latest.assign(_v=_oriented(latest))
    wa = o.loc[o["benchmark"] == a, ["model_id", "_v", "value"]].rename(columns={"_v": "_a", "value": "value_a"})
    wb = o.loc[o["benchmark"] == b, ["model_id", "_v", "value"]].rename(columns={"_v": "_b", "value": "value_b"})
    return wa.merge(wb, on="model_id", how="inner").sort_values("model_id").reset_index(drop=True)


def rank_correlations(scores: pd.DataFrame, benchmarks=None, model_ids=None,
                      min_models: int = MIN_MODELS_FOR_CORRELATION, cross_source_only: bool = True) -> pd.DataFrame:
    """Rank agreement for every pair of benchmarks, on the models both score (newest row each).

    Columns: ``benchmark_a``, ``benchmark_b``, ``source_a``, ``source_b``, ``n_models`` (scored by
    both), ``spearman``, ``kendall_tau_b`` (both -1..1; NaN below ``min_models``), ``note``.
    Lower-is-better benchmarks are turned around first, so +1 always means the same order.
    ``cross_source_only`` skips pairs from the same source (e.g. two LMArena categories). Without
    ``benchmarks``, :func:`default_benchmarks` (each source's headline number).
    """
    names = list(benchmarks) if benchmarks is not None else default_benchmarks(scores)
    latest = latest_scores(scores, names, model_ids)
    rows = []
    for a, b in combinations(names, 2):
        if cross_source_only and _same_source(a, b, latest):
            continue
        both = _both_scored(latest, a, b)
        n = len(both)
        enough = n >= min_models
        rows.append({
            "benchmark_a": a, "benchmark_b": b,
            "source_a": _source_of(latest, a), "source_b": _source_of(latest, b),
            "n_models": n,
            "spearman": spearman_rho(both["_a"], both["_b"]) if enough else float("nan"),
            "kendall_tau_b": kendall_tau_b(both["_a"], both["_b"]) if enough else float("nan"),
            "note": "" if enough else f"only {n} model(s) scored by both; need {min_models}",
        })
    cols = ["benchmark_a", "benchmark_b", "source_a", "source_b", "n_models", "spearman", "kendall_tau_b", "note"]
    return pd.DataFrame(rows, columns=cols)


def rank_disagreements(scores: pd.DataFrame, benchmark_a: str, benchmark_b: str, model_ids=None,
                       max_rank_gap: float = MAX_RANK_GAP) -> pd.DataFrame:
    """Per model scored on both benchmarks: its rank in each (1 = best, ties averaged) among those
    models, the rank percentile ``(rank - 1) / (n - 1)`` (0 = best, 1 = worst), and ``rank_gap`` = the
    absolute difference of the percentiles. ``flagged`` when ``rank_gap > max_rank_gap``, with a reason.

    Sorted by ``rank_gap``, largest first.
    """
    latest = latest_scores(scores, [benchmark_a, benchmark_b], model_ids)
    both = _both_scored(latest, benchmark_a, benchmark_b)
    n = len(both)
    cols = ["model_id", "value_a", "value_b", "rank_a", "rank_b", "rank_pct_a", "rank_pct_b", "rank_gap",
            "flagged", "reason"]
    if n == 0:
        return pd.DataFrame(columns=cols)
    rank_a = both["_a"].rank(ascending=False, method="average")
    rank_b = both["_b"].rank(ascending=False, method="average")
    denom = max(n - 1, 1)
    out = both[["model_id", "value_a", "value_b"]].assign(
        rank_a=rank_a, rank_b=rank_b, rank_pct_a=(rank_a - 1) / denom, rank_pct_b=(rank_b - 1) / denom)
    out["rank_gap"] = (out["rank_pct_a"] - out["rank_pct_b"]).abs()
    out["flagged"] = out["rank_gap"] > max_rank_gap
    out["reason"] = [
        (f"rank {ra:g} of {n} on {benchmark_a} but {rb:g} of {n} on {benchmark_b}: percentiles differ by "
         f"{g:.2f} > {max_rank_gap:g}") if f else ""
        for ra, rb, g, f in zip(out["rank_a"], out["rank_b"], out["rank_gap"], out["flagged"])]
    return out.sort_values(["rank_gap", "model_id"], ascending=[False, True], kind="stable").reset_index(drop=True)[cols]


def stale_speeds(speed_as_of: pd.Series, as_of, max_age_days: int = MAX_SCORE_AGE_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """Which speed facts (``ttft_s``, ``output_tokens_per_s``, dated ``speed_as_of``) are older than
    ``max_age_days`` before the analysis date ``as_of`` -- the same window as :func:`stale_scores`.
    Returns (stale mask, per-row message or None). An undated or missing speed is not stale (it is
    unknown, which the shortlist flags on its own). The shortlist's ``flags`` show it.
    """
    when = as_of_timestamp(as_of)
    day = pd.to_datetime(pd.Series(speed_as_of).reset_index(drop=True), errors="coerce")
    age = (when - day).dt.days
    stale = (age > max_age_days).fillna(False).to_numpy(dtype=bool)
    msgs = np.full(len(day), None, dtype=object)
    for i in np.flatnonzero(stale):
        msgs[i] = (f"latency: stale speed facts (speed_as_of {day.iloc[i]:%Y-%m-%d} is {int(age.iloc[i])} days before "
                   f"{when:%Y-%m-%d}, limit {max_age_days}): re-measure before relying on the latency")
    return stale, msgs


def stale_scores(scores: pd.DataFrame, as_of, max_age_days: int = MAX_SCORE_AGE_DAYS, benchmarks=None,
                 model_ids=None) -> pd.DataFrame:
    """Age of each newest score relative to the analysis date ``as_of``, in days.

    Columns: ``model_id``, ``benchmark``, ``source``, ``as_of`` (the score's), ``age_days``, ``stale``
    (older than ``max_age_days``), ``future`` (dated after ``as_of``: not knowable on that date),
    ``reason``.
    """
    when = as_of_timestamp(as_of)
    s = latest_scores(scores, benchmarks, model_ids)
    out = s[["model_id", "benchmark", "source", "as_of"]].copy()
    out["age_days"] = (when - pd.to_datetime(out["as_of"])).dt.days.astype("Int64")
    out["stale"] = out["age_days"] > max_age_days
    out["future"] = out["age_days"] < 0
    day = when.strftime("%Y-%m-%d")
    out["reason"] = [
        (f"score dated {a:%Y-%m-%d} is {d} days older than the analysis date {day} (limit {max_age_days})" if st
         else f"score dated {a:%Y-%m-%d} is after the analysis date {day}: it was not known then" if fu else "")
        for a, d, st, fu in zip(pd.to_datetime(out["as_of"]), out["age_days"], out["stale"], out["future"])]
    return out.reset_index(drop=True)


def mixed_harnesses(scores: pd.DataFrame, benchmarks=None, model_ids=None) -> pd.DataFrame:
    """For each benchmark, the harnesses (who ran it, which index version) and sources behind its newest rows.

    One row per benchmark x harness x source: ``n_models``, ``models``, ``as_of_min``, ``as_of_max``,
    ``mixed`` (the benchmark has more than one harness or source among the models compared, so its
    numbers are not on one scale), ``reason``.
    """
    s = latest_scores(scores, benchmarks, model_ids)
    cols = ["benchmark", "harness", "source", "n_models", "models", "as_of_min", "as_of_max", "mixed", "reason"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    g = (s.groupby(["benchmark", "harness", "source"], dropna=False, sort=True)
         .agg(n_models=("model_id", "size"), models=("model_id", lambda m: ", ".join(sorted(m))),
              as_of_min=("as_of", "min"), as_of_max=("as_of", "max"))
         .reset_index())
    groups = g.groupby("benchmark")["harness"].transform("size")
    g["mixed"] = groups > 1
    desc = g.groupby("benchmark").apply(
        lambda t: "; ".join(f"'{h}' from {src} ({n} models)" for h, src, n in zip(t["harness"], t["source"], t["n_models"])),
        include_groups=False)
    g["reason"] = [f"{b} mixes {k} harnesses/sources: {desc[b]}; compare within one" if m else ""
                   for b, k, m in zip(g["benchmark"], groups, g["mixed"])]
    return g[cols]


def joined_names(catalog, benchmarks=None, model_ids=None) -> pd.DataFrame:
    """Which external name of each source was joined to each catalog model, through ``catalog.name_map``.

    One row per model x benchmark with a score (newest row). ``namespace`` is the source's naming
    (see :func:`benchmark_namespace`). A name-map row is *tied* to the score when its ``source``
    names the score's ``source`` (the catalog writes "name present in <source>"); ``external_name``
    lists the tied names (``'; '``-joined), or every name in the namespace when none is tied.
    ``joined``: a name-map entry exists. ``note`` says when the join is unverified (no entry), loose
    (entries not tied to this source) or ambiguous (several entries of this source map to one model,
    e.g. a provider's FP8 variant).
    """
    s = latest_scores(catalog.scores, benchmarks, model_ids)
    nm = catalog.name_map
    by_key = {k: g for k, g in nm.groupby(["model_id", "namespace"])}
    rows = []
    for model_id, benchmark, source, as_of in zip(s["model_id"], s["benchmark"], s["source"], s["as_of"]):
        namespace = benchmark_namespace(benchmark)
        entries = by_key.get((model_id, namespace))
        name, note = None, ""
        if namespace is None:
            note = "no name-map namespace for this benchmark: the join cannot be shown"
        elif entries is None:
            note = "no name-map entry for this model in the source's naming: the join is unverified"
        else:
            tied = entries[entries["source"].str.contains(source, regex=False)]
            shown = tied if len(tied) else entries
            name = "; ".join(sorted(shown["external_name"]))
            if not len(tied):
                note = "the name-map entries do not say they come from this score's source: check the join"
            elif len(tied) > 1:
                note = "several of this source's entries map to this model: check they are the same model"
        rows.append({"model_id": model_id, "benchmark": benchmark, "namespace": namespace, "external_name": name,
                     "joined": entries is not None, "source": source, "as_of": as_of, "note": note})
    cols = ["model_id", "benchmark", "namespace", "external_name", "joined", "source", "as_of", "note"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------
# everything at once
# --------------------------------------------------------------------------------------------

@dataclass
class CrossCheck:
    """The result of :func:`crosscheck`: one table per check and all flags in one table."""

    names: pd.DataFrame
    correlations: pd.DataFrame
    disagreements: pd.DataFrame
    stale: pd.DataFrame
    mixed: pd.DataFrame
    flags: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def flagged_models(self) -> list[str]:
        """Models with at least one flag, sorted. Introduced in ``02_shortlist_from_leaderboards.ipynb``."""
        return sorted(self.flags["model_id"].dropna().unique())


def crosscheck(catalog, as_of, model_ids=None, benchmarks=None, max_age_days: int = MAX_SCORE_AGE_DAYS,
               max_rank_gap: float = MAX_RANK_GAP, min_models: int = MIN_MODELS_FOR_CORRELATION) -> CrossCheck:
    """Run every cross-source check on ``catalog.scores`` for the given models (default: all) and
    benchmarks (default: :func:`default_benchmarks`, each source's headline number), relative to the
    analysis date ``as_of`` (the scenario's).

    ``disagreements`` holds :func:`rank_disagreements` for every cross-source benchmark pair with at
    least ``min_models`` common models (columns ``benchmark_a``, ``benchmark_b`` added). ``flags`` has
    one row per model x benchmark x check (``rank_disagreement``, ``stale``, ``future_dated``,
    ``mixed_harness``, ``unmapped_name``, ``untied_name``, ``ambiguous_name``) with its reason. Introduced in
    ``02_shortlist_from_leaderboards.ipynb``.
    """
    scores = catalog.scores
    benchmarks = list(benchmarks) if benchmarks is not None else default_benchmarks(scores)
    corr = rank_correlations(scores, benchmarks, model_ids, min_models=min_models)
    parts = []
    for a, b, n in zip(corr["benchmark_a"], corr["benchmark_b"], corr["n_models"]):
        if n >= min_models:
            d = rank_disagreements(scores, a, b, model_ids, max_rank_gap)
            parts.append(d.assign(benchmark_a=a, benchmark_b=b))
    dis_cols = ["benchmark_a", "benchmark_b", "model_id", "value_a", "value_b", "rank_a", "rank_b", "rank_pct_a",
                "rank_pct_b", "rank_gap", "flagged", "reason"]
    dis = pd.concat(parts, ignore_index=True)[dis_cols] if parts else pd.DataFrame(columns=dis_cols)
    stale = stale_scores(scores, as_of, max_age_days, benchmarks, model_ids)
    mixed = mixed_harnesses(scores, benchmarks, model_ids)
    names = joined_names(catalog, benchmarks, model_ids)

    flags = []
    for r in dis[dis["flagged"].astype(bool)].itertuples():
        flags.append((r.model_id, f"{r.benchmark_a} vs {r.benchmark_b}", "rank_disagreement", r.reason))
    for r in stale[stale["stale"] | stale["future"]].itertuples():
        flags.append((r.model_id, r.benchmark, "stale" if r.stale else "future_dated", r.reason))
    latest = latest_scores(scores, benchmarks, model_ids)
    n_groups = mixed.groupby("benchmark").size()
    for r in mixed[mixed["mixed"].astype(bool)].itertuples():
        hit = latest[(latest["benchmark"] == r.benchmark) & (latest["harness"] == r.harness) & (latest["source"] == r.source)]
        for m in sorted(hit["model_id"]):
            flags.append((m, r.benchmark, "mixed_harness",
                          f"{r.benchmark} mixes {n_groups[r.benchmark]} harness/source combinations among the "
                          f"models compared; this score: '{r.harness}' from {r.source} ({r.n_models} models); "
                          "compare within one"))
    for r in names[names["note"] != ""].itertuples():
        check = ("unmapped_name" if not r.joined else
                 "ambiguous_name" if r.note.startswith("several") else "untied_name")
        flags.append((r.model_id, r.benchmark, check, r.note))
    flag_df = pd.DataFrame(flags, columns=FLAG_COLUMNS).sort_values(["model_id", "check", "benchmark"], kind="stable")
    settings = {"as_of": as_of_timestamp(as_of).strftime("%Y-%m-%d"), "benchmarks": benchmarks,
                "max_age_days": max_age_days, "max_rank_gap": max_rank_gap, "min_models": min_models}
    return CrossCheck(names=names, correlations=corr, disagreements=dis, stale=stale, mixed=mixed,
                      flags=flag_df.reset_index(drop=True), settings=settings)
