"""The OpenAI-compatible adapter against a real HTTP server on 127.0.0.1 speaking streamed
chat completions: normal stream, 429 + Retry-After, 500, malformed chunk, timeout; retry policy;
keys never leak; concurrency limit. No test reaches the network."""
import json
import random
import threading
import time

import pytest
from evals_helpers import case, golden
from fake_openai_server import (
    malformed,
    rate_limited,
    serve,
    server_error,
    slow,
    synthetic_model,
)

from workbench.errors import WorkbenchError
from workbench.evals.adapters.errors import (
    MalformedResponse,
    RateLimited,
    ServerError,
    Timeout,
)
from workbench.evals.adapters.openai_compat import (
    EndpointConfig,
    OpenAICompatCandidate,
    api_key_from_env,
    config_from_env,
    parse_retry_after_s,
    redact,
    safe_url,
)
from workbench.evals.adapters.retry import RetryPolicy
from workbench.evals.runner import run_eval, write_results

KEY = "sk-test-abcdefghijklmnop1234"
MSGS = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "one two three four five six"}]
FAST = RetryPolicy(max_attempts=3, base_delay_s=0.01, jitter=0.0)


def candidate(srv, sleeps=None, **cfg):
    cfg.setdefault("retry", FAST)
    cfg.setdefault("timeout_s", 2.0)
    sleep = (lambda s: (sleeps.append(s), time.sleep(s))) if sleeps is not None else time.sleep
    return OpenAICompatCandidate(EndpointConfig(model="m-1", base_url=srv.base_url, **cfg),
                                 environ={"WORKBENCH_API_KEY": KEY}, sleep=sleep)


def test_normal_stream_measures_ttft_usage_and_asks_for_usage():
    with serve(chunk_gap_s=0.02) as srv:
        c = candidate(srv).chat(MSGS)
        body = srv.requests[0]["body"]
    # reply 'ok: one two three four five' streamed 2 words per chunk -> 3 chunks, 20 ms apart
    assert c.text == "ok: one two three four five"
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert body["model"] == "m-1" and body["temperature"] == 0.0 and body["max_tokens"] == 600
    # the loopback server counts words as tokens: system 2 + user 6 = 8 in, 6 out
    assert (c.input_tokens, c.output_tokens, c.attempts, c.finish_reason) == (8, 6, 1, "stop")
    assert 0 < c.ttft_s < c.total_s
    # 6 tokens over the time between the first and the last content chunk, which the server sends
    # 2 x 20 ms apart: 6 / 0.04 s = 150 tok/s, give or take the loopback's scheduling
    assert 75 < c.output_tokens_per_s < 300


def test_429_with_retry_after_then_success_waits_what_the_server_asked():
    sleeps = []
    with serve(script=[rate_limited(0.1)]) as srv:
        c = candidate(srv, sleeps).chat(MSGS)
        actions = [r["action"] for r in srv.requests]
    assert actions == ["status", "ok"] and c.attempts == 2 and sleeps == [0.1]
    assert c.total_s >= 0.1 and c.text.startswith("ok:")


def test_500_then_success_backs_off_and_retries():
    sleeps = []
    with serve(script=[server_error(500)]) as srv:
        c = candidate(srv, sleeps).chat(MSGS)
    assert c.attempts == 2 and sleeps == [0.01]  # base_delay_s * 2**0, no jitter


def test_a_4xx_is_not_retried_and_the_key_is_not_in_the_message():
    with serve(script=[server_error(401)]) as srv:
        with pytest.raises(Exception) as e:
            candidate(srv).chat(MSGS)
        assert len(srv.requests) == 1
    assert e.value.kind == "client_error" and e.value.status == 401 and KEY not in str(e.value)


def test_malformed_chunk_is_a_clear_error_and_the_run_continues():
    g = golden(case(id="c-1"), case(id="c-2"), case(id="c-3"))
    with serve(reply=synthetic_model, script=[malformed()]) as srv:
        run = run_eval(g, candidate(srv), concurrency=1, use_cache=False, progress=False)
    r = run.results.set_index("case_id")
    assert r.loc["c-1", "error_kind"] == "malformed" and "not chat-completions JSON" in r.loc["c-1", "error"]
    assert not r.loc["c-1", "passed"] and r.loc["c-1", "failed_checks"] == "error"
    assert r.loc["c-2", "passed"] and r.loc["c-3", "passed"]  # the other cases ran normally
    with serve(script=[malformed()]) as srv, pytest.raises(MalformedResponse):
        candidate(srv).chat(MSGS)  # malformed output is not retried by default


def test_error_event_inside_a_200_stream_is_a_server_error():
    from fake_openai_server import Action
    with serve(script=[Action("error_event")]) as srv, pytest.raises(ServerError, match="error event"):
        candidate(srv, retry=RetryPolicy(max_attempts=1)).chat(MSGS)


def test_slow_response_hits_the_timeout():
    with serve(script=[slow(1.0)]) as srv:
        t0 = time.perf_counter()
        with pytest.raises(Timeout) as e:
            candidate(srv, timeout_s=0.2, retry=RetryPolicy(max_attempts=1)).chat(MSGS)
        assert time.perf_counter() - t0 < 0.9  # gave up at the timeout, did not wait for the reply
    assert e.value.kind == "timeout" and e.value.attempts == 1


def test_a_trickling_stream_hits_the_deadline():
    with serve(chunk_gap_s=0.15) as srv, pytest.raises(Timeout, match="deadline"):
        candidate(srv, deadline_s=0.2, retry=RetryPolicy(max_attempts=1)).chat(MSGS)


def test_concurrency_limit_caps_calls_in_flight():
    in_flight, peak, lock = [0], [0], threading.Lock()

    def reply(body):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.05)
        with lock:
            in_flight[0] -= 1
        return "billing"

    g = golden(*[case(id=f"c-{i}") for i in range(8)])
    with serve(reply=reply) as srv:
        run_eval(g, candidate(srv, max_concurrency=2), concurrency=8, use_cache=False, progress=False)
    assert peak[0] == 2


def test_key_comes_from_the_environment_and_never_reaches_results(tmp_path):
    g = golden(case(id="c-1"))
    with serve(reply=synthetic_model) as srv:
        cand = candidate(srv)
        run = run_eval(g, cand, use_cache=True, cache_dir=tmp_path / "cache", progress=False)
        assert srv.requests[0]["authorization"] is True  # the key was sent to the server
    out = write_results(run, tmp_path / "r.jsonl")
    everything = out.read_text() + "".join(p.read_text() for p in (tmp_path / "cache").rglob("*.json"))
    assert KEY not in everything and KEY not in repr(cand) and KEY not in json.dumps(cand.describe())


def test_key_resolution_and_missing_key_error():
    remote = EndpointConfig(model="m", base_url="https://api.example.com/v1")
    assert api_key_from_env(remote, {"WORKBENCH_API_KEY": "k1", "OPENAI_API_KEY": "k2"}) == "k1"
    assert api_key_from_env(remote, {"OPENAI_API_KEY": "k2"}) == "k2"
    assert api_key_from_env(EndpointConfig(model="m", base_url="http://localhost:11434/v1"), {}) == "no-key"
    with pytest.raises(WorkbenchError, match=r"export WORKBENCH_API_KEY="):
        api_key_from_env(remote, {})
    assert config_from_env({}) is None
    cfg = config_from_env({"WORKBENCH_MODEL": "llama3.2", "WORKBENCH_BASE_URL": "http://127.0.0.1:11434/v1"})
    assert (cfg.model, cfg.base_url) == ("llama3.2", "http://127.0.0.1:11434/v1")


def test_redaction_and_safe_url():
    assert redact(f"bad key {KEY}", (KEY,)) == "bad key ***"
    assert redact("Incorrect API key provided: sk-proj-AbCdEf123456") == "Incorrect API key provided: ***"
    assert safe_url("https://user:secret@host.example:8443/v1?key=abc") == "https://host.example:8443/v1"


def test_retry_policy_is_pure_and_honours_retry_after():
    p = RetryPolicy(max_attempts=4, base_delay_s=0.5, multiplier=2, max_delay_s=1.5, jitter=0, max_retry_after_s=30)
    err = ServerError("HTTP 503", 503)
    # backoff 0.5 * 2**(k-1): 0.5, 1.0, then capped at 1.5; after attempt 4 give up
    assert [p.delay_s(k, err) for k in (1, 2, 3)] == [0.5, 1.0, 1.5] and p.delay_s(4, err) is None
    assert p.delay_s(1, RateLimited("429", retry_after_s=7)) == 7
    assert p.delay_s(1, RateLimited("429", retry_after_s=31)) is None  # longer than we will wait: fall back
    assert p.delay_s(1, MalformedResponse("bad")) is None
    jittery = RetryPolicy(base_delay_s=1.0, jitter=0.2)
    d = [jittery.delay_s(1, err, random.Random(s)) for s in range(50)]
    assert all(0.8 <= x <= 1.2 for x in d) and len(set(d)) > 1


def test_retry_after_parsing():
    assert parse_retry_after_s({"retry-after": "2"}) == 2.0
    assert parse_retry_after_s({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after_s({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=lambda: 1445412480.0) == 10.0
    assert parse_retry_after_s({}) is None and parse_retry_after_s({"retry-after": "soon"}) is None
