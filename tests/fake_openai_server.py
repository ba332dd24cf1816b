"""A loopback OpenAI-compatible chat server for the tests (127.0.0.1, port 0, a thread).

The server itself is :class:`workbench.evals.loopback.LoopbackServer` (the benchmark needs it too,
so it ships in the package); this module adds the scripted misbehaviours the adapter tests use and
a reply function that answers like a (SYNTHETIC) model. Nothing here reaches the network.
"""
import json

from workbench.evals.loopback import Action, LoopbackServer

__all__ = ["Action", "LoopbackServer", "serve", "rate_limited", "server_error", "malformed", "slow", "synthetic_model"]


def serve(**kw) -> LoopbackServer:
    """``with serve(script=[...]) as srv:`` a started server; ``srv.base_url`` ends in /v1."""
    return LoopbackServer(**kw)


def rate_limited(retry_after_s: float = 0.1) -> Action:
    return Action("status", 429, {"Retry-After": str(retry_after_s)})


def server_error(status: int = 500) -> Action:
    return Action("status", status)


def malformed() -> Action:
    return Action("malformed")


def slow(delay_s: float) -> Action:
    return Action("ok", delay_s=delay_s)


def synthetic_model(body: dict) -> str:
    """A SYNTHETIC 'model': 'billing' for a classify prompt, a fixed cited answer for an answer
    prompt, plain text otherwise. Enough to drive the runner end to end."""
    system = body["messages"][0]["content"]
    if "Reply with exactly one label" in system:
        return "billing"
    if "'citations'" in system:
        return json.dumps({"answer": "Refunds are possible within 14 days.", "citations": ["hc-refunds"]})
    return "Hi, refunds are possible within 14 days."
