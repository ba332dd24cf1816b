"""Self-hosting beyond GPU rent: the memory a model needs, so the GPU count comes from memory too.

A GPU serving a model holds its weights and, for every sequence in flight, the attention keys and
values of every token so far (the KV cache):

- weights, bytes = parameters x bits / 8 (16-bit = 2 bytes a parameter, 8-bit = 1, 4-bit = 0.5);
- KV cache, bytes = 2 (a key and a value) x layers x kv_heads x head_dim x bytes_per_value x tokens
  x concurrent sequences.

Parameters come from ``models.csv`` (``params_b``); layers, kv_heads and head_dim from
``model_architecture.csv`` (each row cites the model's ``config.json``). The sequences in flight at
peak follow Little's law: peak requests per second x seconds each request stays in flight. GPUs for
memory = ``ceil(total GB / usable GB per GPU)``; the GPUs a deployment needs are the larger of that
and the GPUs for throughput (:func:`workbench.costs.selfhost.gpus_needed`). Activations, the serving
engine's own buffers and fragmentation are not counted: keep headroom (``usable_share``, an
assumption). Introduced in ``notebooks/03_cost_and_latency.ipynb``.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from workbench.catalog.load import default_catalog_dir, read_csv_strings, validate_table
from workbench.catalog.schema import OPTIONAL_TABLES
from workbench.costs.request import SECONDS_PER_MONTH
from workbench.errors import WorkbenchError, did_you_mean, fail

BITS = (16, 8, 4)
GB = 1e9  # decimal gigabytes, as GPU memory is sold (80 GB H100)


def load_model_architecture(path: str | Path | None = None) -> pd.DataFrame:
    """``model_architecture.csv`` (default: the project's ``data/catalog``), validated and typed.
    Introduced in ``notebooks/03_cost_and_latency.ipynb``."""
    spec = OPTIONAL_TABLES["model_architecture"]
    f = Path(path) if path is not None else default_catalog_dir() / spec.filename
    typed, problems = validate_table(spec, read_csv_strings(f, str(f)), str(f))
    if problems:
        raise WorkbenchError(problems)
    return typed.reset_index(drop=True)


def weights_bytes(params: float, bits: int) -> float:
    """Bytes of weights: ``params x bits / 8``. Used by :func:`memory_table`."""
    if bits <= 0 or params <= 0:
        raise fail("weights_bytes", f"params={params!r}, bits={bits!r}", "must both be positive",
                   "pass the parameter count (e.g. 117e9) and 16, 8 or 4 bits")
    return float(params) * bits / 8


def kv_cache_bytes(layers: int, kv_heads: int, head_dim: int, bytes_per_value: float, tokens: float,
                   concurrent_sequences: float) -> float:
    """Bytes of KV cache: ``2 x layers x kv_heads x head_dim x bytes_per_value x tokens x concurrent
    sequences`` (a key and a value per layer, head and token). Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    return 2.0 * layers * kv_heads * head_dim * bytes_per_value * tokens * concurrent_sequences


def concurrent_sequences(requests_per_month: float, peak_to_average: float, seconds_per_request: float) -> float:
    """Sequences in flight at peak (Little's law): ``requests_per_month x peak_to_average / seconds per
    month x seconds_per_request``, rounded up to a whole sequence (at least 1). Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    return float(max(1, math.ceil(requests_per_month * peak_to_average / SECONDS_PER_MONTH * seconds_per_request - 1e-9)))


def memory_table(model_id: str, models: pd.DataFrame, architecture: pd.DataFrame, tokens_per_sequence: float,
                 concurrent: float, vram_gb: float, replicas: int = 1, usable_share: float = 0.9,
                 kv_bytes_per_value: float = 2.0, bits=BITS) -> pd.DataFrame:
    """Memory for ``model_id`` at each weight precision in ``bits``, served by ``replicas`` copies of the
    model (e.g. the replicas throughput needs: :func:`workbench.costs.selfhost.gpus_needed`). Each replica
    holds all the weights and the KV cache of its share of the ``concurrent`` sequences
    (``ceil(concurrent / replicas)``, ``tokens_per_sequence`` each, ``kv_bytes_per_value`` bytes a value:
    2 = a 16-bit cache). Columns: ``bits``, ``weights_gb``, ``kv_cache_gb`` (one replica's),
    ``gb_per_replica``, ``gpus_per_replica`` = ``ceil(gb_per_replica / (vram_gb x usable_share))`` and
    ``gpus_for_memory`` = replicas x that. ``usable_share`` is an ASSUMPTION: the share of a GPU's
    memory left for weights and cache after the serving engine's own use. Introduced in
    ``notebooks/03_cost_and_latency.ipynb``."""
    m = models[models["model_id"] == model_id]
    a = architecture[architecture["model_id"] == model_id]
    if m.empty or a.empty:
        where, pool = ("models.csv", models) if m.empty else ("model_architecture.csv", architecture)
        raise fail(where, f"model '{model_id}'", "no row for this model",
                   "add its parameters (models.csv) and layers, kv_heads, head_dim from its config.json "
                   "(model_architecture.csv); " + did_you_mean(model_id, pool["model_id"]))
    params_b = m["params_b"].iloc[0]
    if pd.isna(params_b):
        raise fail("models.csv", f"model '{model_id}'", "params_b is empty", "write the parameter count in billions")
    if not 0 < usable_share <= 1 or int(replicas) < 1:
        raise fail("memory_table", "usable_share / replicas",
                   f"need 0 < usable_share <= 1 and at least one replica, got {usable_share!r} and {replicas!r}",
                   "write a share, e.g. 0.9, and a whole number of replicas")
    r = a.iloc[0]
    per_replica = math.ceil(concurrent / int(replicas) - 1e-9)
    kv_gb = kv_cache_bytes(int(r["layers"]), int(r["kv_heads"]), int(r["head_dim"]), kv_bytes_per_value,
                           tokens_per_sequence, per_replica) / GB
    rows = []
    for b in bits:
        w_gb = weights_bytes(float(params_b) * 1e9, b) / GB
        per_gpu = max(1, math.ceil((w_gb + kv_gb) / (vram_gb * usable_share) - 1e-9))
        rows.append({"model_id": model_id, "bits": b, "weights_gb": w_gb, "kv_cache_gb": kv_gb,
                     "gb_per_replica": w_gb + kv_gb, "gpus_per_replica": per_gpu,
                     "gpus_for_memory": per_gpu * int(replicas)})
    return pd.DataFrame(rows)
