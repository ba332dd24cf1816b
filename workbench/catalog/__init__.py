"""Stage 00, the catalog: facts about models with a source and a date.

The table schema (:mod:`.schema`), loading and validation (:mod:`.load`), licences and openness
(:mod:`.licences`), licence due diligence (:mod:`.diligence`), importers of public formats
(:mod:`.importers`) and the maintainer's snapshot build (:mod:`.snapshot`).
Taught in ``notebooks/00_start_here.ipynb``.
"""
from __future__ import annotations

from workbench.catalog.curation import default_curation_dir, display_number, vram_gb, livebench_scores, llm_prices_history, latest_day, gpu_rows, Curation, load_curation
from workbench.catalog.diligence import LicenceTerms, licence_terms, diligence_flags, diligence_table, diligence_for_scenario
from workbench.catalog.licences import licence_restrictions, browse, environment_report
from workbench.catalog.load import default_catalog_dir, read_csv_strings, validate_table, Catalog, catalog_from_frames, load_catalog, table_as_strings, write_table, summary
from workbench.catalog.plausibility import benchmark_scales, known_providers, price_unit_problems, price_level_problems, price_order_problems, cache_price_problems, reference_date, future_date_problems, retirement_problems, case_duplicate_problems, one_edit_apart, provider_problems, score_scale_problems, plausibility_problems
from workbench.catalog.schema import Column, Table
from workbench.catalog.snapshot import Snapshot, build_snapshot, write_snapshot

__all__ = [
    "default_curation_dir",
    "display_number",
    "vram_gb",
    "livebench_scores",
    "llm_prices_history",
    "latest_day",
    "gpu_rows",
    "Curation",
    "load_curation",
    "LicenceTerms",
    "licence_terms",
    "diligence_flags",
    "diligence_table",
    "diligence_for_scenario",
    "licence_restrictions",
    "browse",
    "environment_report",
    "default_catalog_dir",
    "read_csv_strings",
    "validate_table",
    "Catalog",
    "catalog_from_frames",
    "load_catalog",
    "table_as_strings",
    "write_table",
    "summary",
    "benchmark_scales",
    "known_providers",
    "price_unit_problems",
    "price_level_problems",
    "price_order_problems",
    "cache_price_problems",
    "reference_date",
    "future_date_problems",
    "retirement_problems",
    "case_duplicate_problems",
    "one_edit_apart",
    "provider_problems",
    "score_scale_problems",
    "plausibility_problems",
    "Column",
    "Table",
    "Snapshot",
    "build_snapshot",
    "write_snapshot",
]
