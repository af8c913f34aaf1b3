"""How the proceedings say things in words, the same in every format.

Phrases that hold something people typed take ``typed``, which HTML pages give as
``bidi.isolate``: the phrase is then built with ``+``, which keeps it safe Markup (escaping the
rest), and a plain string everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from server.exports.proceedings.readmodel import Entry, Proceedings, WriteUp
from server.exports.readmodel import SlotInfo
from server.marketplace.models import FORMAT_NAMES
from server.notes.markdown import one_line, to_plain

FORMATS = FORMAT_NAMES
PARTS = (("summary", "Summary"), ("discussion", "Discussion"), ("outcomes", "Outcomes"))
SLOT_KINDS = {"break": "Break", "plenary": "Everyone together"}
PREVIEW_LENGTH = 200


def _as_typed(text: str) -> str:
    return text


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def times(slot: SlotInfo) -> str:
    return f"{slot.starts_at[11:16]} to {slot.ends_at[11:16]}"


def slot_words(slot: SlotInfo, typed: Callable[[str], str] = _as_typed) -> str:
    return times(slot) + ", " + typed(slot.label) if slot.label else times(slot)


def where(entry: Entry, typed: Callable[[str], str] = _as_typed) -> str:
    if entry.room is None or entry.slot is None:
        return "Not placed on the grid"
    return typed(entry.room.name) + ", " + times(entry.slot)


def dots(n: int | None) -> str:
    """A count of dots, or nothing while the organiser keeps the totals back."""
    return "" if n is None else plural(n, "dot")


def planned(entry: Entry) -> str:
    if entry.planned is None:
        return ""
    return "In " + plural(entry.planned, "person's", "people's") + " agendas"


def figures(doc: Proceedings) -> list[str]:
    placed = dots(doc.dots)
    return [
        plural(len(doc.sessions), "session"),
        plural(doc.attendees, "person", "people") + " joined",
        *([placed + " placed"] if placed else []),
        plural(len(doc.actions), "action"),
    ]


def credits(notes: WriteUp, typed: Callable[[str], str] = _as_typed) -> str:
    """ "Notes by Ana, Ben and 2 others" (only the names of those who asked to be named)."""
    names = [typed(name) for name in notes.named]
    if notes.anonymous:
        names.append(
            plural(notes.anonymous, "other")
            if names
            else plural(notes.anonymous, "person", "people")
        )
    if not names:
        return ""
    return "Notes by " + _listing(names)


def _listing(items: list[str]) -> str:
    listed = items[0]
    for item in items[1:-1]:
        listed = listed + ", " + item
    return listed + " and " + items[-1] if len(items) > 1 else listed


def status(notes: WriteUp) -> str:
    return "Marked final" if notes.final else "Draft: not marked final"


def shorten(text: str, limit: int = PREVIEW_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


def summary_of(doc: Proceedings) -> str:
    """A link preview's description of the whole proceedings: its figures, then how the first
    sessions with a summary summed up."""
    lead = (
        f"Write-ups of {plural(len(doc.sessions), 'session')} at {one_line(doc.name)}, "
        f"{long_date(doc.date)}."
    )
    summaries = [
        f"{one_line(s.title)}: {to_plain(s.notes.summary)}"
        for s in doc.sessions
        if to_plain(s.notes.summary)
    ]
    return shorten(" ".join([lead, *summaries[:3]]))


def summary_of_session(doc: Proceedings, entry: Entry) -> str:
    text = to_plain(entry.notes.summary) or one_line(entry.pitch)
    return shorten(text or f"Notes from a session at {one_line(doc.name)}.")
