"""A fallback chain with a circuit breaker per member, as a candidate the evaluation runner can run.

:class:`FallbackCandidate` wraps candidates (typically
:class:`~workbench.evals.adapters.openai_compat.OpenAICompatCandidate`, one per offering) and tries
them in order: when a member fails with a 429, a 5xx, a timeout or a refused connection
(:data:`FALLBACK_KINDS`), the next member gets the same request. Other failures (a 4xx such as a
bad key, a malformed stream) are not outages: they are raised at once, since another provider
would not fix them silently.

Each member has a :class:`CircuitBreaker`: after ``failure_threshold`` consecutive failures it
*opens* and the chain skips that member without waiting for it to fail again; after ``cooldown_s``
it lets one request through (*half-open*): a success *closes* it, a failure opens it again. The
clock is injectable, so tests move time instead of sleeping.

Every call is recorded in :attr:`FallbackCandidate.events` (which member was tried, what happened,
how long it took), so a run shows how often the fallback served. The members' own retry policies
still apply; give the primary few retries (``NO_RETRY``) so the fallback takes over quickly.
Availability maths for chains lives in :mod:`workbench.routing`. Introduced in
``notebooks/05_routing_and_fallbacks.ipynb``.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from workbench.evals.adapters.base import Completion
from workbench.evals.adapters.errors import EndpointError
from workbench.evals.adapters.openai_compat import OpenAICompatCandidate

FALLBACK_KINDS = ("rate_limited", "server_error", "timeout", "connection")
STATES = ("closed", "open", "half_open")


class CircuitBreaker:
    """Closed -> open after ``failure_threshold`` consecutive failures; open -> half-open once
    ``cooldown_s`` seconds have passed (one trial request at a time); half-open -> closed on a
    success, -> open again on a failure. ``clock`` returns seconds (default ``time.monotonic``).
    Thread-safe."""

    def __init__(self, failure_threshold: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = int(failure_threshold)
        self.cooldown_s = float(cooldown_s)
        self.clock = clock
        self._lock = threading.Lock()
        self._state = "closed"
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        """``closed``, ``open`` or ``half_open`` (an open circuit past its cool-down reads half-open)."""
        with self._lock:
            if self._state == "open" and self.clock() - self._opened_at >= self.cooldown_s:
                return "half_open"
            return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def allow(self) -> bool:
        """May a request go to this member now? Takes the half-open trial slot when it grants one."""
        with self._lock:
            if self._state == "closed":
                return True
            if self._state == "open":
                if self.clock() - self._opened_at < self.cooldown_s:
                    return False
                self._state = "half_open"
                self._trial_in_flight = False
            if self._trial_in_flight:
                return False
            self._trial_in_flight = True
            return True

    def record_success(self) -> None:
        with self._lock:
            self._state, self._failures, self._trial_in_flight = "closed", 0, False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            self._trial_in_flight = False
            if self._state == "half_open" or self._failures >= self.failure_threshold:
                self._state = "open"
                self._opened_at = self.clock()


@dataclass(frozen=True)
class FallbackEvent:
    """One member's part in one request: ``outcome`` is ``served``, ``failed`` (with the error
    ``kind``), ``skipped`` (its circuit was open) or ``raised`` (a failure that is not an outage)."""

    request: int
    member: str
    position: int
    outcome: str
    kind: str | None = None
    elapsed_s: float = 0.0
    state_after: str = "closed"


class ChainExhausted(EndpointError):
    """Every member of the chain failed or was skipped. ``kind`` is the last member error's kind
    (``circuit_open`` when every member was skipped), so results files keep the real reason."""

    retryable = True

    def __init__(self, message: str, kind: str = "chain_exhausted"):
        super().__init__(message)
        self.kind = kind


class FallbackCandidate:
    """Try ``members`` in order on 429 / 5xx / timeout / connection failures, with a circuit
    breaker per member (see the module doc). A :class:`~workbench.evals.adapters.base.Candidate`:
    :func:`workbench.evals.runner.run_eval` runs it like any other. Its outputs are never cached
    (``cache_key`` None): which member answers depends on the moment."""

    cache_key = None

    def __init__(self, members: Sequence, failure_threshold: int = 3, cooldown_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, fallback_on: Sequence[str] = FALLBACK_KINDS,
                 name: str | None = None):
        if not members:
            raise ValueError("a fallback chain needs at least one member")
        self.members = list(members)
        self.breakers = [CircuitBreaker(failure_threshold, cooldown_s, clock) for _ in self.members]
        self.fallback_on = tuple(fallback_on)
        self.clock = clock
        self.name = name or "fallback:" + ">".join(m.name for m in self.members)
        provenances = {getattr(m, "provenance", "measured") for m in self.members}
        self.provenance = provenances.pop() if len(provenances) == 1 else "measured"
        self.events: list[FallbackEvent] = []
        self._lock = threading.Lock()
        self._requests = 0

    def describe(self) -> dict:
        return {"candidate": self.name, "adapter": "fallback-chain", "provenance": self.provenance,
                "members": [m.describe() for m in self.members], "fallback_on": list(self.fallback_on),
                "failure_threshold": self.breakers[0].failure_threshold, "cooldown_s": self.breakers[0].cooldown_s}

    def states(self) -> dict[str, str]:
        """Each member's circuit state now."""
        return {m.name: b.state for m, b in zip(self.members, self.breakers)}

    def complete(self, case, prompt) -> Completion:
        return self._run(lambda m: m.complete(case, prompt))

    def chat(self, messages: list[dict]) -> Completion:
        """Send OpenAI-format ``messages`` through the chain (members must have ``chat``)."""
        return self._run(lambda m: m.chat(messages))

    def _log(self, *args, **kw) -> None:
        with self._lock:
            self.events.append(FallbackEvent(*args, **kw))

    def _run(self, call) -> Completion:
        with self._lock:
            self._requests += 1
            req = self._requests
        last: EndpointError | None = None
        attempts = 0
        for pos, (member, breaker) in enumerate(zip(self.members, self.breakers), start=1):
            if not breaker.allow():
                self._log(req, member.name, pos, "skipped", "circuit_open", 0.0, breaker.state)
                continue
            start = self.clock()
            try:
                result = call(member)
            except EndpointError as err:
                attempts += int(getattr(err, "attempts", 1) or 1)
                if err.kind not in self.fallback_on:
                    breaker.record_success()  # the member answered; the request itself was wrong
                    self._log(req, member.name, pos, "raised", err.kind, self.clock() - start, breaker.state)
                    raise
                breaker.record_failure()
                self._log(req, member.name, pos, "failed", err.kind, self.clock() - start, breaker.state)
                last = err
                continue
            breaker.record_success()
            self._log(req, member.name, pos, "served", None, self.clock() - start, breaker.state)
            return replace(result, attempts=attempts + int(result.attempts or 1),
                           model=result.model or member.name)
        if last is None:
            err = ChainExhausted("every member's circuit is open; no request was sent", kind="circuit_open")
        else:
            err = ChainExhausted(f"every member failed; the last: {last.message}", kind=last.kind)
        err.attempts = attempts
        raise err

    def served_counts(self) -> dict[str, int]:
        """How many requests each member served so far."""
        out = {m.name: 0 for m in self.members}
        for e in self.events:
            if e.outcome == "served":
                out[e.member] += 1
        return out


def endpoint_chain(configs: Sequence, failure_threshold: int = 3, cooldown_s: float = 30.0,
                   clock: Callable[[], float] = time.monotonic, environ=None, name: str | None = None
                   ) -> FallbackCandidate:
    """A :class:`FallbackCandidate` over OpenAI-compatible endpoints, one
    :class:`~workbench.evals.adapters.openai_compat.EndpointConfig` per member in order. Members
    keep their own retry policy and timeout; set the primary's ``retry`` to ``NO_RETRY`` and a short
    ``timeout_s`` so a failing primary hands over quickly.
    Introduced in ``notebooks/05_routing_and_fallbacks.ipynb``."""
    return FallbackCandidate([OpenAICompatCandidate(c, environ=environ) for c in configs], failure_threshold,
                             cooldown_s, clock, name=name)
