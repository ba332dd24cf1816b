"""Checks for the "Your turn" tasks at the end of each notebook.

Each ``check_NN_topic(answer)`` takes a learner's answer and returns a :class:`Feedback`: ``ok``
and a message that says what is right, and what is wrong and why, without printing the expected
answer. The expected answer is always computed from the package and the shipped data (catalog,
scenarios, golden set), never typed in, so a check stays right when the data is refreshed.
An answer left as ``...`` (the student edition's stub) is "not answered yet", not an error.

Answers are read generously: names ignore case and surrounding spaces, a set may be given as a
list, a tuple or a comma-separated string in any order, and numbers have a stated tolerance.
"""
from workbench.exercises.base import Feedback, answer_names, student_notebook
from workbench.exercises.catalog_to_costs import (
    P_CHEAP_03,
    PAIR_03,
    RESTRICTED,
    SUMMARIZE_THREAD,
    check_00_openness,
    check_00_source_and_date,
    check_01_shapes,
    check_01_step,
    check_02_blend,
    check_02_zero_retention,
    check_03_cheaper_human,
    check_03_no_cache,
)
from workbench.exercises.evals_to_mdr import (
    CUSTOMER_05,
    FIXABLE_06,
    MESSAGES_05,
    PRICE_REPLAY_06,
    STEP_06,
    check_04_fix_case,
    check_04_regression_case,
    check_05_routes,
    check_05_same_provider,
    check_06_fix_record,
    check_06_threshold,
    check_06_volume,
)

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

__all__ = ["Feedback", "answer_names", "student_notebook", "CHECKS", "RESTRICTED", "SUMMARIZE_THREAD", "PAIR_03",
           "P_CHEAP_03", "CUSTOMER_05", "MESSAGES_05", "FIXABLE_06", "PRICE_REPLAY_06", "STEP_06",
           "check_00_openness", "check_00_source_and_date", "check_01_step", "check_01_shapes",
           "check_02_zero_retention", "check_02_blend", "check_03_no_cache", "check_03_cheaper_human",
           "check_04_fix_case", "check_04_regression_case", "check_05_same_provider", "check_05_routes",
           "check_06_fix_record", "check_06_threshold", "check_06_volume"]
