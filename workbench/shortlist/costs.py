"""Cost and latency tables for the shortlisted candidates of a step: the shortlist picks the offerings,
the formulas of :mod:`workbench.costs` price them. Taught in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.costs.latency import implied_reasoning_tokens, latency_table, rate_limit_headroom
from workbench.costs.steps import step_costs, steps_frame
from workbench.shortlist.pool import LATENCY_UNMEASURED
from workbench.shortlist.ranking import shortlist

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
    Candidates flagged :data:`workbench.shortlist.pool.LATENCY_UNMEASURED` (scored without a speed
    fact) come after the others: these tables simulate latency, which needs the speed facts they
    lack. Introduced in ``notebooks/03_cost_and_latency.ipynb``."""

    ranked = shortlist(catalog, scenario, step).ranked
    unmeasured = ranked["flags"].map(lambda fs: any(f.startswith(LATENCY_UNMEASURED) for f in fs)).astype(bool)
    ranked = pd.concat([ranked[~unmeasured], ranked[unmeasured]]).head(top)
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


# --------------------------------------------------------------------------------------------
# one model at several reasoning settings beside a small fast model
# --------------------------------------------------------------------------------------------

SETTING_COLUMNS = ("offering_id", "model_id", "reasoning_effort", "ttft_s", "output_tokens_per_s",
                   "implied_reasoning_tokens", "typical_latency_s", "p95_s", "meets_latency_target",
                   "usd_per_request", "usd_per_success_model", "usd_per_success")


def reasoning_settings(offers: pd.DataFrame, step, gpus: pd.DataFrame | None = None,
                       spreads: pd.DataFrame | None = None, n_samples: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """The given offerings on one step side by side: typical and p95 latency (seconds,
    :func:`workbench.costs.latency.latency_table`; a setting's TTFT already holds its hidden
    reasoning), USD per request and per successful task (:func:`workbench.costs.steps.step_costs`
    with the step's reliability assumptions; ``usd_per_success_model`` leaves out the escalation to a
    person) with each row's reasoning tokens priced: the step's own
    ``reasoning`` tokens plus :func:`workbench.costs.latency.implied_reasoning_tokens` against the
    same model and provider's ``none`` row among ``offers`` (0 when there is none, e.g. a model
    without settings). Columns :data:`SETTING_COLUMNS`, in the order of ``offers``. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    offers = offers.reset_index(drop=True)
    ttft = pd.to_numeric(offers["ttft_s"], errors="coerce")
    tps = pd.to_numeric(offers["output_tokens_per_s"], errors="coerce")
    effort = offers["reasoning_effort"].astype(object).where(offers["reasoning_effort"].notna(), "")
    key = offers["model_id"].astype(str) + "|" + offers["provider"].astype(str)
    base = pd.Series(ttft[effort == "none"].to_numpy(), index=key[effort == "none"].to_numpy())
    base = base[~base.index.duplicated()]
    base_ttft = key.map(base).where(effort != "none", ttft)
    implied = np.where(base_ttft.notna(), implied_reasoning_tokens(ttft, base_ttft, tps), 0.0)
    sf = steps_frame([step])
    cost = pd.concat([step_costs(offers.iloc[[i]], sf.assign(reasoning_tokens=sf["reasoning_tokens"] + implied[i]), gpus)
                      for i in range(len(offers))], ignore_index=True)
    lat = latency_table(offers, sf, spreads, n=n_samples, seed=seed)
    return pd.DataFrame({
        "offering_id": offers["offering_id"], "model_id": offers["model_id"], "reasoning_effort": effort,
        "ttft_s": ttft, "output_tokens_per_s": tps, "implied_reasoning_tokens": implied,
        "typical_latency_s": lat["typical_latency_s"].to_numpy(), "p95_s": lat["p95_s"].to_numpy(),
        "meets_latency_target": lat["meets_latency_target"].to_numpy(),
        "usd_per_request": cost["usd_per_request"].to_numpy(),
        "usd_per_success_model": (cost["usd_per_month_model"] / cost["successful_tasks_per_month"]).to_numpy(),
        "usd_per_success": cost["usd_per_success"].to_numpy(),
    }, columns=list(SETTING_COLUMNS))
