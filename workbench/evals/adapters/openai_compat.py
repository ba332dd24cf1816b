"""An OpenAI-compatible chat endpoint as a candidate: streams, measures, retries, limits concurrency.

Works with any server that speaks the chat-completions protocol (OpenAI, OpenRouter, Ollama, vLLM,
llama.cpp's server, LM Studio) through the official ``openai`` SDK with a configurable base URL.
Every call streams (``stream=True`` with ``stream_options={"include_usage": True}``), so the time to
the first content token and the output tokens per second are measured, and the usage chunk gives
the token counts that the catalog's prices turn into cost (never a price written in code).

The SDK's own retries are off (``max_retries=0``): failures become typed errors
(:mod:`~workbench.evals.adapters.errors`) and :class:`~workbench.evals.adapters.retry.RetryPolicy`
decides, honouring ``Retry-After``. A semaphore caps the calls in flight. The API key is read from
the environment and never appears in ``describe()``, a results file, an error message or a log.
Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import email.utils
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from workbench.errors import fail
from workbench.evals.adapters.base import Completion
from workbench.evals.adapters.errors import (
    ClientError,
    ConnectionFailed,
    EndpointError,
    MalformedResponse,
    RateLimited,
    ServerError,
    Timeout,
)
from workbench.evals.adapters.retry import RetryPolicy, call_with_retries

ENV_BASE_URL = "WORKBENCH_BASE_URL"
ENV_MODEL = "WORKBENCH_MODEL"
ENV_API_KEY = "WORKBENCH_API_KEY"
FALLBACK_KEY_ENV = "OPENAI_API_KEY"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
NO_KEY = "no-key"  # local servers (Ollama, llama.cpp, LM Studio) accept any key


@dataclass(frozen=True)
class EndpointConfig:
    """How to call one model on one OpenAI-compatible endpoint.

    ``base_url`` None means OpenAI itself. ``timeout_s`` bounds connecting and each read (seconds
    without a byte); ``deadline_s`` bounds one whole streamed attempt. ``max_concurrency`` is the
    most calls in flight at once through this candidate. ``temperature`` 0 and a fixed
    ``max_tokens`` keep runs comparable across candidates (same prompts, same settings).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    model: str
    base_url: str | None = None
    api_key_env: str = ENV_API_KEY
    temperature: float | None = 0.0
    max_tokens: int | None = 600
    timeout_s: float = 60.0
    deadline_s: float = 180.0
    max_concurrency: int = 8
    retry: RetryPolicy = field(default_factory=RetryPolicy)


def safe_url(url: str | None) -> str | None:
    """A URL without user:password and query string, safe to write to a results file or a log.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every given secret and anything shaped like an API key replaced by '***'.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    for s in secrets:
        if s and len(s) >= 4:
            text = text.replace(s, "***")
    return re.sub(r"\b(sk|rk|pk|or|gsk|xai|key)-[A-Za-z0-9_\-*]{6,}", "***", text)


MASK = "***"
# the value of an Authorization header or a bearer token, wherever it appears in text
_AUTH_VALUE = re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:bearer\s+|basic\s+|token\s+)?[^\s\"',;}]+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)(?=[A-Za-z0-9._~+/\-]*\d)[A-Za-z0-9._~+/\-]{8,}=*")


def mask_secrets(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every occurrence of the given secrets (the configured API key) and every
    ``Authorization`` header value or bearer token masked as '***'. Applied to completions before they
    are cached, written or printed (an echoing proxy or a debugging server may repeat the key).
    Unlike :func:`redact` it leaves key-like words alone (a model may well write 'key-value')."""
    if not text:
        return text
    for s in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = re.sub(re.escape(s), MASK, text, flags=re.IGNORECASE)  # also a key a proxy upper- or lower-cased
    text = _AUTH_VALUE.sub(lambda m: m.group(1) + MASK, text)
    return _BEARER.sub(lambda m: m.group(1) + MASK, text)


def api_key_from_env(config: EndpointConfig, environ: Mapping[str, str] | None = None) -> str:
    """The API key for ``config``: ``$WORKBENCH_API_KEY`` (or the variable the config names), then
    ``$OPENAI_API_KEY``; a local server needs none. A missing key for a remote endpoint is an error
    that says which variable to set (keys belong in the environment, never in a file).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    env = os.environ if environ is None else environ
    for var in (config.api_key_env, FALLBACK_KEY_ENV):
        if env.get(var):
            return env[var]
    host = urlsplit(config.base_url).hostname if config.base_url else None
    if host in LOCAL_HOSTS:
        return NO_KEY
    raise fail(f"${config.api_key_env}", "environment", "no API key for the endpoint "
               f"{safe_url(config.base_url) or 'https://api.openai.com/v1'}",
               f"export {config.api_key_env}=... in the shell that runs the workbench (never write a key into a "
               "file you commit); for a server without authentication set it to any text, e.g. EMPTY")


def config_from_env(environ: Mapping[str, str] | None = None, **overrides) -> EndpointConfig | None:
    """An :class:`EndpointConfig` from ``$WORKBENCH_MODEL`` and ``$WORKBENCH_BASE_URL``, or None when
    no model is named (the notebook then loads a results file instead of calling an endpoint).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    env = os.environ if environ is None else environ
    model = env.get(ENV_MODEL, "").strip()
    if not model:
        return None
    return EndpointConfig(model=model, base_url=env.get(ENV_BASE_URL, "").strip() or None, **overrides)


def parse_retry_after_s(headers: Mapping[str, str] | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a server asks to wait: ``retry-after-ms``, ``retry-after`` in seconds, or an HTTP date.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    if not headers:
        return None
    get = headers.get
    ms = get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def _status_error(err, secrets) -> EndpointError:
    """Map an SDK status error to a typed error."""
    status = getattr(err, "status_code", None)
    headers = getattr(getattr(err, "response", None), "headers", None)
    msg = redact(f"HTTP {status}: {getattr(err, 'message', str(err))}", secrets)
    if status == 429:
        return RateLimited(msg, retry_after_s=parse_retry_after_s(headers))
    if status is not None and (status >= 500 or status in (408, 409)):
        return ServerError(msg, status=status)
    return ClientError(msg, status=status)


class OpenAICompatCandidate:
    """A candidate that calls ``config.model`` on an OpenAI-compatible endpoint (see module doc).

    ``sleep`` is injectable so tests can check the waits without waiting.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    provenance = "measured"

    def __init__(self, config: EndpointConfig, environ: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        try:
            import openai  # an optional dependency: only this adapter needs it
        except ImportError:
            raise fail("openai", "package", "the 'openai' package is not installed",
                       "pip install 'openai>=1.40' (or: pip install -e '.[endpoints]')") from None

        self.config = config
        self.name = f"openai:{config.model}"
        self._openai = openai
        key = api_key_from_env(config, environ)
        self._secrets = (key,)
        self._client = openai.OpenAI(api_key=key, base_url=config.base_url, max_retries=0,
                                     timeout=config.timeout_s)
        self._slots = threading.BoundedSemaphore(max(1, int(config.max_concurrency)))
        self._sleep = sleep

    def __repr__(self) -> str:  # never show the key
        return f"OpenAICompatCandidate(model={self.config.model!r}, base_url={safe_url(self.config.base_url)!r})"

    def mask(self, text: str) -> str:
        """``text`` with this endpoint's key and any Authorization value masked (see :func:`mask_secrets`)."""
        return mask_secrets(text, self._secrets)

    @property
    def cache_key(self) -> str:
        c = self.config
        return (f"openai-compatible|{safe_url(c.base_url) or 'openai'}|{c.model}|temperature={c.temperature}"
                f"|max_tokens={c.max_tokens}")

    def describe(self) -> dict:
        c = self.config
        return {"candidate": self.name, "adapter": "openai-compatible", "model": c.model,
                "base_url": safe_url(c.base_url) or "https://api.openai.com/v1", "temperature": c.temperature,
                "max_tokens": c.max_tokens, "timeout_s": c.timeout_s, "deadline_s": c.deadline_s,
                "max_concurrency": c.max_concurrency, "retry": asdict(c.retry), "provenance": self.provenance}

    def complete(self, case, prompt) -> Completion:
        """Stream one chat completion for ``prompt.messages``; retries per the config's policy."""
        return self.chat(prompt.messages)

    def chat(self, messages: list[dict]) -> Completion:
        """Send ``messages`` (OpenAI chat format) and return the measured completion, or raise the
        last :class:`EndpointError` (with ``attempts``) when the retry policy gives up."""
        with self._slots:
            start = time.perf_counter()
            result, attempts = call_with_retries(lambda n: self._stream_once(messages, start), self.config.retry,
                                                 sleep=self._sleep)
        return replace(result, attempts=attempts)

    def _stream_once(self, messages: list[dict], start: float) -> Completion:
        c, oa = self.config, self._openai
        opts = {}
        if c.temperature is not None:
            opts["temperature"] = c.temperature
        if c.max_tokens is not None:
            opts["max_tokens"] = c.max_tokens
        attempt_start = time.perf_counter()
        parts: list[str] = []
        first = last = None
        usage = model = finish = None
        chunks = 0
        try:
            stream = self._client.chat.completions.create(model=c.model, messages=messages, stream=True,
                                                          stream_options={"include_usage": True}, **opts)
            try:
                for chunk in stream:
                    now = time.perf_counter()
                    chunks += 1
                    if now - attempt_start > c.deadline_s:
                        raise Timeout(f"the response took longer than the {c.deadline_s:g} s deadline")
                    model = model or getattr(chunk, "model", None)
                    if getattr(chunk, "usage", None):
                        usage = chunk.usage
                    for choice in chunk.choices or ():
                        piece = choice.delta.content if choice.delta is not None else None
                        if piece:
                            parts.append(piece)
                            first = first if first is not None else now
                            last = now
                        if choice.finish_reason:
                            finish = choice.finish_reason
            finally:
                stream.close()
        except EndpointError:
            raise
        except oa.APITimeoutError:
            raise Timeout(f"no response within the {c.timeout_s:g} s timeout") from None
        except oa.APIConnectionError as e:
            raise ConnectionFailed(redact(f"could not reach {safe_url(c.base_url) or 'the endpoint'}: {e}",
                                          self._secrets)) from None
        except oa.APIStatusError as e:
            raise _status_error(e, self._secrets) from None
        except oa.APIError as e:  # an error event inside the stream
            raise ServerError(redact(f"error event in the stream: {e.message}", self._secrets)) from None
        except (ValueError, AttributeError, TypeError, KeyError) as e:
            raise MalformedResponse(redact(f"a stream chunk is not chat-completions JSON ({type(e).__name__}: "
                                           f"{str(e)[:120]})", self._secrets)) from None
        end = time.perf_counter()
        if chunks == 0:
            raise MalformedResponse("the stream ended without a single chunk")
        return _completion(self.mask("".join(parts)), usage, start, first, last, end, model, finish)


def _completion(text, usage, start, first, last, end, model, finish) -> Completion:
    def get(obj, *names):
        for n in names:
            obj = getattr(obj, n, None) if obj is not None else None
        return None if obj is None else int(obj)

    out = get(usage, "completion_tokens")
    tps = None
    if out and first is not None and last is not None and last > first:
        tps = out / (last - first)
    return Completion(
        text=text, input_tokens=get(usage, "prompt_tokens"), output_tokens=out,
        reasoning_tokens=get(usage, "completion_tokens_details", "reasoning_tokens"),
        cached_input_tokens=get(usage, "prompt_tokens_details", "cached_tokens"),
        ttft_s=None if first is None else first - start, total_s=end - start, output_tokens_per_s=tps,
        model=model, finish_reason=finish,
    )
