"""A loopback OpenAI-compatible chat server for tests, the benchmark and offline demos.

It binds 127.0.0.1 on a free port, speaks ``POST /v1/chat/completions`` with streaming the way the
real protocol does (SSE ``data: {...}`` chunks, a usage chunk with empty ``choices`` when the
request asks for ``stream_options.include_usage``, then ``data: [DONE]``), and can be scripted to
misbehave: a 429 with ``Retry-After``, a 5xx, a malformed chunk, a response slower than a timeout.
Its token counts are whitespace word counts: SYNTHETIC, for exercising the plumbing only.

Used by ``tests/test_evals_openai_compat.py`` and ``python -m workbench bench`` (the concurrency
figure). Nothing here reaches the network. Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Action:
    """What the server does with one request.

    ``kind``: ``ok`` (stream the reply), ``status`` (answer ``status`` with ``headers`` and a JSON
    error body), ``malformed`` (one good chunk, then a chunk that is not JSON), ``slow`` (wait
    ``delay_s`` before answering, then stream normally) or ``error_event`` (a 200 stream whose chunk
    is an ``{"error": ...}`` object). ``delay_s`` is waited before the answer in every kind.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    kind: str = "ok"
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay_s: float = 0.0


def word_reply(body: dict) -> str:
    """Default reply: 'ok: ' and the first five words of the last user message (synthetic).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    user = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
    words = (user[-1] if user else "").split()[:5]
    return "ok: " + " ".join(words)


class LoopbackServer:
    """``with LoopbackServer(reply=..., delay_s=0.2) as srv: srv.base_url`` -> ``http://127.0.0.1:PORT/v1``.

    ``reply(body) -> str`` makes the text from the request body; ``delay_s`` is waited before every
    answer (a stand-in for model latency); ``script`` is a list of :class:`Action` used one per
    request, in order, before falling back to normal answers. ``requests`` records each request's
    JSON body and whether an ``Authorization`` header came (never its value).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    def __init__(self, reply: Callable[[dict], str] = word_reply, delay_s: float = 0.0,
                 script: list[Action] | None = None, chunk_words: int = 2, chunk_gap_s: float = 0.0):
        self.reply = reply
        self.delay_s = delay_s
        self.script = list(script or [])
        self.chunk_words = max(1, chunk_words)
        self.chunk_gap_s = chunk_gap_s
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "LoopbackServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test and notebook output clean
                pass

            def do_POST(self):
                server._handle(self)

        class _HTTPServer(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self._httpd = _HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="loopback-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    # -- protocol ----------------------------------------------------------------------------
    def _next_action(self) -> Action:
        with self._lock:
            return self.script.pop(0) if self.script else Action()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        try:
            body = json.loads(h.rfile.read(length) or b"{}")
        except ValueError:
            body = {}
        action = self._next_action()
        with self._lock:
            self.requests.append({"path": h.path, "body": body, "authorization": "Authorization" in h.headers,
                                  "action": action.kind})
        if not h.path.rstrip("/").endswith("/chat/completions"):
            return self._json(h, 404, {"error": {"message": f"unknown path {h.path}", "type": "not_found"}})
        time.sleep(self.delay_s + action.delay_s)
        if action.kind == "status":
            return self._json(h, action.status, {"error": {"message": f"scripted HTTP {action.status}",
                                                           "type": "scripted"}}, action.headers)
        text = self.reply(body)
        model = body.get("model", "loopback")
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.end_headers()
        base = {"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": 0, "model": model}

        def send(obj) -> None:
            data = obj if isinstance(obj, str) else json.dumps(obj)
            h.wfile.write(f"data: {data}\n\n".encode())
            h.wfile.flush()

        try:
            send({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
            if action.kind == "error_event":
                send({"error": {"message": "scripted error event", "type": "server_error"}})
                return
            words = text.split(" ")
            pieces = [" ".join(words[i:i + self.chunk_words]) + (" " if i + self.chunk_words < len(words) else "")
                      for i in range(0, len(words), self.chunk_words)]
            for n, piece in enumerate(pieces):
                send({**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
                if action.kind == "malformed":  # one good content chunk, then a truncated one
                    send('{"id": "chatcmpl-loopback", "choices": [{"delta": {"content": "trunc')
                    return
                if self.chunk_gap_s:
                    time.sleep(self.chunk_gap_s)
            send({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            if (body.get("stream_options") or {}).get("include_usage"):
                prompt_words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
                out_words = len(text.split())
                send({**base, "choices": [], "usage": {"prompt_tokens": prompt_words, "completion_tokens": out_words,
                                                       "total_tokens": prompt_words + out_words}})
            send("[DONE]")
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    @staticmethod
    def _json(h, status: int, obj: dict, headers: dict | None = None) -> None:
        data = json.dumps(obj).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, str(v))
        h.end_headers()
        try:
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
