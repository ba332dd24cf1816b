"""The package's public surface: every advertised name resolves, and importing stays light."""
import subprocess
import sys
from pathlib import Path

import workbench


def test_every_public_name_resolves():
    for name in workbench._API:
        assert getattr(workbench, name) is not None, name


def test_import_does_not_pull_in_plotting_or_widgets():
    code = ("import sys, workbench; workbench.load_catalog; workbench.shortlist_all; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_cli_lists_every_verb():
    from workbench.cli import build_parser
    verbs = set(build_parser()._subparsers._group_actions[0].choices)
    assert {"catalog", "import", "snapshot", "scenario", "shortlist", "crosscheck", "diligence", "cost", "eval",
            "route", "decide", "review", "bench"} <= verbs


def test_the_wheel_lists_every_subpackage_and_bundles_the_data():
    """pyproject.toml lists packages explicitly (data/ ships as workbench._data); a new subpackage
    missing from that list would be left out of `pip install .`."""
    import tomllib
    root = Path(__file__).resolve().parent.parent
    cfg = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(root).parts) for p in (root / "workbench").rglob("__init__.py")}
    data_dirs = {"workbench._data" + "".join("." + x for x in d.relative_to(root / "data").parts)
                 for d in [root / "data", *(p for p in (root / "data").rglob("*") if p.is_dir())]}
    assert set(cfg["packages"]) == on_disk | data_dirs
    assert cfg["package-dir"]["workbench._data"] == "data"


def test_every_data_file_of_the_package_is_in_the_wheel():
    """A CSV or JSON the package reads at run time must be listed as package data, or an installed
    workbench fails where a clone works."""
    import fnmatch
    import tomllib
    root = Path(__file__).resolve().parent.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    missing = []
    for f in (root / "workbench").rglob("*"):
        if f.is_file() and f.suffix not in (".py", ".pyc") and "__pycache__" not in f.parts:
            pkg = ".".join(f.parent.relative_to(root).parts)
            if not any(fnmatch.fnmatch(f.name, g) for g in globs.get(pkg, [])):
                missing.append(str(f.relative_to(root)))
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
