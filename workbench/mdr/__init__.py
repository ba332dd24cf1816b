"""Stage 06, the Model Decision Record: a decision that says when to revisit itself.

The record's data model (:mod:`.record`), the scenario's ``record:`` block (:mod:`.config`),
comparison levels (:mod:`.comparison`), lint (:mod:`.linting`), drafting from shortlists
(:mod:`.draft`), evaluation evidence (:mod:`.evidence`), Markdown (:mod:`.markdown`), numbered files
(:mod:`.files`) and review triggers (:mod:`.review`). Never imports matplotlib: the decision chart
is drawn in :mod:`workbench.ui`. Taught in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

from workbench.mdr.comparison import comparison_levels, comparison_frame
from workbench.mdr.config import RecordConfig, record_config
from workbench.mdr.draft import scenario_to_dict, pick_candidates, choose_decision, capability_checks, candidate_facts, build_matrix, build_triggers
from workbench.mdr.evidence import evaluations_from_frame, decided_steps, results_by_task, evaluations_for_steps, load_results_summary, load_evaluations, load_results_log
from workbench.mdr.files import existing_records, next_number, find_record, write_record, supersede, replace_text_checked
from workbench.mdr.linting import lint, lint_claims, decisions_frame, facts_frame, comparison_long, lint_report
from workbench.mdr.markdown import record_facts, render_markdown, render_facts, parse_markdown, markdown_section, read_record, md_escape, md_unescape, for_notebook
from workbench.mdr.record import Fact, Level, Candidate, StepDecision, Evaluation, Trigger, MatrixRow, Record, fmt_value, short_source, slugify, normalise_text, normalise_items, trigger_baseline_text, with_human_parts, HUMAN_PROMPTS
from workbench.mdr.review import price_on, price_change_pct, price_trigger_fires, shortlist_for_review, review_record, price_replay, first_firing, drift

__all__ = [
    "comparison_levels",
    "comparison_frame",
    "RecordConfig",
    "record_config",
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
    "load_results_log",
    "existing_records",
    "next_number",
    "find_record",
    "write_record",
    "supersede",
    "replace_text_checked",
    "lint",
    "lint_claims",
    "decisions_frame",
    "facts_frame",
    "comparison_long",
    "lint_report",
    "record_facts",
    "render_markdown",
    "render_facts",
    "md_escape",
    "md_unescape",
    "for_notebook",
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
    "trigger_baseline_text",
    "with_human_parts",
    "HUMAN_PROMPTS",
    "price_on",
    "price_change_pct",
    "price_trigger_fires",
    "shortlist_for_review",
    "review_record",
    "price_replay",
    "first_firing",
    "drift",
]
