"""Validation of every payload against the JSON Schemas in schemas/ (draft 2020-12).

A payload is first checked by jsonschema-rs, in Rust, where the schema reads the same there as
in Python: a valid dot costs a microsecond rather than the fifty jsonschema takes, and a storm
of votes is thousands a second. jsonschema checks the rest and words every refusal.

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
from typing import Any, cast

import jsonschema_rs
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
        _inlined(_schemas()[name]),
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


class _Kept(Exception):
    """A reference that can't be put in place of itself (a cycle, or one beside other
    keywords): the schema is then checked as written."""


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each reference replaced by what it refers to. A reference costs
    jsonschema a registry lookup and a new validator each time it is followed: 35 of the 58
    microseconds a dot sent on the live socket took to check. The published files keep their
    references; the checks, and the words of a refusal, are the same either way."""
    try:
        return cast(dict[str, Any], _inline(schema, schema, ()))
    except _Kept:
        return schema


def _inline(node: Any, document: dict[str, Any], following: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, document, following) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return {key: _inline(value, document, following) for key, value in node.items()}
    where, _, pointer = ref.partition("#")
    target = _by_id()[where] if where else document
    whole = f"{target['$id']}#{pointer}"
    if len(node) > 1 or whole in following:
        raise _Kept(ref)
    found: Any = target
    for part in filter(None, pointer.split("/")):
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return _inline(found, target, (*following, whole))


@cache
def _by_id() -> dict[str, dict[str, Any]]:
    return {s["$id"]: s for s in _schemas().values()}


@cache
def _quick(name: str) -> Any:
    """The Rust check of a schema whose every keyword should mean the same to it as to
    jsonschema, else None. It may refuse what jsonschema takes (a key ending in a newline,
    which Python's ``$`` lets through); the schemas it is given are chosen, and tested near
    their edges, so that what it passes jsonschema passes too."""
    inlined = _inlined(_schemas()[name])
    if not _reads_alike(inlined):
        return None
    return jsonschema_rs.validator_for(inlined)


def _passes_quickly(name: str, instance: Any) -> bool:
    quick = _quick(name)
    try:
        return quick is not None and bool(quick.is_valid(instance))
    except ValueError:  # a value of no JSON kind (a date, bytes): jsonschema says what is wrong
        return False


def _reads_alike(node: Any) -> bool:
    """Whether a schema has no reference left, no format (jsonschema-rs asserts none unless
    told, and not all as jsonschema does), and no pattern with an escape or a dot: Rust's
    ``\\s`` and ``\\d`` take other characters than Python's. Patterns as property names are
    not looked into, so a schema with them is not taken either."""
    if isinstance(node, list):
        return all(_reads_alike(item) for item in node)
    if not isinstance(node, dict):
        return True
    pattern = node.get("pattern")
    if "$ref" in node or "patternProperties" in node:
        return False
    if "format" in node and not isinstance(node["format"], dict):
        return False
    if isinstance(pattern, str) and ("\\" in pattern or "." in pattern):
        return False
    return all(_reads_alike(value) for value in node.values())


def schema(name: str) -> dict[str, Any]:
    return _schemas()[name]


def names() -> list[str]:
    return list(_schemas())


MAX_VALUE = 150  # a refusal names what was sent, and what was sent may be long
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
    if _passes_quickly(name, instance):
        return instance
    error = next(validator(name).iter_errors(instance), None)
    if error is not None:
        said, values = describe(error)
        raise Invalid(said, values={key: _cut(value) for key, value in values.items()})
    return instance


def _cut(value: Any) -> Any:
    """What was sent, cut short: a refusal names it, and it may be long."""
    text = str(value)
    return value if len(text) <= MAX_VALUE else f"{text[: MAX_VALUE - 1]}…"


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Validation within it raises TooSlow once ``seconds`` have passed (None: no limit)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


# Each sentence twice: about a field (%(what)s is its path, quoted: a name a program sends)
# and about the message as a whole.
SENTENCES: dict[str, tuple[str, str]] = {
    "additionalProperties": (
        N_("%(what)s has fields Snug doesn't accept: %(extra)s."),
        N_("The message has fields Snug doesn't accept: %(extra)s."),
    ),
    "maxLength": (
        N_("%(what)s is too long: at most %(arg)s characters."),
        N_("The message is too long: at most %(arg)s characters."),
    ),
    "minLength": (N_("%(what)s can't be empty."), N_("The message can't be empty.")),
    "maximum": (
        N_("%(what)s must be at most %(arg)s."),
        N_("The message must be at most %(arg)s."),
    ),
    "minimum": (
        N_("%(what)s must be at least %(arg)s."),
        N_("The message must be at least %(arg)s."),
    ),
    "maxItems": (
        N_("%(what)s can have at most %(arg)s items."),
        N_("The message can have at most %(arg)s items."),
    ),
    "minProperties": (
        N_("%(what)s must change at least one thing."),
        N_("The message must change at least one thing."),
    ),
    "enum": (
        N_("%(what)s must be one of: %(choices)s."),
        N_("The message must be one of: %(choices)s."),
    ),
    "const": (N_("%(what)s must be %(arg)s."), N_("The message must be %(arg)s.")),
    "format": (
        N_("%(what)s must be a real %(arg)s, such as 2026-11-23."),
        N_("The message must be a real %(arg)s, such as 2026-11-23."),
    ),
    "pattern": (
        N_("%(what)s isn't in the expected form. %(hint)s"),
        N_("The message isn't in the expected form. %(hint)s"),
    ),
    "pattern without a hint": (
        N_("%(what)s isn't in the expected form."),
        N_("The message isn't in the expected form."),
    ),
    "blank": (N_("%(what)s can't be blank."), N_("The message can't be blank.")),
    "other": (
        N_("%(what)s isn't valid: %(message)s."),
        N_("The message isn't valid: %(message)s."),
    ),
}
# A field of the wrong type, by the type (or types) its schema asks for.
KINDS: dict[str, tuple[str, str]] = {
    "string": (N_("%(what)s should be text."), N_("The message should be text.")),
    "integer": (
        N_("%(what)s should be a whole number."),
        N_("The message should be a whole number."),
    ),
    "number": (N_("%(what)s should be a number."), N_("The message should be a number.")),
    "boolean": (
        N_("%(what)s should be true or false."),
        N_("The message should be true or false."),
    ),
    "object": (N_("%(what)s should be an object."), N_("The message should be an object.")),
    "array": (N_("%(what)s should be a list."), N_("The message should be a list.")),
    "null": (N_("%(what)s should be null."), N_("The message should be null.")),
    "string null": (
        N_("%(what)s should be text or null."),
        N_("The message should be text or null."),
    ),
}


def describe(error: ValidationError) -> tuple[str, dict[str, Any]]:
    """One sentence a person can act on, as written (marked for the catalogue), and the values
    that fill it once it is said."""
    field = ".".join(str(p) for p in error.absolute_path)
    values: dict[str, Any] = {"what": f"'{field}'"}
    whole = 0 if field else 1  # which of a sentence's two forms
    v, arg = error.validator, error.validator_value
    if v == "required":
        values["missing"] = error.message.split("'")[1]
        said = N_("%(what)s needs '%(missing)s'.") if field else N_("'%(missing)s' is missing.")
        return said, values
    if v == "type":
        kinds = " ".join(map(str, arg)) if isinstance(arg, list) else str(arg)
        if kinds in KINDS:
            return KINDS[kinds][whole], values
        v = "other"
    if v == "pattern" and arg == "\\S":
        v = "blank"
    hint = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    if v == "pattern" and not hint:
        v = "pattern without a hint"
    if v not in SENTENCES:
        v = "other"
    values.update(
        arg=repr(arg) if v == "const" else arg,
        extra=", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        if v == "additionalProperties"
        else "",
        choices=", ".join(map(str, arg)) if v == "enum" else "",
        hint=hint,
        message=error.message,
    )
    return SENTENCES[str(v)][whole], values
