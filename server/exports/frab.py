"""The frab schedule: the XML that Giggity, ConfClerk and EventFahrplan read, and the frab-style
JSON described by the c3voc schedule schema. Cancelled sessions are left out: neither format
can say that a session was cancelled, and conference apps replace the whole schedule on refresh.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.exports.readmodel import Schedule, Session
from server.marketplace.models import BILINGUAL

GENERATOR = {"name": "Snug", "version": "0.1.0"}
JSON_SCHEMA = "https://c3voc.de/schedule/schema.json"
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


@dataclass(frozen=True)
class _Day:
    index: int
    date: date
    start: datetime
    end: datetime
    sessions: list[tuple[Session, datetime, datetime]]


def acronym(schedule: Schedule) -> str:
    """The event's slug as a frab acronym: lower-case letters, digits and underscores."""
    text = schedule.slug.replace("-", "_")
    return text if len(text) >= 4 else f"snug_{text}"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50].strip("-")


def session_slug(schedule: Schedule, session: Session) -> str:
    return f"{acronym(schedule)}-{session.pitch_id}-{_slugify(session.title) or 'session'}"


def version(schedule: Schedule) -> str:
    return schedule.last_modified.strftime("%Y-%m-%d %H:%M:%S UTC")


def _days(schedule: Schedule) -> list[_Day]:
    zone = ZoneInfo(schedule.timezone)
    spans: dict[date, list[datetime]] = defaultdict(list)
    for slot in schedule.slots:
        start = datetime.fromisoformat(slot.starts_at).replace(tzinfo=zone)
        end = datetime.fromisoformat(slot.ends_at).replace(tzinfo=zone)
        spans[start.date()] += [start, end]
    by_day: dict[date, list[tuple[Session, datetime, datetime]]] = defaultdict(list)
    for session in schedule.sessions:
        if session.cancelled or session.slot is None or session.room is None:
            continue
        start = datetime.fromisoformat(session.slot.starts_at).replace(tzinfo=zone)
        end = datetime.fromisoformat(session.slot.ends_at).replace(tzinfo=zone)
        by_day[start.date()].append((session, start, end))
        spans[start.date()] += [start, end]
    if not spans:
        midnight = datetime.combine(schedule.date, datetime.min.time(), zone)
        spans[schedule.date] = [midnight, midnight + timedelta(hours=23, minutes=59)]
    days = []
    for index, day in enumerate(sorted(spans), start=1):
        sessions = sorted(by_day[day], key=lambda s: (s[1], s[0].pitch_id))
        days.append(_Day(index, day, min(spans[day]), max(spans[day]), sessions))
    return days


def _duration(start: datetime, end: datetime) -> str:
    # Python subtracts times in one zone by the wall clock; a slot across a daylight-saving
    # change lasts what elapses, so measure in UTC.
    elapsed = end.astimezone(UTC) - start.astimezone(UTC)
    minutes = max(0, int(elapsed.total_seconds() // 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


TIMESLOT = "00:05"


@dataclass(frozen=True)
class _Person:
    """A session's host as the apps list presenters: ConfClerk and Giggity show a person only
    with an id, and gather one person's sessions by it."""

    name: str
    guid: str
    id: int


def _host(schedule: Schedule, session: Session) -> _Person | None:
    if not session.host:
        return None
    # The same name is the same person throughout the event, and only throughout it.
    guid = uuid.uuid5(uuid.UUID(schedule.guid), "host:" + " ".join(session.host.casefold().split()))
    # frab's person id is an integer; 31 bits of the guid keep it positive in every app.
    return _Person(session.host, str(guid), guid.int >> 97)


def _track(schedule: Schedule, session: Session) -> str:
    """Apps group and colour sessions by track: the first tag, else the room, else the event."""
    return next(
        (tag for tag in session.tags if tag.strip()),
        session.room.name if session.room else schedule.name,
    )


def _language(schedule: Schedule, session: Session) -> str | None:
    """frab names one language, by its two-letter code. A bilingual session is given as the
    event's first language (Welsh, when Welsh is one), as Welsh public bodies put Welsh first;
    Snug's own JSON says "bilingual"."""
    if session.language == BILINGUAL:
        return schedule.languages[0] if schedule.languages else None
    return session.language or None


# --- XML ------------------------------------------------------------------------------------


# XML 1.0 can't carry these at all, not even escaped; text pasted from elsewhere can hold them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(root: ET.Element) -> None:
    for element in root.iter():
        if element.text:
            element.text = NOT_XML.sub("", element.text)
        for name, value in element.attrib.items():
            element.set(name, NOT_XML.sub("", value))


def schedule_xml(schedule: Schedule) -> bytes:
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", GENERATOR)
    ET.SubElement(root, "url").text = f"{schedule.event_url}/schedule.xml"
    ET.SubElement(root, "version").text = version(schedule)
    days = _days(schedule)
    conference = ET.SubElement(root, "conference")
    for tag, text in (
        ("title", schedule.name),
        ("acronym", acronym(schedule)),
        ("start", days[0].date.isoformat()),
        ("end", days[-1].date.isoformat()),
        ("days", str(len(days))),
        ("timeslot_duration", TIMESLOT),
        ("base_url", schedule.root),
        ("url", schedule.event_url),
        ("time_zone_name", schedule.timezone),
    ):
        ET.SubElement(conference, tag).text = text
    for day in days:
        element = ET.SubElement(
            root,
            "day",
            {
                "index": str(day.index),
                "date": day.date.isoformat(),
                "start": day.start.isoformat(),
                "end": day.end.isoformat(),
            },
        )
        rooms: dict[int, ET.Element] = {}
        for room in schedule.rooms:
            if any(s.room is not None and s.room.id == room.id for s, _a, _b in day.sessions):
                rooms[room.id] = ET.SubElement(
                    element, "room", {"name": room.name, "guid": room.guid}
                )
        for session, start, end in day.sessions:
            assert session.room is not None
            _xml_event(schedule, rooms[session.room.id], session, start, end)
    ET.indent(root)
    _xml_safe(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def _xml_event(
    schedule: Schedule, parent: ET.Element, session: Session, start: datetime, end: datetime
) -> None:
    assert session.room is not None
    event = ET.SubElement(parent, "event", {"id": str(session.pitch_id), "guid": session.guid})
    for tag, text in (
        ("date", start.isoformat()),
        ("start", start.strftime("%H:%M")),
        ("duration", _duration(start, end)),
        ("room", session.room.name),
        ("slug", session_slug(schedule, session)),
        ("url", schedule.notes_url(session)),
        ("title", session.title),
        ("subtitle", ""),
        ("track", _track(schedule, session)),
        ("type", session.format),
        ("language", _language(schedule, session) or ""),
        ("abstract", session.pitch),
        ("description", ""),
    ):
        ET.SubElement(event, tag).text = text
    persons = ET.SubElement(event, "persons")
    if host := _host(schedule, session):
        ET.SubElement(persons, "person", {"id": str(host.id), "guid": host.guid}).text = host.name
    ET.SubElement(event, "links")
    ET.SubElement(event, "attachments")


# --- JSON -----------------------------------------------------------------------------------


def schedule_json(schedule: Schedule) -> bytes:
    days = _days(schedule)
    conference: dict[str, Any] = {
        "acronym": acronym(schedule),
        "title": schedule.name,
        "start": days[0].date.isoformat(),
        "end": days[-1].date.isoformat(),
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        "url": schedule.event_url,
        "rooms": [{"name": r.name, "guid": r.guid, "capacity": r.capacity} for r in schedule.rooms],
        "days": [_json_day(schedule, day) for day in days],
    }
    if _ZONE_NAME.search(schedule.timezone):
        conference["time_zone_name"] = schedule.timezone
    document = {
        "$schema": JSON_SCHEMA,
        "generator": GENERATOR,
        "schedule": {
            "version": version(schedule),
            "base_url": schedule.root,
            "url": f"{schedule.event_url}/schedule.json",
            "conference": conference,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n"


def _json_day(schedule: Schedule, day: _Day) -> dict[str, Any]:
    rooms: dict[str, list[dict[str, Any]]] = {}
    for room in schedule.rooms:
        here = [s for s in day.sessions if s[0].room is not None and s[0].room.id == room.id]
        if here:
            rooms.setdefault(room.name, []).extend(
                _json_event(schedule, *session) for session in here
            )
    return {
        "index": day.index,
        "date": day.date.isoformat(),
        "day_start": day.start.isoformat(),
        "day_end": day.end.isoformat(),
        "rooms": rooms,
    }


def _json_event(
    schedule: Schedule, session: Session, start: datetime, end: datetime
) -> dict[str, Any]:
    assert session.room is not None
    return {
        "guid": session.guid,
        "id": session.pitch_id,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.isoformat(),
        "duration": _duration(start, end),
        "room": session.room.name,
        "slug": session_slug(schedule, session),
        "url": schedule.notes_url(session),
        "title": session.title,
        "subtitle": None,
        "track": _track(schedule, session),
        "type": session.format,
        "language": _language(schedule, session),
        "abstract": session.pitch,
        "description": None,
        "logo": None,
        "persons": [_json_person(host)] if (host := _host(schedule, session)) else [],
        "links": [],
        "attachments": [],
    }


def _json_person(host: _Person) -> dict[str, Any]:
    # frab's shape (public_name and id), which the apps reading frab JSON know; the schema
    # accepts it or pretalx's (name), never both.
    return {"id": host.id, "guid": host.guid, "public_name": host.name}
