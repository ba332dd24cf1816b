"""Benchmark: ``python -m workbench import litellm`` end to end on a price map the size of LiteLLM's.

The input is SYNTHETIC (generated here from a seed, in LiteLLM's format, with the real file's entry
count of 4,878 and a similar mix of modes, aliases and providers): the project ships no copy of the
real file. Goal: read, convert, validate, write the CSVs and load them back in under 2 s.
"""
from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from workbench.bench.harness import Case
from workbench.catalog.importers import importer
from workbench.catalog.importers.folder import write_import

N_ENTRIES = 4878  # top-level keys of LiteLLM 1.110.2's model_prices_and_context_window.json
PROVIDERS = ("openai", "anthropic", "gemini", "bedrock", "azure", "vertex_ai", "mistral", "together_ai",
             "fireworks_ai", "deepinfra", "groq", "nebius", "vercel_ai_gateway", "ollama", "kyma")


def synthetic_litellm_map(n: int = N_ENTRIES, seed: int = 7) -> dict:
    """A LiteLLM-format price map of ``n`` synthetic entries (USD per token), for timing only."""
    rng = random.Random(seed)
    out: dict = {"sample_spec": {"mode": "one of: chat, embedding, ...", "input_cost_per_token": 0.0}}
    for i in range(n - 1):
        prov = rng.choice(PROVIDERS)
        key = f"{prov}/synthetic-model-{i}"
        roll = rng.random()
        if roll < 0.02:
            out[key] = {"alias_of": f"{prov}/synthetic-model-{max(i - 1, 0)}"}
            continue
        mode = ("image_generation" if roll < 0.12 else "audio_transcription" if roll < 0.16
                else "embedding" if roll < 0.20 else "chat")
        p_in = rng.uniform(0.05, 15) / 1e6
        e = {"litellm_provider": prov, "mode": mode, "input_cost_per_token": p_in,
             "output_cost_per_token": 0.0 if mode == "embedding" else p_in * rng.choice((2, 4, 5, 8)),
             "max_input_tokens": rng.choice((8192, 32768, 128000, 200000, 1048576)),
             "max_output_tokens": rng.choice((4096, 8192, 65536)),
             "supports_function_calling": rng.random() < 0.8, "supports_vision": rng.random() < 0.4}
        if rng.random() < 0.3:
            e["cache_read_input_token_cost"] = p_in / 10
        if rng.random() < 0.15:
            e["input_cost_per_token_batches"] = p_in / 2
            e["output_cost_per_token_batches"] = e["output_cost_per_token"] / 2
        if mode == "chat" and rng.random() < 0.05:
            e["input_cost_per_token_above_200k_tokens"] = p_in * 2
            e["output_cost_per_token_above_200k_tokens"] = e["output_cost_per_token"] * 1.5
        out[key] = e
    return out


def cases(options) -> list[Case]:

    tmp = tempfile.TemporaryDirectory(prefix="wb-bench-import-")
    src = Path(tmp.name) / "synthetic_litellm.json"
    src.write_text(json.dumps(synthetic_litellm_map(seed=getattr(options, "seed", 7))))
    out = Path(tmp.name) / "catalog"

    def run():
        write_import(importer("litellm")(str(src), "2026-11-20"), out, force=True)
        return tmp  # keeps the temporary folder alive while the case runs

    return [Case(name=f"import litellm: {N_ENTRIES:,} synthetic entries -> CSVs -> load_catalog", run=run, repeat=5,
                 goal="< 2 s end to end (the real file has the same entry count)", goal_s=2.0)]
