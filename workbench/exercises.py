"""Checks for the "Your turn" tasks at the end of each notebook.

Each ``check_NN_topic(answer)`` takes a learner's answer and returns a :class:`Feedback`: ``ok``
and a message that says what is right, and what is wrong and why, without printing the expected
answer. The expected answer is always computed from the package and the shipped data (catalog,
scenarios, golden set), never typed in, so a check stays right when the data is refreshed.
An answer left as ``...`` (the student edition's stub) is "not answered yet", not an error.

Answers are read generously: names ignore case and surrounding spaces, a set may be given as a
list, a tuple or a comma-separated string in any order, and numbers have a stated tolerance.
"""
from __future__ import annotations

import copy
import dataclasses
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

import pandas as pd

from .errors import WorkbenchError

__all__ = [
    "Feedback", "check_00_openness", "check_00_source_and_date", "check_01_step", "check_01_shapes",
    "check_02_zero_retention", "check_02_blend", "check_03_no_cache", "check_03_cheaper_human",
    "check_04_fix_case", "check_04_regression_case", "check_05_same_provider", "check_05_routes",
    "check_06_fix_record", "check_06_threshold", "check_06_volume", "CHECKS",
]

NOT_ANSWERED = "not answered yet: write your answer in the cell above (replace the ...), run it, then run this cell"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``ok``, a ``message`` for people, and ``answered`` (False for the
    ``...`` stub). Shows as one readable block in a notebook; ``bool(feedback)`` is ``ok``.
    Every ``check_NN_*`` returns one; the notebooks' "Your turn" sections show them.
    """

    task: str
    ok: bool
    message: str
    answered: bool = True

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = "RIGHT" if self.ok else ("NOT ANSWERED" if not self.answered else "NOT YET")
        lines = [f"{head} ({self.task})"]
        for para in self.message.split("\n"):
            lines += textwrap.wrap(para, 100, initial_indent="  ", subsequent_indent="    ") or [""]
        return "\n".join(lines)

    __repr__ = __str__


# --------------------------------------------------------------------------------------------
# reading answers
# --------------------------------------------------------------------------------------------

def _unanswered(answer: Any) -> bool:
    return answer is ... or answer is None


def _norm(text: Any) -> str:
    return str(text).strip().strip("'\"").strip().lower()


def _names(answer: Any) -> set[str]:
    """A set of names from a string (comma-, semicolon- or space-separated) or any iterable."""
    if isinstance(answer, str):
        parts = answer.replace(";", ",").replace("\n", ",").split(",")
        if len(parts) == 1:
            parts = answer.split()
    elif isinstance(answer, Iterable):
        parts = list(answer)
    else:
        parts = [answer]
    return {_norm(p) for p in parts if _norm(p)}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("_", "").rstrip("%").strip()
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _pair(answer: Any, task: str, shape: str) -> tuple[Any, Any] | Feedback:
    """Two values from a tuple/list of two or a dict of two; a :class:`Feedback` when it is not."""
    if isinstance(answer, dict) and len(answer) == 2:
        return tuple(answer.values())
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return answer[0], answer[1]
    return Feedback(task, False, f"give two values, as {shape}; got {answer!r}")


def _close(x: float, expected: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    return abs(x - expected) <= max(abs_, rel * abs(expected))


def _listing(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


# --------------------------------------------------------------------------------------------
# shared inputs, computed once per kernel
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _catalog():
    from .catalog import load_catalog
    return load_catalog()


def _scenario_path(name: str = "support_assistant"):
    from .catalog import project_dir
    return project_dir() / "data" / "scenarios" / f"{name}.yaml"


@lru_cache(maxsize=1)
def _support():
    from .scenario import load_scenario
    return load_scenario(_scenario_path())


@lru_cache(maxsize=1)
def _golden():
    from .evals import load_golden
    return load_golden()


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
    from .openness import licence_restrictions
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
    from .openness import browse
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
    from .workflow import add_step, workflow_table
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
    from .scenario import list_scenarios, load_scenario
    from .workflow import scenario_overview
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
    from .shortlist import candidates, shortlist, with_constraints
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
    from .shortlist import candidates, shortlist_all
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
    from .cost import shortlisted_offerings, step_costs, steps_frame
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
    from .cost import crossing_success_rate, step_costs, usd_per_success_for
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


# --------------------------------------------------------------------------------------------
# 04: the golden set: fix a check, pin a failure
# --------------------------------------------------------------------------------------------

CASE_04 = "drf-006"
REGRESSION_OF_04 = "cls-014"


def _replay_04(golden):
    from .evals import make_candidate, run_eval
    from .evals.golden import golden_dir
    results = golden_dir() / "results" / "illustrative_small_llm.jsonl"
    return run_eval(golden, make_candidate(f"replay:{results}"), progress=False, use_cache=False).results


def _facts(required) -> list[tuple[str, ...]]:
    """Required facts as groups of alternatives (a plain string is a group of one)."""
    if isinstance(required, str):
        required = (required,)
    return [(f,) if isinstance(f, str) else tuple(f) for f in required]


def check_04_fix_case(answer: Any) -> Feedback:
    """Task: new ``required_facts`` for ``drf-006`` so that a correct draft saying "14-day" passes,
    without loosening the check: every original fact stays required (as one of the alternatives),
    and nothing else in the replay changes. Introduced in ``notebooks/04_golden_dataset_eval.ipynb``."""
    task = "04 fix the check, not the model"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    if not isinstance(answer, (tuple, list, str)):
        return Feedback(task, False, "give the required facts as a tuple, e.g. ((\"a\", \"b\"), \"c\"): a "
                                     "tuple inside means any one of those alternatives.")
    golden = _golden()
    case = golden.case(CASE_04)
    groups = _facts(answer)
    lowered = [{a.lower() for a in g} for g in groups]
    dropped = [f for f in (g[0] for g in _facts(case.expected.required_facts))
               if not any(f.lower() in g for g in lowered)]
    if dropped:
        return Feedback(task, False, "you dropped a required fact (" + "; ".join(repr(f) for f in dropped) + "): a "
                        "check that asks for less passes wrong drafts too. Keep each original fact, and add an "
                        "alternative spelling beside it in a tuple.")
    fixed = dataclasses.replace(case, expected=dataclasses.replace(case.expected, required_facts=tuple(
        g[0] if len(g) == 1 else g for g in groups)))
    fixed_golden = dataclasses.replace(golden, cases=tuple(fixed if c.id == case.id else c for c in golden.cases))
    before, after = _replay_04(golden).set_index("case_id"), _replay_04(fixed_golden).set_index("case_id")
    if not after.loc[case.id, "passed"]:
        return Feedback(task, False, f"{case.id} still fails: {after.loc[case.id, 'reasons']}. Which spelling does the "
                                     "draft use for the refund window?")
    from .evals import build_prompt, context_for, contract_for, run_checks
    ctx = context_for(golden, build_prompt(fixed, golden.articles, contract_for(golden)))
    wrong_window = after.loc[case.id, "output"].replace("14-day", "30-day").replace("14 days", "30 days")
    loose = [r.reason for r in run_checks(fixed, wrong_window, ctx) if r.name == "required_facts" and r.passed]
    if loose:
        return Feedback(task, False, "too loose: the same draft with a 30-day window also passes. An alternative "
                                     "must still say 14.")
    changed = sorted(set(before.index[before["passed"] != after["passed"]]) - {case.id})
    if changed:
        return Feedback(task, False, f"{case.id} passes now, but other cases changed too: {', '.join(changed)}.")
    return Feedback(task, True, f"{case.id} passes ({int(before['passed'].sum())} -> {int(after['passed'].sum())} of "
                                f"{len(after)} cases) with no model call and no cost, and a draft that states the "
                                "wrong window still fails: the check was at fault, not the model.")


def check_04_regression_case(answer: Any) -> Feedback:
    """Task: a new regression case (a dict, e.g. from :func:`~workbench.evals.golden.regression_case`)
    that pins the rule baseline's failure on ``cls-014`` with a message of your own: it must
    validate, be tagged ``regression``, keep the label, and still trip the rules. Introduced in
    ``notebooks/04_golden_dataset_eval.ipynb``."""
    task = "04 pin a failure"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    if not isinstance(answer, dict):
        return Feedback(task, False, "give the case as a dict, e.g. regression_case(golden, golden.case('cls-014'), "
                                     "regression_of=..., input=...).")
    from .evals import case_from_dict, make_candidate, run_eval
    golden = _golden()
    original = golden.case(REGRESSION_OF_04)
    try:
        case = case_from_dict(copy.deepcopy(answer), "your case", 0, None, golden.articles, golden.schemas,
                              golden.labels)
    except WorkbenchError as err:
        return Feedback(task, False, "the case does not validate:\n" + "\n".join(
            f"- {p.where}: {p.message}. Fix: {p.fix}" for p in err.problems))
    problems = []
    if case.id in {c.id for c in golden.cases}:
        problems.append(f"id {case.id} is already used by the golden set: a new case needs a new id "
                        "(regression_case picks the next free one).")
    if case.task != "classify":
        problems.append(f"the task is {case.task!r}: the failure to pin is a classification.")
    if case.expected.label != original.expected.label:
        problems.append(f"the expected label is {case.expected.label!r}, not the original case's: a regression "
                        "case pins the same right answer on a new message.")
    if "regression" not in case.tags or not case.regression_of:
        problems.append("tag it 'regression' and say in regression_of what went wrong, so the next person knows "
                        "why the case exists.")
    if case.input.strip().lower() in {c.input.strip().lower() for c in golden.cases}:
        problems.append("the input is a copy of an existing case: write a new message with the same trap.")
    if problems:
        return Feedback(task, False, "\n".join(problems))
    extended = dataclasses.replace(golden, cases=(*golden.cases, case))
    run = run_eval(extended, make_candidate("rules", extended), case_ids=[case.id], use_cache=False,
                   progress=False).results.iloc[0]
    if run["passed"]:
        return Feedback(task, False, f"the rules label it right ({case.expected.label}): this message does not "
                                     "reproduce the failure, so the case would not catch it. Use the words that "
                                     "tripped the keyword rules in the original.")
    return Feedback(task, True, f"valid, tagged regression, and the rules still fail it ({run['reasons']}): a "
                                "case that fails today and must pass once the weakness is fixed.")


# --------------------------------------------------------------------------------------------
# 05: routing and fallbacks
# --------------------------------------------------------------------------------------------

def _config_05(data: dict | None = None):
    from .evals.checks import public_contacts
    from .routing import routing_config
    return routing_config(_support(), _catalog(), data=data, public_contacts=public_contacts(_golden()))


def check_05_same_provider(answer: Any) -> Feedback:
    """Task: how many minutes of downtime a month the cheap route gains when its fallback is
    ``bedrock/nova-micro`` (the primary's provider) instead of the scenario's (0.1 minute
    tolerance). Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    task = "05 the same-provider trap"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    x = _number(answer)
    if x is None:
        return Feedback(task, False, f"give a number of minutes a month, not {answer!r}.")
    from .routing import chains_table
    data = copy.deepcopy(_support().routing)
    data["routes"]["cheap"]["fallbacks"] = ["bedrock/nova-micro"]
    before = chains_table(_config_05(), _catalog()).set_index("route").loc["cheap", "downtime_min_per_month"]
    after = chains_table(_config_05(data), _catalog()).set_index("route").loc["cheap", "downtime_min_per_month"]
    added = after - before
    tol = dict(abs_=0.1)
    if _close(x, added, **tol):
        return Feedback(task, True, f"about {added:.0f} minutes more a month: a fallback on the same provider "
                                    "shares its outages, so the chain is barely better than the primary alone.")
    if _close(x, after, **tol):
        return Feedback(task, False, "that is the chain's whole downtime with the new fallback; the question asks "
                                     "how much it adds to the downtime of the scenario's chain.")
    if abs(x) <= 0.1:
        return Feedback(task, False, "almost nothing would change if outages were independent; but the two "
                                     "offerings share one provider. Did chains_table see your changed config?")
    return Feedback(task, False, f"{'too low' if x < added else 'too high'}: compare downtime_min_per_month of the "
                                 "cheap route in chains_table before and after the change.")


#: Synthetic messages for notebook 05's routing task (the signed-in customer is fictional).
CUSTOMER_05 = {"email": "ana@example.com", "account_id": "ACCT-100200"}
MESSAGES_05 = (
    "How do I export all my invoices as PDF?",
    "My colleague bo@example.org needs an invite, can you add him?",
    "I will dispute the charge with my bank unless you refund me today.",
    "Wie exportiere ich meine Rechnungen?",
)


def check_05_routes(answer: Any) -> Feedback:
    """Task: the route the scenario's router picks for each of :data:`MESSAGES_05` (answer task,
    signed-in :data:`CUSTOMER_05`), as a list in the same order. Introduced in
    ``notebooks/05_routing_and_fallbacks.ipynb``."""
    task = "05 read the router"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        return Feedback(task, False, f"give a list of {len(MESSAGES_05)} route names, one per message, in order.")
    given = [_norm(a) for a in answer]
    from .routing import Request, route_messages
    decided = route_messages([Request(m, task="answer", customer=CUSTOMER_05) for m in MESSAGES_05], _config_05())
    if len(given) != len(decided):
        return Feedback(task, False, f"give {len(decided)} routes, one per message; you gave {len(given)}.")
    config = _config_05()
    routes = set(config.routes)
    lines, ok = [], True
    for i, (g, (_, row)) in enumerate(zip(given, decided.iterrows()), start=1):
        if g == row["route"]:
            lines.append(f"message {i}: right ({row['rule']}: {row['why']}).")
            continue
        ok = False
        if g not in routes:
            hint = f"'{g}' is not a route; the routes are {_listing(routes)}"
        elif row["rule"] == "default":
            hint = "not that one: no rule's conditions all hold for this message, so the default route serves it"
        elif g == config.default:
            hint = ("not the default: one rule's conditions all hold for this message (personal data? a keyword? "
                    "the language?)")
        else:
            hint = ("not that one: rules are tried in order and the first whose conditions all hold decides; "
                    "explain_routing(Request(...), config) shows each rule's evidence")
        lines.append(f"message {i}: {hint}.")
    return Feedback(task, ok, "\n".join(lines))


# --------------------------------------------------------------------------------------------
# 06: the decision record
# --------------------------------------------------------------------------------------------

#: lint findings that an honest edit of the record can fix (evaluation findings need a real run).
FIXABLE_06 = ("missing_deciders", "missing_risks", "fallback_same_provider", "fallback_same_region",
              "no_review_trigger")
STEP_06 = "answer_with_citations"


def check_06_fix_record(answer: Any) -> Feedback:
    """Task: the student's record of notebook 06, fixed so that no finding an edit can fix
    (:data:`FIXABLE_06`) is open, with the decision for the answer step still in it. Introduced in
    ``notebooks/06_model_decision_record.ipynb``."""
    task = "06 review a record"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    from .mdr import lint
    if not hasattr(answer, "decisions"):
        return Feedback(task, False, "give the fixed record (dataclasses.replace(student, ...)), not "
                                     f"{type(answer).__name__}.")
    if not any(d.step == STEP_06 for d in answer.decisions):
        return Feedback(task, False, f"the record has no decision for {STEP_06} any more: removing a decision "
                                     "silences the lint, it does not fix the record.")
    found = lint(answer)
    open_ = found[found["code"].isin(FIXABLE_06)]
    if open_.empty:
        rest = sorted(set(found["code"]) - set(FIXABLE_06))
        return Feedback(task, True, "every finding an edit can fix is fixed. Still open, honestly: "
                        + (", ".join(rest) if rest else "nothing") + " (a golden-set run or a measurement "
                        "answers those, not an edit).")
    lines = [f"{len(open_)} finding(s) an edit can fix are still open:"]
    lines += [f"- [{r.code}] {r.message} Fix: {r.fix}" for r in open_.itertuples()]
    return Feedback(task, False, "\n".join(lines))


PRICE_REPLAY_06 = ("anthropic/claude-sonnet-5", "2026-06-01")


def check_06_threshold(answer: Any) -> Feedback:
    """Task: the smallest whole-number price threshold (percent) at which the price replay of
    :data:`PRICE_REPLAY_06` never fires. Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    task = "06 thresholds"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    x = _number(answer)
    if x is None or x != int(x) or x < 0:
        return Feedback(task, False, f"give a whole number of percent, not {answer!r}.")
    from .mdr_review import first_firing, price_replay

    def fires(pct):
        return first_firing(price_replay(_catalog(), PRICE_REPLAY_06[0], PRICE_REPLAY_06[1], pct))

    hit = fires(int(x))
    if hit is not None:
        return Feedback(task, False, f"at {int(x)}% the trigger still fires on {hit['date']}: the change is more "
                                     "than that. Read change_in_pct and change_out_pct in the replay.")
    if int(x) > 0 and fires(int(x) - 1) is None:
        return Feedback(task, False, f"it never fires at {int(x)}%, but it does not at {int(x) - 1}% either: "
                                     "a smaller threshold also stays quiet.")
    return Feedback(task, True, f"{int(x)}%: the trigger fires when a price moves by *more than* the threshold, "
                                "so a change of exactly the threshold does not fire.")


def check_06_volume(answer: Any) -> Feedback:
    """Task: the smallest whole monthly volume of ``classify_intent`` that makes the record's
    volume trigger fire. Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    task = "06 volume"
    if _unanswered(answer):
        return Feedback(task, False, NOT_ANSWERED, answered=False)
    x = _number(answer)
    if x is None or x != int(x):
        return Feedback(task, False, f"give a whole number of requests a month, not {answer!r}.")
    from .mdr import Trigger
    from .mdr_review import review_record
    record = _record_06()
    vol = next(t for t in record.triggers if t.kind == "volume_above")
    only = dataclasses.replace(record, triggers=[vol])

    def fired(v):
        return bool(review_record(only, _catalog(), volume=v)["fired"].all())

    assert isinstance(vol, Trigger)
    if not fired(int(x)):
        return Feedback(task, False, f"{int(x):,} requests a month does not fire it: the bound is the volume factor "
                                     "times the planned volume, and it fires only *above* the bound.")
    if fired(int(x) - 1):
        return Feedback(task, False, f"{int(x):,} fires it, but so does {int(x) - 1:,}: look for the smallest.")
    return Feedback(task, True, f"{int(x):,}: the first whole volume above the bound (factor x plan). A team that "
                                "grows past it has a different cost and rate-limit picture: revisit.")


@lru_cache(maxsize=1)
def _record_06():
    from .mdr_draft import draft_record
    from .shortlist import candidates, shortlist
    scenario = _support()
    cand = candidates(_catalog())
    shortlists = {s.name: shortlist(cand, scenario, s.name) for s in scenario.workflow}
    return draft_record(scenario, _catalog(), shortlists=shortlists)


#: Every check, by notebook, in the order the tasks appear (used by the tests and the student edition).
CHECKS = {
    "00": (check_00_openness, check_00_source_and_date),
    "01": (check_01_step, check_01_shapes),
    "02": (check_02_zero_retention, check_02_blend),
    "03": (check_03_no_cache, check_03_cheaper_human),
    "04": (check_04_fix_case, check_04_regression_case),
    "05": (check_05_same_provider, check_05_routes),
    "06": (check_06_fix_record, check_06_threshold, check_06_volume),
}


# --------------------------------------------------------------------------------------------
# the student edition: the notebooks without their solutions
# --------------------------------------------------------------------------------------------

SOLUTION_TAG = "solution"
STUB = "{name} = ...  # your answer here"


def answer_names(source: str, where: str = "<cell>") -> list[str]:
    """The names a solution cell assigns at its top level, in order (``answer_1 = ...``)."""
    import ast
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise WorkbenchError(_problem(where, f"the solution cell is not valid Python ({err.msg})",
                                      "fix the cell in the full notebook")) from None
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for t in targets:
            if isinstance(t, ast.Name) and t.id.startswith("answer") and t.id not in names:
                names.append(t.id)
    if not names:
        raise WorkbenchError(_problem(where, "a cell tagged 'solution' assigns no name starting with 'answer'",
                                      "write the solution as answer_N = ..., or remove the tag"))
    return names


def _problem(where: str, message: str, fix: str):
    from .errors import Problem
    file, _, place = where.partition(": ")
    return Problem(file, place or "cell", message, fix)


def student_notebook(nb: dict, name: str = "<notebook>") -> dict:
    """A copy of notebook ``nb`` (nbformat 4, as a dict) for learners: every cell tagged
    ``solution`` becomes a stub ``answer_N = ...  # your answer here`` (tagged ``answer``), and
    every output and execution count is cleared, so no answer is printed anywhere.
    Used by ``python -m workbench student`` (``make student``)."""
    out = copy.deepcopy(nb)
    for i, cell in enumerate(out.get("cells", [])):
        tags = list(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if SOLUTION_TAG not in tags:
            continue
        source = "".join(cell.get("source", ""))
        stub = "\n".join(STUB.format(name=n) for n in answer_names(source, f"{name}: cell {i}"))
        cell["source"] = stub
        cell["metadata"]["tags"] = [t for t in tags if t != SOLUTION_TAG] + ["answer"]
    return out
