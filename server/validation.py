"""Validation of every payload against the JSON Schemas in schemas/ (draft 2020-12).

What a payload costs to check is bounded: every array and string in the schemas has a maximum
(tests/test_schemas.py holds them to it), the keywords that compare sizes run before those that
look inside, and checking stops at the first error, so a payload that is refused is refused
after looking at little of it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource

from server.bundled import SCHEMA_DIR
from server.errors import Invalid
from server.language import N_

# Keywords that refuse from a size or a kind alone come first; uniqueItems, quadratic on lists
# of objects, comes last, once the items are known to be few and simple.
FIRST = ("type", "const", "enum", "maxItems", "maxLength", "maxProperties", "maximum", "minimum")
LAST = ("uniqueItems",)
_RANK = {keyword: rank for rank, keyword in enumerate(FIRST)} | dict.fromkeys(LAST, len(FIRST) + 1)
_deadline: ContextVar[float | None] = ContextVar("validation_deadline", default=None)


class TooSlow(Invalid):
    """Checking a payload took longer than it was given."""


def _keywords(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """The schema's keywords in the order they are checked. It runs for every part of a
    payload that is checked, so it is also where a time budget is enforced."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TooSlow(N_("Checking the data took too long."))
    return sorted(schema.items(), key=lambda item: _RANK.get(item[0], len(FIRST)))


SnugValidator = validators.create(
    meta_schema=Draft202012Validator.META_SCHEMA,
    validators=Draft202012Validator.VALIDATORS,
    type_checker=Draft202012Validator.TYPE_CHECKER,
    format_checker=Draft202012Validator.FORMAT_CHECKER,
    applicable_validators=_keywords,
)


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(SCHEMA_DIR.glob("*.json"))}


@cache
def _registry() -> Registry:
    resources = [(s["$id"], Resource.from_contents(s)) for s in _schemas().values()]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Validator:
    return SnugValidator(
        _schemas()[name],
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def schema(name: str) -> dict[str, Any]:
    return _schemas()[name]


def names() -> list[str]:
    return list(_schemas())


MAX_SAID = 300  # a refusal names what was sent, and what was sent may be long
MAX_DEPTH = 32  # deeper than any of Snug's payloads; deep nesting only ever means harm
NOT_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL, and halves of surrogate pairs


def load_json(raw: str | bytes) -> Any:
    """Parses a payload, refusing in words what no part of Snug could store or show: JSON
    that isn't, nesting past MAX_DEPTH, and strings with NUL or broken Unicode."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise Invalid(N_("The data sent isn't valid JSON; it may have been cut short.")) from None
    _check_text(value)
    return value


def _check_text(value: Any) -> None:
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise Invalid(
                N_("The data sent is nested more than %(most)s levels deep."),
                values={"most": MAX_DEPTH},
            )
        if isinstance(item, str) and NOT_TEXT.search(item):
            raise Invalid(
                N_(
                    "Some text sent holds a character no text can (NUL, or half of a Unicode "
                    "surrogate pair); remove it and try again."
                )
            )
        if isinstance(item, dict):
            pending += [(key, depth + 1) for key in item]
            pending += [(child, depth + 1) for child in item.values()]
        elif isinstance(item, list):
            pending += [(child, depth + 1) for child in item]


def validate(name: str, instance: Any) -> Any:
    """Returns the instance if it fits the schema; otherwise raises Invalid, naming the first
    thing wrong with it."""
    error = next(validator(name).iter_errors(instance), None)
    if error is not None:
        said = describe(error)
        raise Invalid(said if len(said) <= MAX_SAID else f"{said[: MAX_SAID - 1]}…")
    return instance


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Validation within it raises TooSlow once ``seconds`` have passed (None: no limit)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def describe(error: ValidationError) -> str:
    """One sentence a person can act on."""
    field = ".".join(str(p) for p in error.absolute_path) or "The message"
    what = f"'{field}'" if error.absolute_path else field
    v, arg = error.validator, error.validator_value
    if v == "required":
        missing = error.message.split("'")[1]
        return (
            f"'{missing}' is missing." if not error.absolute_path else f"{what} needs '{missing}'."
        )
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{what} has fields Snug doesn't accept: {', '.join(extra)}."
    templates = {
        "type": "{what} should be {kind}.",
        "maxLength": "{what} is too long: at most {arg} characters.",
        "minLength": "{what} can't be empty.",
        "maximum": "{what} must be at most {arg}.",
        "minimum": "{what} must be at least {arg}.",
        "maxItems": "{what} can have at most {arg} items.",
        "minProperties": "{what} must change at least one thing.",
        "enum": "{what} must be one of: {choices}.",
        "const": "{what} must be {arg!r}.",
        "format": "{what} must be a real {arg}, such as 2026-11-23.",
        "pattern": "{what} isn't in the expected form. {hint}",
    }
    if v == "pattern" and arg == "\\S":
        return f"{what} can't be blank."
    template = templates.get(str(v), "{what} isn't valid: {message}.")
    return template.format(
        what=what,
        arg=arg,
        kind=_kind(arg) if v == "type" else "",
        choices=", ".join(map(str, arg)) if v == "enum" else "",
        hint=error.schema.get("description", "") if isinstance(error.schema, dict) else "",
        message=error.message,
    ).strip()


def _kind(arg: Any) -> str:
    names = {
        "string": "text",
        "integer": "a whole number",
        "boolean": "true or false",
        "object": "an object",
        "array": "a list",
        "null": "null",
        "number": "a number",
    }
    kinds = arg if isinstance(arg, list) else [arg]
    return " or ".join(names.get(str(k), str(k)) for k in kinds)
