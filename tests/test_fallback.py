"""Fallback chains over real loopback HTTP (127.0.0.1, port 0, threads) and the circuit breaker.

The primary server answers 429, 500 or hangs; the fallback server answers. Time for the circuit
breaker is a fake clock moved by the test, so nothing sleeps for a cool-down.
"""
import time

import pytest

from workbench.evals.adapters.errors import ClientError, RateLimited
from workbench.evals.adapters.openai_compat import EndpointConfig
from workbench.evals.adapters.retry import NO_RETRY
from workbench.evals.loopback import Action, LoopbackServer
from workbench.routing.fallback import (
    ChainExhausted,
    CircuitBreaker,
    FallbackCandidate,
    endpoint_chain,
)

MESSAGES = [{"role": "user", "content": "where is my receipt"}]


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def chain(primary: LoopbackServer, fallback: LoopbackServer, clock=None, threshold=2, cooldown_s=30.0, timeout_s=2.0):
    configs = [EndpointConfig(model="primary-model", base_url=primary.base_url, retry=NO_RETRY, timeout_s=timeout_s),
               EndpointConfig(model="fallback-model", base_url=fallback.base_url, retry=NO_RETRY, timeout_s=timeout_s)]
    return endpoint_chain(configs, failure_threshold=threshold, cooldown_s=cooldown_s, clock=clock or time.monotonic,
                          environ={})


@pytest.fixture
def servers():
    with LoopbackServer(reply=lambda body: "from primary") as p, LoopbackServer(reply=lambda body: "from fallback") as f:
        yield p, f


# --------------------------------------------------------------------------------------------
# the circuit breaker alone (fake clock)
# --------------------------------------------------------------------------------------------

def test_breaker_opens_after_n_consecutive_failures_and_a_success_resets_the_count():
    clock = FakeClock()
    b = CircuitBreaker(failure_threshold=3, cooldown_s=10, clock=clock)
    b.record_failure(); b.record_failure()
    b.record_success()                       # the count restarts: 2 failures then a success is not 3 in a row
    b.record_failure(); b.record_failure()
    assert b.state == "closed" and b.allow()
    b.record_failure()                       # third consecutive failure
    assert b.state == "open" and not b.allow()


def test_breaker_half_open_after_cooldown_lets_one_trial_then_closes_or_reopens():
    clock = FakeClock()
    b = CircuitBreaker(failure_threshold=1, cooldown_s=10, clock=clock)
    b.record_failure()
    clock.t += 9.99
    assert b.state == "open" and not b.allow()
    clock.t += 0.01                          # 10 s after opening
    assert b.state == "half_open"
    assert b.allow()                         # the one trial
    assert not b.allow()                     # a second request while the trial is in flight waits
    b.record_failure()                       # the trial failed: open again, cool-down restarts now
    assert b.state == "open"
    clock.t += 10
    assert b.allow()
    b.record_success()
    assert b.state == "closed" and b.consecutive_failures == 0


# --------------------------------------------------------------------------------------------
# the chain over loopback HTTP
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("action,kind", [
    (Action("status", status=429, headers={"Retry-After": "0"}), "rate_limited"),
    (Action("status", status=500), "server_error"),
    (Action("status", status=503), "server_error"),
])
def test_primary_error_falls_over_to_the_fallback(servers, action, kind):
    primary, fallback = servers
    primary.script = [action]
    c = chain(primary, fallback)
    out = c.chat(MESSAGES)
    assert out.text == "from fallback"
    assert out.model == "fallback-model"
    assert [(e.member, e.outcome, e.kind) for e in c.events] == [
        ("openai:primary-model", "failed", kind), ("openai:fallback-model", "served", None)]
    assert len(primary.requests) == 1 and len(fallback.requests) == 1
    assert out.attempts == 2                 # one failed call on the primary, one on the fallback


def test_a_hanging_primary_times_out_and_the_fallback_answers_quickly(servers):
    primary, fallback = servers
    primary.script = [Action("slow", delay_s=3.0)]
    c = chain(primary, fallback, timeout_s=0.3)
    start = time.perf_counter()
    out = c.chat(MESSAGES)
    elapsed = time.perf_counter() - start
    assert out.text == "from fallback"
    assert c.events[0].outcome == "failed" and c.events[0].kind == "timeout"
    assert elapsed < 2.0                     # the 0.3 s timeout, not the 3 s hang


def test_the_circuit_opens_after_the_configured_failures_and_closes_after_its_cooldown(servers):
    primary, fallback = servers
    primary.script = [Action("status", status=500), Action("status", status=500)]  # then healthy again
    clock = FakeClock()
    c = chain(primary, fallback, clock=clock, threshold=2, cooldown_s=30)
    assert c.chat(MESSAGES).text == "from fallback"      # failure 1
    assert c.states()["openai:primary-model"] == "closed"
    assert c.chat(MESSAGES).text == "from fallback"      # failure 2: the circuit opens
    assert c.states()["openai:primary-model"] == "open"
    assert c.chat(MESSAGES).text == "from fallback"      # skipped: the primary gets no request
    assert len(primary.requests) == 2
    assert c.events[-2].outcome == "skipped" and c.events[-2].kind == "circuit_open"
    clock.t += 29
    c.chat(MESSAGES)
    assert len(primary.requests) == 2                    # still inside the 30 s cool-down
    clock.t += 1                                         # 30 s after opening: half-open, one trial
    assert c.states()["openai:primary-model"] == "half_open"
    out = c.chat(MESSAGES)
    assert out.text == "from primary" and len(primary.requests) == 3
    assert c.states()["openai:primary-model"] == "closed"
    assert c.served_counts() == {"openai:primary-model": 1, "openai:fallback-model": 4}


def test_a_failed_half_open_trial_opens_the_circuit_again(servers):
    primary, fallback = servers
    primary.script = [Action("status", status=500)] * 3
    clock = FakeClock()
    c = chain(primary, fallback, clock=clock, threshold=2, cooldown_s=30)
    c.chat(MESSAGES); c.chat(MESSAGES)
    clock.t += 30
    assert c.chat(MESSAGES).text == "from fallback"      # the trial hit the third 500
    assert len(primary.requests) == 3
    assert c.states()["openai:primary-model"] == "open"
    c.chat(MESSAGES)
    assert len(primary.requests) == 3                    # the cool-down restarted at the failed trial


def test_when_every_member_fails_the_last_error_kind_is_kept(servers):
    primary, fallback = servers
    primary.script = [Action("status", status=500)]
    fallback.script = [Action("status", status=429, headers={"Retry-After": "0"})]
    c = chain(primary, fallback)
    with pytest.raises(ChainExhausted) as e:
        c.chat(MESSAGES)
    assert e.value.kind == "rate_limited" and e.value.attempts == 2


def test_a_client_error_is_not_an_outage_and_does_not_fall_over(servers):
    primary, fallback = servers
    primary.script = [Action("status", status=401)]
    c = chain(primary, fallback)
    with pytest.raises(ClientError):
        c.chat(MESSAGES)
    assert len(fallback.requests) == 0                   # another provider would not fix a bad key silently
    assert c.states()["openai:primary-model"] == "closed"


def test_a_run_over_golden_cases_really_falls_over():
    """run_eval drives the chain like any candidate: the primary rate-limits the first two cases."""
    from workbench.evals import load_golden, run_eval

    golden = load_golden("tests/fixtures/routing/golden.jsonl", labels=("billing", "how_to", "account_access", "other"))
    with LoopbackServer(reply=lambda body: "how_to", script=[Action("status", status=429, headers={"Retry-After": "0"})] * 2) as p, \
            LoopbackServer(reply=lambda body: "how_to") as f:
        c = chain(p, f, threshold=5)
        run = run_eval(golden, c, concurrency=1, use_cache=False, case_ids=["c1", "a4", "a1"])
    res = run.results.set_index("case_id")
    assert res["error_kind"].isna().all()                # every case answered despite the 429s
    assert res.loc["c1", "passed"]                       # 'how_to' is c1's label
    assert c.served_counts() == {"openai:primary-model": 1, "openai:fallback-model": 2}
    assert run.meta["adapter"] == "fallback-chain"


def test_members_are_tried_in_order_with_plain_candidates():
    class Fails:
        name, provenance = "a", "measured"

        def complete(self, case, prompt):
            raise RateLimited("HTTP 429", retry_after_s=None)

        def describe(self):
            return {"candidate": self.name}

    class Answers:
        name, provenance = "b", "measured"

        def complete(self, case, prompt):
            from workbench.evals.adapters.base import Completion
            return Completion(text="ok")

        def describe(self):
            return {"candidate": self.name}

    c = FallbackCandidate([Fails(), Answers()], failure_threshold=1)
    assert c.complete(None, None).text == "ok"
    assert c.complete(None, None).model == "b"
    assert [e.outcome for e in c.events] == ["failed", "served", "skipped", "served"]
