"""Every absolute address Snug writes comes from PUBLIC_URL, never from the request's Host
header, which anyone can set: links, QR codes, calendar feeds, link previews, posters and the
proceedings' data."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.conftest import ApiEvent, LiveServer, event_body
from tests.exports.helpers import make_published

EVIL = {"Host": "evil.example"}


def test_a_forged_host_header_changes_no_address_snug_writes(
    make_event: Callable[..., ApiEvent], server: LiveServer, http: httpx.Client
) -> None:
    g = make_published(make_event)
    ev = g.ev
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    token = ev.join("Ana")["token"]
    pitch = next(iter(g.pitches.values()))
    room = next(iter(g.rooms.values()))
    bearer = {"Authorization": f"Bearer {token}"}
    staff = {"Authorization": f"Bearer {ev.organiser}"}
    api, page = f"/api/e/{ev.slug}", f"/e/{ev.slug}"
    answers = {
        "new event": http.post("/api/events", json=event_body(), headers=EVIL),
        "state": http.get(api, headers=EVIL | bearer),
        "facilitator link": http.post(f"{api}/facilitator-link", headers=EVIL | staff),
        "calendar link": http.post(f"{api}/me/calendar", headers=EVIL | bearer),
        "proceedings status": http.get(f"{api}/proceedings", headers=EVIL | staff),
    }
    feed = httpx.URL(answers["calendar link"].json()["link"]).path
    for path in (
        "/schedule.ics",
        f"/rooms/{room}.ics",
        "/schedule.xml",
        "/schedule.json",
        "/proceedings",
        f"/proceedings/{pitch}",
        "/proceedings.html",
        "/proceedings.md",
        "/export.json",
        "/posters/entrance",
        f"/posters/rooms/{room}",
    ):
        answers[path] = http.get(page + path, headers=EVIL)
    answers["my feed"] = http.get(feed, headers=EVIL)
    for name, answer in answers.items():
        assert answer.status_code < 300, (name, answer.status_code, answer.text)
        assert b"evil.example" not in answer.content, name
        assert server.url.encode() in answer.content, name
    index = http.get(f"{page}/posters", headers=EVIL)  # links to each poster, relatively
    assert index.status_code == 200 and b"evil.example" not in index.content
    # QR codes hold the address in their squares: the same image whatever the Host says.
    for image in ("/join.svg", "/join.png"):
        assert http.get(page + image, headers=EVIL).content == http.get(page + image).content
