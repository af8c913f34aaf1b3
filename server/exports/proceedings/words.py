"""How the proceedings say things in words, the same in every format.

Phrases that hold something people typed take ``typed``, which HTML pages give as
``bidi.isolate``: the phrase is then built with ``+``, which keeps it safe Markup (escaping the
rest), and a plain string everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel.dates import format_date
from markupsafe import Markup, escape

from server.actions.board import STATUS_WORDS
from server.exports.proceedings.readmodel import Entry, Proceedings, WriteUp
from server.exports.readmodel import SlotInfo
from server.language import N_, current, ngettext
from server.language import gettext as _
from server.language.formats import full_date, number
from server.marketplace.models import FORMAT_NAMES
from server.notes.document import due_date
from server.notes.markdown import one_line, to_plain

FORMATS = FORMAT_NAMES
PARTS = (("summary", N_("Summary")), ("discussion", N_("Discussion")), ("outcomes", N_("Outcomes")))
SLOT_KINDS = {"break": N_("Break"), "plenary": N_("Everyone together")}
PREVIEW_LENGTH = 200


def _as_typed(text: str) -> str:
    return text


def _fill(message: str, typed: Callable[[str], str], **values: Any) -> str:
    """A translated message with its placeholders filled. For an HTML page (``typed`` is
    ``bidi.isolate``) the result is safe Markup: the message and plain values are escaped,
    what ``typed`` isolated is kept as it is."""
    if typed is _as_typed:
        return message % values
    return Markup(escape(message)) % values


def slot_kind(kind: str) -> str:
    """A break or a plenary, in the language being spoken; "" for a slot of sessions."""
    return _(SLOT_KINDS[kind]) if kind in SLOT_KINDS else ""


def format_name(code: str) -> str:
    """A session's format in the language being spoken (a format Snug does not know is shown
    as it was written)."""
    return _(FORMATS[code]) if code in FORMATS else code


def long_date(day: date) -> str:
    """ "Monday 23 November 2026", in the language being spoken."""
    return format_date(day, "EEEE d MMMM y", locale=current())


def times(slot: SlotInfo) -> str:
    return _("%(start)s to %(end)s") % {"start": slot.starts_at[11:16], "end": slot.ends_at[11:16]}


def slot_words(slot: SlotInfo, typed: Callable[[str], str] = _as_typed) -> str:
    if not slot.label:
        return times(slot)
    return _fill(_("%(times)s, %(label)s"), typed, times=times(slot), label=typed(slot.label))


def where(entry: Entry, typed: Callable[[str], str] = _as_typed) -> str:
    if entry.room is None or entry.slot is None:
        return _("Not placed on the grid")
    return _fill(
        _("%(room)s, %(times)s"), typed, room=typed(entry.room.name), times=times(entry.slot)
    )


def sessions(n: int) -> str:
    return ngettext("%(num)s session", "%(num)s sessions", n) % {"num": number(n)}


def actions(n: int) -> str:
    return ngettext("%(num)s action", "%(num)s actions", n) % {"num": number(n)}


def people(n: int) -> str:
    return ngettext("%(num)s person", "%(num)s people", n) % {"num": number(n)}


def dots(n: int | None) -> str:
    """A count of dots, or nothing while the organiser keeps the totals back."""
    if n is None:
        return ""
    return ngettext("%(num)s dot", "%(num)s dots", n) % {"num": number(n)}


def planned(entry: Entry) -> str:
    if entry.planned is None:
        return ""
    n = entry.planned
    return ngettext("In %(num)s person's agendas", "In %(num)s people's agendas", n) % {
        "num": number(n)
    }


def planned_to_come(n: int) -> str:
    return ngettext("%(num)s person planned to come", "%(num)s people planned to come", n) % {
        "num": number(n)
    }


def figures(doc: Proceedings) -> list[str]:
    placed = (
        []
        if doc.dots is None
        else [
            ngettext("%(num)s dot placed", "%(num)s dots placed", doc.dots)
            % {"num": number(doc.dots)}
        ]
    )
    joined = ngettext("%(num)s person joined", "%(num)s people joined", doc.attendees)
    return [
        sessions(len(doc.sessions)),
        joined % {"num": number(doc.attendees)},
        *placed,
        actions(len(doc.actions)),
    ]


def credits(notes: WriteUp, typed: Callable[[str], str] = _as_typed) -> str:
    """ "Notes by Ana, Ben and 2 others" (only the names of those who asked to be named)."""
    names = [typed(name) for name in notes.named]
    if notes.anonymous:
        n = notes.anonymous
        others = ngettext("%(num)s other", "%(num)s others", n) if names else None
        names.append(
            (others or ngettext("%(num)s person", "%(num)s people", n)) % {"num": number(n)}
        )
    if not names:
        return ""
    return _fill(_("Notes by %(names)s"), typed, names=_listing(names, typed))


def _listing(items: list[str], typed: Callable[[str], str]) -> str:
    if len(items) == 1:
        return items[0]
    listed = items[0]
    for item in items[1:-1]:
        listed = _fill(_("%(list)s, %(item)s"), typed, list=listed, item=item)
    return _fill(_("%(list)s and %(last)s"), typed, list=listed, last=items[-1])


def status(notes: WriteUp) -> str:
    return _("Marked final") if notes.final else _("Draft: not marked final")


def shorten(text: str, limit: int = PREVIEW_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


def summary_of(doc: Proceedings) -> str:
    """A link preview's description of the whole proceedings: its figures, then how the first
    sessions with a summary summed up."""
    n = len(doc.sessions)
    lead = ngettext(
        "Write-ups of %(num)s session at %(event)s, %(date)s.",
        "Write-ups of %(num)s sessions at %(event)s, %(date)s.",
        n,
    ) % {"num": number(n), "event": one_line(doc.name), "date": long_date(doc.date)}
    summaries = [
        f"{one_line(s.title)}: {to_plain(s.notes.summary)}"
        for s in doc.sessions
        if to_plain(s.notes.summary)
    ]
    return shorten(" ".join([lead, *summaries[:3]]))


def summary_of_session(doc: Proceedings, entry: Entry) -> str:
    text = to_plain(entry.notes.summary) or one_line(entry.pitch)
    return shorten(text or _("Notes from a session at %(event)s.") % {"event": one_line(doc.name)})


def follow_up(status: str, due: str) -> str:
    """Where an action has got to since the day, and by when it is due."""
    said = _("Status: %(status)s.") % {"status": _(STATUS_WORDS.get(status, status))}
    day = due_date(due)
    if day is None:
        return said
    return said + " " + _("Due by %(date)s.") % {"date": full_date(day)}
