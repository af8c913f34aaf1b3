"""The JSON Schemas in schemas/: valid draft 2020-12, references resolve, every body exists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from server.app import routes
from server.errors import Invalid
from server.http.api import ApiRoute
from server.validation import SCHEMA_DIR, _registry, names, validate

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
