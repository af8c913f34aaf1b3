"""The export formats as pure functions over a hand-made read model: hostile text comes out
inert, and the documents stay valid for zones the c3voc JSON schema has no pattern for."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import icalendar

from server.exports import calendar, frab
from server.exports.readmodel import RoomInfo, Schedule, Session, SlotInfo
from tests.exports.helpers import unfold, validate_frab_json, validate_frab_xml

HOSTILE = (
    'Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected; x,y <script>alert("x")</script>&amp;'
)
ROOM = RoomInfo(1, "Room <b>1</b>; A,B", 10, "00000000-0000-4000-8000-000000000001")
SLOT = SlotInfo(1, "2026-10-25T01:30", "2026-10-25T02:30", "Ambiguous", "session")


def _schedule(timezone: str = "Europe/London", **session: object) -> Schedule:
    made = Session(
        pitch_id=7,
        guid="00000000-0000-4000-8000-000000000007",
        title=HOSTILE,
        pitch=HOSTILE,
        host=HOSTILE,
        format="workshop",
        tags=("a,b", "c;d"),
        room=ROOM,
        slot=SLOT,
        cancelled=False,
        sequence=2,
        modified_at=datetime(2026, 10, 1, 12, 0, tzinfo=UTC),
    )
    return Schedule(
        event_id=1,
        slug="ab",
        name=HOSTILE,
        date=date(2026, 10, 25),
        timezone=timezone,
        venue="",
        base_url="https://snug.example.org/",
        rooms=(ROOM,),
        slots=(SLOT,),
        sessions=(replace(made, **session),),
        published=True,
        last_modified=datetime(2026, 10, 1, 12, 0, tzinfo=UTC),
    )


def test_hostile_text_comes_out_inert_in_every_format() -> None:
    schedule = _schedule()
    body = calendar.calendar(schedule)
    lines = unfold(body)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == HOSTILE.replace("\r\n", "\n")
    assert str(event["LOCATION"]) == ROOM.name
    assert int(event["SEQUENCE"]) == 2
    assert str(event["URL"]) == "https://snug.example.org/e/ab/notes/7"

    xml = validate_frab_xml(frab.schedule_xml(schedule))
    assert xml.findtext("day/room/event/title") == HOSTILE.replace("\r\n", "\n")
    assert xml.find("day/room").get("name") == ROOM.name
    assert xml.findtext("conference/acronym") == "snug_ab"
    assert not list(xml.iter("script"))

    document = validate_frab_json(frab.schedule_json(schedule))
    (day,) = document["schedule"]["conference"]["days"]
    assert day["rooms"][ROOM.name][0]["title"] == HOSTILE
    assert json.loads(frab.schedule_json(schedule)) == document


def test_a_zone_outside_the_json_schemas_pattern_is_left_out_there_only() -> None:
    schedule = _schedule(timezone="America/Argentina/Buenos_Aires")
    validate_frab_json(frab.schedule_json(replace(schedule, timezone="Etc/GMT-3")))
    xml = validate_frab_xml(frab.schedule_xml(replace(schedule, timezone="Etc/GMT-3")))
    assert xml.findtext("conference/time_zone_name") == "Etc/GMT-3"
    document = json.loads(frab.schedule_json(replace(schedule, timezone="Etc/GMT-3")))
    assert "time_zone_name" not in document["schedule"]["conference"]
    cal = icalendar.Calendar.from_ical(calendar.calendar(schedule))
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [schedule.timezone]


def test_a_cancelled_session_whose_slot_is_gone_is_a_cancelled_all_day_entry() -> None:
    body = calendar.calendar(_schedule(cancelled=True, slot=None, room=None))
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART") == date(2026, 10, 25)
    assert frab.schedule_xml(_schedule(cancelled=True)).count(b"<event ") == 0
