"""Run a candidate over the golden set: bounded concurrency, a progress bar, a result cache, scores.

:func:`run_eval` builds each case's prompt, asks the candidate (at most ``concurrency`` calls in
flight), caches every successful completion under ``cache_dir/<candidate>/<case>-<prompt hash>.json``
so a rerun with the same candidate, case and prompt costs nothing, scores every output with the
deterministic checks, prices it from the catalog offering's row (through
:func:`workbench.costs.request.request_cost_usd`), and returns an :class:`EvalRun` (metadata + one row per
case). :func:`write_results` writes it as a results file that ``replay:FILE`` can load again.

An endpoint failure (rate limit, 5xx, timeout, malformed stream) fails that case, with its kind and
message in the row; the run goes on. The progress bar writes to stderr only when it is a terminal,
so notebooks (and nbval) see nothing of it. Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from workbench.errors import fail
from workbench.evals.adapters.base import Completion
from workbench.evals.adapters.errors import EndpointError
from workbench.evals.adapters.replay import RESULTS_FORMAT
from workbench.evals.checks import context_for, score_output
from workbench.evals.prompts import build_prompt, contract_for, template_version
from workbench.evals.report import case_costs_usd
from workbench.tables import _plain
from workbench.util import project_dir

RESULT_COLUMNS = ("candidate", "provenance", "case_id", "task", "tags", "prompt_version", "prompt_hash",
                  "stale_prompt", "from_cache", "output", "error_kind", "error", "attempts", "input_tokens",
                  "output_tokens", "reasoning_tokens", "cached_input_tokens", "ttft_s", "total_s",
                  "output_tokens_per_s", "passed", "format_valid", "escalated", "failed_checks", "reasons",
                  "fields_right", "fields_total", "cost_usd", "checks")


def default_cache_dir() -> Path:
    """``runs/cache`` in the project folder (git ignores ``/runs/``).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    return project_dir() / "runs" / "cache"


class ProgressBar:
    """A one-line text bar (``cases 37/99 [#####.....]``) on ``stream`` (default stderr).

    ``enabled=None`` means: only when the stream is a terminal. In Jupyter stderr is not a
    terminal, so nothing is written and notebook outputs stay stable.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    def __init__(self, total: int, label: str = "cases", stream=None, enabled: bool | None = None, width: int = 30):
        self.total, self.label, self.width, self.done = total, label, width, 0
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.enabled:
            filled = int(self.width * self.done / max(1, self.total))
            self.stream.write(f"\r{self.label} {self.done}/{self.total} [{'#' * filled}{'.' * (self.width - filled)}]")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


class ResultCache:
    """Completions on disk, one JSON file per (candidate, case, prompt hash). Writes are atomic.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    def __init__(self, folder: str | Path, cache_key: str):
        self.folder = Path(folder) / hashlib.sha256(cache_key.encode()).hexdigest()[:16]
        self.cache_key = cache_key

    def path(self, case_id: str, prompt_hash: str) -> Path:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in case_id)
        return self.folder / f"{safe}-{prompt_hash}.json"

    def get(self, case_id: str, prompt_hash: str) -> Completion | None:
        p = self.path(case_id, prompt_hash)
        try:
            obj = json.loads(p.read_text(encoding="utf-8"))
            return Completion(**obj["completion"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def put(self, case_id: str, prompt_hash: str, completion: Completion) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        obj = {"cache_key": self.cache_key, "case_id": case_id, "prompt_hash": prompt_hash,
               "completion": completion.to_dict()}
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(obj, f)
        os.replace(tmp, self.path(case_id, prompt_hash))


@dataclass
class EvalRun:
    """One candidate's run over a golden set: ``meta`` (what ran, on what, priced how) and
    ``results`` (one row per case, columns :data:`RESULT_COLUMNS`).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    meta: dict
    results: pd.DataFrame = field(repr=False)

    @property
    def candidate(self) -> str:
        return self.meta["candidate"]


def run_eval(golden, candidate, offering: pd.Series | None = None, concurrency: int = 4,
             cache_dir: str | Path | None = None, use_cache: bool = True, progress: bool | None = None,
             case_ids: list[str] | None = None, as_of: str | None = None, progress_stream=None) -> EvalRun:
    """Run ``candidate`` on ``golden`` (or the cases in ``case_ids``) and score it.

    ``offering`` is a catalog offering row (``catalog.offering(id)``) whose prices turn token usage
    into USD; without one, model calls cost NaN (unknown), never 0. ``concurrency`` bounds the calls
    in flight; ``progress`` None shows a bar only on a terminal. ``as_of`` (YYYY-MM-DD) dates the run
    in its metadata. Returns an :class:`EvalRun`.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    cases = list(golden.cases)
    if case_ids is not None:
        wanted = list(dict.fromkeys(case_ids))
        cases = [golden.case(i) for i in wanted]
    contract = contract_for(golden)
    prompts = {c.id: build_prompt(c, golden.articles, contract) for c in cases}
    cache = None
    if use_cache and getattr(candidate, "cache_key", None):
        cache = ResultCache(cache_dir if cache_dir is not None else default_cache_dir(), candidate.cache_key)

    mask = getattr(candidate, "mask", None) or (lambda text: text)  # the key never lands in a cache, file or table
    outcomes: dict[str, tuple[Completion | None, EndpointError | None, bool]] = {}
    pending = []
    for c in cases:
        hit = cache.get(c.id, prompts[c.id].prompt_hash) if cache else None
        if hit is not None:  # a cache written before masking existed is masked on the way out too
            outcomes[c.id] = (replace(hit, text=mask(hit.text)), None, True)
        else:
            pending.append(c)
    bar = ProgressBar(len(cases), f"{candidate.name}:", stream=progress_stream, enabled=progress)
    bar.update(len(cases) - len(pending))

    def call(case):
        try:
            comp = candidate.complete(case, prompts[case.id])
            return case.id, replace(comp, text=mask(comp.text)), None
        except EndpointError as err:
            err.message = mask(err.message)
            return case.id, None, err

    try:
        with ThreadPoolExecutor(max_workers=max(1, int(concurrency))) as pool:
            for fut in as_completed([pool.submit(call, c) for c in pending]):
                cid, comp, err = fut.result()
                outcomes[cid] = (comp, err, False)
                if comp is not None and cache is not None:
                    cache.put(cid, prompts[cid].prompt_hash, comp)
                bar.update()
    finally:
        bar.close()

    ctx_base = context_for(golden)
    rows = []
    for c in cases:
        comp, err, cached = outcomes[c.id]
        p = prompts[c.id]
        row = {"candidate": candidate.name, "provenance": candidate.provenance, "case_id": c.id, "task": c.task,
               "tags": ";".join(c.tags), "prompt_version": p.template_version, "prompt_hash": p.prompt_hash,
               "from_cache": cached}
        if err is not None:
            row.update(stale_prompt=False, output="", error_kind=err.kind, error=err.message,
                       attempts=getattr(err, "attempts", 1), passed=False, format_valid=False, escalated=False,
                       failed_checks="error", reasons=f"{err.kind}: {err.message}", checks=[])
        else:
            ctx = type(ctx_base)(**{**ctx_base.__dict__, "system_prompt": p.system})
            verdict = score_output(c, comp.text, ctx)
            row.update({k: v for k, v in comp.to_dict().items() if k not in ("text", "prompt_hash", "model", "finish_reason")})
            row.update(stale_prompt=bool(comp.prompt_hash and comp.prompt_hash != p.prompt_hash), output=comp.text,
                       error_kind=None, error=None, passed=verdict["passed"], format_valid=verdict["format_valid"],
                       escalated=verdict["escalated"], failed_checks=";".join(verdict["failed_checks"]),
                       reasons=" | ".join(f"{x['name']}: {x['reason']}" for x in verdict["checks"] if not x["passed"]),
                       fields_right=verdict["fields_right"], fields_total=verdict["fields_total"],
                       checks=verdict["checks"])
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in RESULT_COLUMNS:
        if col not in df:
            df[col] = None
    df = df[list(RESULT_COLUMNS)]
    for col in ("input_tokens", "output_tokens", "reasoning_tokens", "cached_input_tokens", "attempts",
                "fields_right", "fields_total"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in ("ttft_s", "total_s", "output_tokens_per_s"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    cost, basis = case_costs_usd(df, offering, free=candidate.provenance == "deterministic rules")
    df["cost_usd"] = cost
    meta = {"format": RESULTS_FORMAT, "version": 1, **candidate.describe(),
            "golden": Path(golden.path).name, "golden_sha256": golden.sha256, "cases": len(cases),
            "prompt_versions": {t: template_version(t) for t in sorted({c.task for c in cases})},
            "concurrency": int(concurrency), "cost_basis": basis}
    if as_of:
        meta["as_of"] = str(as_of)
    if offering is not None:
        meta.update(offering_id=str(offering.get("offering_id")), offering_source=_plain(offering.get("source")),
                    offering_as_of=_plain(offering.get("as_of")),
                    usd_per_mtok_in=_plain(offering.get("usd_per_mtok_in")),
                    usd_per_mtok_out=_plain(offering.get("usd_per_mtok_out")))
    return EvalRun(meta=meta, results=df)


def write_results(run: EvalRun, path: str | Path, force: bool = False) -> Path:
    """Write ``run`` as a results file (JSON Lines: metadata, then one row per case); refuse to
    replace an existing file unless ``force``. API keys are never part of a run, so never written.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    path = Path(path)
    if path.exists() and not force:
        raise fail(str(path), "file", "already exists; nothing was written",
                   "choose another --out file, or pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(_plain(run.meta), ensure_ascii=False)]
    for rec in run.results.to_dict(orient="records"):
        lines.append(json.dumps({k: _plain(v) for k, v in rec.items()}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
