"""Checks of the "Your turn" tasks of notebooks 00-03: the catalog, scenarios, shortlists, cost."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from workbench.catalog import browse, licence_restrictions
from workbench.costs import crossing_success_rate, step_costs, steps_frame, usd_per_success_for
from workbench.errors import WorkbenchError
from workbench.exercises.base import (
    NOT_ANSWERED,
    Feedback,
    _catalog,
    _close,
    _listing,
    _names,
    _norm,
    _number,
    _pair,
    _scenario_path,
    _support,
    _unanswered,
)
from workbench.scenario import add_step, list_scenarios, load_scenario, scenario_overview, workflow_table
from workbench.shortlist import candidates, shortlist, shortlist_all, shortlisted_offerings, with_constraints

# --------------------------------------------------------------------------------------------
# 00: the catalog, sources and dates, openness
# --------------------------------------------------------------------------------------------

RESTRICTED = "open weights with restrictions"


def check_00_openness(answer: Any) -> Feedback:
    """Task: the set of ``model_id`` whose licence makes them open weights *with restrictions*
    (the models it would be open-washing to call open source). Introduced in
    ``notebooks/00_start_here.ipynb``."""
    task = "00 openness"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    lic = licence_restrictions(_catalog().models).set_index("model_id")
    expected = {m.lower() for m in lic.index[lic["verdict"] == RESTRICTED]}
    verdicts = {m.lower(): v for m, v in lic["verdict"].items()}
    closed = {m.lower() for m in _catalog().models.loc[_catalog().models["openness"] == "closed", "model_id"]}
    given = _names(answer)
    right, extra, missing = given & expected, given - expected, expected - given
    why = []
    for m in sorted(extra):
        if m in verdicts:
            why.append(f"{m} is '{verdicts[m]}', not restricted: read its restrictions column")
        elif m in closed:
            why.append(f"{m} is a closed model: its weights are not published at all, so the question of open "
                       "weights does not arise")
        else:
            why.append(f"{m} is not a model_id in the catalog (check the spelling in cat.models)")
    if not extra and not missing:
        return Feedback(task, True, f"all {len(expected)} models whose licence adds field-of-use, user-count, "
                                    "regional or non-commercial clauses: calling them open source is open-washing.")
    msg = [f"{len(right)} of your {len(given)} are right."]
    msg += why
    if missing:
        msg.append(f"{len(missing)} more model(s) carry restrictive clauses: filter licence_restrictions(cat.models) "
                   f"on verdict == '{RESTRICTED}'.")
    return Feedback(task, False, "\n".join(msg))


def check_00_source_and_date(answer: Any) -> Feedback:
    """Task: the closed chat model offering with the cheapest managed-API output price, and the
    ``as_of`` date of that price, as ``(offering_id, "YYYY-MM-DD")``. Introduced in
    ``notebooks/00_start_here.ipynb``."""
    task = "00 source and date"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    pair = _pair(answer, task, '("provider/model", "YYYY-MM-DD")')
    if isinstance(pair, Feedback):
        return pair
    offering_id, date = _norm(pair[0]), pair[1]
    cat = _catalog()
    table = browse(cat, openness="closed", access_mode="managed-api", model_type="chat")
    cheapest = table["usd_per_mtok_out"].min()
    best = table[table["usd_per_mtok_out"] == cheapest]
    ids = {o.lower() for o in best["offering_id"]}
    offers = cat.offerings.assign(key=cat.offerings["offering_id"].str.lower()).set_index("key")
    msg, ok = [], True
    if offering_id in ids:
        msg.append(f"{pair[0]} is the cheapest closed chat model on a managed API by output price.")
    elif offering_id not in offers.index:
        ok = False
        msg.append(f"{pair[0]!r} is not an offering_id in the catalog: write provider/model, as in browse()'s "
                   "offering_id column.")
    else:
        ok = False
        row = offers.loc[offering_id]
        model = cat.models.set_index("model_id").loc[row["model_id"]]
        if row["access_mode"] != "managed-api":
            msg.append(f"{pair[0]} is {row['access_mode']}, not managed-api.")
        elif model["openness"] != "closed":
            msg.append(f"{pair[0]} serves a {model['openness']} model, not a closed one.")
        elif model.get("model_type", "chat") != "chat":
            msg.append(f"{pair[0]} is not a chat model.")
        else:
            msg.append(f"{pair[0]} costs {row['usd_per_mtok_out']:g} USD/Mtok out; a cheaper closed chat offering "
                       "exists: sort by usd_per_mtok_out (output price, not input price).")
    if ok:
        try:
            given = pd.Timestamp(str(date)).date()
        except (ValueError, TypeError):
            given = None
        dates = {d.date() for d in best.loc[best["offering_id"].str.lower() == offering_id, "as_of"]}
        if given in dates:
            msg.append("And the date is the as_of of that price row: the day the price was true, "
                       "not the day you looked.")
        else:
            ok = False
            msg.append(f"But {date!r} is not the as_of of that price: read the row's as_of column (the date the "
                       "price describes), not the speed_as_of or today's date.")
    return Feedback(task, ok, "\n".join(msg))


# --------------------------------------------------------------------------------------------
# 01: workflow steps and the scenario file
# --------------------------------------------------------------------------------------------

#: The step notebook 01 asks for (the task's statement, not its answer).
SUMMARIZE_THREAD = {"name": "summarize_thread", "role": "generator", "requests_per_month": 3000,
                    "input_tokens": 2500, "output_tokens": 150, "total_s": 8.0, "p95_s": 12.0,
                    "output": "text (<= 100 words)"}


def check_01_step(answer: Any) -> Feedback:
    """Task: the YAML text of the ``summarize_thread`` step (:data:`SUMMARIZE_THREAD`), valid
    when appended to the support scenario. Introduced in ``notebooks/01_requirements_and_roles.ipynb``."""
    task = "01 write a step"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    try:
        mine = add_step(_scenario_path(), answer)
    except WorkbenchError as err:
        problems = "\n".join(f"- {p.where}: {p.message}. Fix: {p.fix}" for p in err.problems)
        return Feedback(task, False, f"the scenario loader refuses the step ({len(err.problems)} problem(s)); "
                                     f"each names the key and the fix:\n{problems}")
    row = workflow_table(mine).iloc[-1]
    wrong = []
    for key, want in SUMMARIZE_THREAD.items():
        got = row["step"] if key == "name" else row[key]
        got = got.item() if hasattr(got, "item") else got
        if isinstance(want, float):
            same = _number(got) is not None and _close(float(got), want, abs_=1e-9)
        else:
            same = got == want
        if not same:
            wrong.append(f"{key} is {got!r}, but the task says otherwise: read the task again")
    if wrong:
        return Feedback(task, False, "the YAML is valid, but it does not describe the task's step:\n"
                        + "\n".join(f"- {w}" for w in wrong))
    return Feedback(task, True, "valid and complete: every number is a plain number (no thousands separators) "
                                "and every key is one the loader knows (p95_s, with its unit).")


def check_01_shapes(answer: Any) -> Feedback:
    """Task: ``(tightest_p95_scenario, most_batchable_scenario)`` over the shipped scenarios.
    Introduced in ``notebooks/01_requirements_and_roles.ipynb``."""
    task = "01 read the shapes"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    pair = _pair(answer, task, '("tightest p95 scenario", "most batchable scenario")')
    if isinstance(pair, Feedback):
        return pair
    overview = scenario_overview([load_scenario(p) for p in list_scenarios()]).set_index("scenario")
    names = {s.lower(): s for s in overview.index}
    msg, ok = [], True
    for given, column, label, best, unit in (
            (pair[0], "tightest_p95_s", "tightest p95", overview["tightest_p95_s"].idxmin(), "s"),
            (pair[1], "max_batch_share", "largest batch share", overview["max_batch_share"].idxmax(), "")):
        name = names.get(_norm(given))
        if name is None:
            ok = False
            msg.append(f"{given!r} is not a shipped scenario; choose from: {_listing(overview.index)}.")
        elif name == best:
            msg.append(f"{label}: right ({name}, {overview.loc[name, column]:g}{unit}).")
        else:
            ok = False
            msg.append(f"{label}: {name}'s is {overview.loc[name, column]:g}{unit}; another scenario's is "
                       f"{'smaller' if column == 'tightest_p95_s' else 'larger'}: compare the column "
                       f"{column} of scenario_overview.")
    return Feedback(task, ok, "\n".join(msg))


# --------------------------------------------------------------------------------------------
# 02: hard constraints and the 3:1 blend
# --------------------------------------------------------------------------------------------

STEP_02 = "answer_with_citations"


@lru_cache(maxsize=1)
def _zdr_shortlist():
    scenario = _support()
    return shortlist(candidates(_catalog()), with_constraints(scenario, STEP_02, zero_data_retention=True),
                     STEP_02, seed=0)


def check_02_zero_retention(answer: Any) -> Feedback:
    """Task: with zero data retention required on ``answer_with_citations``, ``(number of
    candidates that pass, constraint that excludes the most offerings)``. Introduced in
    ``notebooks/02_shortlist_from_leaderboards.ipynb``."""
    task = "02 zero data retention"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    pair = _pair(answer, task, '(number that pass, "constraint")')
    if isinstance(pair, Feedback):
        return pair
    res = _zdr_shortlist()
    counts = res.exclusion_counts().set_index("constraint")["offerings"]
    n_pass, worst = len(res.ranked), counts.idxmax()
    n, name = _number(pair[0]), _norm(pair[1])
    msg, ok = [], True
    if n is not None and int(n) == n_pass:
        msg.append(f"{n_pass} pass: right.")
    else:
        ok = False
        hint = ("too many: did you pass zero_data_retention=True to with_constraints?" if n is not None and n > n_pass
                else "too few: count the rows of .ranked (passed), not only the scored ones" if n is not None
                else "give the count as a number")
        msg.append(f"the number that pass is off ({hint}).")
    if name == worst.lower():
        msg.append(f"{worst} excludes the most ({int(counts[worst])} offerings): a region rule is the costliest "
                   "constraint, and zero data retention adds only offerings that already failed something.")
    elif name in {c.lower() for c in counts.index}:
        ok = False
        real = next(c for c in counts.index if c.lower() == name)
        msg.append(f"{real} excludes {int(counts[real])} offerings; another constraint excludes more "
                   "(read the offerings column of exclusion_counts(), not only_reason).")
    else:
        ok = False
        msg.append(f"{pair[1]!r} is not a constraint name; they are: {_listing(counts.index)}.")
    return Feedback(task, ok, "\n".join(msg))


def check_02_blend(answer: Any) -> Feedback:
    """Task: the step whose requests the 3:1 blended price overstates the most (most negative
    median ``diff_vs_3to1_pct``). Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``."""
    task = "02 the 3:1 blend"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    results = shortlist_all(candidates(_catalog()), _support(), seed=0)
    medians = {s: r.ranked["diff_vs_3to1_pct"].median() for s, r in results.items()}
    priced = {s: m for s, m in medians.items() if m == m}
    worst = min(priced, key=priced.get)
    given = _norm(answer)
    step = {s.lower(): s for s in medians}.get(given)
    if step is None:
        return Feedback(task, False, f"{answer!r} is not a step of the support assistant; its steps are "
                                     f"{_listing(medians)}.")
    if step == worst:
        return Feedback(task, True, f"{step}: its candidates' requests cost {abs(priced[step]):.0f}% less than the "
                                    "blend says (median), because most of its prompt is read from the cache and it "
                                    "writes only a few tokens, while the blend assumes 1 output token per 3 input.")
    if step not in priced:
        return Feedback(task, False, f"{step} has no 3:1 blend at all: its candidates are embedding models, "
                                     "billed on input tokens only. Compare the steps that have one.")
    return Feedback(task, False, f"the blend overstates {step}'s requests by a median {abs(priced[step]):.0f}%; it "
                                 "overstates another step more. Which step reads most of its prompt from the cache "
                                 "and writes the fewest tokens?")


# --------------------------------------------------------------------------------------------
# 03: cost per successful task
# --------------------------------------------------------------------------------------------

def check_03_no_cache(answer: Any) -> Feedback:
    """Task: with ``cached_share = 0`` on ``classify_intent``, ``(offering_id with the lowest
    monthly model cost among its three shortlisted candidates, factor by which that offering's
    monthly model cost grows)`` (1% tolerance). Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    task = "03 caching off"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    pair = _pair(answer, task, '("provider/model", growth factor)')
    if isinstance(pair, Feedback):
        return pair
    step = _support().step("classify_intent")
    c3 = shortlisted_offerings(_catalog(), _support(), step.name, top=3)
    sf = steps_frame([step])
    both = step_costs(c3, pd.concat([sf, sf.assign(cached_share=0.0, step="no cache")], ignore_index=True))
    wide = both.pivot(index="offering_id", columns="step", values="usd_per_month_model")
    best = wide["no cache"].idxmin()
    factor = wide.loc[best, "no cache"] / wide.loc[best, step.name]
    given_id, x = _norm(pair[0]), _number(pair[1])
    ids = {o.lower(): o for o in wide.index}
    msg, ok = [], True
    if given_id == best.lower():
        msg.append(f"{best} stays the cheapest without the cache.")
    elif given_id in ids:
        ok = False
        msg.append(f"{ids[given_id]} costs {wide.loc[ids[given_id], 'no cache']:.3f} USD/month without the cache; "
                   "another of the three costs less.")
    else:
        ok = False
        msg.append(f"{pair[0]!r} is not one of the step's three shortlisted offerings ({_listing(wide.index)}).")
    if x is not None and _close(x, factor, rel=0.01):
        msg.append(f"Its model cost grows x{factor:.2f}: right.")
    else:
        ok = False
        wrong_way = x is not None and x < 1
        msg.append("The growth factor is off" + (": it is no-cache cost / cached cost, so above 1." if wrong_way else
                   ": divide its usd_per_month_model without the cache by the one with the scenario's 0.7 cached "
                   "share (1% tolerance)."))
    return Feedback(task, ok, "\n".join(msg))


#: The pair of notebook 03's section 3, and its stated assumption for the cheap model.
PAIR_03 = ("bedrock/nova-micro", "vertex_ai/claude-sonnet-5")
P_CHEAP_03 = 0.85


def _crossing_03(usd_per_escalation: float) -> float:
    answer_step = _support().step("answer_with_citations")
    offers = _catalog().offerings.set_index("offering_id").loc[list(PAIR_03)].reset_index()
    per_attempt = step_costs(offers, answer_step).set_index("offering_id")["usd_per_attempt"]
    r = answer_step.reliability
    target = usd_per_success_for(per_attempt[PAIR_03[0]], P_CHEAP_03, r.max_attempts, r.escalation_rate,
                                 usd_per_escalation, True)[0]
    return float(crossing_success_rate(per_attempt[PAIR_03[1]], target, r.max_attempts, r.escalation_rate,
                                       usd_per_escalation, True))


def check_03_cheaper_human(answer: Any) -> Feedback:
    """Task: the success rate the pricier model of notebook 03's section 3 must reach to cost no
    more per success when an escalation costs 1 USD (failed tasks still go to a human), within
    0.001. Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    task = "03 a cheaper human"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    x = _number(answer)
    if x is None:
        return Feedback(task, False, f"give a success rate between 0 and 1 (e.g. 0.9), not {answer!r}.")
    if x > 1:
        x = x / 100  # a percentage
    p1, p3 = _crossing_03(1.0), _crossing_03(_support().step("answer_with_citations").reliability.usd_per_escalation)
    if _close(x, p1, abs_=0.001):
        return Feedback(task, True, f"p = {p1:.4f}, higher than at 3 USD: the cheaper the human who cleans up a "
                                    "failure, the less a more reliable model saves, so it must be more reliable to win.")
    if _close(x, p3, abs_=0.001):
        return Feedback(task, False, "that is the crossing at 3 USD per escalation; pass 1.0 as usd_per_escalation "
                                     "for both the cheap model's cost per success and the crossing.")
    side = "too low" if x < p1 else "too high"
    return Feedback(task, False, f"{side} (tolerance 0.001). Use usd_per_success_for for the cheap model at "
                                 f"{P_CHEAP_03} with 1 USD per escalation and failures_escalated=True, then "
                                 "crossing_success_rate for the pricier one with the same settings.")
