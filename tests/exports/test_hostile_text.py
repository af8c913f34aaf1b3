"""Hostile text typed into every field comes out inert in every export, against the real server.

Event name and venue, room names and slot labels, pitch titles, pitch text, hosts and tags, an
attendee's name (credited in notes), every part of the notes, actions and a photo caption are
filled with script tags, broken-out attributes, CDATA ends, iCalendar line injection, javascript:
links and control characters. Each format is parsed back as its readers would parse it.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
import icalendar
import lxml.html
import pytest
from lxml import etree
from markdown_it import MarkdownIt
from pypdf import PdfReader

from server.notes.document import Action, NotesContent
from tests.conftest import LiveServer, event_body
from tests.exports.helpers import unfold
from tests.exports.proceedings_helpers import add_photo, write_notes

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CDATA = "]]></title>"
ICAL = "\r\nBEGIN:VEVENT"
LINK = "[x](javascript:alert(1))"
CONTROLS = "\x07\x1b\x0b"
ALL = f"{SCRIPT} {IMG} {CDATA} {ICAL} {LINK} {CONTROLS}end"  # 115 characters

# One value per field, each marked so that it can be told apart, within the field's limit.
EVENT_NAME = f"Ev {ALL}"
VENUE = f"V {ALL}"
ROOMS = [f"R1 {SCRIPT}{IMG}{ICAL}", f"R2 {CDATA}{LINK}{CONTROLS}"]
SLOT_LABEL = f"Slot {SCRIPT}{IMG}"
TITLES = [f"T1 {ALL}", f"T2 {ALL}"]
PITCH = f"Pitch {ALL}\n{ALL}"
HOST = f"Host {SCRIPT} {IMG}{CONTROLS}"
TAGS = [SCRIPT, IMG, CDATA, LINK, f"t{CONTROLS}"]
PERSON = f"Pat {SCRIPT}{CONTROLS}"
MARKDOWN = (
    f"Notes {SCRIPT}\n\n{IMG}\n\n{LINK}\n\n<!-- x -->\n    <iframe src=x></iframe>\n\n"
    f"{CDATA}{ICAL} {CONTROLS}end\n\n<a href='javascript:alert(1)'>a</a> <svg onload=alert(1)>"
)
ACTIONS = (Action(f"Do {ALL}", f"Owner {SCRIPT}{IMG}"),)
CAPTION = f"Caption {ALL}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def visible(text: str) -> str:
    """What a page or a PDF can show of typed text: no control characters, spaces collapsed."""
    return one_line(re.sub("[\x00-\x08\x0b-\x1f\x7f]", "", text))


@dataclass
class Hostile:
    client: httpx.Client
    slug: str
    pitches: list[int]

    def get(self, path: str) -> httpx.Response:
        response = self.client.get(f"/e/{self.slug}{path}")
        assert response.status_code == 200, (path, response.text)
        return response


@pytest.fixture(scope="module")
def hostile(http: httpx.Client, server: LiveServer) -> Hostile:
    body = event_body(name=EVENT_NAME, venue=VENUE)
    body["rooms"] = [{"name": name, "capacity": 20} for name in ROOMS]
    body["slots"][0]["label"] = SLOT_LABEL
    made = http.post("/api/events", json=body)
    assert made.status_code == 201, made.text
    slug, organiser = made.json()["slug"], made.json()["organiser_key"]

    def call(method: str, path: str, token: str | None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = http.request(method, f"/api/e/{slug}{path}", headers=headers, **kw)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()

    fac = call("POST", "/facilitator-link", organiser)["facilitator_key"]
    person = call("POST", "/attendees", None, json={"name": PERSON})["token"]
    state = call("GET", "", fac)
    rooms, slots = [r["id"] for r in state["rooms"]], [s["id"] for s in state["slots"]]
    fields = {"pitch": PITCH, "host": HOST, "tags": TAGS}
    pitches = [call("POST", "/pitches", person, json={"title": t, **fields})["id"] for t in TITLES]
    # One host runs both, so they go in different slots.
    for pitch_id, room, slot in zip(pitches, rooms, slots, strict=True):
        version = call("GET", "", fac)["draft"]["version"]
        cell = {"version": version, "pitch": pitch_id, "room": room, "slot": slot}
        call("POST", "/grid/move", fac, json=cell)
    call("POST", "/grid/publish", fac, json={"version": call("GET", "", fac)["draft"]["version"]})
    notes = NotesContent(summary=MARKDOWN, discussion=MARKDOWN, outcomes=MARKDOWN, actions=ACTIONS)
    for pitch_id in pitches:
        write_notes(server, slug, pitch_id, person, notes)
        call("PUT", f"/pitches/{pitch_id}/notes/credit", person, json={"named": True})
    add_photo(http, slug, pitches[0], person, CAPTION)
    call("PUT", "/proceedings", organiser, json={"published": True})
    return Hostile(http, slug, pitches)


def assert_inert_html(body: str, images: tuple[str, ...] = ("/e/", "data:image/")) -> Any:
    page = lxml.html.fromstring(body)
    assert not list(page.iter("script", "iframe", "svg", "object", "embed"))
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            assert not value.strip().lower().startswith(("javascript:", "vbscript:")), value
    sources = [img.get("src", "") for img in page.iter("img")]
    assert all(src.startswith(images) for src in sources), sources
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", body)
    return page


@pytest.mark.parametrize("path", ["/proceedings", "/proceedings/{0}", "/proceedings.html"])
def test_html_shows_hostile_text_as_text(hostile: Hostile, path: str) -> None:
    page = assert_inert_html(hostile.get(path.format(hostile.pitches[0])).text)
    shown = one_line(page.text_content())
    expected = [TITLES[0], PERSON, ACTIONS[0].what, ACTIONS[0].owner, CAPTION, HOST, ROOMS[0]]
    expected += [SCRIPT, IMG, CDATA, LINK, "Notes <script>alert(1)</script>"]
    if path != "/proceedings/{0}":
        expected += [EVENT_NAME, VENUE, SLOT_LABEL, TITLES[1]]
    for typed in expected:
        assert visible(typed) in shown, typed
    titles = [t.get("content") for t in page.iter("meta") if t.get("property") == "og:title"]
    assert titles == [one_line(titles[0])]
    assert titles and visible(EVENT_NAME if path != "/proceedings/{0}" else TITLES[0]) in titles[0]


def test_markdown_stays_inert_when_rendered_with_html_on(
    hostile: Hostile, server: LiveServer
) -> None:
    body = hostile.get("/proceedings.md").text
    for renderer in (MarkdownIt("commonmark"), MarkdownIt("js-default", {"html": True})):
        rendered = renderer.render(body)
        # The only image is the photo, from this Snug; every link goes to the web.
        page = assert_inert_html(f"<div>{rendered}</div>", (f"{server.url}/e/",))
        assert not page.xpath("//a[not(starts-with(@href, 'http'))]")
        shown = one_line(page.text_content())
        for typed in (EVENT_NAME, TITLES[0], TITLES[1], PERSON, HOST, ROOMS[1], CAPTION):
            assert visible(typed) in shown, typed


def test_icalendar_has_one_event_per_session_with_the_text_as_text(hostile: Hostile) -> None:
    body = hostile.get("/schedule.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert unfold(body).count("BEGIN:VEVENT") == 2
    by_title = {str(e["SUMMARY"]): e for e in events}
    assert set(by_title) == {one_line(t) for t in TITLES}
    event = by_title[one_line(TITLES[0])]
    description = f"{PITCH}\n\nHost: {one_line(HOST)}"
    assert str(event["DESCRIPTION"]) == description.replace("\r\n", "\n")
    assert str(event["LOCATION"]) == one_line(ROOMS[0])
    assert str(calendar["X-WR-CALNAME"]) == one_line(EVENT_NAME)


def test_frab_xml_keeps_the_text_in_text_nodes(hostile: Hostile) -> None:
    # XML 1.0 cannot carry control characters at all, not even escaped: they are left out.
    document = etree.fromstring(hostile.get("/schedule.xml").content)
    assert not list(document.iter("script", "img"))
    titles = sorted(visible(t) for t in document.xpath("//event/title/text()"))
    assert titles == sorted(visible(t) for t in TITLES)
    assert visible(document.findtext("conference/title")) == visible(EVENT_NAME)
    rooms = sorted(visible(r) for r in document.xpath("//room/@name"))
    assert rooms == sorted(visible(r) for r in ROOMS)
    abstract = document.xpath("//event/abstract/text()")[0]
    assert visible(abstract) == visible(PITCH) and "<script>" in abstract
    assert visible(document.xpath("//person/text()")[0]) == visible(HOST)


def test_json_schedule_and_export_carry_the_text_as_typed(hostile: Hostile) -> None:
    schedule = json.loads(hostile.get("/schedule.json").content)["schedule"]["conference"]
    assert schedule["title"] == one_line(EVENT_NAME)
    talks = [t for rooms in schedule["days"][0]["rooms"].values() for t in rooms]
    assert sorted(t["title"] for t in talks) == sorted(one_line(t) for t in TITLES)
    assert {t["abstract"] for t in talks} == {PITCH}

    # The server trims what people type at both ends, and keeps the rest as it is.
    export = json.loads(hostile.get("/export.json").content)
    assert (export["event"]["name"], export["event"]["venue"]) == (EVENT_NAME, VENUE)
    assert [r["name"] for r in export["rooms"]] == [r.strip() for r in ROOMS]
    assert export["slots"][0]["label"] == SLOT_LABEL
    first = export["sessions"][0]
    assert (first["title"], first["pitch"], first["host"]) == (TITLES[0], PITCH, HOST.strip())
    assert first["tags"] == [t.strip().lower() for t in TAGS]
    notes = first["notes"]
    assert notes["summary"] == notes["discussion"] == notes["outcomes"] == MARKDOWN
    expected = {"what": ACTIONS[0].what, "owner": ACTIONS[0].owner, "due": None, "status": "open"}
    assert notes["actions"] == [expected]
    assert notes["credits"]["named"] == [PERSON.strip()]
    assert notes["photos"][0]["caption"] == one_line(CAPTION)


def test_pdf_has_the_literal_text(hostile: Hostile) -> None:
    reader = PdfReader(io.BytesIO(hostile.get("/proceedings.pdf").content))
    text = one_line(" ".join(page.extract_text() for page in reader.pages))
    for typed in (EVENT_NAME, TITLES[0], TITLES[1], "Notes <script>alert(1)</script>", PERSON):
        assert visible(typed) in text, typed
