"""Printable A4 posters: one per room (its sessions, each with a QR code to its notes page) and
one for the entrance (the join QR code). Pure: HTML from the published schedule. Rendered
with ``pdf=True`` a page carries its stylesheet inside, ready for ``server.exports.pdf``.

A poster hangs on a wall for everyone, so it speaks the event's languages, not its viewer's:
a bilingual event's every fixed word Welsh first, then English, each marked with its language
(``server.language.surfaces``). People's words (titles, names, rooms) are as they typed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any
from xml.etree import ElementTree

from markupsafe import Markup

from server.bundled import WEB_DIR
from server.errors import NotFound
from server.events.qr import qr_svg
from server.exports.proceedings.words import long_date, slot_kind, times
from server.exports.readmodel import RoomInfo, Schedule, Session, SlotInfo
from server.language import N_, speaking
from server.language import gettext as _
from server.language.surfaces import both, spoken
from server.notes.markdown import without_controls
from server.templates import render

STYLESHEET = WEB_DIR / "static" / "css" / "poster.css"
SVG = "{http://www.w3.org/2000/svg}"
FEATURE_WORDS = {
    "step-free": N_("step-free access"),
    "hearing-loop": N_("hearing loop"),
    "video-call": N_("video calls"),
    "flipchart": N_("flip chart"),
}
# Names longer than these get a smaller type, so a poster still fits its page.
LONG_EVENT_NAME = 30
LONG_ROOM_NAME = 24


@dataclass(frozen=True)
class Qr:
    """A QR code's drawing, to be put inline in the page as SVG."""

    url: str
    view_box: str
    path: str


@dataclass(frozen=True)
class Line:
    """One line of a room poster: a session with its notes code, or a break (``kind``, said
    in the poster's languages, before the label the organiser typed)."""

    slot: SlotInfo
    title: str
    host: str = ""
    notes: Qr | None = None
    kind: str = ""

    @property
    def time(self) -> str:
        """In the language being spoken ("09:30 to 10:15")."""
        return times(self.slot)

    def said(self) -> str:
        """A break's words in the language being spoken; a session's title as typed."""
        if not self.kind:
            return self.title
        words = slot_kind(self.kind)
        return (
            _("%(kind)s: %(label)s") % {"kind": words, "label": self.title} if self.title else words
        )


@dataclass(frozen=True)
class Day:
    day: date
    lines: tuple[Line, ...]

    @property
    def label(self) -> str:
        return long_date(self.day)


@dataclass(frozen=True)
class Posters:
    """What the posters show: the published schedule, the join link and the rooms' features
    (which the schedule's read model leaves out)."""

    schedule: Schedule
    join_url: str
    features: Mapping[int, Sequence[str]]

    @property
    def join_code(self) -> str:
        return self.join_url.rstrip("/").rsplit("/", 1)[-1]

    def room(self, room_id: int) -> RoomInfo:
        for room in self.schedule.rooms:
            if room.id == room_id:
                return room
        raise NotFound(N_("This event has no such room. Check the link on the posters page."))


def qr(url: str) -> Qr:
    drawing = ElementTree.fromstring(qr_svg(url))
    path = drawing.find(f"{SVG}path")
    assert path is not None, "qrcode draws every module as one path"
    return Qr(url, drawing.attrib["viewBox"], path.attrib["d"])


def short(url: str) -> str:
    """A URL as people type it: without the scheme."""
    return url.split("://", 1)[-1]


def notes_url(schedule: Schedule, pitch_id: int) -> str:
    return f"{schedule.event_url}/notes/{pitch_id}"


def _slot_day(slot: SlotInfo) -> str:
    return slot.starts_at[:10]


def _placed(schedule: Schedule, room_id: int) -> dict[int, Session]:
    """The room's sessions by slot id; cancelled ones stay off a printed poster."""
    return {
        s.slot.id: s
        for s in schedule.in_room(room_id).sessions
        if s.slot is not None and not s.cancelled
    }


def room_days(schedule: Schedule, room_id: int) -> tuple[Day, ...]:
    """The room's day in time order: its sessions, and the breaks and plenaries between."""
    placed = _placed(schedule, room_id)
    lines: list[tuple[str, Line]] = []
    for slot in schedule.slots:
        session = placed.get(slot.id)
        if session is not None:
            url = notes_url(schedule, session.pitch_id)
            line = Line(slot, session.title, session.host, qr(url))
        elif slot_kind(slot.kind):
            line = Line(slot, slot.label, kind=slot.kind)
        else:
            continue
        lines.append((_slot_day(slot), line))
    if not any(line.notes for _day, line in lines):
        return ()
    return tuple(
        Day(date.fromisoformat(day), tuple(line for _day, line in group))
        for day, group in groupby(lines, key=lambda pair: pair[0])
    )


def features(words: Sequence[str]) -> str:
    """A room's features in the language being spoken; one Snug does not know, as typed."""
    return ", ".join(_(FEATURE_WORDS[word]) if word in FEATURE_WORDS else word for word in words)


def _room_sheet(posters: Posters, room_id: int) -> dict[str, Any]:
    room = posters.room(room_id)
    days = room_days(posters.schedule, room_id)
    return {
        "id": room.id,
        "name": room.name,
        "long": len(room.name) > LONG_ROOM_NAME,
        "capacity": room.capacity,
        "features": tuple(posters.features.get(room_id, ())),
        "days": days,
        "sessions": sum(1 for day in days for line in day.lines if line.notes),
    }


def _common(posters: Posters, pdf: bool) -> dict[str, Any]:
    schedule = posters.schedule
    return {
        "event": schedule.name,
        "event_long": len(schedule.name) > LONG_EVENT_NAME,
        "date": schedule.date,
        "long_date": long_date,
        "features": features,
        "venue": schedule.venue,
        "published": schedule.published,
        "multi_day": len({_slot_day(slot) for slot in schedule.slots}) > 1,
        "event_path": f"/e/{schedule.slug}",
        "home": f"/e/{schedule.slug}/posters",
        "join": qr(posters.join_url),
        "join_short": short(posters.join_url),
        "join_code": posters.join_code,
        "pdf": pdf,
        # Trusted: Snug's own file, in a page that is only ever made into a PDF.
        "stylesheet": Markup(STYLESHEET.read_text()) if pdf else None,
        "short": short,
    }


def _render(template: str, posters: Posters, pdf: bool, **context: Any) -> str:
    """In the event's languages: the page is marked with the first, and ``{% call both() %}``
    says a fixed word in each."""
    codes = spoken(posters.schedule.languages)
    with speaking(codes[0]):
        return render(
            template,
            both=both(codes),
            lang=codes[0],
            plain=without_controls,
            **_common(posters, pdf),
            **context,
        )


def room_html(posters: Posters, room_id: int, *, pdf: bool = False) -> str:
    return _render("poster-room.html", posters, pdf, room=_room_sheet(posters, room_id))


def entrance_html(posters: Posters, *, pdf: bool = False) -> str:
    return _render("poster-entrance.html", posters, pdf)


def all_html(posters: Posters) -> str:
    """Every poster, one after the other, to print in one go."""
    rooms = [_room_sheet(posters, room.id) for room in posters.schedule.rooms]
    return _render("poster-all.html", posters, True, rooms=rooms)


def index_html(posters: Posters) -> str:
    rooms = [_room_sheet(posters, room.id) for room in posters.schedule.rooms]
    return _render("poster-index.html", posters, False, rooms=rooms)
