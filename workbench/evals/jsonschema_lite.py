"""A small JSON-Schema subset validator: ``type`` (null included), ``required``, ``properties``,
``enum``, ``items``, ``additionalProperties``, ``pattern``, ``minLength``/``maxLength``,
``minimum``/``maximum``.

The workbench does not depend on the ``jsonschema`` package; output contracts in the golden set
and the scenarios need only this subset. A schema that uses any other keyword is rejected when it
is loaded (:func:`schema_problems`), so nobody believes a rule is checked when it is not.
Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import re
from typing import Any

# keywords this validator enforces; descriptive ones are accepted and ignored
SUPPORTED = ("type", "required", "properties", "enum", "items", "additionalProperties", "pattern", "minLength",
             "maxLength", "minimum", "maximum")
DESCRIPTIVE = ("$schema", "$id", "title", "description", "examples", "default", "$comment")
TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")


def _type_ok(value: Any, t: str) -> bool:
    if t == "null":
        return value is None
    if t == "boolean":
        return isinstance(value, bool)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, float) and value.is_integer())
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    return False


def _type_name(value: Any) -> str:
    for t in ("null", "boolean", "integer", "number", "string", "object", "array"):
        if _type_ok(value, t):
            return t
    return type(value).__name__


def validate(value: Any, schema: dict, path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema``, as ``"$.citations[0]: expected string, got integer"``.

    ``type`` may be one name or a list (``["string", "null"]``); ``required`` lists keys an object
    must have; ``properties`` validates the keys present; ``additionalProperties: false`` forbids
    the others; ``enum`` lists the allowed values; ``items`` validates every element of an array;
    ``pattern`` is a regular expression a string must contain a match of (``re.search``, as JSON
    Schema says); ``minLength``/``maxLength`` bound a string's length and ``minimum``/``maximum`` a
    number. An empty list means valid.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    errors: list[str] = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_ok(value, t) for t in types):
            return [f"{path}: expected {' or '.join(types)}, got {_type_name(value)}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']!r}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: {value!r} does not match the pattern {schema['pattern']!r}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{path}: shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']} characters")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} is above the maximum {schema['maximum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing required key '{key}'")
        props = schema.get("properties", {})
        for key, sub in props.items():
            if key in value:
                errors += validate(value[key], sub, f"{path}.{key}")
        if schema.get("additionalProperties") is False:
            for key in value:
                if key not in props:
                    errors.append(f"{path}: unexpected key '{key}'")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{i}]")
    return errors


def schema_problems(schema: Any, path: str = "$") -> list[tuple[str, str]]:
    """(key path, what is wrong) for every part of ``schema`` this validator cannot enforce.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    if not isinstance(schema, dict):
        return [(path, f"a schema must be a JSON object, got {_type_name(schema)}")]
    out: list[tuple[str, str]] = []
    for key, sub in schema.items():
        where = f"{path}.{key}"
        if key not in SUPPORTED and key not in DESCRIPTIVE:
            out.append((where, f"keyword '{key}' is not supported (supported: {', '.join(SUPPORTED)})"))
        elif key == "type":
            names = sub if isinstance(sub, list) else [sub]
            for n in names:
                if n not in TYPES:
                    out.append((where, f"unknown type {n!r} (types: {', '.join(TYPES)})"))
        elif key == "required" and not (isinstance(sub, list) and all(isinstance(k, str) for k in sub)):
            out.append((where, "'required' must be a list of key names"))
        elif key == "properties":
            if not isinstance(sub, dict):
                out.append((where, "'properties' must map key names to schemas"))
            else:
                for name, s in sub.items():
                    out += schema_problems(s, f"{where}.{name}")
        elif key == "items":
            out += schema_problems(sub, where)
        elif key == "enum" and not isinstance(sub, list):
            out.append((where, "'enum' must be a list of allowed values"))
        elif key == "additionalProperties" and not isinstance(sub, bool):
            out.append((where, "only additionalProperties: true or false is supported"))
        elif key == "pattern":
            try:
                re.compile(sub)
            except (re.error, TypeError) as e:
                out.append((where, f"not a valid regular expression ({e})"))
        elif key in ("minLength", "maxLength", "minimum", "maximum") and (
                isinstance(sub, bool) or not isinstance(sub, (int, float))):
            out.append((where, f"'{key}' must be a number"))
    return out
