"""The notes document: reading, writing and merging, with nothing from a database."""

from __future__ import annotations

import pytest
from pycrdt import Array, Doc, Map, Text

from server.errors import Invalid
from server.notes import document
from server.notes.document import Action, NotesContent, PhotoRef


def test_content_round_trips_through_the_crdt() -> None:
    content = NotesContent(
        summary="**Bold** start",
        discussion="- one\n- two",
        outcomes="A pilot",
        actions=(Action("Share slides", "Ana"), Action("Book a room")),
        photos=(PhotoRef(3, "Flipchart"),),
    )
    doc = document.load()
    update = document.write(doc, content)
    assert document.read(document.load(update)) == content
    assert NotesContent.from_json(content.as_json()) == content
    assert content.chars == sum(
        len(t) for t in ("**Bold** start", "- one\n- two", "A pilot", "Share slides", "Ana")
    ) + len("Book a room") + len("Flipchart")


def test_rewriting_changes_only_what_differs_so_concurrent_typing_survives() -> None:
    base = document.write(document.load(), NotesContent(discussion="alpha beta gamma"))
    mine, theirs = document.load(base), document.load(base)
    first = document.write(mine, NotesContent(discussion="alpha BETA gamma"))
    second = document.write(theirs, NotesContent(discussion="alpha beta gamma delta"))
    merged = document.load(base, second, first)
    assert document.read(merged).discussion == "alpha BETA gamma delta"


def test_writing_the_same_lists_again_adds_no_copies() -> None:
    content = NotesContent(actions=(Action("Write it up", "Bo"),), photos=(PhotoRef(1),))
    base = document.write(document.load(), content)
    one, two = document.load(base), document.load(base)
    merged = document.load(
        base,
        document.write(one, content),
        document.write(two, content),
        document.add_photo(two, PhotoRef(2, "Second")),
    )
    assert document.read(merged).actions == content.actions
    assert [p.id for p in document.read(merged).photos] == [1, 2]


def test_parts_of_the_wrong_shape_from_a_misbehaving_client_are_left_out() -> None:
    hostile: Doc = Doc()
    hostile.get("photos", type=Array).extend([5, "x", Map({"id": -1}), Map({"id": 2.5})])
    hostile.get("actions", type=Array).extend(["loose text", Map({"what": 3, "owner": 4})])
    hostile.get("elsewhere", type=Text).insert(0, "ignored")
    good = document.write(document.load(), NotesContent(summary="Kept"))
    merged = document.load(good, bytes(hostile.get_update()))
    assert document.read(merged) == NotesContent(summary="Kept")


def test_unreadable_updates_and_state_vectors_are_refused_in_words() -> None:
    doc = document.load()
    with pytest.raises(Invalid, match="couldn't be read"):
        document.apply(doc, b"\x05\x01garbage")
    with pytest.raises(Invalid, match="notes state"):
        document.diff(doc, b"\xff\xff\xff")


def test_the_caps_say_how_far_over_they_are() -> None:
    document.check(NotesContent(discussion="x" * document.MAX_CHARS))
    with pytest.raises(document.TooLong, match="100,001 characters"):
        document.check(NotesContent(discussion="x" * (document.MAX_CHARS + 1)))
    too_many = tuple(Action(f"a{n}") for n in range(document.MAX_ACTIONS + 1))
    with pytest.raises(document.TooLong, match="actions"):
        document.check(NotesContent(actions=too_many))


def test_text_no_database_can_store_is_refused() -> None:
    # PostgreSQL keeps no NUL in text; a Yjs document can hold one, so reading refuses it.
    doc: Doc = Doc()
    doc.get("discussion", type=Text).insert(0, "a\x00b")
    with pytest.raises(Invalid, match="no text can"):
        document.read(doc)


def test_a_page_save_merges_into_a_document_others_edited_concurrently() -> None:
    drawn = document.write(document.load(), NotesContent(summary="alpha beta gamma"))
    live, server = document.load(drawn), document.load(drawn)
    typed = document.write(live, NotesContent(summary="alpha beta gamma delta"))
    document.apply(server, typed)
    base = {"summary": "alpha beta gamma", "discussion": "", "outcomes": ""}
    sent = {**base, "summary": "ALPHA beta gamma", "outcomes": "Done"}
    results = document.write_texts(server, base, sent)
    assert [r.others_changed for r in results] == [True, False, False]
    assert document.read(server).summary == "ALPHA beta gamma delta"
    assert document.read(server).outcomes == "Done"


def test_rewriting_text_with_accents_and_emoji_keeps_it_whole() -> None:
    # pycrdt counts text in UTF-8 bytes: edits after a multi-byte character land in place.
    doc = document.load()
    for text in ("café au lait", "café au laid", "😀 x y", "😀 x z é", "é😀", ""):
        document.write(doc, NotesContent(summary=text))
        assert document.read(doc).summary == text
