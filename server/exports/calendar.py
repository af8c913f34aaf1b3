"""iCalendar (RFC 5545) feeds of the published schedule, through the icalendar package.

Each session is one VEVENT with a UID that never changes; SEQUENCE and LAST-MODIFIED come from
the published placement, so a calendar app sees a move as an update of the same event, and a
dropped session stays in the feed as STATUS:CANCELLED. Times are the organiser's wall-clock
times with the event's TZID, described by a VTIMEZONE, so they stay right across a
daylight-saving change.

The words Snug adds (a host's label, a withdrawn session's title, a personal calendar's name)
are said in one language: a person's own feed in theirs (``server/events/feeds.py``), a public
feed in the event's first.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from server.exports.readmodel import Schedule, Session
from server.exports.timezones import vtimezone
from server.language import SOURCE, speaking
from server.language import gettext as _

PRODID = "-//Snug//Unconference schedule//EN"


def local_time(text: str, zone: ZoneInfo) -> datetime:
    """A slot's wall-clock time ("2026-03-29T10:00") as an aware datetime in the event's zone."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def calendar(
    schedule: Schedule, title: str | None = None, *, language: str = "", mine: bool = False
) -> bytes:
    """The feed, its own words said in ``language``: a person's feed says theirs; a public
    one (no language given) the event's first, since it is everyone's. ``mine``: a person's
    own agenda, named as such."""
    with speaking(language or (schedule.languages or (SOURCE,))[0]):
        if mine:
            title = _("%(event)s: my agenda") % {"event": schedule.name}
        return _calendar(schedule, title)


def _calendar(schedule: Schedule, title: str | None) -> bytes:
    zone = ZoneInfo(schedule.timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = " ".join((title or schedule.name).split())  # NAME is one line; icalendar won't fold it
    # Non-standard properties are written as they are unless typed as text, which escapes them.
    cal.add("name", icalendar.vText(name))
    cal.add("x-wr-calname", icalendar.vText(name))
    cal.add("x-wr-timezone", schedule.timezone)
    cal.add("url", schedule.event_url)
    cal.add("refresh-interval", timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT15M")
    # The event's zone is always described, which also keeps a feed with no sessions valid
    # (RFC 5545 wants at least one component).
    first, last = _span(schedule)
    cal.add_component(
        vtimezone(schedule.timezone, first - timedelta(days=366), last + timedelta(days=366))
    )
    for session in sorted(schedule.sessions, key=_order):
        cal.add_component(_vevent(schedule, session, zone))
    body: bytes = cal.to_ical()
    return body


def _order(session: Session) -> tuple[str, int]:
    return (session.slot.starts_at if session.slot else "", session.pitch_id)


def _span(schedule: Schedule) -> tuple[date, date]:
    days = [schedule.date]
    for slot in schedule.slots:
        days += [date.fromisoformat(slot.starts_at[:10]), date.fromisoformat(slot.ends_at[:10])]
    return min(days), max(days)


def _vevent(schedule: Schedule, session: Session, zone: ZoneInfo) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", session.guid)
    # DTSTAMP is when this entry last changed, so a feed is the same bytes until something
    # changes (its ETag then only changes with its content).
    event.add("dtstamp", session.modified_at)
    event.add("last-modified", session.modified_at)
    event.add("sequence", session.sequence)
    # A withdrawn pitch's text never leaves Snug; its entry just says so.
    event.add("summary", _("Withdrawn session") if session.withdrawn else session.title)
    if session.slot is not None:
        event.add("dtstart", local_time(session.slot.starts_at, zone))
        event.add("dtend", local_time(session.slot.ends_at, zone))
    else:
        event.add("dtstart", schedule.date)
    description = session.pitch
    if session.host:
        host = _("Host: %(host)s") % {"host": session.host}
        description = f"{description}\n\n{host}".strip()
    if description:
        event.add("description", description)
    if session.room is not None:
        event.add("location", session.room.name)
    if session.tags:
        event.add("categories", list(session.tags))
    event.add("url", schedule.notes_url(session))
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if session.cancelled else "OPAQUE")
    return event
