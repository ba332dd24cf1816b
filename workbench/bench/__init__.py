"""Stage bench: ``python -m workbench bench`` times the hot paths against their goals.

``harness`` times the cases (median of repeated runs); every other module here defines
``cases(options) -> list[Case]``. Speed and memory goals live here, not in timed tests.
"""
