"""Changes sent to the notes are weighed from their bytes before pycrdt decodes them: claims of
more entries than the bytes hold, clocks past the budget and parts notes never use are refused,
so a few bytes can't take half a gigabyte or a second of the server."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from pycrdt import Doc

from server.errors import Invalid
from server.notes import budget, document
from server.notes.budget import MAX_WRITTEN, TooMuchWritten
from server.notes.document import Action, NotesContent, PhotoRef

# Five bytes claiming 2**28 writers: pycrdt reserves 538 MB for them, taking 0.3 to 1.4 s
# with the interpreter's lock held, before finding there is nothing more to read.
WRITERS_BOMB = bytes.fromhex("8080808001")
# The same claim as a state vector, which a phone sends when it joins.
STATE_BOMB = WRITERS_BOMB
# One value that is a map claiming 2**27 entries: 282 MB, and maps nest.
MAP_BOMB = bytes.fromhex("0101010008010773756d6d6172790101768080804001617e")
# A piece claiming 2**31 characters written, and a clock near where pycrdt's counters wrap.
LONG_PIECE = bytes.fromhex("0101010000808080800800")
LATE_CLOCK = bytes.fromhex("010101feffffff0f04010773756d6d61727902686900")
WIDE_DELETION = bytes.fromhex("00010101008080808008")
EMPTY_TEXT = bytes.fromhex("0101010004010773756d6d6172790000")  # Yjs never writes one
SUBDOCUMENT = bytes.fromhex("0101010009010773756d6d6172790167760000")


def a_real_update() -> bytes:
    content = NotesContent(
        summary="Café 😀 notes",
        actions=(Action("Share slides", "Ana"),),
        photos=(PhotoRef(3, "Flipchart"),),
    )
    doc = document.load()
    document.write(doc, NotesContent(summary="draft"))
    document.write(doc, content)
    return document.diff(doc, None)


def test_what_phones_send_passes_and_its_clocks_are_read() -> None:
    update = a_real_update()
    budget.check(update, {})
    doc = document.load()
    document.apply_sent(doc, update)
    assert document.read(doc).summary == "Café 😀 notes"
    (clock,) = budget.state_of(document.state_vector(doc)).values()
    # Every character ever written, in UTF-16 units (the emoji is two), and one tick for each
    # map, text and value: the summary; the action's map, two texts and their words, its due
    # date and its identity; the photo's map and two values.
    assert clock == (5 + 13) + (3 + 12 + 2 + 3) + 3


@pytest.mark.parametrize(
    "update",
    [WRITERS_BOMB, MAP_BOMB, LONG_PIECE, LATE_CLOCK, WIDE_DELETION, EMPTY_TEXT, SUBDOCUMENT],
    ids=["writers", "map", "long-piece", "late-clock", "wide-deletion", "empty-text", "subdoc"],
)
def test_an_update_that_claims_more_than_it_holds_is_refused_unread(update: bytes) -> None:
    doc = document.load(a_real_update())
    before = document.diff(doc, None)
    started = time.perf_counter()
    with pytest.raises(Invalid, match="couldn't be read"):
        document.apply_sent(doc, update)
    assert time.perf_counter() - started < 0.05
    assert document.diff(doc, None) == before


def test_a_state_vector_claiming_millions_of_writers_is_refused_unread() -> None:
    doc = document.load(a_real_update())
    started = time.perf_counter()
    with pytest.raises(Invalid, match="notes state sent"):
        document.diff(doc, STATE_BOMB)
    assert time.perf_counter() - started < 0.05


def test_refusing_the_bomb_takes_no_memory_to_speak_of() -> None:
    # Measured in a process of its own, for its peak; pycrdt would take 538 MB.
    script = (
        "import resource\n"
        "from server.errors import Invalid\n"
        "from server.notes import document\n"
        "doc = document.load()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        f"    document.apply_sent(doc, {WRITERS_BOMB!r})\n"
        "except Invalid as refused:\n"
        "    print(refused.message)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    run = [sys.executable, "-c", script]
    said, grew = subprocess.run(run, capture_output=True, text=True, check=True).stdout.splitlines()
    assert "couldn't be read" in said
    assert int(grew) < 20_000, f"{grew} KB"  # KB on Linux


def test_a_document_written_past_the_budget_takes_no_more() -> None:
    writer: Doc = Doc(client_id=77)
    document.write(writer, NotesContent(summary="x" * 10))
    near_full = {1: MAX_WRITTEN - 20}
    budget.check(bytes(writer.get_update()), near_full)
    with pytest.raises(TooMuchWritten, match="1,000,000 characters") as refused:
        budget.check(bytes(writer.get_update()), {1: MAX_WRITTEN - 5})
    assert refused.value.status == 413


def chained_letters(pieces: int) -> bytes:
    """One writer's letters, each sent as a piece of its own following the one before: what
    Yjs would send as one piece, and pycrdt merges by copying the run again for each."""
    first = bytes.fromhex("04010773756d6d6172790161")  # "a" at the summary's start
    after = [
        bytes.fromhex("8401") + _varint(clock) + bytes.fromhex("0161")
        for clock in range(pieces - 1)
    ]
    return bytes([1]) + _varint(pieces) + bytes([1, 0]) + first + b"".join(after) + bytes([0])


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    return bytes([*out, n])


def test_a_change_in_too_many_pieces_is_refused_before_pycrdt_merges_them() -> None:
    document.apply_sent(document.load(), chained_letters(budget.MAX_PIECES))
    # 140,000 pieces, 960 KB: pycrdt takes 34 s over them, holding the interpreter's lock.
    doc, crafted = document.load(), chained_letters(140_000)
    started = time.perf_counter()
    with pytest.raises(Invalid, match="more than 10,000 separate pieces"):
        document.apply_sent(doc, crafted)
    assert time.perf_counter() - started < 0.05
