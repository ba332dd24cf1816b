"""The one small interface every candidate implements, and what a call returns.

A candidate takes a golden case and the prompt built for it and returns a :class:`Completion`
(text, token usage, timings), or raises an :class:`~workbench.evals.adapters.errors.EndpointError`.
Three implementations ship: the rule baseline (``rules``), a results-file replay (``replay:FILE``)
and an OpenAI-compatible chat endpoint (``openai:MODEL``). Introduced in
``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol, runtime_checkable

# where a candidate's outputs come from; shown next to every score
PROVENANCES = ("measured", "deterministic rules", "illustrative", "replayed")


@dataclass(frozen=True)
class Completion:
    """One candidate's answer to one case.

    Tokens are as the endpoint reported them (None = not reported): ``output_tokens`` counts every
    generated token, reasoning included (the API's ``completion_tokens``); ``reasoning_tokens`` is
    the part of it spent thinking; ``cached_input_tokens`` the part of ``input_tokens`` read from the
    prompt cache. Times in seconds from sending the first attempt: ``ttft_s`` to the first content
    token, ``total_s`` to the last byte (retries and their waits included); ``output_tokens_per_s``
    is generated tokens over the time between the first and the last token. ``prompt_hash`` is set
    by a replay: the hash of the prompt the recorded text answered (None = this run's prompt).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    text: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    cached_input_tokens: int | None = None
    ttft_s: float | None = None
    total_s: float | None = None
    output_tokens_per_s: float | None = None
    attempts: int = 1
    model: str | None = None
    finish_reason: str | None = None
    prompt_hash: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@runtime_checkable
class Candidate(Protocol):
    """What the runner needs from a candidate.

    ``name`` labels it in tables; ``cache_key`` identifies its outputs in the result cache (None =
    never cache: the call is free or already recorded); ``provenance`` is one of
    :data:`PROVENANCES`; ``describe()`` is the metadata written at the top of a results file (it
    never contains an API key).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    name: str
    cache_key: str | None
    provenance: str

    def complete(self, case, prompt) -> Completion: ...

    def describe(self) -> dict: ...
