"""Benchmark cases for ``python -m workbench bench``; one module per area, each with ``cases(options)``."""
