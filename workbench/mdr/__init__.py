"""Stage 06, the Model Decision Record: a decision that says when to revisit itself.

The record's data model (:mod:`.record`), the scenario's ``record:`` block (:mod:`.config`),
comparison levels (:mod:`.comparison`), lint (:mod:`.linting`), drafting from shortlists
(:mod:`.draft`), evaluation evidence (:mod:`.evidence`), Markdown (:mod:`.markdown`), numbered files
(:mod:`.files`) and review triggers (:mod:`.review`). Never imports matplotlib: the decision chart
is drawn in :mod:`workbench.ui`. Taught in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

from workbench.mdr.comparison import comparison_frame, comparison_levels
from workbench.mdr.config import RecordConfig, record_config, trigger_threshold_problems
from workbench.mdr.draft import (
    build_matrix,
    build_triggers,
    candidate_facts,
    capability_checks,
    choose_decision,
    pick_candidates,
    scenario_to_dict,
)
from workbench.mdr.evidence import (
    decided_steps,
    evaluations_for_steps,
    evaluations_from_frame,
    load_evaluations,
    load_results_summary,
    results_by_task,
)
from workbench.mdr.files import (
    existing_records,
    find_record,
    next_number,
    replace_text_checked,
    supersede,
    write_record,
)
from workbench.mdr.linting import comparison_long, decisions_frame, facts_frame, lint, lint_report
from workbench.mdr.markdown import markdown_section, parse_markdown, read_record, record_facts, render_markdown
from workbench.mdr.record import (
    Candidate,
    Evaluation,
    Fact,
    Level,
    MatrixRow,
    Record,
    StepDecision,
    Trigger,
    fmt_value,
    normalise_items,
    normalise_text,
    short_source,
    slugify,
)
from workbench.mdr.review import (
    first_firing,
    price_change_pct,
    price_on,
    price_replay,
    price_trigger_fires,
    review_record,
    shortlist_for_review,
)

__all__ = [
    "comparison_levels",
    "comparison_frame",
    "RecordConfig",
    "record_config",
    "trigger_threshold_problems",
    "scenario_to_dict",
    "pick_candidates",
    "choose_decision",
    "capability_checks",
    "candidate_facts",
    "build_matrix",
    "build_triggers",
    "evaluations_from_frame",
    "decided_steps",
    "results_by_task",
    "evaluations_for_steps",
    "load_results_summary",
    "load_evaluations",
    "existing_records",
    "next_number",
    "find_record",
    "write_record",
    "supersede",
    "replace_text_checked",
    "lint",
    "decisions_frame",
    "facts_frame",
    "comparison_long",
    "lint_report",
    "record_facts",
    "render_markdown",
    "parse_markdown",
    "markdown_section",
    "read_record",
    "Fact",
    "Level",
    "Candidate",
    "StepDecision",
    "Evaluation",
    "Trigger",
    "MatrixRow",
    "Record",
    "fmt_value",
    "short_source",
    "slugify",
    "normalise_text",
    "normalise_items",
    "price_on",
    "price_change_pct",
    "price_trigger_fires",
    "shortlist_for_review",
    "review_record",
    "price_replay",
    "first_firing",
]
