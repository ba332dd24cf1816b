"""Routed vs single model on the golden set: routing accuracy, success, cost per month and p95 latency per
route, the traffic-mix what-if and chain expectations. Taught in ``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as _replace
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from workbench.costs.latency import latency_sigmas, latency_table, simulate_latency_s
from workbench.costs.request import MINUTES_PER_MONTH
from workbench.costs.steps import cross, step_costs, steps_frame
from workbench.errors import Problem, WorkbenchError, did_you_mean
from workbench.evals.adapters.replay import ReplayCandidate
from workbench.evals.runner import run_eval
from workbench.routing.availability import (
    chain_members,
    fallback_expectations,
    independent_chain_availability,
    served_shares,
)
from workbench.routing.config import RouterConfig
from workbench.routing.router import route_cases, routing_accuracy, rules_intent
from workbench.util import project_dir, shown_path

# --------------------------------------------------------------------------------------------
# routed vs single-model: success, monthly cost, p95 latency
# --------------------------------------------------------------------------------------------

def route_outcomes(decisions: pd.DataFrame, results: Mapping[str, pd.DataFrame], config: RouterConfig) -> pd.DataFrame:
    """Per case, the outcome of the route it took: ``passed`` from that route's evaluation results
    (``results[route]``, one row per ``case_id``, e.g. ``EvalRun.results``); a human route counts as
    handled (``passed`` True, ``automated`` False: an assumption, a person answers correctly); a case
    without a result for its route has ``passed`` NA."""
    rows = []
    idx = {r: df.set_index("case_id") for r, df in results.items() if df is not None}
    for d in decisions.itertuples():
        route = config.route(d.route)
        if route.human:
            rows.append({"case_id": d.case_id, "route": d.route, "passed": True, "automated": False, "provenance": "human"})
            continue
        res = idx.get(d.route)
        if res is None or d.case_id not in res.index:
            rows.append({"case_id": d.case_id, "route": d.route, "passed": pd.NA, "automated": True, "provenance": None})
            continue
        row = res.loc[d.case_id]
        rows.append({"case_id": d.case_id, "route": d.route, "passed": bool(row["passed"]), "automated": True,
                     "provenance": row.get("provenance")})
    return pd.DataFrame(rows)


def route_shares(decisions: pd.DataFrame, config: RouterConfig) -> pd.DataFrame:
    """Share of each step's requests that take each route, from the routed cases (tasks mapped to
    steps by ``config.steps``). Columns: ``step``, ``route``, ``cases``, ``share``."""
    d = decisions.assign(step=decisions["task"].map(config.steps)).dropna(subset=["step"])
    g = d.groupby(["step", "route"], sort=False).size().rename("cases").reset_index()
    g["share"] = g["cases"] / g.groupby("step")["cases"].transform("sum")
    return g


def system_costs(shares: pd.DataFrame, config: RouterConfig, scenario, catalog, selfhost=None) -> pd.DataFrame:
    """Monthly cost of a routed system, per step: ``share`` of the step's requests per route
    (:func:`route_shares`), each priced by the cost engine (:func:`workbench.costs.steps.step_costs`:
    the scenario's volume, token mix and retry assumptions, the route offering's list price); a
    human route costs the step's ``usd_per_escalation`` per request. Columns: ``step``, ``route``,
    ``offering_id``, ``share``, ``requests_per_month``, ``usd_per_request``, ``usd_per_month``."""

    rows = []
    steps = {s.name: s for s in scenario.workflow}
    model_routes = {r: config.route(r) for r in shares["route"].unique() if not config.route(r).human}
    oids = sorted({r.offering_id for r in model_routes.values()})
    priced = pd.DataFrame()
    if oids:
        offers = catalog.offerings[catalog.offerings["offering_id"].isin(oids)]
        need = [steps[s] for s in shares["step"].unique()]
        priced = step_costs(offers, need, catalog.gpus, selfhost=selfhost).set_index(["offering_id", "step"])
    for row in shares.itertuples():
        step = steps[row.step]
        vol = step.requests_per_month * row.share
        route = config.route(row.route)
        if route.human:
            per = float(step.reliability.usd_per_escalation)
        else:
            per = float(priced.loc[(route.offering_id, row.step), "usd_per_request"])
        rows.append({"step": row.step, "route": row.route, "offering_id": route.offering_id, "share": row.share,
                     "requests_per_month": vol, "usd_per_request": per, "usd_per_month": vol * per})
    return pd.DataFrame(rows, columns=["step", "route", "offering_id", "share", "requests_per_month", "usd_per_request",
                                       "usd_per_month"])


def system_p95_s(shares: pd.DataFrame, config: RouterConfig, scenario, catalog, n: int = 20_000, seed: int = 0,
                 statistic: str = "median") -> pd.DataFrame:
    """p95 latency (seconds) of each step of a routed system: the latency engine's seeded samples
    for each model route's offering (:func:`workbench.costs.latency.simulate_latency_s`, catalog TTFT and
    tokens/s, the scenario's token mix and retries, spreads from ``data/latency_spreads.csv``), mixed
    in proportion to the route shares (the first ``round(n x share)`` samples of each route). Human
    routes are left out (a person's reply time is not a model latency). Columns: ``step``, ``p95_s``,
    ``model_share`` (the share of the step's requests the p95 covers)."""

    s_ttft, s_tps = latency_sigmas(None, statistic)
    steps = {s.name: s for s in scenario.workflow}
    out = []
    for step_name, g in shares.groupby("step", sort=False):
        parts, covered = [], 0.0
        for row in g.itertuples():
            route = config.route(row.route)
            if route.human or row.share <= 0:
                continue
            o = catalog.offerings[catalog.offerings["offering_id"] == route.offering_id]
            x = cross(o, steps_frame([steps[step_name]])).iloc[0]
            ttft, tps = pd.to_numeric(x.get("ttft_s"), errors="coerce"), pd.to_numeric(x.get("output_tokens_per_s"), errors="coerce")
            if pd.isna(ttft) or pd.isna(tps):
                parts.append(np.full(max(1, round(n * row.share)), np.nan))
                covered += row.share
                continue
            sam = simulate_latency_s(ttft, tps, x["output_tokens"], x["reasoning_tokens"], x["network_s"], x["retrieval_s"],
                                     x["tool_turns"], x["tool_call_s"], x["success_rate"], x["max_attempts"], n=n,
                                     seed=seed, sigma_ttft=s_ttft, sigma_tokens_per_s=s_tps)[0]
            parts.append(sam[:max(1, round(n * row.share))])
            covered += row.share
        allv = np.concatenate(parts) if parts else np.array([np.nan])
        p95 = float(np.quantile(allv, 0.95)) if not np.isnan(allv).any() else float("nan")
        out.append({"step": step_name, "p95_s": p95, "model_share": covered})
    return pd.DataFrame(out, columns=["step", "p95_s", "model_share"])


@dataclass
class RoutingReport:
    """The routing evaluation: ``decisions`` per case, ``accuracy`` and ``confusion``, ``systems``
    (routed vs single-model: success, cost, p95), ``by_step`` (shares, cost and p95 per system x
    step), ``outcomes`` per case, and ``notes`` (assumptions and provenance, to print with the numbers)."""

    decisions: pd.DataFrame
    accuracy: float
    confusion: pd.DataFrame
    systems: pd.DataFrame
    by_step: pd.DataFrame
    outcomes: pd.DataFrame
    notes: list[str]


def routing_report(golden, config: RouterConfig, scenario, catalog, results: Mapping[str, pd.DataFrame],
                   intent: Callable[[str], str] | None = rules_intent, baselines: Mapping[str, pd.DataFrame] | None = None,
                   n: int = 20_000, seed: int = 0, selfhost=None) -> RoutingReport:
    """Route the golden set and compare the routed system with each single-model system.

    ``results``: per route name, the evaluation runner's per-case results of the route's model
    (``EvalRun.results`` or a replayed results file; their ``provenance`` is carried to the table,
    so replayed or illustrative outputs say so). ``baselines``: extra systems with results only
    (e.g. ``{"rules baseline": rules_run.results}``: success only, no model cost).

    For each system: ``success_rate`` (cases whose route passed every check, a human route counted
    as handled), ``automated_success_rate`` (passed by a model), ``human_share``,
    ``usd_per_month_models``, ``usd_per_month_human`` and their sum ``usd_per_month``
    (:func:`system_costs`, all mapped steps), ``p95_s:<step>`` per mapped step (:func:`system_p95_s`),
    ``quality_from`` (the provenance of the per-case results). Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``.
    """
    decisions = route_cases(golden, config, intent)
    acc, conf = routing_accuracy(decisions)
    outcomes = route_outcomes(decisions, results, config)
    shares = route_shares(decisions, config)
    notes = [
        f"routing accuracy over {len(decisions)} golden cases; routes chosen by the rules in {shown_path(config.file)}",
        "success: the route's model passed every deterministic check on the case (evaluation runner results); "
        "a case routed to a person counts as handled (assumption: the agent answers correctly)",
        f"cost: scenario '{scenario.name}' volumes, token mixes and retry assumptions x catalog list prices "
        "(workbench.costs.steps.step_costs); route shares per step from the golden cases "
        f"({', '.join(f'{t}->{s}' for t, s in config.steps.items())}); the golden set over-represents hard and "
        "adversarial cases, so real traffic shares differ",
        "latency: p95 of the latency engine's seeded simulation from catalog TTFT and tokens/s (not measured "
        "on these cases); human-routed requests left out",
    ]
    unmapped = decisions.loc[~decisions["task"].isin(list(config.steps)), "task"].value_counts()
    if len(unmapped):
        notes.append("not priced (no scenario step for the task; success and accuracy include them): "
                     + ", ".join(f"{t} ({n} cases)" for t, n in unmapped.items()))
    sysrows, steprows = [], []

    def add_system(name: str, sh: pd.DataFrame, out: pd.DataFrame, quality_from: str, priced: bool = True):
        scored = out[out["passed"].notna()]
        success = float(scored["passed"].astype(bool).mean()) if len(scored) else float("nan")
        auto = float((scored["passed"].astype(bool) & scored["automated"]).mean()) if len(scored) else float("nan")
        row = {"system": name, "cases_scored": len(scored), "success_rate": success, "automated_success_rate": auto,
               "human_share": float((~out["automated"]).mean()) if len(out) else float("nan")}
        if priced and len(sh):
            costs = system_costs(sh, config, scenario, catalog, selfhost)
            lat = system_p95_s(sh, config, scenario, catalog, n=n, seed=seed)
            human = costs["offering_id"].isna()
            row["usd_per_month_models"] = float(costs.loc[~human, "usd_per_month"].sum())
            row["usd_per_month_human"] = float(costs.loc[human, "usd_per_month"].sum())
            row["usd_per_month"] = row["usd_per_month_models"] + row["usd_per_month_human"]
            for r in lat.itertuples():
                row[f"p95_s:{r.step}"] = r.p95_s
            for r in costs.itertuples():
                steprows.append({"system": name, "step": r.step, "route": r.route, "offering_id": r.offering_id,
                                 "share": r.share, "usd_per_month": r.usd_per_month,
                                 "p95_s": float(lat.set_index("step").loc[r.step, "p95_s"])})
        else:
            zero = 0.0 if not priced else float("nan")
            row.update(usd_per_month_models=zero, usd_per_month_human=zero, usd_per_month=zero)
        row["quality_from"] = quality_from
        sysrows.append(row)

    prov = lambda df: ", ".join(sorted({str(p) for p in df["provenance"].dropna()})) if df is not None and len(df) else "no results"
    routed_prov = "; ".join(f"{r}: {prov(results.get(r)) if not config.route(r).human else 'human'}"
                            for r in dict.fromkeys(decisions["route"]))
    add_system("routed", shares, outcomes, routed_prov)
    seen = set()
    for name, route in config.routes.items():
        if route.human or (route.offering_id, route.results) in seen:
            continue  # a route with the same offering and evidence as an earlier one is the same single system
        seen.add((route.offering_id, route.results))
        single = decisions.assign(route=name)
        add_system(f"only {name} ({route.offering_id})", route_shares(single, config),
                   route_outcomes(single, {name: results.get(name)}, config), prov(results.get(name)))
    for name, df in (baselines or {}).items():
        out = df.assign(automated=True)[["case_id", "passed", "automated", "provenance"]]
        out = out[out["case_id"].isin(decisions["case_id"])]
        add_system(name, pd.DataFrame(), out, prov(df), priced=False)
        notes.append(f"'{name}': per-case success only; it calls no model, so it has no model cost and no model latency")
    systems = pd.DataFrame(sysrows)
    return RoutingReport(decisions, acc, conf, systems, pd.DataFrame(steprows), outcomes, notes)


def results_for_routes(config: RouterConfig, golden, base: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Per route, its ``results:`` file (written by ``python -m workbench eval --out``) replayed and
    re-scored by the evaluation runner on ``golden`` with today's checks (``EvalRun.results``: one row
    per case, ``provenance`` as the file says, e.g. ``illustrative``). A relative path is resolved
    against ``base`` (default: the folder of the routing configuration's file), then the project
    folder. Routes without a file are left out. Introduced in ``05_routing_and_fallbacks.ipynb``."""

    out, runs = {}, {}
    here = Path(base) if base is not None else Path(config.file).parent
    for name, route in config.routes.items():
        if not route.results:
            continue
        p = Path(route.results)
        if not p.is_absolute():
            p = here / p if (here / p).exists() else project_dir() / p
        key = str(p.resolve()) if p.exists() else str(p)
        if key not in runs:
            runs[key] = run_eval(golden, ReplayCandidate(p), use_cache=False, progress=False).results
        out[name] = runs[key]
    return out


# --------------------------------------------------------------------------------------------
# what-if: a traffic mix and outage rates -> cost and availability (the notebook's widget)
# --------------------------------------------------------------------------------------------

def traffic_mix_shares(mix: Mapping[str, float], config: RouterConfig) -> pd.DataFrame:
    """A traffic mix (route -> share of requests, the same on every mapped step; any non-negative
    numbers, divided by their sum) as the ``shares`` table :func:`system_costs` takes. An unknown
    route, a negative share or an all-zero mix is a :class:`WorkbenchError`."""
    problems = []
    for r, v in mix.items():
        if r not in config.routes:
            problems.append(Problem("traffic mix", f"route '{r}'", "no such route", did_you_mean(r, config.routes)))
        elif not np.isfinite(v) or v < 0:
            problems.append(Problem("traffic mix", f"route '{r}'", "a share must be a number of 0 or more",
                                    "set it between 0 and 1", value=v))
    total = sum(v for v in mix.values() if np.isfinite(v) and v > 0)
    if not problems and total <= 0:
        problems.append(Problem("traffic mix", "all routes", "every share is zero", "give at least one route a share"))
    if problems:
        raise WorkbenchError(problems)
    steps = list(dict.fromkeys(config.steps.values()))
    rows = [{"step": s, "route": r, "cases": np.nan, "share": v / total} for s in steps for r, v in mix.items() if v > 0]
    return pd.DataFrame(rows, columns=["step", "route", "cases", "share"])


def routing_whatif(config: RouterConfig, scenario, catalog, mix: Mapping[str, float],
                   provider_availability: Mapping[str, float] | None = None, selfhost=None) -> dict:
    """Monthly cost and availability of the routed system for a traffic mix and provider outage rates.

    ``mix``: route -> share of requests (:func:`traffic_mix_shares`); ``provider_availability``:
    provider -> availability (0..1) overriding the config's assumptions. Returns ``usd_per_month_models``,
    ``usd_per_month_human``, ``usd_per_month`` (:func:`system_costs`), ``usd_per_month_fallback_extra``
    (requests a fallback serves x its price difference to the primary, from :func:`served_shares`),
    ``availability`` (traffic-weighted chain availability; the human queue counted as always
    available), ``downtime_min_per_month`` (30-day month) and ``routes`` (per route: share, chain,
    availability exactly and if independent, share served by a fallback). Pure: no I/O."""


    shares = traffic_mix_shares(mix, config)
    costs = system_costs(shares, config, scenario, catalog, selfhost)
    av = _replace(config.availability, providers={**config.availability.providers, **dict(provider_availability or {})})
    steps = {s.name: s for s in scenario.workflow}
    chain_ids = sorted({o for r in config.routes.values() for o in r.chain})
    priced = step_costs(catalog.offerings[catalog.offerings["offering_id"].isin(chain_ids)],
                        [steps[s] for s in dict.fromkeys(config.steps.values())], catalog.gpus,
                        selfhost=selfhost).set_index(["offering_id", "step"])["usd_per_request"]
    route_share = shares.groupby("route", sort=False)["share"].first()
    rows, extra, availability = [], 0.0, 0.0
    for name, share in route_share.items():
        route = config.route(name)
        if route.human:
            availability += share
            rows.append({"route": name, "share": share, "chain": "(people)", "availability": 1.0,
                         "availability_if_independent": 1.0, "fallback_share": 0.0})
            continue
        members, comps = chain_members(route.chain, catalog, av)
        served = served_shares(members, comps)
        a = 1 - float(served["none"])
        availability += share * a
        for step_name in dict.fromkeys(config.steps.values()):
            vol = steps[step_name].requests_per_month * share
            base = float(priced.loc[(route.offering_id, step_name)])
            for oid in route.chain[1:]:
                extra += vol * float(served[oid]) * (float(priced.loc[(oid, step_name)]) - base)
        rows.append({"route": name, "share": share, "chain": " > ".join(route.chain), "availability": a,
                     "availability_if_independent": independent_chain_availability(members["availability_total"]),
                     "fallback_share": float(served.iloc[1:-1].sum())})
    human = costs["offering_id"].isna()
    models = float(costs.loc[~human, "usd_per_month"].sum())
    people = float(costs.loc[human, "usd_per_month"].sum())
    return {"usd_per_month_models": models, "usd_per_month_human": people, "usd_per_month": models + people,
            "usd_per_month_fallback_extra": extra, "availability": availability,
            "downtime_min_per_month": (1 - availability) * MINUTES_PER_MONTH, "routes": pd.DataFrame(rows)}


def chain_expectations(config: RouterConfig, route: str, scenario, catalog, step: str,
                       chain: Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`fallback_expectations` for a route's chain (or another ``chain`` of offering ids) on a
    scenario step: prices from the cost engine (:func:`workbench.costs.steps.step_costs`, USD per request)
    and typical latencies from the latency engine (:func:`workbench.costs.latency.latency_table`, seconds,
    NaN where the catalog has no speed). Introduced in ``05_routing_and_fallbacks.ipynb``."""

    ids = list(chain) if chain is not None else list(config.route(route).chain)
    members, comps = chain_members(ids, catalog, config.availability)
    offers = catalog.offerings.set_index("offering_id").loc[ids].reset_index()
    st = scenario.step(step)
    usd = step_costs(offers, st, catalog.gpus).set_index("offering_id")["usd_per_request"]
    lat = latency_table(offers, st).set_index("offering_id")["typical_latency_s"]
    out = fallback_expectations(members, comps, usd.to_dict(), lat.to_dict(), config.availability)
    return out.assign(provider=list(members["provider"]))
