"""The JSON Schemas in schemas/: valid draft 2020-12, references resolve, every body exists."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from server.app import routes
from server.errors import Invalid
from server.http.api import MAX_BODY, ApiRoute
from server.validation import (
    SCHEMA_DIR,
    SnugValidator,
    _inlined,
    _quick,
    _registry,
    describe,
    load_json,
    names,
    validate,
    validator,
)

FILES = sorted(SCHEMA_DIR.glob("*.json"))


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def test_there_are_schemas() -> None:
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"urn:snug:{path.stem}"
    resolver = _registry().resolver(base_uri=schema["$id"])
    for ref in refs(schema):
        resolver.lookup(ref)  # raises if the reference leads nowhere


def test_every_api_route_body_schema_exists() -> None:
    bodies = [r.body_schema for r in routes if isinstance(r, ApiRoute) and r.body_schema]
    assert bodies, "the API declares body schemas"
    assert set(bodies) <= set(names())


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("pitch-create", {"title": "T", "tags": ["a"]}, {"title": "T", "tags": ["a"] * 6}),
        (
            "client-hello",
            {"type": "hello", "token": None, "since": 3},
            {"type": "hello", "since": -1},
        ),
        ("dot-place", {"pitch": 1}, {"pitch": 0}),
        ("event-edit", {"voting_open": True}, {}),
    ],
)
def test_schemas_accept_and_refuse(name: str, good: Any, bad: Any) -> None:
    assert validate(name, good) == good
    with pytest.raises(Invalid):
        validate(name, bad)


# --- What checking a payload can cost -----------------------------------------------------

SUBSCHEMAS = ("items", "additionalProperties", "propertyNames", "contains", "not")
SUBSCHEMA_MAPS = ("properties", "$defs", "patternProperties", "dependentSchemas")
SUBSCHEMA_LISTS = ("prefixItems", "anyOf", "allOf", "oneOf")
CONDITIONS = ("if", "then", "else")


def subschemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema inside a schema file, with where it is. References need no following:
    they lead into these same files, and every part of every file is visited."""
    if not isinstance(node, dict):
        return
    yield where, node
    for key in (*SUBSCHEMAS, *CONDITIONS):
        yield from subschemas(node.get(key), f"{where}/{key}")
    for key in SUBSCHEMA_MAPS:
        for name, child in node.get(key, {}).items():
            yield from subschemas(child, f"{where}/{key}/{name}")
    for key in SUBSCHEMA_LISTS:
        for i, child in enumerate(node.get(key, [])):
            yield from subschemas(child, f"{where}/{key}/{i}")


def unbounded(node: dict[str, Any]) -> list[str]:
    kinds = node.get("type", [])
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    found = []
    if ("array" in kinds or "items" in node or "prefixItems" in node) and "maxItems" not in node:
        found.append("a list without maxItems")
    if "string" in kinds and "maxLength" not in node:
        found.append("text without maxLength")
    open_object = "object" in kinds and node.get("additionalProperties") is not False
    if open_object and "maxProperties" not in node:
        found.append("an object open to any field, without maxProperties")
    if kinds & {"integer", "number"} and not {"minimum", "maximum"} <= node.keys():
        found.append("a number without minimum and maximum")
    return found


def test_walker_finds_every_kind_of_unbounded_part() -> None:
    schema = {
        "$defs": {"text": {"type": "string"}},
        "properties": {"list": {"type": "array", "prefixItems": [{"type": "integer"}]}},
        "anyOf": [{"type": "object", "additionalProperties": {"type": "null"}}],
    }
    found = {(w, p) for w, n in subschemas(schema, "x") for p in unbounded(n)}
    assert found == {
        ("x/$defs/text", "text without maxLength"),
        ("x/properties/list", "a list without maxItems"),
        ("x/properties/list/prefixItems/0", "a number without minimum and maximum"),
        ("x/anyOf/0", "an object open to any field, without maxProperties"),
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_list_text_object_and_number_is_bounded(path: Path) -> None:
    """A bound on every part keeps what a valid payload costs to check in proportion to its
    size, and lets a check stop at the first part that is too big."""
    found = [
        f"{where}: {problem}"
        for where, node in subschemas(json.loads(path.read_text()), path.name)
        for problem in unbounded(node)
    ]
    assert not found, "\n".join(found)


def filled(make: Callable[[int], Any], size: int = 62 * 1024) -> list[Any]:
    """As many items as fit in a body of about ``size`` bytes."""
    one = len(json.dumps(make(99_999))) + 2  # the widest, with its comma and space
    return [make(i) for i in range(size // one)]


EVENT = {"name": "Camp", "date": "2026-11-23", "timezone": "Europe/London"}
HOSTILE_EVENTS = {
    # A refusal for each item, all gathered, sorted and described.
    "thousands of empty rooms": {**EVENT, "rooms": filled(lambda i: {})},
    "thousands of rooms with unknown fields": {**EVENT, "rooms": filled(lambda i: {"x": i})},
    "thousands of slots with bad times": {
        **EVENT,
        "slots": filled(lambda i: {"starts_at": "x", "ends_at": "y", "label": i}),
    },
    # uniqueItems compares each item with every other when they are objects.
    "a room unavailable in thousands of distinct objects": {
        **EVENT,
        "rooms": [{"name": "Hall", "capacity": 9, "unavailable": filled(lambda i: {"s": i})}],
    },
}


@pytest.mark.parametrize("name", HOSTILE_EVENTS)
def test_a_hostile_event_is_refused_after_little_work(name: str) -> None:
    """A 62 KB keyless POST /api/events once blocked the server for seconds (minutes, for
    objects compared pairwise). Checking now stops at the first thing wrong; the time allowed
    is a hundred times what the check takes, and counts this thread's CPU time only, so other
    work on the machine doesn't make the test flaky."""
    body = HOSTILE_EVENTS[name]
    assert len(json.dumps(body)) <= MAX_BODY
    started = time.thread_time()
    with pytest.raises(Invalid) as refused:
        validate("event-create", load_json(json.dumps(body)))
    assert time.thread_time() - started < 0.2
    assert "at most 200 items" in refused.value.message
    assert len(refused.value.message) <= 300


# --- References put in place ---------------------------------------------------------------

AS_SENT = [
    ("client-dot", {"type": "dot", "pitch": 0, "key": "dot-key-0001"}),
    ("client-dot", {"type": "dot", "pitch": 3, "key": "short"}),
    ("client-dot", {"type": "dot", "pitch": "3", "key": "dot-key-0001"}),
    ("client-dot", {"type": "dot", "pitch": 2**31, "key": "dot-key-0001"}),
    ("client-dot", {"type": "dot", "pitch": 3, "key": "dot key with spaces"}),
    ("client-dot", {"type": "dot", "pitch": 3}),
    ("client-dot", {"type": "dot", "pitch": 3, "key": "dot-key-0001", "also": 1}),
    ("client-hello", {"type": "hello", "since": -1}),
    ("client-resume", {"type": "resume", "since": "yesterday"}),
    ("dot-place", {"pitch": -4}),
    ("pitch-create", {"title": "T", "tags": ["a"] * 6}),
    ("pitch-create", {"title": "", "host": "x" * 500}),
]


@pytest.mark.parametrize(("name", "sent"), AS_SENT)
def test_a_schema_with_its_references_put_in_place_refuses_in_the_same_words(
    name: str, sent: Any
) -> None:
    as_written = SnugValidator(
        json.loads((SCHEMA_DIR / f"{name}.json").read_text()),
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )

    def words(error: Any) -> str:
        said, values = describe(error)
        return str(said % values)

    expected = words(next(as_written.iter_errors(sent)))
    assert words(next(validator(name).iter_errors(sent))) == expected
    assert '"$ref"' not in json.dumps(validator(name).schema), "followed on every check"


# --- Checked in Rust first ------------------------------------------------------------------

QUICK = [name for name in names() if _quick(name) is not None]
# Characters the two regex engines, or JSON Schema's notions of text, may tell apart.
ODD = "aZ09_-. \n\t\x1c\x85\u3000\ufeff\u0663\u00e9\U0001f600"
LONGEST = 1000
TEXT = st.text(alphabet=st.sampled_from(ODD), max_size=10)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def near(schema: Any) -> st.SearchStrategy[Any]:
    """Values on both sides of what the schema allows, mostly close to it: its constants and
    bounds and one past them, text that fits its pattern and text that nearly does, objects
    with fields missing or one too many, and now and then anything at all."""
    if not isinstance(schema, dict):
        return ANY_JSON
    options: list[st.SearchStrategy[Any]] = []
    if "const" in schema:
        options.append(st.just(schema["const"]))
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    kinds = schema.get("type", [])
    if "boolean" in kinds:
        options.append(st.booleans())
    if "null" in kinds:
        options.append(st.none())
    for bound in ("minimum", "maximum"):
        if bound in schema:
            edge = schema[bound]
            options.append(st.sampled_from([edge - 1, edge, edge + 1, float(edge)]))
    if "pattern" in schema:
        options += [
            st.from_regex(schema["pattern"], fullmatch=True),
            st.from_regex(schema["pattern"]),
        ]
    elif "string" in kinds:
        options.append(TEXT)
    if schema.get("maxLength", LONGEST) < LONGEST:  # longer would outgrow Hypothesis's buffer
        most = schema["maxLength"]
        options.append(
            st.builds(lambda c, over: c * (most + over), st.sampled_from(ODD), st.booleans())
        )
    if "integer" in kinds or "number" in kinds:  # where floats stop holding integers exactly
        options.append(st.sampled_from([2**53, 2**53 + 1, 2.0**53, 1e20, -0.0, 1.0]))
    if "items" in schema:
        options.append(st.lists(near(schema["items"]), max_size=min(schema.get("maxItems", 3), 3)))
        if schema.get("uniqueItems"):  # the same twice, and 1 beside 1.0 (equal) or True (not)
            options.append(st.builds(lambda item: [item, item], near(schema["items"])))
            options.append(st.sampled_from([[1, 1.0], [1, True], [0, False], ["a", "a"]]))
    if "properties" in schema:
        fields = {key: near(value) for key, value in schema["properties"].items()}
        required = {key: fields[key] for key in schema.get("required", []) if key in fields}
        optional = {key: fields[key] for key in fields.keys() - required.keys()}
        options.append(st.fixed_dictionaries(required, optional=optional))
        options.append(st.fixed_dictionaries(required, optional={**optional, "extra": ANY_JSON}))
    for key in ("oneOf", "anyOf", "allOf"):
        options += [near(part) for part in schema.get(key, [])]
    return st.one_of([*options * 4, ANY_JSON])


def test_the_storms_messages_are_checked_in_rust() -> None:
    """The messages thousands of phones send at once: checking each in jsonschema alone took
    a tenth of a storm's server time."""
    assert {"client-dot", "client-hello", "dot-place", "join", "notes-client-update"} <= set(QUICK)


def test_a_schema_rust_reads_otherwise_is_left_to_jsonschema() -> None:
    """Rust's \\S takes U+001C as a character, Python's as a space: a title of it is blank."""
    assert _quick("pitch-create") is None
    assert _quick("event-edit") is None  # a date format
    with pytest.raises(Invalid, match="blank"):
        validate("pitch-create", {"title": "\x1c"})


def test_a_value_of_no_json_kind_is_refused_in_words() -> None:
    """Rust raises on values JSON has no kind for; jsonschema says what is wrong instead."""
    with pytest.raises(Invalid, match="should be text"):
        validate("join", {"name": b"Ann"})


@pytest.mark.parametrize("name", QUICK)
@settings(max_examples=150, derandomize=True, deadline=None)
@given(data=st.data())
def test_what_rust_passes_jsonschema_passes_too(name: str, data: st.DataObject) -> None:
    sent = data.draw(near(_inlined(validator(name).schema)))
    if _quick(name).is_valid(sent):
        assert next(validator(name).iter_errors(sent), None) is None


@pytest.mark.parametrize("name", QUICK)
def test_the_values_compared_include_some_rust_passes(name: str) -> None:
    schema = _inlined(validator(name).schema)
    passed = find(
        near(schema),
        _quick(name).is_valid,
        settings=settings(derandomize=True, max_examples=1000, phases=[Phase.generate]),
    )
    assert next(validator(name).iter_errors(passed), None) is None
