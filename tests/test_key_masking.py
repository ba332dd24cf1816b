"""Issue 14 item 4: the API key never lands in a cache file, a results file or the printed failures table,
even when the endpoint's answer repeats it (an echoing proxy, a debugging server).

The loopback server below is a SYNTHETIC echoing endpoint: it answers every request with a text
that repeats the request's Authorization header and the bare key taken from it.
"""
import json

from fake_openai_server import LoopbackServer

from workbench.cli import main
from workbench.evals.adapters.openai_compat import mask_secrets

KEY = "sk-echo-secret-9f8e7d6c5b4a3210"
CASES = [
    {"id": "cls-001", "task": "classify", "input": "I was charged twice", "context": {"articles": [], "customer": None},
     "expected": {"label": "billing"}, "checks": ["label_exact"], "tags": []},
    {"id": "cls-002", "task": "classify", "input": "Please add dark mode", "context": {"articles": [], "customer": None},
     "expected": {"label": "feature_request"}, "checks": ["label_exact"], "tags": []},
]


class EchoServer(LoopbackServer):
    """Answers with the request's own Authorization header (SYNTHETIC: what a debugging proxy does)."""

    def _handle(self, h):
        auth = h.headers.get("Authorization", "")
        bare = auth.split()[-1] if auth else ""
        self.reply = lambda body: f"billing (debug: Authorization: {auth}; key={bare}; {json.dumps({'api_key': bare})})"
        return super()._handle(h)


def _every_file(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_echoed_key_is_masked_in_cache_results_and_failures_table(tmp_path, capsys, monkeypatch):
    golden_file = tmp_path / "golden.jsonl"
    golden_file.write_text("\n".join(json.dumps(c) for c in CASES) + "\n", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_API_KEY", KEY)
    run_dir = tmp_path / "run"
    args = ["eval", str(golden_file), "--candidate", "openai:echo-1", "--offering", "acme/alpha",
            "--catalog", "tests/fixtures/mini_catalog", "--cache-dir", str(run_dir / "cache"),
            "--out", str(run_dir / "results.jsonl"), "--no-progress"]
    with EchoServer() as srv:
        assert srv.base_url.startswith("http://127.0.0.1:")
        assert main(args + ["--base-url", srv.base_url]) == 0
        printed = capsys.readouterr()
        # a second run reads the cache: the table printed from cached answers is clean too
        assert main(args + ["--base-url", srv.base_url, "--force"]) == 0
        printed2 = capsys.readouterr()
    assert len(srv.requests) == 2 and all(r["authorization"] for r in srv.requests)
    files = _every_file(run_dir)
    assert len([p for p in files if p.suffix == ".json"]) == 2 and (run_dir / "results.jsonl") in files
    for path, data in files.items():
        assert KEY.encode() not in data, f"the key is in {path}"
        assert b"Bearer sk-" not in data
    for text in (printed.out, printed.err, printed2.out, printed2.err):
        assert KEY not in text
    # the answer is still there, masked: the failures table shows what the endpoint said
    assert "failures for review (2; showing 2)" in printed.out
    rows = [json.loads(line) for line in (run_dir / "results.jsonl").read_text().splitlines()[1:]]
    assert rows[0]["output"] == 'billing (debug: Authorization: ***; key=***; {"api_key": "***"})'


def test_mask_secrets_masks_the_key_and_authorization_values_only():
    assert mask_secrets(f"x {KEY} y {KEY.upper()}", (KEY,)) == "x *** y ***"
    assert mask_secrets("Authorization: Bearer abc123def456", ()) == "Authorization: ***"
    assert mask_secrets('{"authorization": "Basic dXNlcjpwYXNz"}', ()) == '{"authorization": "***"}'
    assert mask_secrets("sent with bearer tok3n-abcdefgh", ()) == "sent with bearer ***"
    # ordinary words stay: a model may write about key-value stores and bearer bonds
    assert mask_secrets("a key-value store; bearer bonds", ()) == "a key-value store; bearer bonds"
