"""What a change sent to the notes would cost, read from its bytes before pycrdt decodes them.

pycrdt (Rust, holding the interpreter's lock) reserves memory for as many entries as an update
claims before reading them, so a few bytes that claim 2**28 clients take half a gigabyte and a
second of the whole server. This walks the Yjs update encoding (v1) in Python, allocating
nothing per claim, and refuses an update whose counts outrun its own bytes, or whose clocks
would carry the document past MAX_WRITTEN, or that holds what notes never use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from server.errors import Invalid, Refused
from server.language import N_

# Every character ever written into one document, deleted ones included: ten times the most
# the notes may hold at once. It bounds the clocks, and so the items pycrdt keeps in memory.
MAX_WRITTEN = 1_000_000
# Pieces in one change: pycrdt merges a run of one-character pieces by copying the run each
# time, so 140,000 of them (under 1 MB) take it 34 s; 10,000 take a tenth of a second.
MAX_PIECES = 10_000
MAX_DEPTH = 8  # values nested in values: notes hold flat captions and ids
_NUMBER_BYTES = 8  # a varint longer than this is past any clock or client id Yjs makes

UNREADABLE = N_("That change to the notes couldn't be read; the page will reload them.")


class TooMuchWritten(Refused):
    status = 413
    title = N_("Notes edited too much")


def check(update: bytes, state: dict[int, int], pieces: int = MAX_PIECES) -> None:
    """Refuses an update that can't be read cheaply, holds more than ``pieces``, or would take
    a document whose writers' clocks are ``state`` past MAX_WRITTEN."""
    written = {**state}
    for client, end in _Reader(update).update(pieces).items():
        written[client] = max(written.get(client, 0), end)
    if sum(written.values()) > MAX_WRITTEN:
        raise TooMuchWritten(
            N_(
                "These notes have had %(most)s characters written into them over time, "
                "deleted ones included, which is all one session's notes can take, so nothing "
                "of this change was saved. Copy anything you still need to add somewhere else."
            ),
            values={"most": f"{MAX_WRITTEN:,}"},
        )


def state_of(vector: bytes) -> dict[int, int]:
    """A state vector (what a phone joins with, or pycrdt's get_state) as each writer's
    clock; pycrdt reserves memory for a vector's claims as for an update's."""
    reader = _Reader(vector, "The notes state sent isn't one this server can read.")
    clocks = {}
    for _ in range(reader.count()):
        client = reader.number()
        clocks[client] = reader.number()
    reader.end()
    return clocks


class _Reader:
    def __init__(self, data: bytes, unreadable: str = UNREADABLE) -> None:
        self.data, self.at, self.unreadable = data, 0, unreadable

    def update(self, most: int) -> dict[int, int]:
        """Reads a whole update; returns where it says each writer's clock ends."""
        ends: dict[int, int] = {}
        pieces = 0
        for _ in range(self.count()):
            structs, client, clock = self.count(), self.number(), self.clock()
            pieces += structs
            if pieces > most:
                raise Invalid(
                    N_(
                        "That change holds more than %(most)s separate pieces of writing, "
                        "more than anyone types between two saves; nothing of it was saved."
                    ),
                    values={"most": f"{most:,}"},
                )
            for _ in range(structs):
                clock = self.within(clock + self.struct())
            ends[client] = max(ends.get(client, 0), clock)
        for _ in range(self.count()):  # the delete set: ranges of clocks, per writer
            self.number()
            for _ in range(self.count()):
                self.within(self.clock() + self.clock())
        self.end()
        return ends

    def end(self) -> None:
        if self.at != len(self.data):
            self.refuse()

    def struct(self) -> int:
        """Reads one struct; returns how many clock ticks it takes."""
        info = self.byte()
        kind = info & 0x1F
        if kind in (0, 10):  # garbage collected, or skipped
            return self.length()
        if info & 0x80:
            self.id()
        if info & 0x40:
            self.id()
        if not info & 0xC0:
            if self.number() == 1:
                self.string()  # a top-level part, by name
            else:
                self.id()  # inside another item
            if info & 0x20:
                self.string()  # a key in a map
        read = _CONTENT.get(kind)
        if read is None:
            self.refuse()
        return read(self)

    def deleted(self) -> int:
        return self.length()

    def texts(self) -> int:
        n = self.length()
        for _ in range(n):
            self.string()
        return n

    def binary(self) -> int:
        self.skip(self.count())
        return 1

    def text(self) -> int:
        # Yjs counts text in UTF-16 units.
        length = len(self.string().encode("utf-16-le")) // 2
        if length == 0:
            self.refuse()
        return length

    def one_text(self) -> int:
        self.string()
        return 1

    def format(self) -> int:
        self.string()
        self.string()
        return 1

    def shared(self) -> int:
        kind = self.number()
        if kind in (3, 5):  # an XML element or hook, named
            self.string()
        elif kind > 6:
            self.refuse()
        return 1

    def values(self) -> int:
        n = self.length()
        for _ in range(n):
            self.value(0)
        return n

    def value(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.refuse()
        tag = self.byte()
        if tag in (127, 126, 121, 120):  # undefined, null, false, true
            return
        if tag == 125:
            self.number()
        elif tag == 124:
            self.skip(4)
        elif tag in (123, 122):
            self.skip(8)
        elif tag == 119:
            self.string()
        elif tag == 118:
            for _ in range(self.count()):
                self.string()
                self.value(depth + 1)
        elif tag == 117:
            for _ in range(self.count()):
                self.value(depth + 1)
        elif tag == 116:
            self.skip(self.count())
        else:
            self.refuse()

    def id(self) -> None:
        self.number()
        self.clock()

    def length(self) -> int:
        """A length of clock ticks: at least one, at most what a document may be written."""
        n = self.number()
        if not 0 < n <= MAX_WRITTEN:
            self.refuse()
        return n

    def clock(self) -> int:
        return self.within(self.number())

    def within(self, clock: int) -> int:
        if clock > MAX_WRITTEN:
            self.refuse()
        return clock

    def count(self) -> int:
        """How many entries follow: each takes a byte at least, so no more than are left."""
        n = self.number()
        if n > len(self.data) - self.at:
            self.refuse()
        return n

    def string(self) -> str:
        size = self.count()
        raw = self.data[self.at : self.at + size]
        self.at += size
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.refuse()

    def skip(self, size: int) -> None:
        if size > len(self.data) - self.at:
            self.refuse()
        self.at += size

    def number(self) -> int:
        value, shift = 0, 0
        for _ in range(_NUMBER_BYTES):
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
        self.refuse()

    def byte(self) -> int:
        if self.at >= len(self.data):
            self.refuse()
        self.at += 1
        return self.data[self.at - 1]

    def refuse(self) -> NoReturn:
        raise Invalid(self.unreadable)


# Content kinds by number, as Yjs writes them; subdocuments (9) and moves (11) are refused.
_CONTENT: dict[int, Callable[[_Reader], int]] = {
    1: _Reader.deleted,
    2: _Reader.texts,  # JSON values, each written as text
    3: _Reader.binary,
    4: _Reader.text,
    5: _Reader.one_text,  # an embed
    6: _Reader.format,
    7: _Reader.shared,
    8: _Reader.values,
}
