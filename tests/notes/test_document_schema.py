"""schemas/notes-document.json describes the notes' Yjs document well enough for another
client to write notes: the names and Yjs types it gives are the ones the server and the
browser use, and a document written only from it reads back as the notes it meant."""

from __future__ import annotations

import re
from typing import Any

from pycrdt import Array, Doc, Map, Text

from server.bundled import WEB_DIR
from server.notes import document
from server.notes.document import Action, NotesContent, PhotoRef
from server.validation import schema, validate

CONTENT = NotesContent(
    summary="We agreed to **pilot** it.",
    discussion="- risk\n- cost",
    outcomes="A pilot.",
    actions=(Action("Draft the plan", "Priya"), Action("Book a room")),
    photos=(PhotoRef(3, "Flipchart"), PhotoRef(12)),
)


def as_json(doc: Doc[Any]) -> dict[str, Any]:
    """The document's JSON form, as Yjs's doc.toJSON() gives it, each root got as the type the
    schema says it is (a received document's roots have no type until asked for as one)."""
    form: dict[str, Any] = {}
    for name, described in schema("notes-document")["properties"].items():
        root = doc.get(name, type={"Y.Text": Text, "Y.Array": Array}[documented_type(described)])
        form[name] = str(root) if isinstance(root, Text) else root.to_py()
    return form


def yjs_type(value: Any) -> str:
    return {Text: "Y.Text", Array: "Y.Array", Map: "Y.Map"}.get(type(value), "plain")


def documented_type(node: dict[str, Any]) -> str:
    """The Yjs type a description starts with ("Y.Array of Y.Map: ..." is a Y.Array)."""
    named = re.match(r"(Y\.\w+)", node["description"])
    return named.group(1) if named else "plain"


def test_a_document_the_server_writes_fits_the_schema_and_its_types() -> None:
    doc = document.load()
    update = document.write(doc, CONTENT)
    validate("notes-document", as_json(doc))
    validate("notes-document", as_json(document.load(update)))
    described = schema("notes-document")["properties"]
    assert set(described) == {*document.PARTS, "actions", "photos"} == set(doc.keys())
    for name, root in doc.items():
        assert documented_type(described[name]) == yjs_type(root), name
    for name in ("actions", "photos"):
        items = described[name]["items"]
        for value in doc.get(name, type=Array):
            assert documented_type(items) == yjs_type(value) == "Y.Map"
            assert set(value.keys()) <= set(items["properties"])
            for key, inner in value.items():
                assert documented_type(items["properties"][key]) == yjs_type(inner), (name, key)


def test_a_client_writing_only_what_the_schema_says_writes_notes_the_server_reads() -> None:
    doc: Doc[Any] = Doc()
    for part in document.PARTS:
        doc.get(part, type=Text).insert(0, getattr(CONTENT, part))
    actions = doc.get("actions", type=Array)
    for action in CONTENT.actions:
        actions.append(Map({"what": Text(action.what), "owner": Text(action.owner)}))
    photos = doc.get("photos", type=Array)
    for photo in CONTENT.photos:
        photos.append(Map({"id": float(photo.id), "caption": photo.caption}))
    validate("notes-document", as_json(doc))
    assert document.read(document.load(doc.get_update())) == CONTENT


def test_the_browser_uses_the_documented_names() -> None:
    script = (WEB_DIR / "static" / "js" / "notes.js").read_text()
    parts = re.search(r"const PARTS = \[([^\]]*)\]", script)
    assert parts is not None
    assert re.findall(r'"(\w+)"', parts.group(1)) == list(document.PARTS)
    assert set(re.findall(r'getArray\("(\w+)"\)', script)) == {"actions", "photos"}
    assert "getText(part)" in script
