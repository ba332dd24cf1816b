"""Stage 06, the Model Decision Record: a decision that says when to revisit itself.

The record's data model (:mod:`.record`), the scenario's ``record:`` block (:mod:`.config`),
comparison levels (:mod:`.comparison`), lint (:mod:`.linting`), drafting from shortlists
(:mod:`.draft`), evaluation evidence (:mod:`.evidence`), Markdown (:mod:`.markdown`), numbered files
(:mod:`.files`) and review triggers (:mod:`.review`). Never imports matplotlib: the decision chart
is drawn in :mod:`workbench.ui`. Taught in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

from workbench.mdr.comparison import comparison_levels, comparison_frame
from workbench.mdr.config import RecordConfig, record_config, trigger_threshold_problems
from workbench.mdr.draft import scenario_to_dict, pick_candidates, choose_decision, capability_checks, candidate_facts, build_matrix, build_triggers
from workbench.mdr.evidence import evaluations_from_frame, decided_steps, results_by_task, evaluations_for_steps, load_results_summary, load_evaluations, load_results_log
from workbench.mdr.files import existing_records, next_number, find_record, write_record, supersede, replace_text_checked
from workbench.mdr.linting import lint_claims, lint, decisions_frame, facts_frame, comparison_long, lint_report
from workbench.mdr.markdown import md_escape, md_unescape, record_facts, render_markdown, render_facts, parse_markdown, markdown_section, for_notebook, read_record
from workbench.mdr.record import Fact, Level, Candidate, StepDecision, Evaluation, Trigger, MatrixRow, Record, fmt_value, trigger_baseline_text, short_source, slugify, normalise_text, normalise_items, with_human_parts
from workbench.mdr.review import price_on, price_change_pct, price_trigger_fires, drift, shortlist_for_review, review_record, price_replay, first_firing

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
    "load_results_log",
    "existing_records",
    "next_number",
    "find_record",
    "write_record",
    "supersede",
    "replace_text_checked",
    "lint_claims",
    "lint",
    "decisions_frame",
    "facts_frame",
    "comparison_long",
    "lint_report",
    "md_escape",
    "md_unescape",
    "record_facts",
    "render_markdown",
    "render_facts",
    "parse_markdown",
    "markdown_section",
    "for_notebook",
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
    "trigger_baseline_text",
    "short_source",
    "slugify",
    "normalise_text",
    "normalise_items",
    "with_human_parts",
    "price_on",
    "price_change_pct",
    "price_trigger_fires",
    "drift",
    "shortlist_for_review",
    "review_record",
    "price_replay",
    "first_firing",
]
