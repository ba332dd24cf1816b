"""Hard constraints, checked on every offering, every failing reason listed (unknown facts count as not
met); scenario and step toggles for what-ifs. Taught in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import Problem, WorkbenchError, did_you_mean
from workbench.scenario.load import Constraints, Scenario, Step, StepConstraints
from workbench.shortlist.pool import CAPABILITIES, CAPABILITY_WORDS, Candidates

# --------------------------------------------------------------------------------------------
# hard constraints: every check on every row, vectorised
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Check:
    key: str
    mask: np.ndarray          # True where the offering fails
    messages: object          # one str for all failing rows, or an object array aligned with the rows


def _lit(text) -> str:
    """Text made safe to put inside a ``str.format`` template."""
    return str(text).replace("{", "{{").replace("}", "}}")


def _messages(n: int, mask: np.ndarray, values: pd.Series | np.ndarray, template: str) -> np.ndarray:
    """Per-row messages for failing rows only: ``template.format(v)`` for each distinct value."""
    out = np.full(n, None, dtype=object)
    if not mask.any():
        return out
    codes, uniques = pd.factorize(np.asarray(values, dtype=object)[mask], use_na_sentinel=False)
    texts = np.empty(len(uniques), dtype=object)
    texts[:] = [template.format(v) for v in uniques]  # one format per distinct value, not per row
    out[mask] = texts[codes]
    return out


def _tri_check(key: str, yes: np.ndarray, known: np.ndarray, want_yes: bool, msg_no: str, msg_unknown: str,
               exempt: np.ndarray | None = None) -> _Check:
    bad = known & (yes != want_yes)
    unknown = ~known
    if exempt is not None:
        bad, unknown = bad & ~exempt, unknown & ~exempt
    msgs = np.full(len(yes), msg_no, dtype=object)  # object, not numpy unicode: no copy of long strings
    msgs[unknown] = msg_unknown
    return _Check(key, bad | unknown, msgs)


def _step_path(scenario: Scenario, step: Step) -> str:
    for i, s in enumerate(scenario.workflow):
        if s.name == step.name:
            return f"workflow[{i}]"
    return f"step '{step.name}'"


def constraint_checks(c: Candidates, scenario: Scenario, step: Step) -> list[_Check]:
    """Every hard constraint of the scenario and step, each as a fail mask over ``c.table`` with its
    reason(s) (rules in the module docstring). Used by :func:`shortlist`; the order is
    :data:`CONSTRAINT_KEYS`."""
    n = len(c)
    sc: Constraints = scenario.constraints
    con: StepConstraints = step.constraints
    path = _step_path(scenario, step)
    checks: list[_Check] = []
    mode = c.array("access_mode")
    selfh = mode == "self-hosted"

    # model type the role needs
    mtype = c.array("model_type")
    need = step.model_type
    bad = mtype != need
    article = {"embedding": "an embedding", "chat": "a chat", "reranker": "a reranker"}
    checks.append(_Check("model_type", bad, _messages(
        n, bad, pd.Series(mtype, dtype=object).map(article).to_numpy(dtype=object),
        "model type: {} model; step '" + _lit(step.name) + f"' (role {step.role}) needs {article[need]} model")))

    # the scenario's own exclusions
    if sc.exclude_models:
        bad = np.isin(c.array("model_id"), [m.lower() for m in sc.exclude_models] + list(sc.exclude_models))
        checks.append(_Check("exclude_models", bad, "excluded by the scenario: model listed in constraints.exclude_models"))
    if sc.exclude_providers:
        bad = np.isin(c.array("provider"), [p.lower() for p in sc.exclude_providers] + list(sc.exclude_providers))
        checks.append(_Check("exclude_providers", bad,
                             "excluded by the scenario: provider listed in constraints.exclude_providers"))

    # operations
    if not sc.gpu_operations:
        checks.append(_Check("gpu_operations", selfh,
                             "operations: self-hosting needs GPU operations, and the team runs none "
                             "(constraints.gpu_operations: false)"))
    allowed = tuple(con.access_modes)
    bad = ~np.isin(mode, allowed)
    checks.append(_Check("access_modes", bad, _messages(
        n, bad, mode, "operations: access mode '{}' is not allowed for this step ("
        + _lit(f"{path}.constraints.access_modes: {', '.join(allowed)})"))))

    # privacy (self-hosted: prompts never leave your machines)
    if sc.no_training_on_prompts:
        yes, known = c.tri("trains_on_data")
        checks.append(_tri_check(
            "no_training_on_prompts", yes, known, False,
            "privacy: the provider may train on prompts by default (trains_on_data: yes), and the scenario "
            "forbids it (constraints.no_training_on_prompts)",
            "privacy: unknown whether the provider trains on prompts (trains_on_data is empty in offerings.csv "
            "and providers.csv): verify its data-usage policy", exempt=selfh))
    if sc.zero_data_retention:
        yes, known = c.tri("zero_data_retention")
        checks.append(_tri_check(
            "zero_data_retention", yes, known, True,
            "privacy: no zero-data-retention option (zero_data_retention: no), and the scenario requires one "
            "(constraints.zero_data_retention)",
            "privacy: zero data retention unknown (zero_data_retention is empty in offerings.csv and "
            "providers.csv): ask the provider", exempt=selfh))
    if sc.regions:
        wanted = [r.lower() for r in sc.regions]
        known = c.known("regions")
        ok = np.zeros(n, dtype=bool)
        for r in wanted:
            ok |= c.has_item("regions", r)
        bad = known & ~ok & ~selfh
        unknown = ~known & ~selfh
        msgs = _messages(n, bad, c.array("regions"),
                         "privacy: processes data in {}, none of the allowed regions " + _lit(", ".join(wanted))
                         + " (constraints.regions)")
        msgs[unknown] = ("privacy: processing region unknown (regions is empty in offerings.csv and providers.csv): "
                         "verify where the provider processes data")
        checks.append(_Check("regions", bad | unknown, msgs))

    # licence
    if sc.commercial_use:
        cu = c.array("commercial_use")
        no = cu == "no"
        unknown = pd.isna(cu) | (cu == "unknown")
        msgs = _messages(n, no, c.array("license"), "licence: {} does not allow commercial use (commercial_use: no)")
        msgs[unknown] = ("licence: commercial use unknown (commercial_use: unknown): read the licence before "
                         "relying on it")
        checks.append(_Check("commercial_use", no | unknown, msgs))
    if sc.fine_tuning:
        yes, known = c.tri("fine_tuning")
        checks.append(_tri_check(
            "fine_tuning", yes, known, True,
            "licence: fine-tuning is not allowed (fine_tuning: no), and the scenario plans it (constraints.fine_tuning)",
            "licence: unknown whether fine-tuning is allowed (fine_tuning is empty in models.csv): check the licence "
            "or the provider's terms"))

    # platform capabilities the step requires
    for cap in CAPABILITIES:
        if getattr(con, cap):
            yes, known = c.tri(cap)
            word = CAPABILITY_WORDS[cap]
            checks.append(_tri_check(
                cap, yes, known, True,
                f"platform: no {word} ({cap}: no), and the step requires it ({path}.constraints.{cap})",
                f"platform: {word} unknown ({cap} is empty in offerings.csv): check the provider's documentation"))

    # context and output length: the explicit minimum, or what the token mix needs if larger;
    # an unknown limit fails only an explicit requirement
    tok = step.tokens
    for key, col, explicit, used, what in (
            ("context_tokens", "context_tokens", con.min_context_tokens,
             tok.input + tok.output + tok.reasoning, "context window"),
            ("output_tokens", "max_output_tokens", con.min_output_tokens, tok.output + tok.reasoning, "output limit")):
        need_tokens = max(explicit or 0, used)
        if need_tokens <= 0:
            continue
        have = c.number(col)
        short = ~np.isnan(have) & (have < need_tokens)
        unknown = np.isnan(have) if explicit else np.zeros(n, dtype=bool)
        why = (f"{path}.constraints.min_{'context' if key == 'context_tokens' else 'output'}_tokens: {explicit:,}"
               if explicit and explicit >= used else f"the step's token mix uses {used:,}")
        msgs = _messages(n, short, have, what.split()[0] + ": {:,.0f} tokens" + _lit(f" < {need_tokens:,} needed ({why})"))
        msgs[unknown] = f"{what.split()[0]}: {what} unknown ({col} is empty); the step needs {need_tokens:,} tokens ({why})"
        checks.append(_Check(key, short | unknown, msgs))

    # input modalities (an unknown list fails only a need beyond text)
    mods_needed = [m for m in con.modalities]
    known = c.known("input_modalities")
    missing = np.zeros(n, dtype=bool)
    for mname in mods_needed:
        missing |= known & ~c.has_item("input_modalities", mname)
    beyond_text = [m for m in mods_needed if m != "text"]
    unknown = ~known if beyond_text else np.zeros(n, dtype=bool)
    msgs = _messages(n, missing, c.array("input_modalities"),
                     "modality: accepts {}" + _lit(f"; the step needs {', '.join(mods_needed)}"))
    msgs[unknown] = f"modality: input modalities unknown (input_modalities is empty); the step needs {', '.join(mods_needed)}"
    checks.append(_Check("modalities", missing | unknown, msgs))

    # the reasoning setting (one row per setting an offering has facts for)
    checks.append(_setting_check(c.table, step))

    # deprecation on or before the horizon
    dep = pd.to_datetime(c.table["deprecation_date"])
    as_of, horizon = pd.Timestamp(scenario.as_of), pd.Timestamp(scenario.horizon_date)
    gone = (dep <= as_of).to_numpy(dtype=bool)
    soon = ((dep > as_of) & (dep <= horizon)).to_numpy(dtype=bool)
    # the date and who states it (the source's first clause: its key, file and date)
    dep_src = [str(v).split("; ")[0] if isinstance(v, str) else "source not stated"
               for v in c.table["deprecation_source"].to_numpy(dtype=object)]
    dep_txt = np.array([f"{d:%Y-%m-%d} ({w})" if not pd.isna(d) else "" for d, w in zip(dep, dep_src)], dtype=object)
    msgs = _messages(n, gone, dep_txt, "deprecation: already retired on {}" + f" (scenario as_of {scenario.as_of})")
    msgs[soon] = _messages(n, soon, dep_txt, "deprecation: retires on {}" + f", on or before the horizon "
                           f"{scenario.horizon_date} (as_of + horizon_months: {scenario.horizon_months})")[soon]
    checks.append(_Check("deprecation", gone | soon, msgs))
    return checks




EFFORT_ORDER = ("none", "minimal", "low", "medium", "high", "xhigh", "max")


def default_settings(table: pd.DataFrame) -> np.ndarray:
    """Per row: is it its offering's default reasoning setting? Rows of one offering share model,
    provider and ``provider_model_id`` and differ in ``reasoning_effort``; the default is the fastest
    setting that has speed facts (lowest ``ttft_s``), ties to the lower effort (fewer reasoning
    tokens, so also the cheapest). A row without a setting, or alone, is its own default."""
    eff = table["reasoning_effort"].astype(object).where(table["reasoning_effort"].notna(), "")
    key = (table["model_id"].astype(str) + "|" + table["provider"].astype(str) + "|"
           + table["provider_model_id"].astype(object).where(table["provider_model_id"].notna(), table["offering_id"]).astype(str))
    ttft = pd.to_numeric(table["ttft_s"], errors="coerce")
    rank = eff.map(lambda e: EFFORT_ORDER.index(e) if e in EFFORT_ORDER else len(EFFORT_ORDER))
    order = pd.DataFrame({"key": key, "no_speed": ttft.isna(), "ttft": ttft.fillna(np.inf), "rank": rank,
                          "i": np.arange(len(table))}).sort_values(["key", "no_speed", "ttft", "rank", "i"], kind="stable")
    best = order.drop_duplicates("key", keep="first")["i"].to_numpy()
    out = np.zeros(len(table), dtype=bool)
    out[best] = True
    return out | (eff == "").to_numpy(dtype=bool)


def _setting_check(table: pd.DataFrame, step: Step) -> _Check:
    """A row measured at a reasoning setting the step does not accept fails; without the step's
    ``reasoning_effort`` list, only each offering's default setting (:func:`default_settings`) passes."""
    n = len(table)
    eff = table["reasoning_effort"].astype(object).where(table["reasoning_effort"].notna(), "").to_numpy(dtype=object)
    if step.reasoning_effort:
        bad = (eff != "") & ~np.isin(eff, list(step.reasoning_effort))
        return _Check("reasoning_effort", bad, _messages(
            n, bad, eff, "reasoning: setting '{}' is not one the step accepts"
            + _lit(f" (reasoning_effort: {', '.join(step.reasoning_effort)})")))
    bad = ~default_settings(table)
    return _Check("reasoning_effort", bad, _messages(
        n, bad, eff, "reasoning: setting '{}' is not this offering's default (the fastest setting with speed facts); "
        "list it in the step's reasoning_effort to compare it"))


def _collect(checks: list[_Check], n: int) -> tuple[np.ndarray, list[list[str]], list[list[str]]]:
    """(fails_any, keys per failing row, messages per failing row), rows in table order."""
    if not checks:
        return np.zeros(n, dtype=bool), [], []
    matrix = np.column_stack([ch.mask for ch in checks])
    rows, cols = np.nonzero(matrix)  # row-major: grouped by row, checks in order
    msgs = np.empty(len(rows), dtype=object)
    keys = np.array([ch.key for ch in checks], dtype=object)[cols]
    for j, ch in enumerate(checks):
        sel = cols == j
        msgs[sel] = ch.messages if isinstance(ch.messages, str) else ch.messages[rows[sel]]
    fails = matrix.any(axis=1)
    ends = np.cumsum(matrix.sum(axis=1)[fails]).tolist()
    starts = [0] + ends[:-1]
    keys_l, msgs_l = keys.tolist(), msgs.tolist()  # slicing Python lists: one cheap step per excluded row
    return fails, [keys_l[a:b] for a, b in zip(starts, ends)], [msgs_l[a:b] for a, b in zip(starts, ends)]


def _constraint_stage(c: Candidates, scenario: Scenario, step: Step):
    """:func:`constraint_checks` collected per row, cached on the candidate table by everything the
    checks read (a dashboard moves the weights far more often than the constraints)."""
    key = ("constraints", scenario.constraints, step.constraints, step.tokens, step.role, step.name,
           _step_path(scenario, step), scenario.as_of, scenario.horizon_months)
    if key not in c._arrays:
        if sum(1 for k in c._arrays if isinstance(k, tuple) and k[0] == "constraints") >= 64:
            for k in [k for k in c._arrays if isinstance(k, tuple) and k[0] == "constraints"]:
                del c._arrays[k]
        c._arrays[key] = _collect(constraint_checks(c, scenario, step), len(c))
    return c._arrays[key]


# --------------------------------------------------------------------------------------------
# what-if: change constraints without editing the YAML
# --------------------------------------------------------------------------------------------

SCENARIO_TOGGLES = tuple(f.name for f in dataclasses.fields(Constraints))
STEP_TOGGLES = tuple(f.name for f in dataclasses.fields(StepConstraints))


def with_constraints(scenario: Scenario, step: str | None = None, **changes) -> Scenario:
    """A copy of ``scenario`` with some constraints changed: scenario-wide keys
    (:data:`SCENARIO_TOGGLES`, e.g. ``zero_data_retention=True``) and the named step's keys
    (:data:`STEP_TOGGLES`, e.g. ``structured_outputs=None`` to drop a requirement). The file is not
    touched. A key that is neither is an error with a suggestion. Used by the shortlist widget;
    introduced in ``02_shortlist_from_leaderboards.ipynb``.
    """
    st = scenario.step(step)
    sc_changes = {k: v for k, v in changes.items() if k in SCENARIO_TOGGLES}
    st_changes = {k: v for k, v in changes.items() if k in STEP_TOGGLES and k not in SCENARIO_TOGGLES}
    unknown = [k for k in changes if k not in SCENARIO_TOGGLES and k not in STEP_TOGGLES]
    if unknown:
        raise WorkbenchError([Problem("with_constraints()", k, "unknown constraint",
                                      did_you_mean(k, SCENARIO_TOGGLES + STEP_TOGGLES)) for k in unknown])
    for k in ("regions", "exclude_providers", "exclude_models", "modalities", "access_modes"):
        for d in (sc_changes, st_changes):
            if k in d and d[k] is not None and not isinstance(d[k], tuple):
                d[k] = tuple(d[k])
    new_step = dataclasses.replace(st, constraints=dataclasses.replace(st.constraints, **st_changes))
    workflow = tuple(new_step if s.name == st.name else s for s in scenario.workflow)
    return dataclasses.replace(scenario, constraints=dataclasses.replace(scenario.constraints, **sc_changes),
                               workflow=workflow)
