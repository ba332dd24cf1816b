"""One field-spec validator for YAML and CSV inputs: each field's type, whether it is required, its
allowed values and range, checked with people-first messages (the key path, the closest valid key,
the fix); and the one safe YAML reader every file goes through.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from workbench.errors import Problem, did_you_mean, fail

# --------------------------------------------------------------------------------------------
# a small declarative validator for nested YAML with key paths and did-you-mean hints
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class F:
    """A field: kind is str | int | float | bool | date | list[str] | dict | map | any; ``sub`` is a spec
    for dict kinds (or for each list item when kind is 'list[dict]')."""

    kind: str
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    sub: dict | None = None
    doc: str = ""


def check_value(value: Any, spec: F, path: str, file: str, problems: list[Problem]) -> Any:
    """Check one value against its field spec; return the converted value (or None on a problem)."""
    def bad(msg: str, fix: str):
        problems.append(Problem(file, path, msg, fix, value=value if not isinstance(value, (dict, list)) else None))
        return None

    k = spec.kind
    if k in ("dict", "map"):
        if not isinstance(value, dict):
            return bad("must be a mapping (key: value lines)", "indent the keys below it")
        if k == "map" or spec.sub is None:
            return value
        return check_mapping(value, spec.sub, path, file, problems)
    if k.startswith("list"):
        if isinstance(value, str) and k == "list[str]":
            parts = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
            if len(parts) > 1 and all(len(v.split()) == 1 for v in parts):  # 'us, eu'; not a sentence with a comma
                key = path.rsplit(".", 1)[-1]
                return bad("a list written as one string", f"write it as a list: {key}: [{', '.join(parts)}]")
            value = [value]
        if not isinstance(value, list):
            return bad("must be a list", "write it as '- item' lines or [a, b]")
        out = []
        for i, item in enumerate(value):
            p = f"{path}[{i}]"
            if k == "list[dict]":
                out.append(check_value(item, F("dict", sub=spec.sub), p, file, problems))
            else:
                if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                    problems.append(Problem(file, p, "must be a plain text item", "write a word or a quoted string"))
                    continue
                item = str(item).strip()
                if spec.choices and item not in spec.choices:
                    problems.append(Problem(file, p, "not an allowed value", did_you_mean(item, spec.choices), value=item))
                    continue
                out.append(item)
        return out
    if k == "bool":
        if not isinstance(value, bool):
            return bad("must be true or false", "write true or false without quotes")
        return value
    if k == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return bad("not a date", "write YYYY-MM-DD, e.g. 2026-11-20")
    if k == "str":
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return bad("must be text", "write it as text (quote it if it contains ': ')")
        value = str(value).strip()
        if spec.required and not value:
            return bad("must not be empty", "write the answer")
        if spec.choices and value not in spec.choices:
            return bad("not an allowed value", did_you_mean(value, spec.choices))
        return value
    if k in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str):
                return bad("must be a number, not text", _text_number_fix(value))
            return bad("must be a number", "write a plain number")
        if k == "int" and isinstance(value, float):
            if not value.is_integer():
                return bad("must be a whole number", "drop the decimals")
            value = int(value)
        if spec.min == 0 and value < 0:
            return bad("must not be negative", f"write a number of 0 or more ({spec.doc or path})")
        if spec.min is not None and value < spec.min or spec.max is not None and value > spec.max:
            lo = "" if spec.min is None else f"{spec.min:g}"
            hi = "" if spec.max is None else f"{spec.max:g}"
            return bad(f"impossible value: outside {lo}..{hi}", f"check the number and its unit ({spec.doc or path})")
        return value
    return value


def _text_number_fix(text: str) -> str:
    """The fix for a number YAML read as text: a unit, a thousands separator, or 1e5 without a dot."""
    t = text.strip()
    plain = t.replace(",", "").replace("_", "")
    try:
        number = float(plain)
    except ValueError:
        number = float("nan")
    if number - number != 0:  # not a number at all, or inf/nan
        return "remove the quotes and any unit (e.g. write 2.5, not '2.5 s')"
    shown = f"{number:.0f}" if number.is_integer() else f"{number:g}"
    if "," in t:
        return f"drop the thousands separators: write {shown}"
    if "e" in t.lower():
        return f"write it out as {shown} (YAML reads {t} as text)"
    return f"remove the quotes: write {shown}"


def check_mapping(data: dict, spec: dict, path: str, file: str, problems: list[Problem]) -> dict:
    out = {}
    for key, value in data.items():
        p = f"{path}.{key}" if path else str(key)
        if key not in spec:
            problems.append(Problem(file, p, "unknown key", did_you_mean(str(key), spec)))
            continue
        if value is None:
            if spec[key].required:
                problems.append(Problem(file, p, "has no value", f"fill in '{key}' ({spec[key].doc or spec[key].kind})"))
            continue
        out[key] = check_value(value, spec[key], p, file, problems)
    for key, f in spec.items():
        if f.required and key not in data:
            p = f"{path}.{key}" if path else key
            problems.append(Problem(file, p, "required key is missing", f"add '{key}:' ({f.doc or f.kind})"))
    return out


MAX_YAML_BYTES = 1_000_000  # scenarios, routing files and records are a few kB; a bigger file is a mistake


class _DuplicateKey(Exception):
    def __init__(self, key, mark):
        self.key, self.mark = key, mark


MAX_YAML_NODES = 100_000  # values after aliases are expanded; the shipped scenarios have about 1,000


class _AliasRefused(Exception):
    def __init__(self, mark, nodes):
        self.mark, self.nodes = mark, nodes


def _node_count(node, memo: dict) -> int:
    """Values in a composed YAML node, counting what aliases inside it expand to."""
    key = id(node)
    if key not in memo:
        memo[key] = 1  # a self-referencing node counts once, and cannot loop
        if isinstance(node, yaml.SequenceNode):
            memo[key] = 1 + sum(_node_count(n, memo) for n in node.value)
        elif isinstance(node, yaml.MappingNode):
            memo[key] = 1 + sum(_node_count(k, memo) + _node_count(v, memo) for k, v in node.value)
    return memo[key]


class _Loader(yaml.SafeLoader):
    """``safe_load`` semantics, but dates stay text (checked with a key path later), a key written
    twice in one mapping is an error instead of silently keeping the last one, and aliases (``*name``)
    may expand the document to at most :data:`MAX_YAML_NODES` values: nested aliases can otherwise turn
    a small file into gigabytes (the "billion laughs" attack)."""

    def compose_node(self, parent, index):
        if not hasattr(self, "_wb_nodes"):
            self._wb_nodes, self._wb_memo = 0, {}
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            self._wb_nodes += _node_count(target, self._wb_memo) if target is not None else 1
        else:
            self._wb_nodes += 1
        if self._wb_nodes > MAX_YAML_NODES:
            raise _AliasRefused(self.peek_event().start_mark, self._wb_nodes)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: str | Path, what: str = "file") -> Any:
    """Read a YAML file safely, turning syntax errors into a :class:`WorkbenchError` with line and column."""
    display = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(display, "file", f"{what} not found", "check the path; the shipped ones are in data/scenarios/") from None
    except UnicodeDecodeError:
        raise fail(display, "file", "not UTF-8 text", "save the file as UTF-8") from None
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str = "<text>") -> Any:
    """Parse YAML text as :func:`read_yaml` does (safe, duplicate keys and syntax errors reported with
    line and column, ``display`` naming the text in messages)."""
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_YAML_BYTES:
        raise fail(display, "file", f"is {size:,} bytes; YAML inputs are limited to {MAX_YAML_BYTES:,} bytes",
                   "check that this is the right file; a scenario or record is a few kilobytes")
    try:
        return yaml.load(text, Loader=_Loader)
    except _AliasRefused as e:
        raise fail(display, f"line {e.mark.line + 1}, column {e.mark.column + 1}",
                   f"its aliases (*name) expand to more than {MAX_YAML_NODES:,} values",
                   "write the values out instead of nesting aliases; a scenario needs a few hundred") from None
    except _DuplicateKey as e:
        raise fail(display, f"line {e.mark.line + 1}", f"key '{e.key}' appears twice in the same mapping",
                   "keep one of them (YAML would silently use the last)") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise fail(display, where, f"not valid YAML: {reason}",
                   "check the indentation (spaces, not tabs) and quote text that contains ': ' or starts with a symbol") from None


# the names the stages used before the validator was public
_check = check_value
_check_mapping = check_mapping
