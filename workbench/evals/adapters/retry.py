"""Retry policy for endpoint calls: exponential backoff with jitter, honouring ``Retry-After``.

The policy is a frozen dataclass with one pure method, :meth:`RetryPolicy.delay_s`, that says how
long to wait before attempt *n* + 1 (or ``None``: give up), so it is testable without a clock.
:func:`call_with_retries` is the loop. The SDK's own retries are switched off (``max_retries=0``),
so every retry the workbench makes is visible in the results (``attempts``).
Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from workbench.evals.adapters.errors import EndpointError, RateLimited

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a failed call again (all times in seconds).

    - ``max_attempts``: total tries, the first one included (1 = never retry);
    - backoff before attempt k+1 is ``base_delay_s * multiplier**(k-1)``, capped at ``max_delay_s``,
      then spread by +/- ``jitter`` (a fraction) so parallel workers do not retry in lock-step;
    - a 429 with ``Retry-After`` waits exactly what the server asked; when it asks for more than
      ``max_retry_after_s`` the policy gives up at once (a fallback model is then the better choice);
    - only errors whose ``retryable`` is true are retried (429, 5xx, timeouts, refused connections).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    max_attempts: int = 4
    base_delay_s: float = 0.5
    multiplier: float = 2.0
    max_delay_s: float = 20.0
    jitter: float = 0.2
    max_retry_after_s: float = 60.0

    def delay_s(self, attempt: int, error: EndpointError, rng: random.Random | None = None) -> float | None:
        """Seconds to wait after failed attempt number ``attempt`` (1-based), or None to give up."""
        if not error.retryable or attempt >= self.max_attempts:
            return None
        if isinstance(error, RateLimited) and error.retry_after_s is not None:
            if error.retry_after_s > self.max_retry_after_s:
                return None
            return max(0.0, float(error.retry_after_s))
        backoff = min(self.max_delay_s, self.base_delay_s * self.multiplier ** (attempt - 1))
        if self.jitter:
            backoff *= 1 + (rng or random).uniform(-self.jitter, self.jitter)
        return max(0.0, backoff)


NO_RETRY = RetryPolicy(max_attempts=1)


def call_with_retries(call: Callable[[int], T], policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep,
                      rng: random.Random | None = None, on_retry: Callable[[int, EndpointError, float], None] | None = None
                      ) -> tuple[T, int]:
    """Run ``call(attempt)`` until it succeeds or the policy gives up; return (result, attempts used).

    ``call`` raises :class:`EndpointError` to fail; the last error is re-raised with an
    ``attempts`` attribute set. Other exceptions propagate at once (they are bugs, not outages).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    attempt = 1
    while True:
        try:
            return call(attempt), attempt
        except EndpointError as err:
            wait = policy.delay_s(attempt, err, rng)
            if wait is None:
                err.attempts = attempt
                raise
            if on_retry is not None:
                on_retry(attempt, err, wait)
            sleep(wait)
            attempt += 1
