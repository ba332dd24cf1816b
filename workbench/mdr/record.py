"""Model Decision Records (MDR): the record, its comparison table, and the lint that says what is weak.

A record is the chapter's decision written down so that it can be checked later: its status
(proposed, accepted, superseded), date, deciders and scenario; the chapter's decision matrix; the
candidates with every number carrying its source and ``as_of``; the decision (a default and a
fallback per workflow step); the evaluation; the rationale, risks and the exercise's reflections;
and review triggers a machine can check (:mod:`workbench.mdr.review`).

- :func:`draft_record` (in :mod:`workbench.mdr.draft`) fills every fact from the shortlist, cost,
  latency and evaluation results; the human parts come from the scenario's ``record:`` block
  (:func:`record_config` validates it) or from the notebook.
- :func:`comparison_levels` turns numbers into the exercise's seven low/medium/high columns, each by
  a stated rule (:data:`COMPARISON_RULES`) and with the number behind it.
- :func:`lint` lists what is missing or weak in a record.
- :mod:`workbench.mdr.markdown` renders a record to Markdown (MADR-style front matter) and parses
  it back; :mod:`workbench.mdr.review` checks the triggers.

Introduced in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.errors import fail
from workbench.scenario.blocks import REFLECTIONS

LEVELS = ("low", "medium", "high")
# the exercise's comparison columns, in the order the chapter lists them
COMPARISON_COLUMNS = ("task_fit", "expected_quality", "latency_risk", "cost_risk", "privacy_risk",
                      "operational_burden", "migration_difficulty")
# the chapter's decision matrix, one row per dimension
MATRIX_DIMENSIONS = ("use_case", "task_fit", "candidates", "quality", "latency_and_cost", "context",
                     "output_reliability", "privacy_and_licence", "operational_burden", "migration",
                     "review_triggers")
# the exercise's four reflection questions
TRIGGER_KINDS = ("price_change_pct", "deprecation_within_days", "volume_above", "age_above_days",
                 "golden_set_drop_pp", "dominated", "production_drift_pp")
# the chapter's questions: the prompts of the human parts a learner writes (blank parts show them)
HUMAN_PROMPTS = {
    "deciders": "Who decides? Name the people or roles.",
    "rationale": "Why this default and this fallback for each step? What did you weigh, in which order?",
    "risks": "What could make this choice wrong? One risk per bullet.",
    "leaderboard_helped": "What did the leaderboard help you understand?",
    "leaderboard_could_not_prove": "What could it not prove about your task?",
    "measure_before_launch": "What will you measure before launch, on which data?",
    "revisit_when": "When will you revisit the decision?",
}
# what each trigger kind watches, as a sentence with its threshold
TRIGGER_RULE = {
    "price_change_pct": "a decided offering's list price moves more than {}% either way",
    "deprecation_within_days": "a decided model is deprecated within {} days",
    "volume_above": "the observed monthly volume exceeds {} requests",
    "age_above_days": "the record is older than {} days",
    "golden_set_drop_pp": "the default's golden-set success rate drops more than {} points",
    "dominated": "another offering beats the default on quality, cost and latency at once",
    "production_drift_pp": "the success rate in the last days of the results log drops more than {} points "
                           "below the baseline",
}
MIN_EVAL_CASES = 50  # the exercise's floor: fewer golden-set cases cannot separate candidates

# ------------------------------------------------------------------------------------------------
# the comparison rules (stated once; the record prints them under its table)
# ------------------------------------------------------------------------------------------------
QUALITY_PCT_HIGH, QUALITY_PCT_MEDIUM = 67.0, 33.0
LATENCY_RATIO_LOW, LATENCY_RATIO_MEDIUM = 0.5, 1.0
BUDGET_SHARE_LOW, BUDGET_SHARE_MEDIUM = 0.10, 0.33
COST_RATIO_LOW, COST_RATIO_MEDIUM = 2.0, 5.0

COMPARISON_RULES = {
    "task_fit": "capability checks of the step met (structured outputs, tool calling, caching and batch "
                "where the token mix uses them, context and output length, modalities): all -> high, "
                "all but one -> medium, fewer -> low; unknown counts as not met",
    "expected_quality": f"percentile of the quality score among all offerings shortlisted for the step: "
                        f">= {QUALITY_PCT_HIGH:g} -> high, >= {QUALITY_PCT_MEDIUM:g} -> medium, else low "
                        f"(no score -> low)",
    "latency_risk": f"the larger of typical latency / the step's total_s target and simulated p95 / its p95_s "
                    f"target: <= {LATENCY_RATIO_LOW:g} -> low, <= {LATENCY_RATIO_MEDIUM:g} -> medium, above or no "
                    f"speed data -> high",
    "cost_risk": f"the step's monthly cost of model calls (retries included) / the scenario's monthly budget: "
                 f"< {BUDGET_SHARE_LOW:.0%} -> low, < {BUDGET_SHARE_MEDIUM:.0%} -> medium, else high; without a "
                 f"budget, / the cheapest compared candidate: <= {COST_RATIO_LOW:g}x low, <= {COST_RATIO_MEDIUM:g}x "
                 f"medium, else high",
    "privacy_risk": "may train on prompts (or unknown), or offers none of the required regions (or "
                    "unknown) -> high; no zero-data-retention option (or unknown) -> medium; else low",
    "operational_burden": "managed-api -> low, hosted-inference -> medium, self-hosted -> high; "
                          "high when the step's peak requests or tokens per minute exceed the listed rate limit",
    "migration_difficulty": "providers in the catalog serving the same model: >= 3 -> low, 2 -> medium, "
                            "1 -> high; published weights lower it one level",
}


# ------------------------------------------------------------------------------------------------
# the record
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    """One number or fact with where it comes from and the date it describes.

    ``note`` says what kind of fact it is when it is not a plain published value: the benchmark a
    score is on, ``computed: ...`` (derived by a named workbench function from dated inputs),
    ``assumption`` or ``illustrative``.
    """

    value: Any
    source: str = ""
    as_of: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Level:
    """One comparison cell: ``level`` (low | medium | high), the ``value`` behind it and how it is shown."""

    level: str
    value: float | None
    shown: str


@dataclass
class Candidate:
    """One compared offering for one step, with its facts and its seven comparison levels."""

    step: str
    offering_id: str
    model_id: str
    provider: str
    access_mode: str
    picked_as: str
    facts: dict[str, Fact] = field(default_factory=dict)
    comparison: dict[str, Level] = field(default_factory=dict)

    def fact(self, name: str) -> Any:
        """The value of a fact, or None when the candidate has no such fact."""
        f = self.facts.get(name)
        return None if f is None else f.value


@dataclass
class StepDecision:
    """The decision for one workflow step: a default offering, a fallback offering, and why.
    Introduced in ``06_model_decision_record.ipynb``."""

    step: str
    default: str
    fallback: str | None = None
    why: str = ""


@dataclass
class Evaluation:
    """A golden-set result for one candidate on one step: ``candidate`` is an offering id (or the run's
    candidate name, e.g. ``rules``), ``task`` the golden set's task the step maps to, ``label`` the
    run's provenance (``measured``, ``deterministic rules``, ``illustrative``, ``synthetic``)."""

    step: str
    candidate: str
    n_cases: int
    success_rate: float | None
    cost_per_success_usd: float | None
    source: str
    as_of: dt.date | None
    label: str = "measured"
    task: str | None = None


MEASURED_LABELS = ("measured", "deterministic rules")  # a real run; anything else is a replay or made up


@dataclass
class Trigger:
    """A machine-checkable review trigger: its kind, threshold and the baseline recorded at decision time."""

    kind: str
    threshold: float | None
    step: str | None = None
    offering_id: str | None = None
    baseline: dict[str, Any] = field(default_factory=dict)


@dataclass
class MatrixRow:
    """One row of the chapter's decision matrix: what the scenario needs and what we found."""

    dimension: str
    need: str
    evidence: str


@dataclass
class Record:
    """A Model Decision Record. Dates are ``datetime.date``; prose is normalised text.

    ``scenario`` is the scenario as a plain mapping (the YAML keys), embedded so that ``review`` can
    re-run the shortlist from the record alone. Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """

    number: int
    title: str
    status: str
    date: dt.date
    deciders: list[str]
    scenario: dict[str, Any]
    catalog: dict[str, Any]
    context: str
    decisions: list[StepDecision]
    candidates: list[Candidate]
    evaluations: list[Evaluation] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    rationale: str = ""
    risks: list[str] = field(default_factory=list)
    reflections: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in REFLECTIONS})
    triggers: list[Trigger] = field(default_factory=list)
    supersedes: str | None = None
    superseded_by: str | None = None
    chart: str | None = None

    @property
    def slug(self) -> str:
        """The file-name slug: lower-case words of the scenario name joined by '-'."""
        return slugify(str(self.scenario.get("name") or self.title))

    @property
    def filename(self) -> str:
        """``NNNN-slug.md``."""
        return f"{self.number:04d}-{self.slug}.md"

    @property
    def facts_filename(self) -> str:
        """``NNNN-slug.facts.yaml``: the machine-checkable facts beside the Markdown."""
        return f"{self.number:04d}-{self.slug}.facts.yaml"

    def candidate(self, step: str, offering_id: str) -> Candidate | None:
        """The compared candidate for a step, or None."""
        for c in self.candidates:
            if c.step == step and c.offering_id == offering_id:
                return c
        return None

    def decision(self, step: str) -> StepDecision | None:
        for d in self.decisions:
            if d.step == step:
                return d
        return None


def fmt_value(v: Any) -> str:
    """A fact's value as a person reads it: 4 significant digits at most, never an exponent (a
    small price per request as ``0.0000086``), whole numbers with thousands separators, yes/no for
    booleans, 'unknown' for None."""
    if v is None:
        return "unknown"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v):
            return "unknown"
        if math.isinf(v):
            return "infinite" if v > 0 else "-infinite"
        if abs(v) >= 1000 or (v.is_integer() and abs(v) >= 1):
            return f"{v:,.0f}"
        if v == 0:
            return "0"
        if abs(v) >= 1e-12:
            decimals = max(0, 3 - math.floor(math.log10(abs(v))))
            if abs(v) < 0.01:  # small amounts: 2 significant digits are plenty for a person
                decimals -= 1
            text = f"{round(v, decimals):.{decimals}f}".rstrip("0").rstrip(".")
            return text if text not in ("0", "-0") else f"{v:.2g}"
        return f"{v:.2g}"
    return str(v)


def _pct(v: Any) -> str:
    return f"{float(v):.1%}" if isinstance(v, (int, float)) and not isinstance(v, bool) else fmt_value(v)


def trigger_baseline_text(t: "Trigger") -> str:
    """What a trigger watches and its baseline, rounded for people (the record's trigger table)."""
    b = t.baseline
    on = f"{t.offering_id} ({t.step})" if t.offering_id and t.step else (t.offering_id or t.step or "the record")
    if t.kind == "price_change_pct":
        return (f"{t.offering_id}: in {fmt_value(b.get('usd_per_mtok_in'))} / out {fmt_value(b.get('usd_per_mtok_out'))} "
                f"USD/Mtok")
    if t.kind == "deprecation_within_days":
        return f"{b.get('model_id')}: {b.get('deprecation_date') or 'no date listed'}"
    if t.kind == "volume_above":
        return f"{t.step}: {fmt_value(b.get('requests_per_month'))}/month planned x {fmt_value(b.get('factor'))}"
    if t.kind == "age_above_days":
        return f"decided {b.get('date')}"
    if t.kind == "golden_set_drop_pp":
        return f"{on}: {_pct(b.get('success_rate'))} on {fmt_value(b.get('n_cases'))} cases"
    if t.kind == "dominated":
        return (f"{on}: quality {fmt_value(b.get('quality'))}, {fmt_value(b.get('usd_per_request'))} USD/request, "
                f"{fmt_value(b.get('typical_latency_s'))} s")
    if t.kind == "production_drift_pp":
        base = _pct(b["success_rate"]) if b.get("success_rate") is not None else "the log's earlier days"
        return f"{t.step}: last {fmt_value(b.get('window_days'))} days vs {base}"
    return "; ".join(f"{k}={fmt_value(v)}" for k, v in b.items())


def short_source(source: str, limit: int = 56) -> str:
    """A source as a short label for prose: 'computed' for derived numbers, else the text before the
    first ' (', ';', ' @ ' or ', ', cut to whole words within ``limit`` characters."""
    if not source:
        return "no source"
    if source.startswith("computed"):
        return "computed"
    head = re.split(r" \(|;| @ |, ", source, maxsplit=1)[0].strip()
    if len(head) <= limit:
        return head
    words, out = head.split(), ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out} {w}".strip()
    return (out or head[:limit]) + "..."


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-', at most 60 characters (for record file names)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s[:60].rstrip("-")) or "record"


def normalise_text(text: Any) -> str:
    """Prose as the record keeps it: paragraphs separated by one blank line, whitespace inside a
    paragraph collapsed to single spaces (so that rendering and parsing give back the same text)."""
    if text is None:
        return ""
    paras = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(" ".join(p.split()) for p in paras if p.strip())


def normalise_items(items: Any) -> list[str]:
    """A list of one-line items (bullets) as the record keeps them; empty items dropped."""
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    return [t for t in (" ".join(str(i).split()) for i in items) if t]


def with_human_parts(record: Record, parts: dict[str, Any]) -> Record:
    """A copy of ``record`` with the human parts a person wrote: ``parts`` may hold ``deciders``
    (list), ``rationale`` (text), ``risks`` (list) and ``reflections`` (key -> list, keys of
    :data:`REFLECTIONS`, or each reflection key at the top level); text is normalised as the record
    keeps it, and blank answers stay blank. Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    unknown = set(parts) - {"deciders", "rationale", "risks", "reflections", *REFLECTIONS}
    if unknown:
        raise fail("with_human_parts()", ", ".join(sorted(unknown)), "not a human part of a record",
                   f"use deciders, rationale, risks, reflections or one of {', '.join(REFLECTIONS)}")
    refl = {k: list(v) for k, v in record.reflections.items()}
    for k, v in {**(parts.get("reflections") or {}), **{k: parts[k] for k in REFLECTIONS if k in parts}}.items():
        refl[k] = normalise_items(v)
    return dataclasses.replace(
        record, deciders=normalise_items(parts.get("deciders", record.deciders)),
        rationale=normalise_text(parts.get("rationale", record.rationale)),
        risks=normalise_items(parts.get("risks", record.risks)), reflections=refl)
