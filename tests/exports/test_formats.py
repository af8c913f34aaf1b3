"""The export formats as pure functions over a hand-made read model: hostile text comes out
inert, and the documents stay valid for zones the c3voc JSON schema has no pattern for."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil import tz

from server.exports import calendar, frab
from server.exports.readmodel import RoomInfo, Schedule, Session, SlotInfo
from tests.exports.helpers import unfold, validate_frab_json, validate_frab_xml

HOSTILE = (
    'Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected; x,y <script>alert("x")</script>&amp;'
)
ROOM = RoomInfo(1, "Room <b>1</b>; A,B", 10, "00000000-0000-4000-8000-000000000001")
EVENT_GUID = "00000000-0000-4000-8000-00000000000e"
SLOT = SlotInfo(1, "2026-10-25T01:30", "2026-10-25T02:30", "Ambiguous", "session")


def _schedule(timezone: str = "Europe/London", **session: object) -> Schedule:
    made = Session(
        pitch_id=7,
        guid="00000000-0000-4000-8000-000000000007",
        title=HOSTILE,
        pitch=HOSTILE,
        host=HOSTILE,
        format="workshop",
        language="bilingual",
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
        languages=("cy", "en"),
        base_url="https://snug.example.org/",
        rooms=(ROOM,),
        slots=(SLOT,),
        sessions=(replace(made, **session),),
        published=True,
        last_modified=datetime(2026, 10, 1, 12, 0, tzinfo=UTC),
        guid=EVENT_GUID,
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


# The zones the tests use, both hemispheres, a zone without daylight saving and fixed offsets.
ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Argentina/Buenos_Aires",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Etc/GMT-3",
    "UTC",
]


def _instants(zone: ZoneInfo, first: datetime, last: datetime) -> list[datetime]:
    """Every hour of the span, and every quarter hour for a day either side of each change."""
    hours = [first + timedelta(hours=h) for h in range(int((last - first).total_seconds()) // 3600)]
    changes = [
        a
        for a, b in pairwise(hours)
        if a.astimezone(zone).utcoffset() != b.astimezone(zone).utcoffset()
    ]
    near = [c + timedelta(minutes=15 * q) for c in changes for q in range(-96, 97)]
    return hours + near


@pytest.mark.parametrize("zone_name", ZONES)
def test_the_vtimezone_gives_zoneinfos_offset_at_every_instant_of_the_year(zone_name: str) -> None:
    body = calendar.calendar(_schedule(timezone=zone_name))
    lines = unfold(body)
    begin, end = lines.index("BEGIN:VTIMEZONE"), lines.index("END:VTIMEZONE")
    described = tz.tzical(io.StringIO("\r\n".join(lines[begin : end + 1]))).get(zone_name)
    zone = ZoneInfo(zone_name)
    first, last = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    wrong = [
        (moment, moment.astimezone(described).utcoffset(), moment.astimezone(zone).utcoffset())
        for moment in _instants(zone, first, last)
        if moment.astimezone(described).utcoffset() != moment.astimezone(zone).utcoffset()
    ]
    assert not wrong, wrong[:3]


def test_london_springs_forward_at_one_in_the_morning_local_standard_time() -> None:
    cal = icalendar.Calendar.from_ical(calendar.calendar(_schedule()))
    onsets = {}
    for daylight in cal.walk("DAYLIGHT"):
        rdates = daylight.get("RDATE", [])
        for when in [daylight["DTSTART"], *(rdates if isinstance(rdates, list) else [rdates])]:
            for moment in getattr(when, "dts", [when]):
                onsets[moment.dt] = daylight.decoded("TZOFFSETFROM")
    assert onsets[datetime(2026, 3, 29, 1, 0)] == timedelta(0)


def _three_sessions(timezone: str = "Europe/London") -> Schedule:
    """Ann hosts two sessions (written two ways), Bo one; one session has no tags."""
    schedule = _schedule(timezone)
    (made,) = schedule.sessions
    sessions = (
        replace(made, pitch_id=7, host="Ann  Lee", tags=("Open data", "maps")),
        replace(made, pitch_id=8, guid=made.guid[:-1] + "8", host="ann lee", tags=()),
        replace(made, pitch_id=9, guid=made.guid[:-1] + "9", host="Bo", tags=(" ",)),
    )
    return replace(schedule, sessions=sessions)


def test_every_presenter_has_an_id_and_a_guid_the_same_for_the_same_host() -> None:
    schedule = _three_sessions()
    xml = validate_frab_xml(frab.schedule_xml(schedule))
    people = {e.get("id"): e.find("persons/person") for e in xml.iter("event")}
    assert all(p is not None and p.get("id") and p.get("guid") for p in people.values())
    assert people["7"].attrib == people["8"].attrib != people["9"].attrib
    assert people["7"].text == "Ann  Lee" and people["9"].text == "Bo"
    document = validate_frab_json(frab.schedule_json(schedule))
    (day,) = document["schedule"]["conference"]["days"]
    events = {e["id"]: e for e in day["rooms"][ROOM.name]}
    for event_id, event in events.items():
        (person,) = event["persons"]
        assert person["public_name"] == people[str(event_id)].text
        assert person["guid"] == people[str(event_id)].get("guid")
        assert str(person["id"]) == people[str(event_id)].get("id")
    # Stable from one fetch to the next, and another event's Ann is another person.
    again = validate_frab_xml(frab.schedule_xml(schedule)).find("day/room/event/persons/person")
    assert again is not None and again.attrib == people["7"].attrib
    other = replace(schedule, guid="00000000-0000-4000-8000-00000000000f")
    theirs = validate_frab_xml(frab.schedule_xml(other)).find("day/room/event/persons/person")
    assert theirs is not None and theirs.get("guid") != people["7"].get("guid")


def test_every_session_has_a_track_its_first_tag_else_its_room() -> None:
    schedule = _three_sessions()
    xml = validate_frab_xml(frab.schedule_xml(schedule))
    tracks = {e.get("id"): e.findtext("track") for e in xml.iter("event")}
    assert tracks == {"7": "Open data", "8": ROOM.name, "9": ROOM.name}
    document = validate_frab_json(frab.schedule_json(schedule))
    (day,) = document["schedule"]["conference"]["days"]
    assert {str(e["id"]): e["track"] for e in day["rooms"][ROOM.name]} == tracks


@pytest.mark.parametrize(
    ("said", "languages", "frab_says"),
    [
        ("cy", ("cy", "en"), "cy"),
        ("en", ("cy", "en"), "en"),
        ("bilingual", ("cy", "en"), "cy"),  # Welsh first, as the event's languages are
        ("", ("en",), None),
    ],
)
def test_a_sessions_language_reaches_frab_as_one_code(
    said: str, languages: tuple[str, ...], frab_says: str | None
) -> None:
    schedule = replace(_schedule(language=said), languages=languages)
    xml = validate_frab_xml(frab.schedule_xml(schedule))
    assert xml.findtext("day/room/event/language") == (frab_says or "")
    document = validate_frab_json(frab.schedule_json(schedule))
    (day,) = document["schedule"]["conference"]["days"]
    (entry,) = day["rooms"][ROOM.name]
    assert entry["language"] == frab_says
