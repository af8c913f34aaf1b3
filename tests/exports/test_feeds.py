"""The schedule exports over HTTP against the real server: iCalendar feeds (whole event, per
room, personal), the frab XML and JSON, conditional requests, and an unpublished grid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

import icalendar
import pytest

from tests.conftest import ApiEvent
from tests.exports.helpers import (
    SESSIONS,
    UTC_TIMES,
    independent_instants,
    make_published,
    validate_frab_json,
    validate_frab_xml,
    vevents,
)
from tests.http.helpers import assert_problem

CALENDAR = "text/calendar; charset=utf-8"


def _utc(value: icalendar.Event, name: str) -> datetime:
    moment = value.decoded(name)
    assert isinstance(moment, datetime) and moment.tzinfo is not None, moment
    return moment.astimezone(UTC)


def test_the_event_feed_has_the_right_instants_on_both_sides_of_a_clock_change(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_published(make_event)
    response = g.get("/schedule.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CALENDAR
    body = response.content
    cal = icalendar.Calendar.from_ical(body)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/London"]
    events = vevents(body)
    assert set(events) == set(SESSIONS)
    slot_of = {title: slot for title, (_room, slot, _text, _host) in SESSIONS.items()}
    for title, event in events.items():
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert (_utc(event, "DTSTART"), _utc(event, "DTEND")) == UTC_TIMES[slot_of[title]]
        room, _slot, text, host = SESSIONS[title]
        assert str(event["LOCATION"]) == room
        assert text in str(event["DESCRIPTION"]) and host in str(event["DESCRIPTION"])
        base = str(g.ev.client.base_url).rstrip("/")
        assert str(event["URL"]) == f"{base}/e/{g.ev.slug}/notes/{g.pitches[title]}"
        assert str(event["STATUS"]) == "CONFIRMED"
        assert int(event["SEQUENCE"]) == 0
    # An independent reading: raw lines, with the feed's VTIMEZONE read by dateutil.
    assert independent_instants(body) == {t: UTC_TIMES[slot_of[t]] for t in SESSIONS}
    # UIDs are unique and stay the same from one fetch to the next.
    uids = {str(e["UID"]) for e in events.values()}
    assert len(uids) == len(SESSIONS)
    assert {str(e["UID"]) for e in vevents(g.get("/schedule.ics").content).values()} == uids


def test_a_published_move_bumps_sequence_and_keeps_the_uid(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_published(make_event)
    before = vevents(g.get("/schedule.ics").content)["After the change"]
    first = g.get("/schedule.ics")
    g.move("After the change", "Loft", "Saturday")
    assert g.get("/schedule.ics").content == first.content, "a draft edit isn't published"
    g.do("publish")
    response = g.get("/schedule.ics")
    after = vevents(response.content)["After the change"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert _utc(after, "LAST-MODIFIED") >= _utc(before, "LAST-MODIFIED")
    assert str(after["LOCATION"]) == "Loft"
    assert (_utc(after, "DTSTART"), _utc(after, "DTEND")) == UTC_TIMES["Saturday"]
    assert response.headers["etag"] != first.headers["etag"]
    # The others did not move, so they keep their sequence.
    assert int(vevents(response.content)["Before the change"]["SEQUENCE"]) == 0


def test_a_dropped_session_stays_in_the_feeds_as_cancelled(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_published(make_event)
    uid = str(vevents(g.get("/schedule.ics").content)["Through the night"]["UID"])
    g.do("unplace", pitch=g.pitches["Through the night"])
    g.do("publish")
    body = g.get("/schedule.ics").content
    dropped = vevents(body)["Through the night"]
    assert str(dropped["UID"]) == uid
    assert str(dropped["STATUS"]) == "CANCELLED"
    assert int(dropped["SEQUENCE"]) == 1
    # It still says when and where it would have been, so calendars match it up.
    assert (_utc(dropped, "DTSTART"), _utc(dropped, "DTEND")) == UTC_TIMES["Across"]
    assert str(dropped["LOCATION"]) == "Loft"
    assert "Through the night" in independent_instants(body)
    assert str(vevents(body)["Before the change"]["STATUS"]) == "CONFIRMED"
    # The room's feed keeps it too; the frab schedules, which can't say cancelled, drop it.
    loft = vevents(g.get(f"/rooms/{g.rooms['Loft']}.ics").content)
    assert str(loft["Through the night"]["STATUS"]) == "CANCELLED"
    xml = validate_frab_xml(g.get("/schedule.xml").content)
    assert "Through the night" not in [t.text for t in xml.iter("title")]
    json_body = g.get("/schedule.json").text
    validate_frab_json(g.get("/schedule.json").content)
    assert "Through the night" not in json_body


def test_a_room_feed_holds_that_room_only(make_event: Callable[..., ApiEvent]) -> None:
    g = make_published(make_event)
    response = g.get(f"/rooms/{g.rooms['Great Hall']}.ics")
    assert response.status_code == 200 and response.headers["content-type"] == CALENDAR
    assert set(vevents(response.content)) == {"Before the change", "After the change"}
    assert "Great Hall" in str(icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"])
    assert_problem(g.get("/rooms/999999999.ics"), 404)
    other = make_published(make_event, sessions={})
    assert_problem(other.get(f"/rooms/{g.rooms['Loft']}.ics"), 404)


def feed_of(ev: ApiEvent, token: str) -> str:
    """The attendee's calendar feed secret, from the link they make on their agenda."""
    link = ev.ok("POST", "/me/calendar", token)["link"]
    return str(link).rsplit("/", 1)[1].removesuffix(".ics")


def test_a_personal_feed_holds_the_attendees_agenda(make_event: Callable[..., ApiEvent]) -> None:
    g = make_published(make_event)
    g.ev.edit(voting_open=True)
    token = g.ev.join("Alex")["token"]
    for title in ("Before the change", "After the change"):
        g.ev.ok("POST", "/dots", token, json={"pitch": g.pitches[title]}, status=201)
    feed = feed_of(g.ev, token)
    response = g.get(f"/my/{feed}.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CALENDAR
    assert set(vevents(response.content)) == {"Before the change", "After the change"}
    # A session they meant to go to is dropped: their calendar hears it was cancelled.
    g.do("unplace", pitch=g.pitches["After the change"])
    g.do("publish")
    mine = vevents(g.get(f"/my/{feed}.ics").content)
    assert str(mine["After the change"]["STATUS"]) == "CANCELLED"
    assert str(mine["Before the change"]["STATUS"]) == "CONFIRMED"
    # Someone who has voted for nothing has an empty, valid calendar.
    quiet = feed_of(g.ev, g.ev.join("Sam")["token"])
    assert vevents(g.get(f"/my/{quiet}.ics").content) == {}
    for wrong in ("not-a-real-token", token, g.ev.organiser, g.fac):
        assert_problem(g.get(f"/my/{wrong}.ics"), 404)
    other = make_event()
    assert_problem(other.client.get(f"/e/{other.slug}/my/{feed}.ics"), 404)


@pytest.mark.parametrize("path", ["/schedule.ics", "/schedule.xml", "/schedule.json"])
def test_conditional_requests_are_answered_304(
    make_event: Callable[..., ApiEvent], path: str
) -> None:
    g = make_published(make_event)
    first = g.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert parsedate_to_datetime(modified) <= datetime.now(UTC)
    again = g.get(path, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert g.get(path, **{"If-None-Match": f'"other", {etag}'}).status_code == 304
    assert g.get(path, **{"If-Modified-Since": modified}).status_code == 304
    long_ago = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
    assert g.get(path, **{"If-Modified-Since": long_ago}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    assert (
        g.get(path, **{"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code
        == 200
    )
    # Once the schedule changes, the old validators no longer match.
    g.move("After the change", "Loft", "Saturday")
    g.do("publish")
    changed = g.get(path, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert g.get(path, **{"If-Modified-Since": long_ago}).status_code == 200


def test_frab_xml_and_json_are_valid_and_load_back(make_event: Callable[..., ApiEvent]) -> None:
    g = make_published(make_event)
    response = g.get("/schedule.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    xml = validate_frab_xml(response.content)
    assert xml.findtext("conference/time_zone_name") == "Europe/London"
    days = xml.findall("day")
    assert [d.get("date") for d in days] == ["2026-03-28", "2026-03-29"]
    loaded = {e.findtext("title"): e for day in days for room in day.findall("room") for e in room}
    assert set(loaded) == set(SESSIONS)
    across = loaded["Through the night"]
    assert across.findtext("date") == "2026-03-29T00:30:00+00:00"
    assert across.findtext("start") == "00:30"
    assert across.findtext("duration") == "01:00"  # the clocks went forward an hour
    assert across.findtext("room") == "Loft"
    assert across.findtext("persons/person") == "Bo"
    assert loaded["After the change"].findtext("date") == "2026-03-29T10:00:00+01:00"
    assert loaded["Before the change"].findtext("abstract") == "Saturday morning, on GMT."

    response = g.get("/schedule.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = validate_frab_json(response.content)
    conference = document["schedule"]["conference"]
    assert conference["daysCount"] == 2 and conference["time_zone_name"] == "Europe/London"
    events = {
        e["title"]: e for day in conference["days"] for room in day["rooms"].values() for e in room
    }
    assert set(events) == set(SESSIONS)
    for title, event in events.items():
        start, end = UTC_TIMES[SESSIONS[title][1]]
        assert datetime.fromisoformat(event["date"]) == start
        assert datetime.fromisoformat(event["end"]) == end
        assert event["room"] == SESSIONS[title][0]
    assert events["Through the night"]["duration"] == "01:00"
    (ann,) = events["Before the change"]["persons"]
    assert ann["public_name"] == "Ann" and ann["guid"] and isinstance(ann["id"], int)
    assert loaded["Before the change"].find("persons/person").get("guid") == ann["guid"]
    assert {e.findtext("track") for e in loaded.values()} == {"Great Hall", "Loft"}
    # The same session has the same guid in the XML, the JSON and the calendar.
    ics = vevents(g.get("/schedule.ics").content)
    for title in SESSIONS:
        assert loaded[title].get("guid") == events[title]["guid"] == str(ics[title]["UID"])


def test_an_unpublished_grid_gives_empty_valid_documents(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_published(make_event, publish=False)  # placed in the draft, not published
    for path in ("/schedule.ics", f"/rooms/{g.rooms['Loft']}.ics"):
        response = g.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == CALENDAR
        cal = icalendar.Calendar.from_ical(response.content)
        assert cal.walk("VEVENT") == [] and len(cal.walk("VTIMEZONE")) == 1
        assert independent_instants(response.content) == {}
    xml = validate_frab_xml(g.get("/schedule.xml").content)
    assert xml.findall("day/room/event") == []
    document = validate_frab_json(g.get("/schedule.json").content)
    assert all(day["rooms"] == {} for day in document["schedule"]["conference"]["days"])


def test_exports_of_an_unknown_event_are_404_problems(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev = make_event()
    for path in ("schedule.ics", "schedule.xml", "schedule.json", "rooms/1.ics", "my/abc.ics"):
        assert_problem(ev.client.get(f"/e/no-such-event-here/{path}"), 404)


def test_public_feeds_may_be_read_by_any_web_page_and_staff_previews_may_not(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_published(make_event)
    origin = {"Origin": "https://giggity.example"}
    feeds = ["/schedule.ics", f"/rooms/{g.rooms['Loft']}.ics", "/schedule.xml", "/schedule.json"]
    for path in feeds:
        response = g.get(path, **origin)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*", path
        assert "access-control-allow-credentials" not in response.headers
        again = g.get(path, **origin, **{"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304 and again.headers["access-control-allow-origin"] == "*"
    # The proceedings' data, before publishing, is a staff preview: same origin only.
    preview = g.get("/export.json", Authorization=f"Bearer {g.fac}", **origin)
    assert preview.status_code == 200
    assert "access-control-allow-origin" not in preview.headers
    g.ev.ok("PUT", "/proceedings", g.ev.organiser, json={"published": True})
    published = g.get("/export.json", **origin)
    assert published.status_code == 200
    assert published.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in published.headers
