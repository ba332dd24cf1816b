"""The catalog's tables: their columns, types, units and allowed values, in one place.

The loader (:mod:`workbench.catalog`), the importers (:mod:`workbench.catalog.importers`) and the docs all
read these specs, so a column is defined once. Units are in the names: ``usd_per_mtok_in`` is US
dollars per million input tokens, ``ttft_s`` seconds to the first token.
Introduced in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.vocab import ACCESS_MODES, MODALITIES

# A price per million tokens outside this range is almost always a unit mix-up
# (a per-token price pasted as per-million gives 1e-6; a per-thousand price gives x1000 too low).
PRICE_MIN_USD_PER_MTOK = 0.001
PRICE_MAX_USD_PER_MTOK = 1000.0

OPENNESS = ("closed", "open-weight", "open-source", "unknown")
COMMERCIAL_USE = ("yes", "restricted", "no", "unknown")
# "unknown": the source does not state it (importers never guess); constraint checks treat it as not met.
MODEL_TYPES = ("chat", "embedding", "reranker")


@dataclass(frozen=True)
class Column:
    """One column. ``kind`` is str | float | int | bool | date | enum | list (``;``-separated).

    ``required``: every row needs a value. Booleans are ``yes``/``no`` (also true/false, 1/0);
    an empty boolean means *unknown*, which constraint checks treat as not met.
    """

    name: str
    kind: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    filename: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    doc: str = ""
    optional_columns: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _price(name: str, doc: str, required: bool = False) -> Column:
    return Column(name, "float", required, min=PRICE_MIN_USD_PER_MTOK, max=PRICE_MAX_USD_PER_MTOK, doc=doc)


PROVENANCE = (
    Column("source", "str", True, doc="where the row's facts come from: a named public source, version or URL"),
    Column("as_of", "date", True, doc="the date the facts describe (YYYY-MM-DD)"),
)
# the day a maintainer wrote the row, kept apart from as_of (the date the source describes)
CURATED_ON = Column("curated_on", "date", doc="the day the row was curated (not the date its facts describe)")

MODELS = Table(
    "models",
    "models.csv",
    (
        Column("model_id", "str", True, doc="the workbench's own id, lower-case, e.g. 'gpt-5.1'"),
        Column("name", "str", True),
        Column("creator", "str", True),
        Column("model_type", "enum", True, MODEL_TYPES, doc="chat, embedding or reranker"),
        Column("release_date", "date"),
        Column("openness", "enum", True, OPENNESS,
               doc="closed; open-weight (weights only); open-source (weights, data and code published); unknown (not stated)"),
        Column("license", "str", True, doc="licence name; 'proprietary' for closed models"),
        Column("commercial_use", "enum", True, COMMERCIAL_USE,
               doc="yes; restricted (field-of-use or user-count clauses); no; unknown (not stated)"),
        Column("fine_tuning", "bool", doc="the licence or provider allows fine-tuning and using the result"),
        Column("license_notes", "str", doc="e.g. the 700M-MAU clause"),
        Column("params_b", "float", min=0.0, max=100000.0, doc="total parameters, billions"),
        Column("active_params_b", "float", min=0.0, max=100000.0, doc="active parameters per token (MoE), billions"),
        Column("context_tokens", "int", min=1, max=100_000_000),
        Column("max_output_tokens", "int", min=1, max=100_000_000),
        Column("input_modalities", "list", choices=MODALITIES, doc="';'-separated, e.g. 'text;image'"),
        Column("reasoning", "bool", doc="a reasoning (thinking) model"),
        Column("weights_formats", "list", doc="';'-separated, e.g. 'safetensors;gguf' (open models)"),
        Column("gated", "bool", doc="weights need an access request or licence click-through"),
        Column("deprecation_date", "date", doc="the creator retires the model on this day"),
        Column("deprecation_source", "str", doc="who states deprecation_date (source and date)"),
        Column("knowledge_cutoff", "str", doc="training-data cut-off as the source states it, YYYY-MM or YYYY-MM-DD"),
        *PROVENANCE,
        CURATED_ON,
    ),
    key=("model_id",),
    doc="one row per model",
)

OFFERINGS = Table(
    "offerings",
    "offerings.csv",
    (
        Column("offering_id", "str", True, doc="unique, conventionally 'provider/model_id'"),
        Column("model_id", "str", True, doc="must exist in models.csv"),
        Column("provider", "str", True),
        Column("access_mode", "enum", True, ACCESS_MODES),
        Column("provider_model_id", "str", doc="the id the provider's API expects"),
        _price("usd_per_mtok_in", "USD per 1M input tokens (required unless self-hosted)"),
        _price("usd_per_mtok_out", "USD per 1M output tokens (required unless self-hosted)"),
        _price("usd_per_mtok_cached_in", "USD per 1M cache-read input tokens"),
        _price("usd_per_mtok_cache_write", "USD per 1M cache-write input tokens"),
        _price("usd_per_mtok_reasoning", "USD per 1M reasoning tokens; empty = the output price"),
        Column("batch_discount", "float", min=0.0, max=0.99, doc="fraction off list price for batch jobs, e.g. 0.5"),
        Column("tier_above_tokens", "int", min=1, doc="long-context tier: prompts above this many tokens"),
        _price("usd_per_mtok_in_above_tier", "input price for a whole request above the tier"),
        _price("usd_per_mtok_out_above_tier", "output price for a whole request above the tier"),
        Column("context_tokens", "int", min=1, max=100_000_000, doc="this provider's limit; empty = the model's"),
        Column("max_output_tokens", "int", min=1, max=100_000_000),
        Column("output_tokens_per_s", "float", min=0.0, max=100000.0, doc="median output speed"),
        Column("ttft_s", "float", min=0.0, max=3600.0, doc="median time to first token, seconds"),
        Column("speed_source", "str", doc="source of the two speed columns when it differs from 'source'"),
        Column("reasoning_effort", "str", doc="the reasoning setting this row's speed (and quality) facts were "
               "measured at: none, low, medium, high, max or the source's own label; empty = the offering has one"),
        Column("speed_as_of", "date"),
        Column("structured_outputs", "bool"),
        Column("tool_calling", "bool"),
        Column("prompt_caching", "bool"),
        Column("batch_api", "bool"),
        Column("zero_data_retention", "bool", doc="a zero-data-retention option exists for this offering"),
        Column("trains_on_data", "bool", doc="the provider may train on prompts by default"),
        Column("regions", "list", doc="';'-separated, e.g. 'us;eu'; 'self' for self-hosted"),
        Column("rpm_limit", "int", min=1, doc="requests per minute at the listed tier"),
        Column("tpm_limit", "int", min=1, doc="tokens per minute at the listed tier"),
        Column("gpu", "str", doc="self-hosted: the GPU (must exist in gpus.csv)"),
        Column("gpu_count", "int", min=1, max=4096, doc="self-hosted: GPUs per replica"),
        Column("tokens_per_s_per_gpu", "float", min=0.0, max=1_000_000.0,
               doc="self-hosted: assumed aggregate output tokens/s per GPU (an assumption)"),
        Column("status", "str", doc="lifecycle status as the source states it, e.g. deprecated, beta, alpha; empty = not stated"),
        Column("assumptions", "str", doc="what in this row is assumed rather than published"),
        Column("deprecation_date", "date", doc="this provider retires this endpoint on this day (can be earlier "
               "than the model's)"),
        Column("deprecation_source", "str", doc="who states deprecation_date (source and date)"),
        *PROVENANCE,
    ),
    key=("offering_id",),
    doc="one row per model x provider x access mode",
)

SCORES = Table(
    "scores",
    "scores.csv",
    (
        Column("model_id", "str", True),
        Column("benchmark", "str", True, doc="e.g. lmarena_text, livebench_average, aa_intelligence_index"),
        Column("value", "float", True),
        Column("ci_low", "float"),
        Column("ci_high", "float"),
        Column("higher_is_better", "bool", True),
        Column("harness", "str", True, doc="who ran it and which version, e.g. 'LMArena text, style control'"),
        *PROVENANCE,
    ),
    key=("model_id", "benchmark", "source", "as_of"),
    doc="long format: one row per model x benchmark x source x date",
)

GPUS = Table(
    "gpus",
    "gpus.csv",
    (
        Column("gpu", "str", True, doc="e.g. H100, A100, L40S"),
        Column("vram_gb", "float", True, min=1.0, max=1024.0),
        Column("provider", "str", True),
        Column("market", "str", True, doc="e.g. on-demand, community, index"),
        Column("usd_per_hour", "float", True, min=0.01, max=200.0, doc="USD per GPU-hour"),
        Column("notes", "str"),
        *PROVENANCE,
    ),
    key=("gpu", "provider", "market", "as_of"),
    doc="GPU rental prices per GPU-hour",
)

NAME_MAP = Table(
    "name_map",
    "name_map.csv",
    (
        Column("model_id", "str", True),
        Column("namespace", "enum", True,
               ("litellm", "openrouter", "artificial-analysis", "lmarena", "livebench", "llm-prices", "huggingface",
                "models-dev"),
               doc="whose naming the external name follows"),
        Column("external_name", "str", True),
        *PROVENANCE,
        CURATED_ON,
    ),
    key=("namespace", "external_name"),
    doc="how each source names a catalog model; the join key for cross-source checks",
)

PRICE_HISTORY = Table(
    "price_history",
    "price_history.csv",
    (
        Column("model_id", "str", True),
        Column("provider", "str", True),
        _price("usd_per_mtok_in", "USD per 1M input tokens", required=True),
        _price("usd_per_mtok_out", "USD per 1M output tokens", required=True),
        _price("usd_per_mtok_cached_in", "USD per 1M cached input tokens"),
        Column("from_date", "date"),
        Column("to_date", "date", doc="empty = still current"),
        *PROVENANCE,
    ),
    key=("model_id", "provider", "from_date"),
    doc="dated list prices, for review triggers",
)

PROVIDERS = Table(
    "providers",
    "providers.csv",
    (
        Column("provider", "str", True, doc="as written in offerings.csv"),
        Column("zero_data_retention", "bool", doc="a zero-data-retention option exists (often on request)"),
        Column("trains_on_data", "bool", doc="API prompts may be used for training by default"),
        Column("regions", "list", doc="';'-separated processing regions offered, e.g. 'us;eu'"),
        Column("policy_url", "str", doc="the provider's published data-usage policy"),
        Column("notes", "str"),
        *PROVENANCE,
        CURATED_ON,
    ),
    key=("provider",),
    doc="provider-level policy facts; an offering's own privacy columns override them when filled",
)

MODEL_ARCHITECTURE = Table(
    "model_architecture",
    "model_architecture.csv",
    (
        Column("model_id", "str", True, doc="as in models.csv"),
        Column("layers", "int", True, min=1, max=1000, doc="transformer layers (config.json num_hidden_layers)"),
        Column("kv_heads", "int", True, min=1, max=1024, doc="key/value heads (config.json num_key_value_heads)"),
        Column("head_dim", "int", True, min=1, max=4096, doc="dimensions per head (config.json head_dim)"),
        Column("notes", "str"),
        *PROVENANCE,
    ),
    key=("model_id",),
    doc="open-weight models' architecture facts for the KV-cache memory formula (workbench.costs.memory)",
)

TABLES: dict[str, Table] = {t.name: t for t in (MODELS, OFFERINGS, SCORES, GPUS, NAME_MAP, PRICE_HISTORY, PROVIDERS)}
# Tables a catalog directory must have; the others are optional.
REQUIRED_TABLES = ("models", "offerings")
# Optional tables read on demand by the stage that uses them (not part of load_catalog or a snapshot build).
OPTIONAL_TABLES: dict[str, Table] = {t.name: t for t in (MODEL_ARCHITECTURE,)}
