"""Candidates behind one interface (:class:`~.base.Candidate`): rules, replay, OpenAI-compatible.

:func:`make_candidate` turns a command-line spec (``rules``, ``replay:FILE``, ``openai:MODEL``)
into a candidate. Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import os

from workbench.errors import did_you_mean, fail
from workbench.evals.adapters.base import PROVENANCES, Candidate, Completion
from workbench.evals.adapters.errors import (
    ClientError,
    ConnectionFailed,
    EndpointError,
    MalformedResponse,
    RateLimited,
    ServerError,
    Timeout,
)
from workbench.evals.adapters.openai_compat import (
    ENV_BASE_URL,
    EndpointConfig,
    OpenAICompatCandidate,
)
from workbench.evals.adapters.replay import ReplayCandidate
from workbench.evals.adapters.retry import NO_RETRY, RetryPolicy, call_with_retries
from workbench.evals.adapters.rules import RulesCandidate
from workbench.evals.checks import DEFAULT_ACCOUNT_ID_PATTERN
from workbench.evals.prompts import contract_for

SPECS = ("rules", "replay:FILE", "openai:MODEL")


def make_candidate(spec: str, golden=None, base_url: str | None = None, environ=None,
                   account_id_pattern: str | None = None, **endpoint):
    """The candidate a spec names: ``rules`` (needs ``golden`` for its articles), ``replay:FILE``,
    or ``openai:MODEL``; ``account_id_pattern`` is the scenario's ``pii.account_id_pattern`` for the rules (``base_url`` or ``$WORKBENCH_BASE_URL``; ``endpoint`` overrides
    :class:`~.openai_compat.EndpointConfig` fields such as ``timeout_s``, ``max_tokens``).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    kind, _, arg = str(spec).partition(":")
    if kind == "rules" and not arg:
        return RulesCandidate(golden.articles if golden else {}, contract_for(golden) if golden else None,
                              account_id_pattern or DEFAULT_ACCOUNT_ID_PATTERN)
    if kind == "replay" and arg:
        return ReplayCandidate(arg)
    if kind == "openai" and arg:

        env = os.environ if environ is None else environ
        url = base_url or env.get(ENV_BASE_URL) or None
        return OpenAICompatCandidate(EndpointConfig(model=arg, base_url=url, **endpoint), environ=environ)
    raise fail("--candidate", repr(spec), "not a candidate spec",
               f"use one of {', '.join(SPECS)}; " + did_you_mean(kind, ("rules", "replay", "openai")))


__all__ = ["Candidate", "Completion", "PROVENANCES", "EndpointError", "RateLimited", "ServerError", "Timeout",
           "ConnectionFailed", "MalformedResponse", "ClientError", "RetryPolicy", "NO_RETRY", "call_with_retries",
           "make_candidate", "SPECS"]
