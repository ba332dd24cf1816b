"""What a fallback chain buys: chain availability with independent and shared (correlated) failures,
simulated outages, served shares and the same-provider trap. Taught in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from workbench.costs.request import MINUTES_PER_MONTH
from workbench.errors import did_you_mean, fail
from workbench.routing.config import Availability, RouterConfig

# --------------------------------------------------------------------------------------------
# fallback chains: availability, outage simulation, expected extra latency and cost
# --------------------------------------------------------------------------------------------

def independent_chain_availability(availabilities) -> float:
    """Availability of a chain whose members fail independently: ``1 - prod(1 - a_i)``.

    A request fails only when every member is down at once.
    """
    a = np.asarray(list(availabilities), dtype=float)
    return float(1 - np.prod(1 - a))


def chain_members(offering_ids: Iterable[str], catalog_or_offerings, availability: Availability | None = None
                  ) -> tuple[pd.DataFrame, dict[str, float]]:
    """The members of a chain for :func:`chain_availability`: one row per offering (in order) with its
    own availability (``availability_own``: offering-specific outages) and the shared components it
    depends on (``components``: its provider, ``provider:<name>``), plus the components'
    availabilities. The offering's total availability is ``availability_own x provider``.
    Introduced in ``05_routing_and_fallbacks.ipynb``."""
    av = availability or Availability()
    offers = getattr(catalog_or_offerings, "offerings", catalog_or_offerings)
    rows, comps = [], {}
    for oid in offering_ids:
        o = offers[offers["offering_id"] == oid]
        if o.empty:
            raise fail("offerings", f"offering '{oid}'", "no such offering in the catalog",
                       did_you_mean(oid, offers["offering_id"]))
        provider = str(o.iloc[0]["provider"])
        comp = f"provider:{provider}"
        comps[comp] = av.provider(provider)
        rows.append({"offering_id": oid, "provider": provider, "availability_own": av.offering(oid),
                     "components": (comp,), "availability_total": av.offering(oid) * av.provider(provider)})
    return pd.DataFrame(rows), comps


def with_component(members: pd.DataFrame, components: Mapping[str, float], name: str, availability: float,
                   offering_ids: Iterable[str]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Add a shared component (a cloud region, an API gateway, your own proxy) that the given
    members depend on; returns new members and components (nothing is changed in place).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    ids = set(offering_ids)
    m = members.copy()
    m["components"] = [tuple(c) + ((name,) if oid in ids else ()) for oid, c in zip(m["offering_id"], m["components"])]
    m["availability_total"] = [a * np.prod([dict(components, **{name: availability})[c] for c in cs])
                               for a, cs in zip(m["availability_own"], m["components"])]
    return m, {**dict(components), name: float(availability)}


def _states(members: pd.DataFrame, components: Mapping[str, float]):
    """(probability, up-mask of components) for every state of the components the members use."""
    used = sorted({c for cs in members["components"] for c in cs})
    for bits in itertools.product((True, False), repeat=len(used)):
        p = float(np.prod([components[c] if b else 1 - components[c] for c, b in zip(used, bits)]))
        yield p, dict(zip(used, bits))


def served_shares(members: pd.DataFrame, components: Mapping[str, float] | None = None) -> pd.Series:
    """The share of requests each member serves (the first member that is up serves), and
    ``none`` (every member down), computed exactly over the shared components' states; members'
    own outages are independent of each other. Sums to 1."""
    comps = dict(components or {})
    own = members["availability_own"].to_numpy(float)
    shares = np.zeros(len(members) + 1)
    for p, up in _states(members, comps):
        reach = np.array([all(up[c] for c in cs) for cs in members["components"]], dtype=float)
        a = own * reach
        before_down = np.concatenate([[1.0], np.cumprod(1 - a)[:-1]])
        shares[:-1] += p * before_down * a
        shares[-1] += p * np.prod(1 - a)
    return pd.Series(shares, index=[*members["offering_id"], "none"], name="share")


def chain_availability(members: pd.DataFrame, components: Mapping[str, float] | None = None) -> float:
    """Availability of a fallback chain with shared components, exactly.

    Each member is up when its own part (``availability_own``) and every shared component it
    depends on (``components``: e.g. its provider) are up. Own parts fail independently; a shared
    component's outage takes down every member that depends on it at once (common-mode failure).
    The chain serves a request when at least one member is up:
    ``A = sum over component states s of P(s) x (1 - prod_i (1 - own_i x [i's components up in s]))``.
    With no shared component this is ``1 - prod(1 - a_i)``.
    """
    return float(1 - served_shares(members, components)["none"])


@dataclass(frozen=True)
class OutageSimulation:
    """A seeded outage simulation of a chain: ``availability`` (share of simulated minutes with at
    least one member up), its ``std_error``, the exact ``formula`` value, ``minutes`` simulated and
    ``mean_outage_min`` (None: each minute independent)."""

    availability: float
    std_error: float
    formula: float
    minutes: int
    mean_outage_min: float | None
    served: pd.Series

    @property
    def z(self) -> float:
        """(simulated - formula) / standard error."""
        return (self.availability - self.formula) / self.std_error if self.std_error > 0 else float("nan")


def _component_up(a: float, minutes: int, rng: np.random.Generator, mean_outage_min: float | None) -> np.ndarray:
    """Up (True) / down per minute for one component of availability ``a``."""
    if mean_outage_min is None or a >= 1:
        return rng.random(minutes) < a
    # alternating up and down spells with geometric lengths: mean down = mean_outage_min,
    # mean up = mean_outage_min x a / (1 - a), so the long-run share of up minutes is a
    mean_down = max(1.0, float(mean_outage_min))
    mean_up = mean_down * a / (1 - a)
    out = np.empty(minutes, dtype=bool)
    t = 0
    up = rng.random() < a  # start in the stationary distribution
    while t < minutes:
        length = int(rng.geometric(1 / (mean_up if up else mean_down)))
        out[t:t + length] = up
        t += length
        up = not up
    return out


def simulate_outages(members: pd.DataFrame, components: Mapping[str, float] | None = None, minutes: int = 200_000,
                     seed: int = 0, mean_outage_min: float | None = None, batches: int = 50) -> OutageSimulation:
    """Simulate ``minutes`` of the chain with outages drawn for every component (each member's own
    part and every shared component), seeded, and compare with :func:`chain_availability`.

    ``mean_outage_min`` None: every minute is drawn independently, and the standard error is the
    binomial ``sqrt(A (1 - A) / minutes)``. Otherwise outages last ``mean_outage_min`` on average
    (alternating geometric up and down spells with the same long-run availability); minutes are then
    correlated, and the standard error comes from ``batches`` batch means. Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    comps = dict(components or {})
    rng = np.random.default_rng(seed)
    comp_up = {c: _component_up(comps[c], minutes, rng, mean_outage_min) for c in sorted(comps)}
    served = np.full(minutes, len(members))  # index of the member that serves; len = none
    for i in reversed(range(len(members))):
        row = members.iloc[i]
        up = _component_up(float(row["availability_own"]), minutes, rng, mean_outage_min)
        for c in row["components"]:
            up &= comp_up[c]
        served = np.where(up, i, served)
    ok = served < len(members)
    a = float(ok.mean())
    if mean_outage_min is None:
        se = float(np.sqrt(max(a * (1 - a), 1e-300) / minutes))
    else:
        means = np.array([b.mean() for b in np.array_split(ok, batches)])
        se = float(means.std(ddof=1) / np.sqrt(batches))
    counts = np.bincount(served, minlength=len(members) + 1) / minutes
    return OutageSimulation(a, se, chain_availability(members, comps), minutes, mean_outage_min,
                            pd.Series(counts, index=[*members["offering_id"], "none"], name="share"))


def fallback_expectations(members: pd.DataFrame, components: Mapping[str, float], usd_per_request: Mapping[str, float],
                          latency_s: Mapping[str, float], availability: Availability | None = None) -> pd.DataFrame:
    """What the chain costs and how long it takes when each member serves.

    Per member (in chain order): ``share`` of requests it serves (:func:`served_shares`),
    ``usd_per_request`` and ``latency_s`` (its typical latency) as given, ``detect_s``: time lost on
    the members before it (each failed member costs ``hang_share x timeout_s + (1 - hang_share) x
    fast_fail_s`` seconds, assumptions of ``availability``), ``extra_latency_s`` (detection plus the
    latency difference to the primary) and ``extra_usd`` (its price minus the primary's: a 429,
    5xx or timed-out call is assumed not billed). A circuit breaker that is open skips the detection
    time for a member it has given up on.
    """
    av = availability or Availability()
    per_fail = av.hang_share * av.timeout_s + (1 - av.hang_share) * av.fast_fail_s
    share = served_shares(members, components)
    ids = list(members["offering_id"])
    first = ids[0]
    rows = []
    for k, oid in enumerate(ids):
        detect = k * per_fail
        rows.append({"offering_id": oid, "position": k + 1, "share": float(share[oid]),
                     "usd_per_request": float(usd_per_request[oid]), "latency_s": float(latency_s[oid]),
                     "detect_s": detect, "extra_latency_s": detect + float(latency_s[oid]) - float(latency_s[first]),
                     "extra_usd": float(usd_per_request[oid]) - float(usd_per_request[first])})
    return pd.DataFrame(rows)


def chain_summary(members: pd.DataFrame, components: Mapping[str, float]) -> dict:
    """The chain's availability exactly, under the (wrong when a provider is shared) independence
    assumption, the primary alone, and the minutes of downtime per month of each (30-day month).
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    exact = chain_availability(members, components)
    indep = independent_chain_availability(members["availability_total"])
    primary = float(members["availability_total"].iloc[0])
    minutes = MINUTES_PER_MONTH
    return {"primary_only": primary, "chain_if_independent": indep, "chain": exact,
            "downtime_min_per_month_primary": (1 - primary) * minutes,
            "downtime_min_per_month_if_independent": (1 - indep) * minutes,
            "downtime_min_per_month_chain": (1 - exact) * minutes}


def chains_table(config: RouterConfig, catalog) -> pd.DataFrame:
    """Every model route's fallback chain with its availability: the primary alone, the chain if
    members failed independently (``1 - prod(1 - a_i)``), and exactly, with members on the same
    provider sharing that provider's outages (:func:`chain_availability`); ``shared_provider`` says
    when the trap applies; downtime in minutes per 30-day month. Availabilities are the config's
    assumptions (``availability.source``). Introduced in ``05_routing_and_fallbacks.ipynb``."""
    rows = []
    for name, route in config.routes.items():
        if route.human:
            continue
        members, comps = chain_members(route.chain, catalog, config.availability)
        summary = chain_summary(members, comps)
        providers = list(members["provider"])
        rows.append({"route": name, "chain": " > ".join(route.chain), "providers": " > ".join(providers),
                     "shared_provider": len(set(providers)) < len(providers),
                     "availability_primary": summary["primary_only"],
                     "availability_if_independent": summary["chain_if_independent"],
                     "availability": summary["chain"],
                     "downtime_min_per_month": summary["downtime_min_per_month_chain"],
                     "fallback_share": 1 - float(served_shares(members, comps).iloc[0])
                     - float(served_shares(members, comps)["none"])})
    return pd.DataFrame(rows)


def trap_curve(provider_availability, offering_availability: float = 0.998) -> pd.DataFrame:
    """Downtime of a two-member chain against the providers' availability, for the notebook's
    correlated-failure figure: ``primary_only``, ``different_providers`` (independent) and
    ``same_provider`` (one shared provider component), as availabilities and as minutes per 30-day
    month. Each member's own availability is ``offering_availability``.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    o = float(offering_availability)

    def members(*providers):
        return pd.DataFrame({"offering_id": [f"m{i}" for i in range(len(providers))], "availability_own": o,
                             "components": [(f"provider:{x}",) for x in providers]})

    rows = []
    for p in np.asarray(provider_availability, dtype=float).ravel():
        comps = {"provider:a": p, "provider:b": p}
        rows.append({"provider_availability": p, "primary_only": chain_availability(members("a"), comps),
                     "different_providers": chain_availability(members("a", "b"), comps),
                     "same_provider": chain_availability(members("a", "a"), comps)})
    out = pd.DataFrame(rows)
    for c in ("primary_only", "different_providers", "same_provider"):
        out[f"downtime_min_{c}"] = (1 - out[c]) * MINUTES_PER_MONTH
    return out
