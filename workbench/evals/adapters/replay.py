"""Replay a results file as a candidate: share a run, re-score it with today's checks, price it again.

A results file (written by :func:`workbench.evals.runner.write_results`) is JSON Lines: a metadata
object first (candidate, model, provenance, golden-set hash, prompt versions; never a key), then
one object per case with the output text, token usage and timings. Replaying returns those
recorded completions; a case the file does not have fails with ``not_recorded``; a case whose
recorded call failed fails again with the recorded error kind; a case answered for a different
prompt than today's is flagged ``stale_prompt`` by the runner. Introduced in
``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import json
from pathlib import Path

from workbench.errors import Problem, WorkbenchError, fail
from workbench.evals.adapters.base import Completion
from workbench.evals.adapters.errors import EndpointError

RESULTS_FORMAT = "workbench-eval-results"
COMPLETION_KEYS = ("text", "input_tokens", "output_tokens", "reasoning_tokens", "cached_input_tokens", "ttft_s",
                   "total_s", "output_tokens_per_s", "attempts", "model", "finish_reason")


class NotRecorded(EndpointError):
    """The results file has no output for this case.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "not_recorded"


class RecordedError(EndpointError):
    """The recorded call failed; replaying reproduces the failure with its kind and message.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def read_results_file(path: str | Path) -> tuple[dict, list[dict]]:
    """(metadata, rows) of a results file; a malformed file is a WorkbenchError naming the line.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    display = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise fail(display, "file", "results file not found",
                   "check the path; runs write results with --out, examples are in data/golden/results/") from None
    except UnicodeDecodeError:
        raise fail(display, "file", "not UTF-8 text", "a results file is UTF-8 JSON Lines") from None
    problems, objs = [], []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            objs.append((n, json.loads(line)))
        except ValueError as e:
            problems.append(Problem(display, f"line {n}", f"not valid JSON: {e.msg}", "one JSON object per line"))
    if problems:
        raise WorkbenchError(problems)
    if not objs or not isinstance(objs[0][1], dict) or objs[0][1].get("format") != RESULTS_FORMAT:
        raise fail(display, "line 1", f"the first line is not the metadata of a '{RESULTS_FORMAT}' file",
                   "replay a file written by 'python -m workbench eval --out FILE' (its first line says "
                   f"\"format\": \"{RESULTS_FORMAT}\")")
    meta = objs[0][1]
    rows = []
    for n, obj in objs[1:]:
        if not isinstance(obj, dict) or not isinstance(obj.get("case_id"), str):
            problems.append(Problem(display, f"line {n}", "a result row needs a string 'case_id'",
                                    "each line after the first is one case's result"))
            continue
        if not isinstance(obj.get("output", ""), str):
            problems.append(Problem(display, f"line {n}, output", "must be a string", "write the raw output text"))
            continue
        rows.append(dict(obj, _line=n))
    if problems:
        raise WorkbenchError(problems)
    return meta, rows


class ReplayCandidate:
    """Outputs recorded in a results file, replayed as a candidate (``--candidate replay:FILE``).

    ``name`` is ``replay:<recorded candidate>``; ``provenance`` is the file's (``measured`` or
    ``illustrative``), so illustrative outputs stay labelled as such wherever they are shown.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    cache_key = None

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.meta, rows = read_results_file(path)
        self.rows = {r["case_id"]: r for r in rows}
        recorded = self.meta.get("candidate", Path(path).stem)
        self.name = f"replay:{recorded}"
        self.provenance = str(self.meta.get("provenance", "replayed"))

    def describe(self) -> dict:
        keep = {k: v for k, v in self.meta.items() if k not in ("format", "version")}
        return {**keep, "candidate": self.name, "adapter": "replay", "replayed_from": Path(self.path).name,
                "provenance": self.provenance}

    def complete(self, case, prompt=None) -> Completion:
        row = self.rows.get(case.id)
        if row is None:
            raise NotRecorded(f"{Path(self.path).name} has no result for case '{case.id}'")
        if row.get("error_kind"):
            raise RecordedError(str(row["error_kind"]), str(row.get("error") or "recorded failure"))
        fields = {k: row.get(k) for k in COMPLETION_KEYS if k != "text"}
        fields["attempts"] = int(fields.get("attempts") or 1)
        return Completion(text=row.get("output", ""), prompt_hash=row.get("prompt_hash"), **fields)


CHARS_PER_TOKEN = 4  # ASSUMPTION for English text; a real tokenizer gives the true count


def estimate_tokens(text: str) -> int:
    """Tokens in ``text`` estimated as ceil(characters / 4): an ASSUMPTION used only for outputs
    that no endpoint counted (illustrative results). Taught in ``notebooks/04_golden_dataset_eval.ipynb``."""
    return -(-len(text or "") // CHARS_PER_TOKEN)


class IllustrativeCandidate:
    """Outputs written by hand (case id -> text), labelled ``illustrative`` everywhere they appear.

    Used to author example results files that show what replaying and scoring a model looks
    like without calling one. No latency is recorded (nothing was measured); token counts are
    :func:`estimate_tokens` of the prompt and the output, so a catalog price gives an
    illustrative cost. A case without a written output fails as ``not_recorded``.
    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    cache_key = None
    provenance = "illustrative"

    def __init__(self, outputs: dict[str, str], name: str, note: str):
        self.outputs, self.name, self.note = dict(outputs), name, note

    def describe(self) -> dict:
        return {"candidate": self.name, "adapter": "illustrative", "provenance": self.provenance, "note": self.note,
                "token_counts": f"estimated as ceil(characters / {CHARS_PER_TOKEN}), an ASSUMPTION: no tokenizer was run",
                "latency": "not measured: no model was called"}

    def complete(self, case, prompt) -> Completion:
        if case.id not in self.outputs:
            raise NotRecorded(f"no illustrative output was written for case '{case.id}'")
        text = self.outputs[case.id]
        prompt_tokens = sum(estimate_tokens(m["content"]) for m in prompt.messages)
        return Completion(text=text, input_tokens=prompt_tokens, output_tokens=estimate_tokens(text), model=None)
