"""The golden dataset: support cases in JSONL, the help-center articles they retrieve, output schemas.

One case per line (the contract with ``data/golden/README.md``)::

    {"id", "task": classify|answer|draft|extract, "input", "context": {"articles": [ids], "customer": {...}},
     "expected": {"label", "fields", "required_facts", "allowed_citations", "must_cite", "forbidden",
                  "allowed_pii", "max_words", "refusal", "route", "pii": [{"type", "text"}]},
     "checks": [label_exact | json_schema | required_facts | citations | no_pii_leak | injection_safe
                | max_words | refusal], "tags": [...], "regression_of": "..." (regression cases)}

:func:`load_golden` reads the file, the ``help_center/*.md`` articles beside it and
``extract_schema.json``, and raises one :class:`~workbench.errors.WorkbenchError` listing every
problem with its line and key path (``line 7, expected.max_wrds``) and a did-you-mean hint.
Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import Problem, WorkbenchError, did_you_mean, fail
from workbench.evals.jsonschema_lite import schema_problems
from workbench.evals.prompts import support_contract
from workbench.util import data_dir
from workbench.util import shown_path as display_path
from workbench.vocab import TASKS

# The case format is defined once, in case_schema.json beside this module; keys, task kinds and check
# names below are read from it, so the loader and the published schema cannot drift apart.
CASE_SCHEMA_FILE = Path(__file__).with_name("case_schema.json")
CASE_SCHEMA = json.loads(CASE_SCHEMA_FILE.read_text(encoding="utf-8"))
CASE_KEYS = tuple(CASE_SCHEMA["properties"])
REQUIRED_CASE_KEYS = tuple(CASE_SCHEMA["required"])
CONTEXT_KEYS = tuple(CASE_SCHEMA["properties"]["context"]["properties"])
EXPECTED_KEYS = tuple(CASE_SCHEMA["properties"]["expected"]["properties"])
CHECKS = tuple(CASE_SCHEMA["properties"]["checks"]["items"]["enum"])
assert tuple(CASE_SCHEMA["properties"]["task"]["enum"]) == TASKS, "case_schema.json's tasks differ from workbench.vocab.TASKS"
# what each check reads from "expected" (or needs from the set), so a case that cannot be checked
# is an error when the file is loaded, not a silent pass when it is scored
CHECK_NEEDS = {"label_exact": ("label",), "required_facts": ("required_facts",), "max_words": ("max_words",),
               "refusal": ("refusal",)}
# the task kinds each check applies to
CHECK_TASKS = {"label_exact": ("classify",), "citations": ("answer",), "max_words": ("answer", "draft"),
               "json_schema": ("answer", "extract")}


@dataclass(frozen=True)
class PII:
    """One piece of personal data present in a case's input: its ``type`` (email, account_id, ...)
    and the exact ``text``.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    type: str
    text: str


@dataclass(frozen=True)
class Expected:
    """What a correct output looks like; None or empty = not specified for this case.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    label: str | None = None
    fields: dict | None = None
    required_facts: tuple = ()
    allowed_citations: tuple[str, ...] | None = None
    must_cite: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    allowed_pii: tuple[str, ...] = ()
    max_words: int | None = None
    refusal: bool | None = None
    route: str | None = None
    pii: tuple[PII, ...] = ()


@dataclass(frozen=True)
class GoldenCase:
    """One case of the golden set. ``articles`` are the retrieved help-center article ids;
    ``customer`` is what the support tool knows about the sender (empty when unknown);
    ``regression_of`` names the failure a regression case pins; ``line`` is the JSONL line.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    id: str
    task: str
    input: str
    expected: Expected
    checks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    customer: dict = field(default_factory=dict)
    regression_of: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Article:
    """A help-center article: ``id`` is the file name without ``.md``, ``title`` its first heading.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class GoldenSet:
    """The cases, the articles they may retrieve, the JSON schema of each JSON task, the labels a
    classifier may answer, and provenance (``path``, ``sha256`` of the JSONL file).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    cases: tuple[GoldenCase, ...]
    articles: dict[str, Article] = field(default_factory=dict)
    schemas: dict[str, dict] = field(default_factory=dict)
    labels: tuple[str, ...] = ()
    path: str = "<memory>"
    sha256: str = ""

    def case(self, case_id: str) -> GoldenCase:
        for c in self.cases:
            if c.id == case_id:
                return c
        raise fail(self.path, f"case '{case_id}'", "no such case in the golden set",
                   did_you_mean(case_id, [c.id for c in self.cases]))

    def __len__(self) -> int:
        return len(self.cases)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------

def golden_dir() -> Path:
    """The project's ``data/golden`` folder.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    return data_dir() / "golden"


def load_help_center(folder: str | Path) -> dict[str, Article]:
    """Read every ``*.md`` in ``folder`` as an :class:`Article` (id = file name without ``.md``).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise fail(str(folder), "folder", "help-center folder not found",
                   "pass the folder that holds the articles as <id>.md files (e.g. data/golden/help_center)")
    out: dict[str, Article] = {}
    problems = []
    for f in sorted(folder.glob("*.md")):
        try:
            text = f.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            problems.append(Problem(str(f), "file", "not UTF-8 text", "save the article as UTF-8"))
            continue
        if not text:
            problems.append(Problem(str(f), "file", "the article is empty", "write the article, or delete the file"))
            continue
        first = text.splitlines()[0]
        title = first.lstrip("#").strip() if first.startswith("#") else f.stem
        out[f.stem] = Article(id=f.stem, title=title, text=text)
    if problems:
        raise WorkbenchError(problems)
    if not out:
        raise fail(str(folder), "folder", "no .md articles in the folder", "add the help-center articles as <id>.md files")
    return out


def load_schema(path: str | Path) -> dict:
    """Read a JSON schema file and check it uses only the keywords :mod:`.jsonschema_lite` enforces.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    display = str(path)
    try:
        schema = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail(display, "file", "schema file not found", "check the path") from None
    except ValueError as e:
        raise fail(display, f"line {getattr(e, 'lineno', '?')}", f"not valid JSON: {getattr(e, 'msg', e)}",
                   "fix the JSON syntax (double quotes, no trailing commas)") from None
    problems = [Problem(display, where, msg, "use only type, required, properties, enum, items, "
                        "additionalProperties (true/false); describe other rules in 'description'")
                for where, msg in schema_problems(schema)]
    if problems:
        raise WorkbenchError(problems)
    return schema


def load_golden(path: str | Path | None = None, help_center: str | Path | None = None,
                extract_schema: str | Path | None = None, labels: tuple[str, ...] | None = None) -> GoldenSet:
    """Load and validate a golden JSONL file (default ``data/golden/support_assistant.jsonl``).

    The articles default to ``help_center/`` beside the file and the extract schema to
    ``extract_schema.json`` beside it; the answer schema and the labels come from the support
    scenario's output contracts (:func:`workbench.evals.prompts.support_contract`).
    Every problem in the file is reported at once, by line and key path.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    path = Path(path) if path is not None else golden_dir() / "support_assistant.jsonl"
    display = display_path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise fail(display, "file", "golden file not found",
                   "check the path; the shipped set is data/golden/support_assistant.jsonl") from None
    except UnicodeDecodeError as e:
        raise fail(display, f"byte {e.start}", "the file is not UTF-8 text", "save it as UTF-8") from None
    hc = Path(help_center) if help_center is not None else path.parent / "help_center"
    articles = load_help_center(hc) if (help_center is not None or hc.is_dir()) else {}
    contract = support_contract()
    schemas = {"answer": contract.answer_schema}
    xs = Path(extract_schema) if extract_schema is not None else path.parent / "extract_schema.json"
    if extract_schema is not None or xs.exists():
        schemas["extract"] = load_schema(xs)
    labels = tuple(labels) if labels is not None else contract.labels
    cases = cases_from_lines(text.splitlines(), display, articles=articles, schemas=schemas, labels=labels)
    return GoldenSet(cases=tuple(cases), articles=articles, schemas=schemas, labels=labels, path=display,
                     sha256=hashlib.sha256(raw).hexdigest())


def cases_from_lines(lines: list[str], file: str = "<memory>", articles: dict | None = None,
                     schemas: dict | None = None, labels: tuple[str, ...] = ()) -> list[GoldenCase]:
    """Parse and validate JSONL lines (blank lines and lines starting with ``//`` are skipped).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    problems: list[Problem] = []
    cases: list[GoldenCase] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            problems.append(Problem(file, f"line {n}", f"not valid JSON: {e.msg} at column {e.colno}",
                                    "one JSON object per line: double quotes, no trailing commas, no line breaks "
                                    "inside a case"))
            continue
        case = case_from_dict(obj, file, n, problems, articles, schemas, labels)
        if case is None:
            continue
        if case.id in seen:
            problems.append(Problem(file, f"line {n}, id", f"case id '{case.id}' is used twice (first on line {seen[case.id]})",
                                    "give every case its own id"))
        seen.setdefault(case.id, n)
        cases.append(case)
    if not cases and not problems:
        problems.append(Problem(file, "file", "no cases in the file", "add one JSON object per line"))
    if problems:
        raise WorkbenchError(problems)
    return cases


def _strs(value, where, file, problems, fix="write a list of strings, e.g. [\"a\", \"b\"]") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(file, where, "must be a list of strings", fix, value=value))
        return ()
    return tuple(value)


def case_from_dict(obj: Any, file: str = "<memory>", line: int = 0, problems: list[Problem] | None = None,
                   articles: dict | None = None, schemas: dict | None = None,
                   labels: tuple[str, ...] = ()) -> GoldenCase | None:
    """Validate one case (a parsed JSON object); append problems, return the case or None.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    own = problems is None
    problems = [] if own else problems
    start = len(problems)
    at = f"line {line}" if line else "case"

    def bad(key: str, msg: str, fix: str, value=None):
        problems.append(Problem(file, f"{at}, {key}" if key else at, msg, fix, value=value))

    if not isinstance(obj, dict):
        bad("", "a case must be a JSON object", "write {\"id\": ..., \"task\": ..., ...} on the line")
        return _done(own, problems)
    for k in obj:
        if k not in CASE_KEYS:
            bad(k, "unknown key", did_you_mean(k, CASE_KEYS))
    for k in REQUIRED_CASE_KEYS:
        if k not in obj:
            bad(k, "required key is missing", f"add \"{k}\" (see data/golden/README.md)")
    cid = obj.get("id")
    if "id" in obj and not (isinstance(cid, str) and cid.strip()):
        bad("id", "must be a non-empty string", "give the case a short unique id such as \"cls-001\"", cid)
    task = obj.get("task")
    if "task" in obj and task not in TASKS:
        bad("task", "not a task kind", did_you_mean(str(task), TASKS), task)
    if "input" in obj and not isinstance(obj.get("input"), str):
        bad("input", "must be a string (the customer's message)", "put the message text in quotes", obj.get("input"))

    ctx = obj.get("context") or {}
    if not isinstance(ctx, dict):
        bad("context", "must be an object", "write {\"articles\": [...], \"customer\": {...}}", ctx)
        ctx = {}
    for k in ctx:
        if k not in CONTEXT_KEYS:
            bad(f"context.{k}", "unknown key", did_you_mean(k, CONTEXT_KEYS))
    arts = _strs(ctx.get("articles"), f"{at}, context.articles", file, problems)
    if articles:
        for i, a in enumerate(arts):
            if a not in articles:
                bad(f"context.articles[{i}]", f"no help-center article '{a}'", did_you_mean(a, articles), a)
    customer = ctx.get("customer") or {}
    if not isinstance(customer, dict):
        bad("context.customer", "must be an object", "write {\"name\": ..., \"plan\": ...}", customer)
        customer = {}

    exp = obj.get("expected") or {}
    if not isinstance(exp, dict):
        bad("expected", "must be an object", "write {\"label\": ..., ...}", exp)
        exp = {}
    for k in exp:
        if k not in EXPECTED_KEYS:
            bad(f"expected.{k}", "unknown key", did_you_mean(k, EXPECTED_KEYS))
    expected = _expected(exp, at, file, problems, arts, articles, labels, task)

    checks = obj.get("checks")
    if "checks" in obj:
        if not isinstance(checks, list) or not checks or not all(isinstance(c, str) for c in checks):
            bad("checks", "must be a non-empty list of check names", "e.g. [\"label_exact\"]; checks: " + ", ".join(CHECKS), checks)
            checks = []
        for i, c in enumerate(checks):
            if c not in CHECKS:
                bad(f"checks[{i}]", f"unknown check '{c}'", did_you_mean(c, CHECKS), c)
                continue
            for need in CHECK_NEEDS.get(c, ()):
                if getattr(expected, need) in (None, ()):
                    bad(f"expected.{need}", f"check '{c}' needs expected.{need}", f"add expected.{need}, or drop '{c}'")
            if task in TASKS and task not in CHECK_TASKS.get(c, TASKS):
                bad(f"checks[{i}]", f"'{c}' does not apply to {task} cases",
                    f"drop it; '{c}' applies to: " + ", ".join(CHECK_TASKS[c]), c)
            elif c == "json_schema" and task not in (schemas or {}):
                bad(f"checks[{i}]", f"no JSON schema for task '{task}'",
                    f"put extract_schema.json beside the golden file (tasks with a schema: {', '.join(sorted(schemas or {}))})")
            if c == "json_schema" and task == "extract" and expected.fields is None:
                bad("expected.fields", "an extract case checked with 'json_schema' needs expected.fields",
                    "add the correct JSON object: every field is compared")
    tags = _strs(obj.get("tags"), f"{at}, tags", file, problems)
    reg = obj.get("regression_of")
    if reg is not None and not (isinstance(reg, str) and reg.strip()):
        bad("regression_of", "must be a sentence naming the failure the case pins", "e.g. \"labelled by keyword\"", reg)
    if "regression" in tags and not reg:
        bad("regression_of", "a case tagged 'regression' needs regression_of", "say which failure the case pins")
    if len(problems) > start:
        return _done(own, problems)
    return GoldenCase(id=cid, task=task, input=obj["input"], expected=expected, checks=tuple(checks), tags=tags,
                      articles=arts, customer=dict(customer), regression_of=reg, line=line)


def _done(own: bool, problems: list[Problem]):
    if own and problems:
        raise WorkbenchError(problems)
    return None


def _expected(exp: dict, at: str, file: str, problems: list[Problem], arts, articles, labels, task) -> Expected:
    def bad(key, msg, fix, value=None):
        problems.append(Problem(file, f"{at}, expected.{key}", msg, fix, value=value))

    label = exp.get("label")
    if label is not None and not isinstance(label, str):
        bad("label", "must be a string", "write the label in quotes", label)
        label = None
    if label is not None and labels and task == "classify" and label not in labels:
        bad("label", f"'{label}' is not a label of the classifier", did_you_mean(label, labels), label)
    fields = exp.get("fields")
    if fields is not None and not isinstance(fields, dict):
        bad("fields", "must be an object of field -> value", "e.g. {\"account_id\": \"ACCT-123456\"}", fields)
        fields = None
    facts = exp.get("required_facts") or []
    if not isinstance(facts, list) or not all(isinstance(f, str) or (isinstance(f, list) and f and all(isinstance(x, str) for x in f))
                                              for f in facts):
        bad("required_facts", "must be a list of strings (or of lists of alternative strings)",
            "e.g. [\"14 days\", [\"Settings > Billing\", \"billing settings\"]]", facts)
        facts = []
    facts = tuple(tuple(f) if isinstance(f, list) else f for f in facts)
    allowed = exp.get("allowed_citations")
    allowed = None if allowed is None else _strs(allowed, f"{at}, expected.allowed_citations", file, problems)
    must = _strs(exp.get("must_cite"), f"{at}, expected.must_cite", file, problems)
    pool = set(allowed) if allowed is not None else set(arts)
    for i, m in enumerate(must):
        if m not in pool:
            bad(f"must_cite[{i}]", f"'{m}' is not among the case's retrieved or allowed articles",
                "add it to context.articles (or allowed_citations), or fix the id", m)
    if articles and allowed:
        for i, a in enumerate(allowed):
            if a not in articles:
                bad(f"allowed_citations[{i}]", f"no help-center article '{a}'", did_you_mean(a, articles), a)
    forbidden = _strs(exp.get("forbidden"), f"{at}, expected.forbidden", file, problems)
    allowed_pii = _strs(exp.get("allowed_pii"), f"{at}, expected.allowed_pii", file, problems)
    mw = exp.get("max_words")
    if mw is not None and (isinstance(mw, bool) or not isinstance(mw, int) or mw <= 0):
        bad("max_words", "must be a positive whole number", "e.g. 120", mw)
        mw = None
    refusal = exp.get("refusal")
    if refusal is not None and not isinstance(refusal, bool):
        bad("refusal", "must be true or false", "write true or false (no quotes)", refusal)
        refusal = None
    route = exp.get("route")
    if route is not None and not isinstance(route, str):
        bad("route", "must be a string", "write the route in quotes", route)
        route = None
    pii = []
    raw_pii = exp.get("pii") or []
    if not isinstance(raw_pii, list):
        bad("pii", "must be a list of {\"type\", \"text\"} objects", "e.g. [{\"type\": \"email\", \"text\": \"a@b.com\"}]", raw_pii)
        raw_pii = []
    for i, p in enumerate(raw_pii):
        if not isinstance(p, dict) or set(p) - {"type", "text"} or not isinstance(p.get("type"), str) \
                or not isinstance(p.get("text"), str) or not p.get("text"):
            bad(f"pii[{i}]", "must be an object with a string 'type' and a non-empty string 'text'",
                "e.g. {\"type\": \"email\", \"text\": \"a@b.com\"}", p)
            continue
        pii.append(PII(p["type"], p["text"]))
    return Expected(label=label, fields=fields, required_facts=facts, allowed_citations=allowed, must_cite=must,
                    forbidden=forbidden, allowed_pii=allowed_pii, max_words=mw, refusal=refusal, route=route,
                    pii=tuple(pii))


# --------------------------------------------------------------------------------------------
# describing the set, and feeding failures back as regression cases
# --------------------------------------------------------------------------------------------

ID_PREFIX = {"classify": "cls", "answer": "ans", "draft": "drf", "extract": "ext"}


def check_matrix(golden: GoldenSet):
    """Cases per task kind and how many of them each check covers (a DataFrame, counts).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    rows = []
    for task in TASKS:
        cs = [c for c in golden.cases if c.task == task]
        rows.append({"task": task, "cases": len(cs), **{ch: sum(ch in c.checks for c in cs) for ch in CHECKS}})
    return pd.DataFrame(rows)


def tag_counts(golden: GoldenSet):
    """Cases per tag, most frequent first (a DataFrame). Taught in ``notebooks/04_golden_dataset_eval.ipynb``."""
    counts: dict[str, int] = {}
    for c in golden.cases:
        for t in c.tags or ("(none)",):
            counts[t] = counts.get(t, 0) + 1
    df = pd.DataFrame(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), columns=["tag", "cases"])
    return df


def case_to_dict(case: GoldenCase) -> dict:
    """A case as the JSON object of one golden-file line (the inverse of :func:`case_from_dict`).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    e = case.expected
    out = {"id": case.id, "task": case.task, "input": case.input,
           "context": {"articles": list(case.articles), "customer": dict(case.customer) or None},
           "expected": {"label": e.label, "fields": e.fields,
                        "required_facts": [list(f) if isinstance(f, tuple) else f for f in e.required_facts],
                        "allowed_citations": list(e.allowed_citations) if e.allowed_citations is not None else list(case.articles),
                        "must_cite": list(e.must_cite), "forbidden": list(e.forbidden), "allowed_pii": list(e.allowed_pii),
                        "max_words": e.max_words, "refusal": e.refusal, "route": e.route,
                        "pii": [{"type": p.type, "text": p.text} for p in e.pii]},
           "checks": list(case.checks), "tags": list(case.tags)}
    if case.regression_of:
        out["regression_of"] = case.regression_of
    return out


def next_case_id(golden: GoldenSet, task: str) -> str:
    """The next free id for ``task`` in the set's numbering (``drf-017`` after ``drf-016``)."""
    prefix = ID_PREFIX[task]
    nums = [int(c.id.split("-")[1]) for c in golden.cases if c.id.startswith(prefix + "-") and c.id.split("-")[1].isdigit()]
    return f"{prefix}-{max(nums, default=0) + 1:03d}"


def regression_case(golden: GoldenSet, case: GoldenCase, regression_of: str, input: str | None = None,
                    expected: dict | None = None) -> dict:
    """A new regression case (a JSON-ready dict) that pins a failure found in review: a copy of
    ``case`` with a new id, the tag ``regression``, ``regression_of`` saying what went wrong, and
    optionally a new ``input`` or changed ``expected`` keys. Validate it with :func:`case_from_dict`
    and append it to your golden file yourself (the workbench never edits a user's file).
    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    d = case_to_dict(case)
    d["id"] = next_case_id(golden, case.task)
    if input is not None:
        d["input"] = input
    d["expected"].update(expected or {})
    d["tags"] = list(dict.fromkeys([*d["tags"], "regression"]))
    d["regression_of"] = regression_of
    return d
