"""The whole HTTP story of an event, from creation to a merged, voted marketplace."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from server.validation import validate
from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem


def test_healthz(http: httpx.Client) -> None:
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_event_answers_with_links_and_a_working_organiser_key(
    http: httpx.Client, server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(venue="National Gallery", dots_per_attendee=4)
    base = f"{server.url}/e/{ev.slug}"
    assert ev.links["event"] == base
    assert ev.links["screen"] == f"{base}/screen"
    assert ev.links["organise"] == f"{base}/organise#key={ev.organiser}"
    assert ev.links["join"].startswith(f"{server.url}/j/")
    state = ev.state(ev.organiser)
    validate("event-state", state)
    assert state["role"] == "organiser"
    assert state["event"]["venue"] == "National Gallery"
    assert state["event"]["dots_per_attendee"] == 4
    assert state["event"]["join_url"] == ev.links["join"]
    assert [r["name"] for r in state["rooms"]] == ["Auditorium", "Snug 1"]
    assert state["seq"] == 0 and state["pitches"] == []
    public = ev.state()
    assert public["role"] == "public" and "me" not in public


def test_the_marketplace_story(make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event(dots_per_attendee=2)
    fac = ev.facilitator()
    alex, sam = ev.join("  Alex "), ev.join()
    assert alex["name"] == "Alex" and sam["name"] == ""
    assert ev.state(alex["token"])["role"] == "attendee"
    assert ev.state(fac)["role"] == "facilitator"

    original = ev.pitch(alex["token"], "Open data", pitch="Let's talk", tags=["Data"])
    duplicate = ev.pitch(sam["token"], "Open data again")
    staff_pitch = ev.pitch(fac, "Facilitated")
    validate("event-state", {**ev.state(), "pitches": [original, duplicate, staff_pitch]})
    assert original["tags"] == ["data"]

    # Voting opens; each attendee places dots.
    assert ev.edit(voting_open=True)["voting_open"] is True
    a1 = ev.ok("POST", "/dots", alex["token"], json={"pitch": original["id"]}, status=201)
    a2 = ev.ok("POST", "/dots", alex["token"], json={"pitch": duplicate["id"]}, status=201)
    s1 = ev.ok("POST", "/dots", sam["token"], json={"pitch": duplicate["id"]}, status=201)
    assert_problem(ev.call("POST", "/dots", alex["token"], json={"pitch": staff_pitch["id"]}), 409)
    votes = {p["id"]: p["votes"] for p in ev.state()["pitches"]}
    assert votes == {original["id"]: 1, duplicate["id"]: 2, staff_pitch["id"]: 0}
    me = ev.ok("GET", "/me", alex["token"])
    assert me == {
        "id": alex["id"],
        "name": "Alex",
        "dots": [a1, a2],
        "pitches": [original["id"]],
        "agenda": {},  # nothing is published yet
        "seats": {},
        "first_time": None,  # Alex didn't say whether this was their first unconference
    }

    # Sam moves a dot, then withdraws it and places it again.
    moved = ev.ok("PATCH", f"/dots/{s1['id']}", sam["token"], json={"pitch": staff_pitch["id"]})
    assert moved == {"id": s1["id"], "pitch": staff_pitch["id"]}
    assert ev.ok("DELETE", f"/dots/{s1['id']}", sam["token"], status=204) is None
    s2 = ev.ok("POST", "/dots", sam["token"], json={"pitch": duplicate["id"]}, status=201)

    # The facilitator merges the duplicate: Alex had a dot on both, and keeps only one.
    merged = ev.ok("POST", f"/pitches/{duplicate['id']}/merge", fac, json={"into": original["id"]})
    assert merged["id"] == original["id"] and merged["votes"] == 2
    assert [d["pitch"] for d in ev.ok("GET", "/me", alex["token"])["dots"]] == [original["id"]]
    assert ev.ok("GET", "/me", sam["token"])["dots"] == [{"id": s2["id"], "pitch": original["id"]}]
    assert [p["id"] for p in ev.state()["pitches"]] == [original["id"], staff_pitch["id"]]

    # Hiding releases the dots; only staff still see the pitch.
    hidden = ev.ok("PATCH", f"/pitches/{original['id']}", fac, json={"hidden": True})
    assert hidden["hidden"] is True and hidden["votes"] == 0
    assert [p["id"] for p in ev.state(alex["token"])["pitches"]] == [staff_pitch["id"]]
    assert {p["id"]: p["hidden"] for p in ev.state(ev.organiser)["pitches"]} == {
        original["id"]: True,
        staff_pitch["id"]: False,
    }
    assert ev.ok("GET", "/me", alex["token"])["dots"] == []
    assert ev.ok("GET", "/me", alex["token"])["pitches"] == []

    # Renaming and a fresh facilitator link.
    assert ev.ok("PATCH", "/me", sam["token"], json={"name": "Sam"}) == {
        "id": sam["id"],
        "name": "Sam",
    }
    new_fac = ev.facilitator()
    assert_problem(ev.call("GET", "", fac), 401)
    assert ev.state(new_fac)["role"] == "facilitator"
    final = ev.state(ev.organiser)
    validate("event-state", final)
    assert final["seq"] == 12


def test_rooms_and_slots_replace(make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event()
    state = ev.state()
    hall, snug = state["rooms"]
    venue = ev.ok(
        "PUT",
        "/rooms",
        ev.organiser,
        json={
            "rooms": [
                {"id": snug["id"], "name": "Snug A", "capacity": 6, "features": ["quiet"]},
                {"name": "Garden", "capacity": 20},
            ]
        },
    )
    assert [(r["name"], r["capacity"]) for r in venue["rooms"]] == [("Snug A", 6), ("Garden", 20)]
    assert venue["rooms"][0]["id"] == snug["id"]
    assert hall["id"] not in [r["id"] for r in venue["rooms"]]
    first, _second = state["slots"]
    slots = ev.ok(
        "PUT",
        "/slots",
        ev.organiser,
        json={
            "slots": [
                {"id": first["id"], "starts_at": "2026-11-23T09:00", "ends_at": "2026-11-23T09:40"}
            ]
        },
    )
    assert slots["slots"] == [
        {
            "id": first["id"],
            "kind": "session",
            "starts_at": "2026-11-23T09:00",
            "ends_at": "2026-11-23T09:40",
            "label": "",
        }
    ]
    after = ev.state()
    assert (after["rooms"], after["slots"]) == (slots["rooms"], slots["slots"])


def test_hostile_text_is_kept_verbatim_in_json_and_escaped_in_pages(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    evil = "<script>alert('x')</script> & \"quotes\""
    ev = make_event(name=evil)
    sam = ev.join(evil[:60])
    pitch = ev.pitch(sam["token"], evil, pitch=evil, host=evil[:80], tags=["<b>x</b>"])
    assert (pitch["title"], pitch["pitch"]) == (evil, evil)
    stored = ev.state()
    assert stored["event"]["name"] == evil
    assert stored["pitches"][0]["title"] == evil
    assert stored["pitches"][0]["tags"] == ["<b>x</b>"]
    assert ev.ok("GET", "/me", sam["token"])["name"] == evil[:60]
    for suffix in ("", "/screen", "/organise", "/facilitate"):
        page = http.get(f"/e/{ev.slug}{suffix}")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quotes&#34;" in page.text
