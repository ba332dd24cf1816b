"""Model Decision Records (MDR): the record, its comparison table, and the lint that says what is weak.

A record is the chapter's decision written down so that it can be checked later: its status
(proposed, accepted, superseded), date, deciders and scenario; the chapter's decision matrix; the
candidates with every number carrying its source and ``as_of``; the decision (a default and a
fallback per workflow step); the evaluation; the rationale, risks and the exercise's reflections;
and review triggers a machine can check (:mod:`workbench.mdr_review`).

- :func:`draft_record` (in :mod:`workbench.mdr_draft`) fills every fact from the shortlist, cost,
  latency and evaluation results; the human parts come from the scenario's ``record:`` block
  (:func:`record_config` validates it) or from the notebook.
- :func:`comparison_levels` turns numbers into the exercise's seven low/medium/high columns, each by
  a stated rule (:data:`COMPARISON_RULES`) and with the number behind it.
- :func:`lint` lists what is missing or weak in a record.
- :mod:`workbench.mdr_markdown` renders a record to Markdown (MADR-style front matter) and parses
  it back; :mod:`workbench.mdr_review` checks the triggers.

Introduced in ``notebooks/06_model_decision_record.ipynb``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .errors import Problem, WorkbenchError, did_you_mean
from .scenario import F, Scenario, _check, _check_mapping

STATUSES = ("proposed", "accepted", "superseded")
LEVELS = ("low", "medium", "high")
# the exercise's comparison columns, in the order the chapter lists them
COMPARISON_COLUMNS = ("task_fit", "expected_quality", "latency_risk", "cost_risk", "privacy_risk",
                      "operational_burden", "migration_difficulty")
# the chapter's decision matrix, one row per dimension
MATRIX_DIMENSIONS = ("use_case", "task_fit", "candidates", "quality", "latency_and_cost", "context",
                     "output_reliability", "privacy_and_licence", "operational_burden", "migration",
                     "review_triggers")
# the exercise's four reflection questions
REFLECTIONS = ("leaderboard_helped", "leaderboard_could_not_prove", "measure_before_launch", "revisit_when")
REFLECTION_TITLES = {
    "leaderboard_helped": "What the leaderboard helped us understand",
    "leaderboard_could_not_prove": "What it could not prove",
    "measure_before_launch": "What we will measure before launch",
    "revisit_when": "When we revisit",
}
TRIGGER_KINDS = ("price_change_pct", "deprecation_within_days", "volume_above", "age_above_days",
                 "golden_set_drop_pp", "dominated")
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


def as_date(v: Any) -> dt.date | None:
    """A date from a Timestamp, datetime, date or YYYY-MM-DD text; None for a missing value.
    Text that is not a date raises ValueError (callers check user input before)."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


# ------------------------------------------------------------------------------------------------
# the record
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    """One number or fact with where it comes from and the date it describes.

    ``note`` says what kind of fact it is when it is not a plain published value: the benchmark a
    score is on, ``computed: ...`` (derived by a named workbench function from dated inputs),
    ``assumption`` or ``illustrative``. Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """

    value: Any
    source: str = ""
    as_of: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Level:
    """One comparison cell: ``level`` (low | medium | high), the ``value`` behind it and how it is shown.
    Introduced in ``06_model_decision_record.ipynb``."""

    level: str
    value: float | None
    shown: str


@dataclass
class Candidate:
    """One compared offering for one step, with its facts and its seven comparison levels.
    Introduced in ``06_model_decision_record.ipynb``."""

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
    run's provenance (``measured``, ``deterministic rules``, ``illustrative``, ``synthetic``).
    Introduced in ``06_model_decision_record.ipynb``."""

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
    """A machine-checkable review trigger: its kind, threshold and the baseline recorded at decision time.
    Introduced in ``06_model_decision_record.ipynb``."""

    kind: str
    threshold: float | None
    step: str | None = None
    offering_id: str | None = None
    baseline: dict[str, Any] = field(default_factory=dict)


@dataclass
class MatrixRow:
    """One row of the chapter's decision matrix: what the scenario needs and what we found.
    Introduced in ``06_model_decision_record.ipynb``."""

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
    """A fact's value as a record shows it: 4 significant digits, whole numbers with thousands
    separators, yes/no for booleans, 'unknown' for None. Introduced in ``06_model_decision_record.ipynb``."""
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
        if v.is_integer() and abs(v) >= 1:
            return f"{v:,.0f}"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.4g}"
    return str(v)


def short_source(source: str, limit: int = 56) -> str:
    """A source as a short label for prose: 'computed' for derived numbers, else the text before the
    first ' (', ';', ' @ ' or ', ', cut to whole words within ``limit`` characters.
    Introduced in ``06_model_decision_record.ipynb``."""
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
    """Lower-case ASCII words joined by '-', at most 60 characters (for record file names).
    Introduced in ``06_model_decision_record.ipynb``."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s[:60].rstrip("-")) or "record"


def normalise_text(text: Any) -> str:
    """Prose as the record keeps it: paragraphs separated by one blank line, whitespace inside a
    paragraph collapsed to single spaces (so that rendering and parsing give back the same text).
    Introduced in ``06_model_decision_record.ipynb``."""
    if text is None:
        return ""
    paras = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(" ".join(p.split()) for p in paras if p.strip())


def normalise_items(items: Any) -> list[str]:
    """A list of one-line items (bullets) as the record keeps them; empty items dropped.
    Introduced in ``06_model_decision_record.ipynb``."""
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    return [t for t in (" ".join(str(i).split()) for i in items) if t]


# ------------------------------------------------------------------------------------------------
# the scenario's `record:` block
# ------------------------------------------------------------------------------------------------

DEFAULT_TRIGGERS = {
    "price_change_pct": 20.0,
    "deprecation_within_days": 90,
    "volume_factor": 2.0,
    "age_days": 180,
    "golden_set_drop_pp": 5.0,
    "dominated": True,
}
TRIGGERS_SPEC = {
    "price_change_pct": F("float", False, 0.1, 1000,
                          doc="fire when a decided offering's input or output list price moves by more than this many percent"),
    "deprecation_within_days": F("int", False, 0, 3650, doc="fire when a decided model is deprecated within this many days"),
    "volume_factor": F("float", False, 1.0, 1000,
                       doc="fire when the observed monthly volume exceeds this multiple of the planned volume"),
    "volume_step": F("str", doc="the step whose monthly volume is watched (default: the first decided step)"),
    "age_days": F("int", False, 1, 3650, doc="fire when the record is older than this many days"),
    "golden_set_drop_pp": F("float", False, 0.1, 100,
                            doc="fire when a decided offering's golden-set success rate drops by more than this "
                                "many percentage points"),
    "dominated": F("bool", doc="fire when a new offering beats the default on quality, cost and latency at once"),
}
REFLECTIONS_SPEC = {k: F("list[str]", doc=REFLECTION_TITLES[k]) for k in REFLECTIONS}
FALLBACK_SPEC = {
    "different_region": F("bool", doc="prefer a fallback whose processing regions differ from the default's"),
}
DECISION_SPEC = {"default": F("str", True, doc="offering id of the default"), "fallback": F("str", doc="offering id")}
RECORD_SPEC = {
    "title": F("str", doc="the record's title"),
    "status": F("str", choices=STATUSES),
    "deciders": F("list[str]", doc="who decides (roles or names)"),
    "steps": F("list[str]", doc="the workflow steps this record decides (default: all)"),
    "context": F("str", doc="what the scenario description does not say"),
    "rationale": F("str", doc="why this default and fallback"),
    "risks": F("list[str]"),
    "reflections": F("dict", sub=REFLECTIONS_SPEC),
    "review_triggers": F("dict", sub=TRIGGERS_SPEC),
    "candidates": F("map", doc="step -> the offering ids to compare"),
    "decision": F("map", doc="step -> {default: offering id, fallback: offering id}"),
    "fallback": F("dict", sub=FALLBACK_SPEC),
    "second_source": F("str", doc="the scores.csv benchmark used to cross-check quality, e.g. livebench_global_average"),
    "golden_tasks": F("map", doc="step -> the golden set's task that evaluates it (classify, answer, draft, extract)"),
}
GOLDEN_TASKS = ("classify", "answer", "draft", "extract")


@dataclass(frozen=True)
class RecordConfig:
    """The validated ``record:`` block of a scenario (the human parts of a record and its policies).
    Introduced in ``06_model_decision_record.ipynb``."""

    title: str = ""
    status: str = "proposed"
    deciders: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    context: str = ""
    rationale: str = ""
    risks: tuple[str, ...] = ()
    reflections: dict[str, list[str]] = field(default_factory=dict)
    triggers: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_TRIGGERS))
    candidates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    decision: dict[str, dict[str, str]] = field(default_factory=dict)
    fallback_different_region: bool = True
    second_source: str | None = None
    golden_tasks: dict[str, str] = field(default_factory=dict)


def record_config(scenario: Scenario, block: dict | None = None) -> RecordConfig:
    """Validate a scenario's ``record:`` block (or ``block``) and return a :class:`RecordConfig`.

    Every problem is reported at once with its key path (``record.review_triggers.price_change_pct``)
    and a did-you-mean hint; step names must be steps of the scenario's workflow. Offering ids are
    checked against the catalog later, by :func:`workbench.mdr_draft.draft_record`.
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    data = scenario.record if block is None else block
    if data is None:
        return RecordConfig()
    file = scenario.path
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise WorkbenchError(Problem(file, "record", "must be a mapping (key: value lines)", "indent the keys below it"))
    d = _check_mapping(data, RECORD_SPEC, "record", file, problems)
    steps = [s.name for s in scenario.workflow]

    def check_step(name: Any, path: str) -> bool:
        if name not in steps:
            problems.append(Problem(file, path, "no such step in the workflow", did_you_mean(str(name), steps), value=name))
            return False
        return True

    for i, s in enumerate(d.get("steps") or []):
        check_step(s, f"record.steps[{i}]")
    cands: dict[str, tuple[str, ...]] = {}
    for step, ids in (d.get("candidates") or {}).items():
        p = f"record.candidates.{step}"
        if check_step(step, p):
            checked = _check(ids, F("list[str]"), p, file, problems)
            if checked is not None:
                if not checked:
                    problems.append(Problem(file, p, "lists no offering", "list the offering ids to compare"))
                cands[step] = tuple(checked)
    decision: dict[str, dict[str, str]] = {}
    for step, dec in (d.get("decision") or {}).items():
        p = f"record.decision.{step}"
        if check_step(step, p):
            checked = _check(dec, F("dict", sub=DECISION_SPEC), p, file, problems)
            if checked:
                decision[step] = checked
    golden: dict[str, str] = {}
    for step, task in (d.get("golden_tasks") or {}).items():
        p = f"record.golden_tasks.{step}"
        if check_step(step, p):
            if task not in GOLDEN_TASKS:
                problems.append(Problem(file, p, "not a task of the golden set", did_you_mean(str(task), GOLDEN_TASKS),
                                        value=task))
            else:
                golden[step] = task
    if problems:
        raise WorkbenchError(problems)
    trig = dict(DEFAULT_TRIGGERS)
    trig.update(d.get("review_triggers") or {})
    if trig.get("volume_step") is not None:
        check_step(trig["volume_step"], "record.review_triggers.volume_step")
        if problems:
            raise WorkbenchError(problems)
    refl = {k: normalise_items((d.get("reflections") or {}).get(k)) for k in REFLECTIONS}
    return RecordConfig(
        title=d.get("title", ""), status=d.get("status", "proposed"), deciders=tuple(d.get("deciders") or ()),
        steps=tuple(d.get("steps") or ()), context=normalise_text(d.get("context")),
        rationale=normalise_text(d.get("rationale")), risks=tuple(normalise_items(d.get("risks"))),
        reflections=refl, triggers=trig, candidates=cands, decision=decision,
        fallback_different_region=bool((d.get("fallback") or {}).get("different_region", True)),
        second_source=d.get("second_source"), golden_tasks=golden,
    )


# ------------------------------------------------------------------------------------------------
# the seven comparison columns
# ------------------------------------------------------------------------------------------------

def _band(x: np.ndarray, cut_low: float, cut_medium: float, *, inclusive: bool = True,
          higher_is_better: bool = False) -> np.ndarray:
    """low/medium/high by two cuts; NaN -> high risk (or low quality when ``higher_is_better``)."""
    x = np.asarray(x, dtype=float)
    if higher_is_better:
        lvl = np.select([x >= cut_low, x >= cut_medium], ["high", "medium"], "low")
        return np.where(np.isnan(x), "low", lvl)
    le = (lambda a, b: a <= b) if inclusive else (lambda a, b: a < b)
    lvl = np.select([le(x, cut_low), le(x, cut_medium)], ["low", "medium"], "high")
    return np.where(np.isnan(x), "high", lvl)


def _yes_no(v: Any) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "unknown"
    return "yes" if bool(v) else "no"


def _num(s: pd.Series | None, n: int) -> np.ndarray:
    if s is None:
        return np.full(n, np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def comparison_levels(inputs: pd.DataFrame, budget_usd_per_month: float | None = None,
                      required_regions: tuple[str, ...] = ()) -> pd.DataFrame:
    """The exercise's seven columns (low | medium | high) for each row of ``inputs``, by the rules in
    :data:`COMPARISON_RULES`, each with the number behind it.

    ``inputs`` columns: ``checks_met``, ``checks_total``, ``quality_percentile`` (0..100),
    ``typical_latency_s``, ``latency_target_s`` (total_s), ``p95_s``, ``p95_target_s``,
    ``usd_per_month``, ``trains_on_data``, ``zero_data_retention`` (True/False/NA), ``regions``
    (``us;eu`` or empty), ``access_mode``, ``peak_rpm``, ``limit_use`` (peak / the tighter of the RPM
    and TPM limits, :func:`workbench.latency.rate_limit_headroom`), ``providers_serving_model``,
    ``openness``. Returns, per column
    ``c``, ``c`` (the level), ``c_value`` (the number) and ``c_shown`` (the number as text).
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    n = len(inputs)
    g = inputs.get
    out = pd.DataFrame(index=inputs.index)

    met, total = _num(g("checks_met"), n), _num(g("checks_total"), n)
    missing = total - met
    out["task_fit"] = np.where(np.isnan(missing), "low", np.select([missing <= 0, missing <= 1], ["high", "medium"], "low"))
    out["task_fit_value"] = np.where(total > 0, met / np.where(total > 0, total, 1), np.nan)
    out["task_fit_shown"] = [f"{m:.0f}/{t:.0f} checks met" if not (np.isnan(m) or np.isnan(t)) else "not checked"
                             for m, t in zip(met, total)]

    pct = _num(g("quality_percentile"), n)
    out["expected_quality"] = _band(pct, QUALITY_PCT_HIGH, QUALITY_PCT_MEDIUM, higher_is_better=True)
    out["expected_quality_value"] = pct
    out["expected_quality_shown"] = [f"percentile {p:.0f}" if not np.isnan(p) else "no score" for p in pct]

    lat, target = _num(g("typical_latency_s"), n), _num(g("latency_target_s"), n)
    p95, p95_target = _num(g("p95_s"), n), _num(g("p95_target_s"), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_typ = np.where(np.isnan(target), 0.0, lat / target)
        r_p95 = np.where(np.isnan(p95_target) | np.isnan(p95), 0.0, p95 / p95_target)
    ratio = np.where(np.isnan(lat), np.nan, np.fmax(r_typ, r_p95))
    out["latency_risk"] = _band(ratio, LATENCY_RATIO_LOW, LATENCY_RATIO_MEDIUM)
    out["latency_risk_value"] = ratio
    shown = []
    for a, t, q, qt in zip(lat, target, p95, p95_target):
        if np.isnan(a):
            shown.append("no speed data")
            continue
        txt = f"typical {a:.2f} s" + (f" of {t:g} s" if not np.isnan(t) else "")
        if not np.isnan(q):
            txt += f"; p95 {q:.2f} s" + (f" of {qt:g} s" if not np.isnan(qt) else "")
        shown.append(txt)
    out["latency_risk_shown"] = shown

    usd = _num(g("usd_per_month"), n)
    if budget_usd_per_month:
        share = usd / float(budget_usd_per_month)
        out["cost_risk"] = _band(share, BUDGET_SHARE_LOW, BUDGET_SHARE_MEDIUM, inclusive=False)
        out["cost_risk_value"] = share
        out["cost_risk_shown"] = [f"{u:,.2f} USD/month = {s:.1%} of {budget_usd_per_month:,.0f} budget"
                                  if not np.isnan(u) else "no price" for u, s in zip(usd, share)]
    else:
        cheapest = np.nanmin(usd) if n and not np.all(np.isnan(usd)) else np.nan
        rel = usd / cheapest if cheapest and not np.isnan(cheapest) else np.full(n, np.nan)
        out["cost_risk"] = _band(rel, COST_RATIO_LOW, COST_RATIO_MEDIUM)
        out["cost_risk_value"] = rel
        out["cost_risk_shown"] = [f"{u:,.2f} USD/month = {r:.1f}x the cheapest" if not np.isnan(u) else "no price"
                                  for u, r in zip(usd, rel)]

    trains = list(g("trains_on_data", pd.Series([None] * n, index=inputs.index)))
    zdr = list(g("zero_data_retention", pd.Series([None] * n, index=inputs.index)))
    regions = list(g("regions", pd.Series([None] * n, index=inputs.index)))
    req = {r.lower() for r in required_regions}
    priv_level, priv_value, priv_shown = [], [], []
    for t, z, r in zip(trains, zdr, regions):
        rset = set() if r is None or (isinstance(r, float) and math.isnan(r)) or r == "" else set(str(r).split(";"))
        region_ok = (not req) or bool(rset & req)
        t_s, z_s = _yes_no(t), _yes_no(z)
        level = "high" if (t_s != "no" or not region_ok) else ("medium" if z_s != "yes" else "low")
        priv_level.append(level)
        priv_value.append({"low": 0.0, "medium": 1.0, "high": 2.0}[level])
        priv_shown.append(f"trains: {t_s}; ZDR: {z_s}; regions: {';'.join(sorted(rset)) or 'unknown'}")
    out["privacy_risk"], out["privacy_risk_value"], out["privacy_risk_shown"] = priv_level, priv_value, priv_shown

    mode = pd.Series(g("access_mode", pd.Series([""] * n, index=inputs.index))).astype(str).to_numpy()
    base = np.select([mode == "managed-api", mode == "hosted-inference"], ["low", "medium"], "high")
    peak, use = _num(g("peak_rpm"), n), _num(g("limit_use"), n)
    over = ~np.isnan(use) & (use > 1)
    out["operational_burden"] = np.where(over, "high", base)
    out["operational_burden_value"] = use
    out["operational_burden_shown"] = [
        f"{m}; peak {p:.1f} rpm" + (f", {u:.0%} of the tighter rate limit" if not np.isnan(u) else ", no listed limit")
        for m, p, u in zip(mode, peak, use)]

    prov = _num(g("providers_serving_model"), n)
    openw = pd.Series(g("openness", pd.Series([""] * n, index=inputs.index))).astype(str).isin(
        ["open-weight", "open-source"]).to_numpy()
    score = np.select([prov >= 3, prov >= 2], [0, 1], 2) - openw.astype(int)
    score = np.clip(score, 0, 2)
    out["migration_difficulty"] = np.array(LEVELS)[score]
    out["migration_difficulty_value"] = prov
    out["migration_difficulty_shown"] = [f"{p:.0f} provider{'s' if p != 1 else ''}" + ("; open weights" if o else "")
                                         for p, o in zip(np.nan_to_num(prov), openw)]
    return out


def comparison_frame(record: Record, step: str | None = None) -> pd.DataFrame:
    """The comparison table of a record (one row per compared candidate): step, offering, role in the
    decision, then the seven columns as ``level (number)``. Introduced in ``06_model_decision_record.ipynb``."""
    rows = []
    for c in record.candidates:
        if step is not None and c.step != step:
            continue
        d = record.decision(c.step)
        role = ("default" if d and d.default == c.offering_id else "fallback" if d and d.fallback == c.offering_id
                else "candidate")
        row = {"step": c.step, "offering_id": c.offering_id, "picked_as": c.picked_as, "decision": role}
        for col in COMPARISON_COLUMNS:
            lv = c.comparison.get(col)
            row[col] = f"{lv.level} ({lv.shown})" if lv else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["step", "offering_id", "picked_as", "decision", *COMPARISON_COLUMNS])


# ------------------------------------------------------------------------------------------------
# lint
# ------------------------------------------------------------------------------------------------

LINT_COLUMNS = ("code", "where", "message", "fix")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) \
        and not (isinstance(v, float) and math.isnan(v))


def _regions(c: Candidate | None) -> set[str]:
    if c is None:
        return set()
    r = c.fact("regions")
    return set() if not r else set(str(r).split(";"))


def lint(record: Record) -> pd.DataFrame:
    """What is missing or weak in a record, one row per finding: ``code``, ``where``, ``message``, ``fix``.

    Codes: ``no_fallback``; ``fallback_same_provider``; ``fallback_same_region`` (the default's and the
    fallback's known regions are the same); ``region_unknown``; ``default_too_slow`` and
    ``fallback_too_slow`` (latency risk high: over the target or unknown); ``no_review_trigger``;
    ``undated_number`` (a numeric fact, evaluation or trigger baseline without ``as_of``);
    ``no_evaluation`` and ``small_evaluation`` (fewer than :data:`MIN_EVAL_CASES` golden-set cases);
    ``illustrative_evaluation`` (the default's only result is a labelled replay, not a measurement);
    ``licence_not_checked``; ``missing_deciders``, ``missing_rationale``, ``missing_risks``,
    ``missing_reflection``. An empty frame means nothing to fix.
    Introduced in ``notebooks/06_model_decision_record.ipynb``.
    """
    rows: list[tuple[str, str, str, str]] = []
    add = lambda *r: rows.append(r)
    if not record.deciders:
        add("missing_deciders", "front matter: deciders", "nobody is named as deciding",
            "list the people or roles who decide (record.deciders in the scenario)")
    if not record.rationale:
        add("missing_rationale", "Rationale", "the record does not say why", "write the rationale (record.rationale)")
    if not record.risks:
        add("missing_risks", "Risks", "no risk is listed", "list at least the risks of the default (record.risks)")
    for k in REFLECTIONS:
        if not record.reflections.get(k):
            add("missing_reflection", f"Reflections: {REFLECTION_TITLES[k]}", "the exercise's question is unanswered",
                f"answer it (record.reflections.{k})")

    for d in record.decisions:
        where = f"Decision: {d.step}"
        default = record.candidate(d.step, d.default)
        if not d.fallback:
            add("no_fallback", where, f"no fallback for the default {d.default}",
                "name a fallback on another provider (record.decision or a second compared candidate)")
        else:
            fb = record.candidate(d.step, d.fallback)
            dprov = default.provider if default else d.default.split("/")[0]
            fprov = fb.provider if fb else d.fallback.split("/")[0]
            if dprov == fprov:
                add("fallback_same_provider", where,
                    f"the fallback {d.fallback} is on the same provider ({fprov}) as the default",
                    "pick a fallback on another provider: a provider outage or account problem takes both down")
            lat = fb.comparison.get("latency_risk") if fb else None
            if lat is not None and lat.level == "high":
                add("fallback_too_slow", where, f"the fallback {d.fallback} is not known to meet the step's latency "
                    f"target ({lat.shown})", "pick a fallback that meets the target, or record what users get while "
                    "the fallback serves")
            dr, fr = _regions(default), _regions(fb)
            if not dr or not fr:
                add("region_unknown", where, "the default's or the fallback's processing regions are unknown",
                    "fill in regions in providers.csv or offerings.csv, or check the provider's documentation")
            elif dr == fr:
                add("fallback_same_region", where,
                    f"the default and the fallback both process in the same region(s): {';'.join(sorted(dr))}",
                    "prefer a fallback served from another region, or record why a regional outage is acceptable")
        dl = default.comparison.get("latency_risk") if default else None
        if dl is not None and dl.level == "high":
            add("default_too_slow", where, f"the default {d.default} is not known to meet the step's latency target "
                f"({dl.shown})", "measure its latency on your traffic, pick a faster default, or relax the target")
        evals = [e for e in record.evaluations if e.step == d.step and e.candidate == d.default]
        if not evals:
            add("no_evaluation", where, f"the default {d.default} has no golden-set result",
                f"run the golden set (python -m workbench eval) on at least {MIN_EVAL_CASES} cases and pass --results")
        elif all(e.label not in MEASURED_LABELS for e in evals):
            add("illustrative_evaluation", where,
                f"the default's golden-set result is {evals[0].label}, not measured on the real endpoint",
                "run the golden set against the real endpoint before launch")
    if not record.decisions:
        add("no_fallback", "Decision", "the record decides nothing", "decide a default and a fallback per step")

    for e in record.evaluations:
        if e.n_cases < MIN_EVAL_CASES:
            add("small_evaluation", f"Evaluation: {e.step} / {e.candidate}",
                f"only {e.n_cases} golden-set cases (fewer than {MIN_EVAL_CASES})",
                f"grow the golden set to at least {MIN_EVAL_CASES} cases: with fewer, a 10-point difference "
                f"in success rate is within noise")
        if e.as_of is None:
            add("undated_number", f"Evaluation: {e.step} / {e.candidate}", "the result has no as_of date",
                "give the date the evaluation was run")

    if not record.triggers:
        add("no_review_trigger", "Review triggers", "no review trigger: nothing says when to revisit",
            "set record.review_triggers (price change, deprecation, volume, age, golden-set drop, dominance)")
    for t in record.triggers:
        for k, v in t.baseline.items():
            if _is_number(v) and t.baseline.get("as_of") is None:
                add("undated_number", f"Review triggers: {t.kind} {t.offering_id or t.step or ''}".rstrip(),
                    f"baseline '{k}' has no as_of date", "record the date the baseline describes")
                break

    decided = {(d.step, d.default) for d in record.decisions} | {(d.step, d.fallback) for d in record.decisions if d.fallback}
    for c in record.candidates:
        where = f"Candidates: {c.step} / {c.offering_id}"
        for name, f in c.facts.items():
            if _is_number(f.value) and f.as_of is None:
                add("undated_number", where, f"'{name}' = {f.value:g} has no as_of date",
                    "give the date the number describes (or mark it as an assumption with the scenario's as_of)")
        if (c.step, c.offering_id) in decided:
            checked = c.fact("licence_checked")
            if checked is not True or c.fact("commercial_use") in (None, "unknown"):
                add("licence_not_checked", where,
                    f"licence '{c.fact('license') or 'unknown'}' (commercial use: {c.fact('commercial_use') or 'unknown'}) "
                    "has not been checked", "run the licence due diligence (workbench.diligence) and record its result")
    return pd.DataFrame(rows, columns=list(LINT_COLUMNS))


# ------------------------------------------------------------------------------------------------
# views for people (notebook 06, the CLI)
# ------------------------------------------------------------------------------------------------

def decisions_frame(record: Record) -> pd.DataFrame:
    """The decision: one row per step with its default, fallback (``NONE`` when missing) and why.
    Introduced in ``06_model_decision_record.ipynb``."""
    return pd.DataFrame([{"step": d.step, "default": d.default, "fallback": d.fallback or "NONE", "why": d.why}
                         for d in record.decisions], columns=["step", "default", "fallback", "why"])


def facts_frame(record: Record, step: str | None = None, names: tuple[str, ...] | list[str] = ("quality",),
                with_source: bool = True) -> pd.DataFrame:
    """Chosen facts of the compared candidates, one row per candidate: ``offering_id``, ``picked_as``
    and, per fact name, the value as ``value (source, as_of)`` (``with_source``) or the bare value.
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    rows = []
    for c in record.candidates:
        if step is not None and c.step != step:
            continue
        row = {"offering_id": c.offering_id, "picked_as": c.picked_as}
        for n in names:
            f = c.facts.get(n)
            if f is None or f.value is None:
                row[n] = "unknown" if with_source else None
            elif with_source:
                bench = f"{f.note} " if f.note and f.note != "computed" else ""
                when = f.as_of.isoformat() if f.as_of else "no date"
                row[n] = f"{bench}{fmt_value(f.value)} ({short_source(f.source)}, {when})"
            else:
                row[n] = f.value
        rows.append(row)
    return pd.DataFrame(rows, columns=["offering_id", "picked_as", *names])


def comparison_long(record: Record, step: str) -> pd.DataFrame:
    """The comparison of one step in long form: ``offering_id``, ``column`` (one of the seven),
    ``level`` and ``number`` (the number behind it), for reading on a narrow screen.
    Introduced in ``06_model_decision_record.ipynb``."""
    rows = []
    for c in record.candidates:
        if c.step != step:
            continue
        for col in COMPARISON_COLUMNS:
            lv = c.comparison.get(col)
            rows.append({"offering_id": c.offering_id, "column": col, "level": lv.level if lv else "",
                         "number": lv.shown if lv else ""})
    return pd.DataFrame(rows, columns=["offering_id", "column", "level", "number"])


def lint_report(record: Record) -> str:
    """:func:`lint` as numbered sentences with their fixes, or a line saying nothing is missing.
    Introduced in ``notebooks/06_model_decision_record.ipynb``."""
    f = lint(record)
    if f.empty:
        return "lint: nothing missing or weak"
    lines = [f"lint: {len(f)} finding(s)"]
    for i, r in enumerate(f.itertuples(index=False), start=1):
        lines.append(f"{i:>2}. [{r.code}] {r.where}: {r.message}.\n    Fix: {r.fix}.")
    return "\n".join(lines)
