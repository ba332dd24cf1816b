"""The candidate pool: every offering joined to its model's facts, priced with a step's token mix beside
the leaderboards' 3:1 blend, with a typical latency. Taught in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.catalog.load import Catalog
from workbench.costs.latency import typical_latency_s
from workbench.costs.request import blended_usd_per_mtok_3to1, request_cost_usd
from workbench.costs.steps import request_cost_for_step
from workbench.scenario.load import WEIGHT_KEYS, Step
from workbench.shortlist.leaderboards import latest_scores

CRITERIA = WEIGHT_KEYS  # ("quality", "cost", "latency")
CRITERION_COLUMN = {"quality": "quality", "cost": "usd_per_request", "latency": "typical_latency_s"}
DIRECTION = {"quality": "higher is better", "cost": "lower is better", "latency": "lower is better"}
NORMALISATIONS = ("minmax", "log-minmax")
# the words every view shows beside a scored candidate that has no speed fact (never a made-up latency)
LATENCY_UNMEASURED = "latency unmeasured: measure before launch"
SCORE_DECIMALS = 12  # scores equal to this many decimals are ties (broken by cost, then offering_id)

# the keys an excluded offering's ``failed`` list uses, in the order they are checked
CONSTRAINT_KEYS = (
    "model_type", "exclude_models", "exclude_providers", "gpu_operations", "access_modes",
    "no_training_on_prompts", "zero_data_retention", "regions", "commercial_use", "fine_tuning",
    "structured_outputs", "tool_calling", "prompt_caching", "batch_api",
    "context_tokens", "output_tokens", "modalities", "reasoning_effort", "deprecation",
)
CAPABILITIES = ("structured_outputs", "tool_calling", "prompt_caching", "batch_api")
CAPABILITY_WORDS = {"structured_outputs": "structured outputs", "tool_calling": "tool calling",
                    "prompt_caching": "prompt caching", "batch_api": "a batch API"}

RANKED_COLUMNS = (
    "rank", "offering_id", "model_id", "name", "provider", "access_mode", "openness", "score",
    "quality", "quality_benchmark", "quality_source", "quality_as_of", "quality_harness",
    "quality_ci_low", "quality_ci_high",
    "usd_per_request", "usd_per_mtok_blended_3to1", "usd_per_request_at_3to1", "diff_vs_3to1_pct",
    "typical_latency_s", "ttft_s", "output_tokens_per_s", "reasoning_effort", "speed_source", "speed_as_of",
    "norm_quality", "norm_cost", "norm_latency", "pareto", "p_first", "p_top3", "scored", "flags",
    "source", "as_of",
)
EXCLUDED_COLUMNS = (
    "offering_id", "model_id", "name", "provider", "access_mode", "failed", "reasons", "n_reasons",
    "quality", "usd_per_request", "typical_latency_s", "output_tokens_per_s", "ttft_s",
)
# model facts joined onto each offering (the offering's own context/output limits win when filled)
_MODEL_COLUMNS = ("model_id", "name", "creator", "model_type", "openness", "license", "commercial_use",
                  "fine_tuning", "license_notes", "context_tokens", "max_output_tokens", "input_modalities",
                  "reasoning", "deprecation_date", "deprecation_source")


# --------------------------------------------------------------------------------------------
# the candidate table: offerings joined with their model and provider facts (built once)
# --------------------------------------------------------------------------------------------

@dataclass
class Candidates:
    """Every offering with its model's facts and its provider's privacy facts resolved, ready to
    be shortlisted many times (a widget builds it once). ``table`` has one row per offering.

    Build it with :func:`candidates`.
    """

    table: pd.DataFrame
    scores: pd.DataFrame
    files: dict
    path: str
    gpus: pd.DataFrame | None = None
    _arrays: dict = field(default_factory=dict, repr=False)
    _quality: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.table)

    def array(self, column: str) -> np.ndarray:
        """A column as a numpy array (object for text, with None/NaN for empty), cached."""
        if column not in self._arrays:
            self._arrays[column] = self.table[column].to_numpy()
        return self._arrays[column]

    def tri(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A yes/no column as two bool arrays ``(is_yes, is_known)``; empty = unknown."""
        key = ("tri", column)
        if key not in self._arrays:
            s = self.table[column].astype("boolean")
            self._arrays[key] = (s.fillna(False).to_numpy(dtype=bool), s.notna().to_numpy(dtype=bool))
        return self._arrays[key]

    def number(self, column: str) -> np.ndarray:
        """A numeric column as float64 with NaN for empty, cached."""
        key = ("num", column)
        if key not in self._arrays:
            self._arrays[key] = pd.to_numeric(self.table[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return self._arrays[key]

    def clear_cache(self, what: str | None = None) -> None:
        """Forget cached results: ``"constraints"`` (the checked constraints), ``"measured"`` (prices
        and latencies per step), ``"quality"``, or everything (None). The benchmark uses it to time
        a full update."""
        for k in list(self._arrays):
            if what is None or (isinstance(k, tuple) and k[0] == what):
                del self._arrays[k]
        if what in (None, "quality"):
            self._quality.clear()

    def has_item(self, column: str, item: str) -> np.ndarray:
        """For a ';'-separated list column (regions, input_modalities): rows whose list holds
        ``item`` (case-insensitive), cached; an empty cell gives False."""
        key = ("item", column, item.lower())
        if key not in self._arrays:
            lists = self.table[column].astype(object).where(self.table[column].notna(), "")
            pattern = r"(?:^|;)" + _re_escape(item.lower()) + r"(?:;|$)"
            self._arrays[key] = lists.str.lower().str.contains(pattern, regex=True).to_numpy(dtype=bool)
        return self._arrays[key]

    def known(self, column: str) -> np.ndarray:
        """Rows where a column is filled, cached."""
        key = ("known", column)
        if key not in self._arrays:
            self._arrays[key] = self.table[column].notna().to_numpy(dtype=bool)
        return self._arrays[key]

    def measured(self, step: Step) -> dict[str, np.ndarray]:
        """The step's numbers for every row, cached per token mix and latency assumptions (the widget
        changes weights and toggles far more often than the step): ``usd_per_request`` (list price,
        :func:`workbench.costs.steps.request_cost_for_step`), ``usd_per_mtok_blended_3to1``,
        ``usd_per_request_at_3to1`` and ``typical_latency_s`` (:func:`offering_latency_s`)."""
        key = ("measured", step.tokens, step.latency)
        if key not in self._arrays:
            t = self.table
            self._arrays[key] = {
                "usd_per_request": request_cost_for_step(t, step, gpus=self.gpus).to_numpy(dtype=float),
                "usd_per_mtok_blended_3to1": blended_usd_per_mtok_3to1(t).to_numpy(dtype=float),
                "usd_per_request_at_3to1": request_cost_at_3to1_usd(t, step).to_numpy(dtype=float),
                "typical_latency_s": offering_latency_s(t, step).to_numpy(dtype=float),
            }
        return self._arrays[key]

    def quality_columns(self, benchmark: str) -> dict[str, np.ndarray]:
        """:meth:`quality` aligned with the table's rows (value, source, as_of, harness, ci_low,
        ci_high; NaN/None where the model has no score), cached."""
        key = ("quality", benchmark)
        if key not in self._arrays:
            q = self.quality(benchmark).reindex(pd.Index(self.array("model_id")))
            self._arrays[key] = {
                "value": pd.to_numeric(q["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                "ci_low": pd.to_numeric(q["ci_low"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                "ci_high": pd.to_numeric(q["ci_high"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                "source": q["source"].to_numpy(dtype=object), "harness": q["harness"].to_numpy(dtype=object),
                "as_of": pd.to_datetime(q["as_of"]).to_numpy(),
            }
        return self._arrays[key]

    def benchmarks(self) -> list[str]:
        return sorted(self.scores["benchmark"].unique().tolist()) if len(self.scores) else []

    def quality(self, benchmark: str) -> pd.DataFrame:
        """The newest ``scores.csv`` row per model for one benchmark, indexed by ``model_id``
        (:func:`workbench.shortlist.leaderboards.latest_scores`), cached; empty for an unknown benchmark."""
        if benchmark not in self._quality:
            if benchmark in self.benchmarks():
                q = latest_scores(self.scores, [benchmark])
            else:
                q = self.scores.iloc[0:0]
            self._quality[benchmark] = q.set_index("model_id")
        return self._quality[benchmark]


def retirement(t: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The day each offering stops being usable and who says so: the earlier of the endpoint's own
    ``deprecation_date`` (offerings.csv: a cloud can retire its copy before the creator retires the
    model) and the model's (models.csv), with that date's ``deprecation_source``. ``t`` has both, the
    model's as ``model_deprecation_date`` / ``model_deprecation_source``. Missing means none stated.
    """
    own = pd.to_datetime(t["deprecation_date"], errors="coerce")
    mod = pd.to_datetime(t["model_deprecation_date"], errors="coerce")
    use_model = mod.notna() & (own.isna() | (mod < own))
    day = own.where(~use_model, mod)
    own_src = t["deprecation_source"].astype(object).where(t["deprecation_source"].notna(), "offerings.csv")
    mod_src = t["model_deprecation_source"].astype(object).where(t["model_deprecation_source"].notna(), "models.csv")
    src = own_src.where(~use_model, mod_src).where(day.notna(), None)
    return day, src


def candidates(catalog: Catalog) -> Candidates:
    """Join every offering with its model's facts and the provider's privacy facts
    (:meth:`Catalog.offerings_with_policy`); the offering's own context and output limits win where
    filled. Build once, shortlist many times. Introduced in ``02_shortlist_from_leaderboards.ipynb``.
    """
    o = catalog.offerings_with_policy()
    m = catalog.models[list(_MODEL_COLUMNS)].rename(
        columns={c: f"model_{c}" for c in ("context_tokens", "max_output_tokens", "deprecation_date",
                                           "deprecation_source")})
    t = o.merge(m, on="model_id", how="left", validate="many_to_one")
    for col in ("context_tokens", "max_output_tokens"):
        own = pd.to_numeric(t[col], errors="coerce").astype(float)
        t[col] = own.where(own.notna(), pd.to_numeric(t[f"model_{col}"], errors="coerce").astype(float))
    t["deprecation_date"], t["deprecation_source"] = retirement(t)
    t = t.reset_index(drop=True)
    return Candidates(table=t, scores=catalog.scores, files=dict(catalog.files), path=catalog.path, gpus=catalog.gpus)


# --------------------------------------------------------------------------------------------
# the step's typical latency on each offering (the formula itself is workbench.costs.latency's)
# --------------------------------------------------------------------------------------------

def offering_latency_s(offers: pd.DataFrame, step: Step) -> pd.Series:
    """Typical seconds for one task of a step on each offering: :func:`workbench.costs.latency.typical_latency_s`
    (``retrieval + (1 + tool_turns) x (network + ttft) + tool_turns x tool_call_s + (output +
    reasoning tokens) / output_tokens_per_s``) with the offering's median ``ttft_s`` and
    ``output_tokens_per_s`` and the step's token mix and assumed network, retrieval and tool times.
    NaN when the offering's speed is unknown (a step with no output tokens needs only ``ttft_s``).
    Used for ranking in ``02_shortlist_from_leaderboards.ipynb``; tails are in ``03_cost_and_latency``.
    """
    lat, tok = step.latency, step.tokens
    ttft = pd.to_numeric(offers["ttft_s"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    tps = pd.to_numeric(offers["output_tokens_per_s"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    total = typical_latency_s(ttft, tps, tok.output, tok.reasoning, lat.network_s, lat.retrieval_s,
                              tok.tool_turns, lat.tool_call_s)
    return pd.Series(np.broadcast_to(total, (len(offers),)), index=offers.index, name="typical_latency_s")


def request_cost_at_3to1_usd(offers: pd.DataFrame, step: Step) -> pd.Series:
    """USD for the step's request if every token were billed at the leaderboards' 3:1 blended price
    (no cache, batch or tier terms): what a reader of a leaderboard's price column would expect.
    It reuses :func:`workbench.costs.request.request_cost_usd` with both prices set to the blend, so the
    token count (tool turns re-send the input) is the cost module's.
    """
    blend = blended_usd_per_mtok_3to1(offers).to_numpy()
    flat = pd.DataFrame({"usd_per_mtok_in": blend, "usd_per_mtok_out": blend}, index=offers.index)
    t = step.tokens
    return request_cost_usd(flat, t.input, t.output, t.reasoning, tool_turns=t.tool_turns).rename("usd_per_request_at_3to1")


def _re_escape(s: str) -> str:
    return re.escape(str(s))
