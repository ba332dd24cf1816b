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

from workbench.costs.latency import latency_table, rate_limit_headroom
from workbench.costs.steps import step_costs, steps_frame
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
    Introduced in ``notebooks/03_cost_and_latency.ipynb``."""

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
