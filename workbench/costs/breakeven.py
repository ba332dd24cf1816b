"""Self-hosting break-even per step: API cost against GPU cost at the step's volume.
Taught in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

import pandas as pd

from workbench.costs.selfhost import (
    SelfHostAssumptions,
    break_even_requests_per_month,
    break_even_staircase,
    selfhost_costs,
    selfhost_parameters,
)
from workbench.costs.steps import cross, step_costs, steps_frame


def break_even_table(offers: pd.DataFrame, step, gpus: pd.DataFrame | None, assumptions: SelfHostAssumptions | None = None,
                     volume: float | None = None) -> pd.DataFrame:
    """Every API offering x every self-hosted offering in ``offers`` for ``step``: the API's USD per
    request (retries included), the self-hosted monthly cost at the step's volume (or ``volume``),
    ``break_even_requests_per_month`` (the first crossing; NaN = never) and
    ``stays_cheaper_from_requests_per_month`` (the volume from which self-hosting costs no more at
    every higher volume: between the two, whole GPUs can make the API cheaper again; see
    :func:`workbench.costs.selfhost.break_even_staircase`). Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    a = assumptions or SelfHostAssumptions()
    selfh = offers[offers["access_mode"] == "self-hosted"]
    api = offers[offers["access_mode"] != "self-hosted"]
    cols = ["api_offering_id", "api_usd_per_request", "selfhosted_offering_id", "gpus_needed", "selfhost_usd_per_month",
            "api_usd_per_month", "break_even_requests_per_month",
            "stays_cheaper_from_requests_per_month", "cheaper_at_volume"]
    if selfh.empty or api.empty:
        return pd.DataFrame(columns=cols)
    sf = steps_frame([step], volume)
    api_cost = step_costs(api, sf)
    sh = selfhost_costs(cross(selfh, sf), gpus, a)
    params = selfhost_parameters(selfh, step, gpus, a)
    rows = []
    for s, sh_usd, ng in zip(params.itertuples(), sh["usd_per_month"], sh["gpus_needed"]):
        for r in api_cost.itertuples():
            args = (r.usd_per_request, s.generated_tokens_per_request, s.peak_to_average, s.tokens_per_s_per_gpu,
                    s.gpu_count, s.usd_per_gpu_hour, s.utilisation, s.ops_usd_per_month)
            be = break_even_requests_per_month(*args)
            stays = break_even_staircase(*args)["stays_cheaper_from"]
            rows.append({"api_offering_id": r.offering_id, "api_usd_per_request": r.usd_per_request,
                         "selfhosted_offering_id": s.offering_id, "gpus_needed": ng,
                         "selfhost_usd_per_month": sh_usd, "api_usd_per_month": r.usd_per_month_model,
                         "break_even_requests_per_month": be, "stays_cheaper_from_requests_per_month": stays,
                         "cheaper_at_volume": "self-hosted" if sh_usd <= r.usd_per_month_model else "api"})
    return pd.DataFrame(rows, columns=cols)
