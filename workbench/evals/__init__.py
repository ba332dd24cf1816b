"""Private evaluation on a golden dataset: cases, deterministic checks, candidates, runner, scores.

The chapter's seven steps map onto this package: define tasks and success criteria (the case
format and :mod:`.checks`), collect cases (:mod:`.golden`), write checks (:mod:`.checks`), run
candidates with the same prompts and settings (:mod:`.prompts`, :mod:`.adapters`, :mod:`.runner`),
score success, format, latency, cost and escalation (:mod:`.report`), review failures
(:func:`.report.failure_table`) and feed them back as regression cases (tag ``regression``).
Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

from workbench.evals.adapters import make_candidate
from workbench.evals.checks import (
           CheckContext,
           CheckResult,
           context_for,
           run_checks,
           score_output,
           word_count,
)
from workbench.evals.consistency import (
           consistency_summary,
           load_paraphrases,
           paraphrased_golden,
           verdict_changes,
)
from workbench.evals.golden import (
           GoldenCase,
           GoldenSet,
           case_from_dict,
           check_matrix,
           golden_dir,
           load_golden,
           load_help_center,
           regression_case,
           tag_counts,
)
from workbench.evals.judge import (
           cohens_kappa,
           disagreements,
           judge_agreement,
           judge_prompt,
           parse_verdict,
           run_judge,
)
from workbench.evals.prompts import build_prompt, contract_for, support_contract
from workbench.evals.report import (
           compare,
           failure_table,
           field_accuracy,
           success_by,
           summarize,
)
from workbench.evals.runner import EvalRun, run_eval, write_results

__all__ = ["load_golden", "load_help_center", "GoldenCase", "GoldenSet", "case_from_dict", "check_matrix", "tag_counts",
           "golden_dir", "regression_case", "build_prompt", "contract_for", "support_contract", "CheckContext",
           "CheckResult", "context_for", "run_checks", "score_output", "word_count", "make_candidate", "run_eval",
           "write_results", "EvalRun", "summarize", "success_by", "failure_table", "field_accuracy", "compare",
           "load_paraphrases", "paraphrased_golden", "verdict_changes", "consistency_summary",
           "judge_prompt", "parse_verdict", "run_judge", "cohens_kappa", "judge_agreement", "disagreements"]
