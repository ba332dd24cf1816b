"""Self-hosting memory: weights at 16/8/4 bits, the KV cache, and GPUs for memory. Numbers worked by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.costs.memory import (
    concurrent_sequences,
    kv_cache_bytes,
    load_model_architecture,
    memory_table,
    weights_bytes,
)
from workbench.errors import WorkbenchError


def test_kv_cache_bytes_for_gpt_oss_120b_by_hand():
    arch = load_model_architecture().set_index("model_id").loc["gpt-oss-120b"]
    assert (arch["layers"], arch["kv_heads"], arch["head_dim"]) == (36, 8, 64)  # its config.json
    # per token: 2 x 36 x 8 x 64 x 2 bytes = 73,728 bytes; 4,000 tokens x 10 sequences = 40,000 tokens
    per_token = kv_cache_bytes(36, 8, 64, 2, 1, 1)
    assert per_token == 73_728
    assert kv_cache_bytes(36, 8, 64, 2, 4_000, 10) == 73_728 * 40_000 == 2_949_120_000


def test_weights_at_16_8_4_bits():
    assert [weights_bytes(117e9, b) for b in (16, 8, 4)] == [234e9, 117e9, 58.5e9]
    with pytest.raises(WorkbenchError):
        weights_bytes(117e9, 0)


def test_memory_table_gpus_from_memory():
    models = pd.DataFrame({"model_id": ["m"], "params_b": [117.0]})
    arch = pd.DataFrame({"model_id": ["m"], "layers": [36], "kv_heads": [8], "head_dim": [64]})
    t = memory_table("m", models, arch, tokens_per_sequence=4_000, concurrent=10, vram_gb=80, usable_share=0.9)
    # KV 2.94912 GB; totals 236.94912, 119.94912, 61.44912 GB; usable 72 GB a GPU -> 4, 2, 1 GPUs
    assert t["kv_cache_gb"].round(5).tolist() == [2.94912] * 3
    assert t["gb_per_replica"].round(5).tolist() == [236.94912, 119.94912, 61.44912]
    assert t["gpus_for_memory"].tolist() == [4, 2, 1]
    # two replicas: each holds all the weights and 5 of the 10 sequences (KV 1.47456 GB):
    # 235.47456 / 72 -> 4 GPUs each, 118.47456 -> 2, 59.97456 -> 1; times 2 replicas
    t2 = memory_table("m", models, arch, tokens_per_sequence=4_000, concurrent=10, vram_gb=80, replicas=2)
    assert t2["kv_cache_gb"].round(5).tolist() == [1.47456] * 3
    assert t2["gpus_per_replica"].tolist() == [4, 2, 1] and t2["gpus_for_memory"].tolist() == [8, 4, 2]
    with pytest.raises(WorkbenchError, match="model_architecture.csv"):
        memory_table("m", pd.DataFrame({"model_id": ["m"], "params_b": [1.0]}), arch.assign(model_id="x"), 1, 1, 80)


def test_concurrent_sequences_littles_law():
    # 2,628,000 requests a month = 1 a second on average; peak x2 = 2 a second; 3.5 s each -> 7 in flight
    assert concurrent_sequences(2_628_000, 2, 3.5) == 7
    assert concurrent_sequences(2_628_000, 2, 3.6) == 8  # 7.2 rounds up to whole sequences
    assert concurrent_sequences(10, 1, 1) == 1  # at least one
