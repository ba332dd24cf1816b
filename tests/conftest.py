"""Shared test set-up: notebooks compare text outputs only; widget views and HTML are not compared."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        # widget views carry random model ids; HTML duplicates the text/plain we already compare
        collector.skip_compare += ("application/vnd.jupyter.widget-view+json", "text/html")
