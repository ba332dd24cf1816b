"""Typed endpoint errors: what went wrong with one call, and whether trying again can help.

The OpenAI-compatible adapter turns every SDK or HTTP failure into one of these, so a retry policy
(:mod:`workbench.evals.adapters.retry`) and, later, a fallback chain (primary then fallbacks on
429/5xx/timeout) decide on the *kind* of failure, never on an error message. Messages never contain
an API key. Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations


class EndpointError(Exception):
    """One failed call to a model endpoint. ``kind`` is a short stable name stored in results files;
    ``retryable`` says whether the same request may succeed if sent again.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "endpoint_error"
    retryable = False

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class RateLimited(EndpointError):
    """HTTP 429. ``retry_after_s`` is the server's ``Retry-After`` in seconds (None when absent).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "rate_limited"
    retryable = True

    def __init__(self, message: str, retry_after_s: float | None = None, status: int = 429):
        super().__init__(message, status)
        self.retry_after_s = retry_after_s


class ServerError(EndpointError):
    """HTTP 5xx (or 408/409, which providers use for overload), or an error event inside a stream.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "server_error"
    retryable = True


class Timeout(EndpointError):
    """No byte arrived within the read timeout, or the whole call exceeded its deadline.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "timeout"
    retryable = True


class ConnectionFailed(EndpointError):
    """The endpoint could not be reached (refused, DNS, reset).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "connection"
    retryable = True


class MalformedResponse(EndpointError):
    """The endpoint answered, but not in the chat-completions protocol (bad JSON chunk, no choices,
    an empty stream). Not retried by default: the same request usually gets the same answer.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "malformed"


class ClientError(EndpointError):
    """HTTP 4xx other than 429: a bad request, a wrong key, an unknown model. Retrying cannot help.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind = "client_error"
