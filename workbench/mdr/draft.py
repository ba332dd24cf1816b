"""Draft a Model Decision Record from the analysis: every fact from the shortlist, cost, latency,
cross-check, licence due diligence and evaluation results, each with its source and date; the human
parts (deciders, rationale, risks, reflections, trigger thresholds) from the scenario's ``record:``
block (:func:`workbench.mdr.record_config`) or from arguments.

How candidates and the decision are chosen (stated rules, overridable in ``record:``):

- candidates per step (:func:`pick_candidates`), from the step's shortlist in rank order, each a
  different model: the best *managed API model* (a closed model on a managed API), the best
  *open-weight option* (an open-weight or open-source model, any access mode that passed the
  constraints), and the best *cheaper model* (a lower USD per request than the first); if a kind is
  missing, the next best-ranked model fills the slot ("next best ranked"); when all picks share one
  provider, the best offering on another provider joins them. ``record.candidates.<step>`` pins them instead.
- the default is the compared candidate with the best shortlist rank; the fallback is the next best
  on *another provider*, preferring other processing regions (``record.fallback.different_region``).
  ``record.decision.<step>`` pins them instead.

Introduced in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.catalog.load import Catalog
from workbench.errors import fail
from workbench.mdr.config import RecordConfig
from workbench.mdr.record import (
    COMPARISON_COLUMNS,
    MEASURED_LABELS,
    Candidate,
    Evaluation,
    Fact,
    Level,
    MatrixRow,
    StepDecision,
    Trigger,
    fmt_value,
    normalise_text,
    short_source,
)
from workbench.scenario.load import Scenario, Step
from workbench.shortlist.pool import LATENCY_UNMEASURED
from workbench.util import as_date as _day
from workbench.util import plain_value as _val

OPEN = ("open-weight", "open-source")
PICKED_AS = ("managed API model", "cheaper model", "open-weight option")


# ------------------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------------------

def scenario_to_dict(scenario: Scenario) -> dict:
    """A scenario as the plain mapping its YAML file would hold (``scenario_from_dict`` reads it back),
    without the ``record:`` block (the record carries its own parts). Embedded in every record so
    that ``review`` can re-run the shortlist from the record alone."""
    def plain(v):
        if isinstance(v, tuple):
            return [plain(x) for x in v]
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items() if x is not None}
        return v

    d = dataclasses.asdict(scenario)
    d.pop("path", None)
    d.pop("record", None)
    for key in ("routing",):
        if d.get(key) is None:
            d.pop(key, None)
    if not d.get("pii"):
        d.pop("pii", None)
    for step in d["workflow"]:
        for k in [k for k, v in step.items() if v is None or v == ""]:
            step.pop(k)
        oc = step.get("output_contract") or {}
        for k in [k for k, v in oc.items() if v is None or v == () or v == []]:
            oc.pop(k)
        con = step.get("constraints") or {}
        for k in [k for k, v in con.items() if v is None]:
            con.pop(k)
    if d.get("budget_usd_per_month") is None:
        d.pop("budget_usd_per_month", None)
    if not d.get("description"):
        d.pop("description", None)
    return plain(d)


# ------------------------------------------------------------------------------------------------
# candidates and decision
# ------------------------------------------------------------------------------------------------

def pick_candidates(ranked: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Three candidates from a step's ranked shortlist, by the rules in the module docstring.

    Scored rows are searched first, then passed rows that could not be scored (a missing speed or
    score; their ``rank`` is empty). After the three kinds, empty slots are filled by the next best
    model on a provider not yet picked, then the next best model, then the same model on another
    provider (a natural fallback: same behaviour, other failure domain). When every pick runs on one
    provider, the best offering on another provider joins as a fourth candidate, so that a fallback
    can live elsewhere. Returns the picked ranked rows in pick order with a ``picked_as`` column. Introduced in ``06_model_decision_record.ipynb``.
    """
    pool = ranked.reset_index(drop=True)
    scored = pool["scored"].astype(bool)
    picked: list[tuple[int, str]] = []
    used_models: set[str] = set()
    used_providers: set[str] = set()

    def take(mask: pd.Series, label: str, distinct_model: bool = True) -> int | None:
        ok = mask & ~pool.index.isin([i for i, _ in picked])
        if distinct_model:
            ok &= ~pool["model_id"].isin(used_models)
        for tier in (scored, ~scored):
            idx = np.flatnonzero((ok & tier).to_numpy())
            if len(idx):
                i = int(idx[0])
                picked.append((i, label))
                used_models.add(pool.loc[i, "model_id"])
                used_providers.add(pool.loc[i, "provider"])
                return i
        return None

    everything = pd.Series(True, index=pool.index)
    first = take((pool["access_mode"] == "managed-api") & (pool["openness"] == "closed"), PICKED_AS[0])
    if first is None:
        first = take(pool["access_mode"] == "managed-api", PICKED_AS[0])
    take(pool["openness"].isin(OPEN), PICKED_AS[2])
    if first is not None:
        take(pool["usd_per_request"] < pool.loc[first, "usd_per_request"], PICKED_AS[1])
    while len(picked) < min(n, len(pool)):
        if (take(~pool["provider"].isin(used_providers), "next best ranked") is None
                and take(everything, "next best ranked") is None
                and take(~pool["provider"].isin(used_providers), "same model, another provider",
                         distinct_model=False) is None):
            break
    if len(used_providers) == 1 and picked:
        # every pick runs on one provider: a fallback needs another one, so the best of those joins
        if take(~pool["provider"].isin(used_providers), "another provider (for the fallback)") is None:
            take(~pool["provider"].isin(used_providers), "another provider (for the fallback)", distinct_model=False)
    rows = pool.loc[[i for i, _ in picked]].copy()
    rows["picked_as"] = [label for _, label in picked]
    return rows.reset_index(drop=True)


def _regions_of(table: pd.DataFrame, offering_id: str) -> set[str]:
    r = table.loc[table["offering_id"] == offering_id, "regions"]
    v = r.iloc[0] if len(r) else None
    return set() if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else set(str(v).split(";"))


def choose_decision(picked: pd.DataFrame, table: pd.DataFrame, step: str, different_region: bool = True,
                    latency_target_s: float | None = None) -> StepDecision:
    """Default = the picked candidate with the best shortlist rank (unscored ones last) among those
    whose typical latency is known and within ``latency_target_s`` (a weighted score can rank a
    model first that is far too slow for the step; the latency target is a requirement), or the best
    rank overall when none is; fallback = another candidate on *another provider*, preferring, in
    this order, one whose typical latency is known and within ``latency_target_s``, one in other
    processing regions (when ``different_region``), then the better rank. ``table`` is the
    shortlist's candidate table (for regions). A default or fallback without a speed fact (scored
    on quality and cost only) is chosen only when no candidate known to meet the target is left, and
    then ``why`` says :data:`LATENCY_UNMEASURED`."""
    if picked.empty:
        raise fail("draft_record()", f"step '{step}'", "no offering passed the hard constraints",
                   "relax a constraint, add offerings to the catalog, or leave the step out (record.steps)")
    lat_all = pd.to_numeric(picked["typical_latency_s"], errors="coerce")
    fast = lat_all.notna() & ((lat_all <= latency_target_s) if latency_target_s is not None else True)
    order = picked.assign(_r=picked["rank"].astype(float).fillna(np.inf), _fast_d=fast)
    order = order.sort_values(["_fast_d", "_r", "offering_id"], ascending=[False, True, True], kind="stable")
    default = order.iloc[0]
    others = order.iloc[1:]
    other_prov = others[others["provider"] != default["provider"]].copy()
    if pd.isna(default["rank"]):
        why_d = "first compared candidate (none could be scored)"
    elif default["_fast_d"] and (order["_r"] < default["_r"]).any():
        why_d = (f"best shortlist rank ({int(default['rank'])}) among the compared candidates within the "
                 "latency target (a better-ranked one is too slow or has no speed data)")
    elif default["_fast_d"]:
        why_d = f"best shortlist rank ({int(default['rank'])}) among the compared candidates"
    else:
        why_d = (f"best shortlist rank ({int(default['rank'])}) among the compared candidates; none is known "
                 "to meet the latency target")
    if pd.isna(lat_all.loc[default.name]):
        why_d += f"; {LATENCY_UNMEASURED} (no speed fact for it in the catalog)"
    if other_prov.empty:
        fb = others.iloc[0] if len(others) else None
        why_f = "no compared candidate on another provider" if fb is not None else "no other candidate"
        if fb is not None and pd.isna(lat_all.loc[fb.name]):
            why_f += f"; {LATENCY_UNMEASURED} (no speed fact for it in the catalog)"
    else:
        lat = pd.to_numeric(other_prov["typical_latency_s"], errors="coerce")
        other_prov["_fast"] = lat.notna() & ((lat <= latency_target_s) if latency_target_s is not None else True)
        dreg = _regions_of(table, default["offering_id"])
        other_prov["_elsewhere"] = [bool(different_region) and _regions_of(table, o) != dreg
                                    for o in other_prov["offering_id"]]
        other_prov = other_prov.sort_values(["_fast", "_elsewhere", "_r"], ascending=[False, False, True], kind="stable")
        fb = other_prov.iloc[0]
        why_f = "best remaining candidate on another provider"
        why_f += ", within the latency target" if fb["_fast"] else ", NOT known to meet the latency target"
        if fb["_elsewhere"]:
            why_f += ", in other regions"
        if pd.isna(lat.loc[fb.name]):
            why_f += f"; {LATENCY_UNMEASURED} (no speed fact for it in the catalog)"
    why = f"default: {why_d}; fallback: {why_f}"
    return StepDecision(step=step, default=str(default["offering_id"]),
                        fallback=None if fb is None else str(fb["offering_id"]), why=why)


# ------------------------------------------------------------------------------------------------
# facts
# ------------------------------------------------------------------------------------------------

def capability_checks(row: pd.Series, step: Step) -> tuple[int, int, list[str]]:
    """What the step needs of an offering beyond its hard constraints, checked on one candidate-table row
    (:func:`workbench.shortlist.pool`): structured outputs (required, or a json/label output),
    tool calling (required or tool turns), prompt caching (required or a cached share), a batch API
    (required or a batch share), context >= the step's minimum and a request's tokens, output limit >=
    the step's minimum and its output tokens, the input modalities. Unknown counts as not met.
    Returns ``(met, total, missing)``."""
    con, tok = step.constraints, step.tokens
    checks: list[tuple[str, bool]] = []

    def yes(col: str) -> bool:
        v = row.get(col)
        return v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v)) and bool(v)

    if con.structured_outputs or step.output_contract.format in ("json", "label"):
        checks.append(("structured outputs", yes("structured_outputs")))
    if con.tool_calling or tok.tool_turns > 0:
        checks.append(("tool calling", yes("tool_calling")))
    if con.prompt_caching or tok.cached_share > 0:
        checks.append(("prompt caching", yes("prompt_caching")))
    if con.batch_api or tok.batch_share > 0:
        checks.append(("batch API", yes("batch_api")))
    ctx_need = max(con.min_context_tokens or 0, tok.input + tok.output + tok.reasoning)
    ctx = _val(row.get("context_tokens"))
    checks.append((f"context >= {ctx_need:,} tokens", ctx is not None and ctx >= ctx_need))
    out_need = max(con.min_output_tokens or 0, tok.output + tok.reasoning)
    if out_need > 0:
        mo = _val(row.get("max_output_tokens"))
        checks.append((f"output limit >= {out_need:,} tokens", mo is not None and mo >= out_need))
    mods = set(str(_val(row.get("input_modalities")) or "text").split(";"))
    checks.append((f"inputs {';'.join(con.modalities)}", set(con.modalities) <= mods))
    met = sum(ok for _, ok in checks)
    return met, len(checks), [name for name, ok in checks if not ok]


def _provenance(catalog: Catalog, offering_id: str, column: str) -> tuple[str, dt.date | None]:
    """Where a resolved privacy fact comes from: the offering's own cell, else providers.csv."""
    o = catalog.offerings[catalog.offerings["offering_id"] == offering_id].iloc[0]
    v = o[column]
    if v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v)):
        return o["source"], _day(o["as_of"])
    p = catalog.providers[catalog.providers["provider"] == o["provider"]]
    if len(p):
        return f"providers.csv: {p.iloc[0]['source']}", _day(p.iloc[0]["as_of"])
    return "not stated in the catalog", None


def _computed(what: str) -> str:
    return f"computed: {what}"


def candidate_facts(catalog: Catalog, scenario: Scenario, step: Step, ranked_row: pd.Series, table_row: pd.Series,
                    cost_row: pd.Series, latency_row: pd.Series, headroom_row: pd.Series, n_ranked: int,
                    quality_pct: float | None, second: pd.Series | None, diligence: pd.DataFrame) -> dict[str, Fact]:
    """Every fact of one compared candidate, each with its source and as_of (see the module docstring)."""
    as_of = scenario.as_of
    off = catalog.offerings[catalog.offerings["offering_id"] == ranked_row["offering_id"]].iloc[0]
    model = catalog.models[catalog.models["model_id"] == ranked_row["model_id"]].iloc[0]
    osrc, oday = off["source"], _day(off["as_of"])
    msrc, mday = model["source"], _day(model["as_of"])
    ssrc = _val(off.get("speed_source")) or osrc
    sday = _day(off.get("speed_as_of")) or oday
    f: dict[str, Fact] = {}
    f["quality"] = Fact(_val(ranked_row["quality"]), _val(ranked_row["quality_source"]) or "",
                        _day(ranked_row["quality_as_of"]), str(ranked_row["quality_benchmark"]))
    f["quality_percentile"] = Fact(None if quality_pct is None else round(float(quality_pct), 1),
                                   _computed(f"percentile among {n_ranked} shortlisted offerings"), as_of, "computed")
    if second is not None:
        f["quality_second"] = Fact(_val(second["value"]), second["source"], _day(second["as_of"]), str(second["benchmark"]))
    f["shortlist_rank"] = Fact(_val(ranked_row["rank"]), _computed("workbench.shortlist, the scenario's weights"), as_of,
                               "computed")
    f["shortlist_score"] = Fact(None if pd.isna(ranked_row["score"]) else round(float(ranked_row["score"]), 4),
                                _computed("workbench.shortlist (0..1)"), as_of, "computed")
    for col in ("usd_per_mtok_in", "usd_per_mtok_out", "usd_per_mtok_cached_in"):
        if _val(off[col]) is not None:
            f[col] = Fact(_val(off[col]), osrc, oday)
    f["usd_per_request"] = Fact(_val(ranked_row["usd_per_request"]), _computed(f"the step's token mix at {osrc} prices"),
                                oday, "computed")
    f["usd_per_month"] = Fact(_val(cost_row["usd_per_month_model"]),
                              _computed("workbench.costs.steps.step_costs, model calls with retries; volume and success "
                                        "rate are scenario assumptions"), oday, "computed")
    f["usd_per_month_with_escalations"] = Fact(_val(cost_row["usd_per_month"]),
                                               _computed("workbench.costs.steps.step_costs, model calls plus human "
                                                         "escalations (scenario assumptions)"), oday, "computed")
    f["cost_per_success_usd"] = Fact(_val(cost_row["usd_per_success"]),
                                     _computed("workbench.costs.steps.step_costs, escalations included"), oday, "computed")
    f["typical_latency_s"] = Fact(_val(ranked_row["typical_latency_s"]),
                                  _computed(f"median speed from {ssrc} + the scenario's network/retrieval assumptions"),
                                  sday, "computed")
    f["p95_latency_s"] = Fact(_val(latency_row["p95_s"]), _computed("workbench.costs.latency seeded simulation"), sday, "computed")
    for col in ("ttft_s", "output_tokens_per_s"):
        if _val(off[col]) is not None:
            f[col] = Fact(_val(off[col]), ssrc, sday)
    ctx_src = (osrc, oday) if _val(off["context_tokens"]) is not None else (msrc, mday)
    f["context_tokens"] = Fact(_val(table_row["context_tokens"]), *ctx_src)
    for col in ("zero_data_retention", "trains_on_data", "regions"):
        src, day = _provenance(catalog, off["offering_id"], col)
        f[col] = Fact(_val(table_row[col]), src, day)
    for col in ("rpm_limit", "tpm_limit"):
        if _val(off[col]) is not None:
            f[col] = Fact(_val(off[col]), osrc, oday)
    f["peak_rpm"] = Fact(_val(headroom_row["peak_rpm"]), _computed("workbench.costs.latency.rate_limit_headroom"), as_of,
                         "computed")
    use = np.fmax(float(headroom_row["rpm_use"]), float(headroom_row["tpm_use"]))
    f["limit_use"] = Fact(None if np.isnan(use) else float(use), _computed("peak / the tighter rate limit"), oday, "computed")
    for col in ("openness", "license", "commercial_use", "license_notes"):
        f[col] = Fact(_val(model[col]), msrc, mday)
    f["deprecation_date"] = Fact(_val(model["deprecation_date"]), msrc, mday)
    n_prov = int(catalog.offerings.loc[(catalog.offerings["model_id"] == model["model_id"])
                                       & (catalog.offerings["access_mode"] != "self-hosted"), "provider"].nunique())
    f["providers_serving_model"] = Fact(n_prov, _computed("providers in offerings.csv serving this model"), as_of, "computed")
    met, total, missing = capability_checks(table_row, step)
    f["checks_met"] = Fact(met, _computed("workbench.mdr.draft.capability_checks"), oday, "computed")
    f["checks_total"] = Fact(total, _computed("workbench.mdr.draft.capability_checks"), oday, "computed")
    f["checks_missing"] = Fact("; ".join(missing), _computed("workbench.mdr.draft.capability_checks"), oday, "computed")
    # licence: open models go through the due diligence; closed models' commercial use is the catalog's fact
    if model["openness"] in OPEN:
        d = diligence[diligence["model_id"] == model["model_id"]]
        if len(d):
            f["licence_checked"] = Fact(True, _computed("workbench.catalog.diligence.diligence_table"), as_of, "computed")
            f["licence_red_flags"] = Fact(int(d.iloc[0]["red_flags"]), _computed("workbench.catalog.diligence"), as_of, "computed")
            f["licence_flags"] = Fact(d.iloc[0]["flags"], _computed("workbench.catalog.diligence"), as_of, "computed")
        else:
            f["licence_checked"] = Fact(False, _computed("workbench.catalog.diligence found no row"), as_of, "computed")
    else:
        f["licence_checked"] = Fact(model["commercial_use"] in ("yes", "restricted"),
                                    _computed("closed model: commercial use stated in models.csv; provider terms apply"),
                                    as_of, "computed")
    return f


def _inputs_for_levels(cands: list[Candidate], step: Step) -> pd.DataFrame:
    rows = []
    for c in cands:
        g = c.fact
        rows.append({
            "checks_met": g("checks_met"), "checks_total": g("checks_total"),
            "quality_percentile": g("quality_percentile"),
            "typical_latency_s": g("typical_latency_s"),
            "latency_target_s": step.latency.total_s, "p95_s": g("p95_latency_s"), "p95_target_s": step.latency.p95_s,
            "usd_per_month": g("usd_per_month"), "trains_on_data": g("trains_on_data"),
            "zero_data_retention": g("zero_data_retention"), "regions": g("regions"),
            "access_mode": c.access_mode, "peak_rpm": g("peak_rpm"), "limit_use": g("limit_use"),
            "providers_serving_model": g("providers_serving_model"), "openness": g("openness"),
        })
    return pd.DataFrame(rows)


def _levels(frame: pd.DataFrame) -> list[dict[str, Level]]:
    out = []
    for _, r in frame.iterrows():
        out.append({col: Level(str(r[col]), None if pd.isna(r[f"{col}_value"]) else round(float(r[f"{col}_value"]), 6),
                               str(r[f"{col}_shown"])) for col in COMPARISON_COLUMNS})
    return out


def _pct(x: Any) -> str:
    return "unknown" if x is None else f"{x:.0%}"


def build_matrix(scenario: Scenario, steps: list[Step], record_parts: dict) -> list[MatrixRow]:
    """The chapter's decision matrix: per dimension, what the scenario needs (its checklist) and what
    the analysis found for the decided defaults and fallbacks (numbers with sources)."""
    ck = scenario.checklist
    decisions: list[StepDecision] = record_parts["decisions"]
    cand = {(c.step, c.offering_id): c for c in record_parts["candidates"]}
    shortlists = record_parts["shortlists"]
    evals: list[Evaluation] = record_parts["evaluations"]
    triggers: list[Trigger] = record_parts["triggers"]
    stepmap = {s.name: s for s in steps}

    def per_step(fn) -> str:
        return " ".join(f"{d.step}: {fn(d, cand.get((d.step, d.default)), cand.get((d.step, d.fallback)))}."
                        for d in decisions)

    def cite(c: Candidate | None, name: str, unit: str = "") -> str:
        if c is None or name not in c.facts or c.facts[name].value is None:
            return "unknown"
        fx = c.facts[name]
        when = fx.as_of.isoformat() if fx.as_of else "undated"
        return f"{fmt_value(fx.value)}{unit} ({short_source(fx.source)}, {when})"

    def quality(d, c, fb):
        pct = c.fact("quality_percentile")
        txt = (f"{d.default} {c.facts['quality'].note} {cite(c, 'quality')}, "
               + (f"percentile {pct:.0f} of the shortlist" if pct is not None else "no score"))
        if "quality_second" in c.facts:
            txt += f"; cross-check {c.facts['quality_second'].note} {cite(c, 'quality_second')}"
        else:
            txt += "; no second source scores it"
        if c.fact("quality_flags"):
            txt += f"; cross-source flags: {c.fact('quality_flags')}"
        cc = record_parts["correlations"].get(d.step)
        if cc:
            txt += f"; {cc}"
        ev = [e for e in evals if e.step == d.step and e.candidate == d.default]
        txt += (f"; golden set {_pct(ev[0].success_rate)} on {ev[0].n_cases} cases ({ev[0].label})" if ev
                else "; the default has no golden-set result yet")
        others = [e for e in evals if e.step == d.step and e.candidate != d.default]
        txt += "".join(f"; {e.candidate} {_pct(e.success_rate)} on {e.n_cases} {e.task or ''} cases ({e.label})"
                       for e in others)
        return txt

    total_month = sum(c.fact("usd_per_month") or 0 for (s, o), c in cand.items()
                      if any(d.step == s and d.default == o for d in decisions))
    budget = scenario.budget_usd_per_month
    money = (f"Defaults together: {total_month:,.2f} USD/month of model calls"
             + (f" against a {budget:,.0f} USD budget" if budget else "")
             + " (computed from dated list prices; volumes, token mixes and retries are scenario assumptions).")

    def lat(d, c, fb):
        st = stepmap[d.step]
        tgt = f"targets {fmt_value(st.latency.total_s)} s, p95 {fmt_value(st.latency.p95_s)} s"
        return (f"{d.default} typical {cite(c, 'typical_latency_s', ' s')}, p95 {_fmt_num(c.fact('p95_latency_s'))} s "
                f"({tgt}), {_fmt_num(c.fact('usd_per_month'))} USD/month for model calls")

    def ctx(d, c, fb):
        st = stepmap[d.step]
        need = max(st.constraints.min_context_tokens or 0, st.tokens.input + st.tokens.output)
        return f"needs {need:,} tokens; {d.default} allows {cite(c, 'context_tokens')}"

    def fit(d, c, fb):
        miss = c.fact("checks_missing")
        return f"{d.default} meets {c.fact('checks_met')}/{c.fact('checks_total')} capability checks" + (
            f" (missing: {miss})" if miss else "")

    def output(d, c, fb):
        st = stepmap[d.step]
        ev = [e for e in evals if e.step == d.step and e.candidate == d.default]
        rel = (f"golden set {_pct(ev[0].success_rate)} ({ev[0].label})" if ev
               else f"assumed success rate {st.reliability.success_rate:.0%} per attempt, {st.reliability.max_attempts} attempts")
        return f"{st.output_contract.format} output; {rel}"

    def privacy(d, c, fb):
        red = c.fact("licence_red_flags")
        lic = f"licence {c.fact('license')} (commercial use {c.fact('commercial_use')}" + (
            f", {red} red flags" if red is not None else "") + ")"
        return (f"{d.default} trains on prompts {_yn(c.fact('trains_on_data'))}, ZDR {_yn(c.fact('zero_data_retention'))}, "
                f"regions {c.fact('regions') or 'unknown'} ({short_source(c.facts['regions'].source)}); {lic}")

    def ops(d, c, fb):
        use = c.fact("limit_use")
        return f"{d.default} {c.access_mode}, peak {_fmt_num(c.fact('peak_rpm'))} rpm" + (
            f" = {use:.0%} of its rate limit" if use is not None else ", no rate limit listed")

    def migration(d, c, fb):
        if fb is None:
            return "no fallback"
        other = fb.provider != c.provider
        dr, fr = (set(str(x.fact("regions") or "").split(";")) - {""} for x in (c, fb))
        return (f"fallback {d.fallback} on {fb.provider} ({'another' if other else 'the SAME'} provider; regions "
                f"{';'.join(sorted(fr)) or 'unknown'} vs {';'.join(sorted(dr)) or 'unknown'}); "
                f"{c.fact('providers_serving_model')} providers serve the default's model")

    def cands(d, c, fb):
        sl = shortlists[d.step]
        picked = [x for x in record_parts["candidates"] if x.step == d.step]
        return (f"{len(sl.ranked)} of {len(sl.ranked) + len(sl.excluded)} offerings passed the hard constraints; "
                "compared " + ", ".join(f"{x.offering_id} ({x.picked_as})" for x in picked))

    trig = "; ".join(_trigger_phrase(t) for t in triggers) or "none"
    need_use = normalise_text(scenario.description) or scenario.title
    return [
        MatrixRow("use_case", need_use, " ".join(f"{s.name} ({s.role}, {s.requests_per_month:,} requests/month assumed)."
                                                 for s in steps)),
        MatrixRow("task_fit", ck["task_fit"], per_step(fit)),
        MatrixRow("candidates", "Per step: a managed API model, a cheaper or smaller model, an open-weight option.",
                  per_step(cands)),
        MatrixRow("quality", ck["quality_bar"], per_step(quality)),
        MatrixRow("latency_and_cost", f"{ck['latency_target']} {ck['cost_target']}", money + " " + per_step(lat)),
        MatrixRow("context", ck["context_needs"], per_step(ctx)),
        MatrixRow("output_reliability", ck["output_contract"], per_step(output)),
        MatrixRow("privacy_and_licence", f"{ck['privacy_and_compliance']} {ck['licensing']}", per_step(privacy)),
        MatrixRow("operational_burden", ck["operational_burden"], per_step(ops)),
        MatrixRow("migration", ck["migration_path"], per_step(migration)),
        MatrixRow("review_triggers", "Say, in numbers a machine can check, when this choice must be revisited.", trig + "."),
    ]


def _fmt_num(v: Any) -> str:
    return fmt_value(v)


def _yn(v: Any) -> str:
    return "unknown" if v is None else ("yes" if v else "no")


def _trigger_phrase(t: Trigger) -> str:
    k = t.kind
    if k == "price_change_pct":
        return f"{t.offering_id} price moves > {t.threshold:g}%"
    if k == "deprecation_within_days":
        return f"{t.baseline.get('model_id')} deprecated within {t.threshold:g} days"
    if k == "volume_above":
        return f"{t.step} volume > {t.threshold:,.0f}/month"
    if k == "age_above_days":
        return f"record older than {t.threshold:g} days"
    if k == "golden_set_drop_pp":
        return f"{t.offering_id} golden-set success drops > {t.threshold:g} points"
    if k == "dominated":
        return f"an offering dominates {t.offering_id} ({t.step})"
    return k


def build_triggers(cfg: RecordConfig, scenario: Scenario, decisions: list[StepDecision], candidates: list[Candidate],
                   evaluations: list[Evaluation], date: dt.date) -> list[Trigger]:
    """The record's review triggers from the ``record.review_triggers`` thresholds and the decided
    offerings' baselines (prices with source and as_of, deprecation dates, volume, success rates,
    quality/cost/latency)."""
    th = cfg.triggers
    cand = {(c.step, c.offering_id): c for c in candidates}
    out: list[Trigger] = []
    seen_price, seen_dep = set(), set()
    for d in decisions:
        for oid in (d.default, d.fallback):
            c = cand.get((d.step, oid))
            if c is None:
                continue
            if th.get("price_change_pct") is not None and oid not in seen_price:
                seen_price.add(oid)
                pin = c.facts.get("usd_per_mtok_in")
                out.append(Trigger("price_change_pct", float(th["price_change_pct"]), d.step, oid, {
                    "usd_per_mtok_in": c.fact("usd_per_mtok_in"), "usd_per_mtok_out": c.fact("usd_per_mtok_out"),
                    "source": pin.source if pin else "", "as_of": pin.as_of if pin else None}))
            if th.get("deprecation_within_days") is not None and c.model_id not in seen_dep:
                seen_dep.add(c.model_id)
                dep = c.facts["deprecation_date"]
                out.append(Trigger("deprecation_within_days", float(th["deprecation_within_days"]), d.step, oid, {
                    "model_id": c.model_id, "deprecation_date": dep.value, "source": dep.source, "as_of": dep.as_of}))
    if th.get("volume_factor") is not None and decisions:
        vstep = th.get("volume_step") or decisions[0].step
        s = scenario.step(vstep)
        out.append(Trigger("volume_above", float(th["volume_factor"]) * s.requests_per_month, vstep, None, {
            "requests_per_month": s.requests_per_month, "factor": float(th["volume_factor"]),
            "source": "assumption: scenario workflow volume", "as_of": scenario.as_of}))
    if th.get("age_days") is not None:
        out.append(Trigger("age_above_days", float(th["age_days"]), None, None, {"date": date, "as_of": date}))
    for d in decisions:
        c = cand.get((d.step, d.default))
        if th.get("golden_set_drop_pp") is not None:
            ev = sorted([e for e in evaluations if e.step == d.step and e.candidate == d.default],
                        key=lambda e: (e.label not in MEASURED_LABELS, -(e.n_cases or 0)))
            if ev and ev[0].success_rate is not None:
                out.append(Trigger("golden_set_drop_pp", float(th["golden_set_drop_pp"]), d.step, d.default, {
                    "success_rate": ev[0].success_rate, "n_cases": ev[0].n_cases, "label": ev[0].label,
                    "task": ev[0].task, "source": ev[0].source, "as_of": ev[0].as_of}))
        if th.get("production_drift_pp") is not None:
            ev = sorted([e for e in evaluations if e.step == d.step and e.candidate == d.default],
                        key=lambda e: (e.label not in MEASURED_LABELS, -(e.n_cases or 0)))
            base = ev[0] if ev and ev[0].success_rate is not None else None
            out.append(Trigger("production_drift_pp", float(th["production_drift_pp"]), d.step, d.default, {
                "success_rate": base.success_rate if base else None, "n_cases": base.n_cases if base else None,
                "window_days": int(th.get("drift_window_days") or 7),
                "source": base.source if base else "the results log's own earlier days",
                "as_of": base.as_of if base else date}))
        if th.get("dominated") and c is not None:
            out.append(Trigger("dominated", None, d.step, d.default, {
                "quality": c.fact("quality"), "usd_per_request": c.fact("usd_per_request"),
                "typical_latency_s": c.fact("typical_latency_s"), "as_of": scenario.as_of}))
    return out
