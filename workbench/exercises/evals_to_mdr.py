"""Checks of the "Your turn" tasks of notebooks 04-06: the golden set, routing, the decision record."""
from __future__ import annotations

import copy
import dataclasses
from functools import lru_cache
from typing import Any, Iterable

from workbench.errors import WorkbenchError
from workbench.evals import (
    build_prompt,
    case_from_dict,
    context_for,
    contract_for,
    golden_dir,
    make_candidate,
    run_checks,
    run_eval,
)
from workbench.evals.checks import public_contacts
from workbench.exercises.base import (
    NOT_ANSWERED,
    Feedback,
    _catalog,
    _close,
    _golden,
    _listing,
    _norm,
    _number,
    _support,
    _unanswered,
)
from workbench.mdr import first_firing, lint, price_replay, review_record
from workbench.pipeline import draft_record
from workbench.routing import Request, chains_table, route_messages, routing_config
from workbench.shortlist import candidates, shortlist

# --------------------------------------------------------------------------------------------
# 04: the golden set: fix a check, pin a failure
# --------------------------------------------------------------------------------------------

CASE_04 = "drf-006"
REGRESSION_OF_04 = "cls-014"


def _replay_04(golden):
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
    record = _record_06()
    vol = next(t for t in record.triggers if t.kind == "volume_above")
    only = dataclasses.replace(record, triggers=[vol])

    def fired(v):
        return bool(review_record(only, _catalog(), volume=v)["fired"].all())

    if not fired(int(x)):
        return Feedback(task, False, f"{int(x):,} requests a month does not fire it: the bound is the volume factor "
                                     "times the planned volume, and it fires only *above* the bound.")
    if fired(int(x) - 1):
        return Feedback(task, False, f"{int(x):,} fires it, but so does {int(x) - 1:,}: look for the smallest.")
    return Feedback(task, True, f"{int(x):,}: the first whole volume above the bound (factor x plan). A team that "
                                "grows past it has a different cost and rate-limit picture: revisit.")


@lru_cache(maxsize=1)
def _record_06():
    scenario = _support()
    cand = candidates(_catalog())
    shortlists = {s.name: shortlist(cand, scenario, s.name) for s in scenario.workflow}
    return draft_record(scenario, _catalog(), shortlists=shortlists)
