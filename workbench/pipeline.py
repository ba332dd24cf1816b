"""The decision end to end: scenario + catalog -> shortlists -> costs and latency -> evaluations ->
a drafted :class:`~workbench.mdr.record.Record`. Taught in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from workbench.catalog.diligence import diligence_for_scenario
from workbench.catalog.load import Catalog
from workbench.costs.latency import latency_table, rate_limit_headroom
from workbench.costs.steps import step_costs
from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.mdr.comparison import comparison_levels
from workbench.mdr.config import RecordConfig, record_config
from workbench.mdr.draft import (
    _computed,
    _inputs_for_levels,
    _levels,
    build_matrix,
    build_triggers,
    candidate_facts,
    choose_decision,
    pick_candidates,
    scenario_to_dict,
)
from workbench.mdr.evidence import evaluations_from_frame
from workbench.mdr.record import (
    Candidate,
    Evaluation,
    Fact,
    Record,
    StepDecision,
    normalise_text,
)
from workbench.scenario.load import Scenario
from workbench.shortlist.leaderboards import (
    crosscheck,
    latest_scores,
    rank_correlations,
)
from workbench.shortlist.pool import candidates as build_candidates
from workbench.shortlist.ranking import shortlist
from workbench.util import as_date as _day
from workbench.util import shown_path as _relative


def draft_record(scenario: Scenario, catalog: Catalog, *, config: RecordConfig | None = None,
                 shortlists: dict | None = None, evaluations: list[Evaluation] | pd.DataFrame | None = None,
                 number: int = 1, as_of: dt.date | str | None = None) -> Record:
    """Draft a record for ``scenario`` from ``catalog``: candidates, decision, facts, comparison levels,
    matrix and triggers, with the human parts from ``config`` (default: the scenario's ``record:``
    block, :func:`workbench.mdr.record_config`).

    ``shortlists``: precomputed :func:`workbench.shortlist.shortlist` results by step (else computed);
    ``evaluations``: golden-set results (:class:`Evaluation` list or a frame for
    :func:`evaluations_from_frame`); ``as_of``: the decision date (default: the scenario's ``as_of``;
    it also moves the shortlist's analysis date). Introduced in ``06_model_decision_record.ipynb``.
    """

    if as_of is not None:
        day = _day(as_of)
        if day is None:
            raise fail("draft_record()", "as_of", "not a date", "write YYYY-MM-DD", value=as_of)
        scenario = dataclasses.replace(scenario, as_of=day)
    cfg = config if config is not None else record_config(scenario)
    evals = evaluations_from_frame(evaluations) if isinstance(evaluations, pd.DataFrame) else list(evaluations or [])
    steps = [scenario.step(s) for s in cfg.steps] if cfg.steps else list(scenario.workflow)
    cand_table = build_candidates(catalog)
    shortlists = dict(shortlists or {})
    diligence = diligence_for_scenario(catalog, scenario)
    known_offerings = set(catalog.offerings["offering_id"])

    def check_pinned(ids, path) -> None:
        bad = [Problem(scenario.path, path, f"offering '{i}' is not in the catalog", did_you_mean(i, known_offerings))
               for i in ids if i not in known_offerings]
        if bad:
            raise WorkbenchError(bad)

    all_cands: list[Candidate] = []
    decisions: list[StepDecision] = []
    correlations: dict[str, str] = {}
    for st in steps:
        res = shortlists.get(st.name) or shortlist(cand_table, scenario, st.name)
        shortlists[st.name] = res
        ranked = res.ranked
        pinned = list(cfg.candidates.get(st.name, ()))
        dec = cfg.decision.get(st.name)
        extra = [x for x in ((dec or {}).get("default"), (dec or {}).get("fallback")) if x and x not in pinned]
        if pinned or extra:
            check_pinned(pinned + extra, f"record.candidates.{st.name}" if pinned else f"record.decision.{st.name}")
        if pinned:
            picked = _pinned_rows(res, pinned, "pinned in record.candidates", scenario, st.name)
        else:
            picked = pick_candidates(ranked)
            known_fast = _best_known_fast(ranked, st.latency.total_s, set(picked["offering_id"]))
            if known_fast is not None:  # a candidate not scored on latency must not crowd out a measured one
                picked = pd.concat([picked, known_fast], ignore_index=True)
        extra = [x for x in extra if x not in set(picked["offering_id"])]
        if extra:
            picked = pd.concat([picked, _pinned_rows(res, extra, "pinned in record.decision", scenario, st.name)],
                               ignore_index=True)
        offers = catalog.offerings.set_index("offering_id").loc[picked["offering_id"]].reset_index()
        costs = step_costs(offers, st, catalog.gpus).set_index("offering_id")
        lat = latency_table(offers, st).set_index("offering_id")
        head = rate_limit_headroom(offers, st).set_index("offering_id")
        q = ranked["quality"].astype(float)
        pct_all = q.rank(pct=True, method="max") * 100.0
        second = None
        bench = res.quality_benchmark
        sb = cfg.second_source or _second_benchmark(catalog, bench, picked["model_id"])
        if sb is not None and sb in set(catalog.scores["benchmark"]):
            second = latest_scores(catalog.scores, [sb], list(picked["model_id"])).set_index("model_id")
            corr = rank_correlations(catalog.scores, [bench, sb])
            if len(corr):
                r0 = corr.iloc[0]
                if pd.notna(r0.get("spearman_rho")):
                    correlations[st.name] = (f"{bench} vs {sb}: Spearman rho {float(r0['spearman_rho']):.2f} over "
                                             f"{int(r0['n_models'])} models scored by both")
        cc = crosscheck(catalog, scenario.as_of, model_ids=list(picked["model_id"]))
        qflags = cc.flags[cc.flags["benchmark"].isin([bench] + ([sb] if second is not None else []))]
        qflags = qflags.groupby("model_id")["check"].agg(lambda x: "; ".join(sorted(set(x))))
        tab = cand_table.table.set_index("offering_id")
        cands: list[Candidate] = []
        for _, r in picked.iterrows():
            oid = r["offering_id"]
            pct = pct_all[ranked["offering_id"] == oid]
            pct_v = None if pct.empty or pd.isna(pct.iloc[0]) else float(pct.iloc[0])
            sec = second.loc[r["model_id"]] if second is not None and r["model_id"] in second.index else None
            if isinstance(sec, pd.DataFrame):
                sec = sec.iloc[0]
            if sec is not None:
                sec = sec.copy()
                sec["benchmark"] = sb
            facts = candidate_facts(catalog, scenario, st, r, tab.loc[oid], costs.loc[oid], lat.loc[oid],
                                    head.loc[oid], len(ranked), pct_v, sec, diligence)
            if r["model_id"] in qflags.index:
                facts["quality_flags"] = Fact(qflags[r["model_id"]], _computed("workbench.shortlist.leaderboards"), scenario.as_of,
                                              "computed")
            cands.append(Candidate(step=st.name, offering_id=oid, model_id=r["model_id"], provider=r["provider"],
                                   access_mode=r["access_mode"], picked_as=r["picked_as"], facts=facts))
        levels = _levels(comparison_levels(_inputs_for_levels(cands, st), scenario.budget_usd_per_month,
                                           scenario.constraints.regions))
        for c, lv in zip(cands, levels):
            c.comparison = lv
        if dec:
            why = "pinned in the scenario's record.decision"
            decisions.append(StepDecision(st.name, dec["default"], dec.get("fallback"), why))
        else:
            decisions.append(choose_decision(picked, cand_table.table, st.name, cfg.fallback_different_region,
                                             st.latency.total_s))
        all_cands += cands

    day = scenario.as_of
    triggers = build_triggers(cfg, scenario, decisions, all_cands, evals, day)
    parts = {"decisions": decisions, "candidates": all_cands, "shortlists": shortlists, "evaluations": evals,
             "triggers": triggers, "correlations": correlations}
    matrix = build_matrix(scenario, steps, parts)
    lo, hi = catalog.as_of_range()
    context = normalise_text("\n\n".join(x for x in (scenario.description, cfg.context) if x))
    return Record(
        number=int(number), title=cfg.title or f"{scenario.title}: model choice",
        status=cfg.status, date=day, deciders=list(cfg.deciders), scenario=scenario_to_dict(scenario),
        catalog={"path": _relative(catalog.path), "as_of_oldest": lo.date(), "as_of_newest": hi.date()},
        context=context, decisions=decisions, candidates=all_cands, evaluations=evals, matrix=matrix,
        rationale=cfg.rationale, risks=list(cfg.risks), reflections={k: list(v) for k, v in cfg.reflections.items()}
        if cfg.reflections else {k: [] for k in ("leaderboard_helped", "leaderboard_could_not_prove",
                                                 "measure_before_launch", "revisit_when")},
        triggers=triggers, chart=None,
    )


def _best_known_fast(ranked: pd.DataFrame, target_s: float | None, picked: set) -> pd.DataFrame | None:
    """The best-ranked scored candidate whose typical latency is known (and within ``target_s`` when
    the step has one), as a one-row pick, when it is not picked already; else None. Since the
    ranking scores a candidate without a speed fact on quality and cost, the picks can be
    unmeasured ones and a weak measured one; this keeps the best measured candidate in the
    comparison for the decision."""
    lat = pd.to_numeric(ranked["typical_latency_s"], errors="coerce")
    ok = ranked["scored"].astype(bool) & lat.notna() & ((lat <= target_s) if target_s is not None else True)
    best = ranked[ok].head(1)
    if best.empty or best["offering_id"].iloc[0] in picked:
        return None
    return best.assign(picked_as="best ranked with a known latency within the target")


def _second_benchmark(catalog: Catalog, primary: str, model_ids) -> str | None:
    """The benchmark of another source that scores the most of the given models (ties: by name)."""
    s = catalog.scores
    if s.empty:
        return None
    prim_src = set(s.loc[s["benchmark"] == primary, "source"])
    other = s[(s["benchmark"] != primary) & ~s["source"].isin(prim_src) & s["model_id"].isin(list(model_ids))]
    if other.empty:
        return None
    counts = other.groupby("benchmark")["model_id"].nunique()
    return sorted(counts.index, key=lambda b: (-counts[b], b))[0]


def _pinned_rows(res, ids: list[str], label: str, scenario: Scenario, step: str) -> pd.DataFrame:
    ranked = res.ranked
    rows = ranked[ranked["offering_id"].isin(ids)]
    missing = [i for i in ids if i not in set(rows["offering_id"])]
    if missing:
        problems = []
        for i in missing:
            ex = res.excluded[res.excluded["offering_id"] == i]
            why = " | ".join(ex.iloc[0]["reasons"]) if len(ex) else "not offered for this step's model type"
            problems.append(Problem(scenario.path, f"record (step {step}): {i}", f"fails the hard constraints: {why}",
                                    "pick an offering that passes the shortlist, or change the constraint"))
        raise WorkbenchError(problems)
    rows = rows.set_index("offering_id").loc[ids].reset_index()
    return rows.assign(picked_as=label)
