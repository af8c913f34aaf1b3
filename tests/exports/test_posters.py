"""Printable posters: each room's published sessions in time order with a QR code to each
session's notes, the entrance's join code, hostile text inert in HTML and literal in PDF, A4
PDFs, and the pages over HTTP."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from server.exports import posters
from server.exports.pdf import PdfUnavailable, pdf
from server.exports.posters import Posters
from server.exports.readmodel import RoomInfo, Schedule, Session, SlotInfo
from tests.conftest import ApiEvent
from tests.exports.helpers import (
    SESSIONS,
    figures_of_accessible_pdf,
    make_published,
    unisolated_right_to_left,
    visible_text,
)
from tests.http.helpers import assert_problem

HOSTILE = "<script>alert(\"x\")</script> & <b>bold</b> 'quoted'"
BASE = "https://snug.example.org"
JOIN = f"{BASE}/j/abc234"
HALL = RoomInfo(1, "Great <i>Hall</i>", 120, "00000000-0000-4000-8000-000000000001")
LOFT = RoomInfo(2, "Loft", 8, "00000000-0000-4000-8000-000000000002")
SLOTS = (
    SlotInfo(10, "2026-11-23T09:30", "2026-11-23T10:15", "", "session"),
    SlotInfo(11, "2026-11-23T10:30", "2026-11-23T11:15", "Lunch", "break"),
    SlotInfo(12, "2026-11-23T11:30", "2026-11-23T12:15", "", "session"),
    SlotInfo(13, "2026-11-23T13:00", "2026-11-23T13:45", "", "session"),
)
A4_POINTS = (595.28, 841.89)


def _session(pitch_id: int, title: str, room: RoomInfo, slot: int, **changes: object) -> Session:
    made = Session(
        language="",
        pitch_id=pitch_id,
        guid=f"00000000-0000-4000-8000-{pitch_id:012d}",
        title=title,
        pitch="",
        host=f"Host {pitch_id}",
        format="discussion",
        tags=(),
        room=room,
        slot=next(s for s in SLOTS if s.id == slot),
        cancelled=False,
        sequence=0,
        modified_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return replace(made, **changes)


def _posters(*sessions: Session, slots: tuple[SlotInfo, ...] = SLOTS) -> Posters:
    schedule = Schedule(
        event_id=1,
        slug="open-gov",
        name=f"Open {HOSTILE}",
        date=date(2026, 11, 23),
        timezone="Europe/London",
        venue="The <Library>",
        languages=("en",),
        base_url=BASE,
        rooms=(HALL, LOFT),
        slots=slots,
        sessions=sessions,
        published=True,
        last_modified=datetime(2026, 11, 1, tzinfo=UTC),
        guid="00000000-0000-4000-8000-000000000000",
    )
    return Posters(schedule, JOIN, {1: ["step-free", "projector"], 2: []})


# Listed out of time order, with one in another room and one cancelled.
HALL_DAY = _posters(
    _session(7, "Afternoon: service design", HALL, 13),
    _session(5, HOSTILE, HALL, 10),
    _session(6, "In the loft", LOFT, 12),
    _session(8, "Cancelled one", HALL, 12, cancelled=True),
    _session(9, "Late morning", HALL, 12),
)


class Text(HTMLParser):
    """The text a browser would show, and whether any element came from typed text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def shown(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    return parser


def qr_paths(html: str) -> list[str]:
    return re.findall(r'<svg class="qr[^"]*"[^>]*><title>[^<]*</title><path d="([^"]+)"', html)


def to_pdf(html: str) -> bytes:
    return pdf(html.encode())


def pdf_text(body: bytes) -> tuple[PdfReader, str]:
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_a_room_poster_lists_its_sessions_in_time_order_with_notes_codes() -> None:
    html = posters.room_html(HALL_DAY, HALL.id)
    text = shown(html).text
    titles = [HOSTILE, "Lunch", "Late morning", "Afternoon: service design"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions), text
    assert "In the loft" not in text and "Cancelled one" not in text
    for time in ("09:30 to 10:15", "11:30 to 12:15", "13:00 to 13:45"):
        assert time in text
    assert "Host: Host 5" in text and "Seats 120" in text
    assert "step-free access, projector" in text

    urls = [f"{BASE}/e/open-gov/notes/{pitch}" for pitch in (5, 9, 7)]
    for url in urls:
        assert posters.short(url) in text and f'href="{url}"' in html
    # Each code draws exactly what the QR library draws for that session's notes address.
    assert qr_paths(html) == [posters.qr(url).path for url in urls]
    assert len(set(qr_paths(html))) == 3
    assert posters.qr(urls[0]).url == urls[0]


def test_hostile_text_is_shown_as_text_in_every_poster() -> None:
    pages = [
        posters.room_html(HALL_DAY, HALL.id),
        posters.entrance_html(HALL_DAY),
        posters.index_html(HALL_DAY),
        posters.all_html(HALL_DAY),
    ]
    for html in pages:
        parsed = shown(html)
        assert "script" not in parsed.tags and "b" not in parsed.tags and "i" not in parsed.tags
        assert "&lt;script&gt;" in html
        assert HOSTILE in parsed.text  # the event's name
    assert "Great <i>Hall</i>" in shown(pages[0]).text
    assert "The <Library>" in shown(pages[1]).text


def test_the_pages_obey_the_content_security_policy() -> None:
    for html in (posters.room_html(HALL_DAY, 1), posters.index_html(HALL_DAY)):
        assert "<script" not in html and "<style" not in html and " style=" not in html
        assert '<link rel="stylesheet" href="/static/css/poster.css">' in html
    pdf_page = posters.room_html(HALL_DAY, 1, pdf=True)
    assert "<link" not in pdf_page and "All posters" not in pdf_page
    assert "@page" in pdf_page  # the PDF's page carries its stylesheet: it fetches nothing


def test_the_entrance_poster_has_the_join_code() -> None:
    html = posters.entrance_html(HALL_DAY)
    text = shown(html).text
    assert "snug.example.org/j/abc234" in text and "Join code abc234" in text
    assert "Monday 23 November 2026" in text
    assert qr_paths(html) == [posters.qr(JOIN).path]


def test_the_index_lists_every_poster() -> None:
    html = posters.index_html(HALL_DAY)
    assert shown(html).text.count("PDF of the") == 3
    for path in ("/posters/entrance", "/posters/rooms/1", "/posters/rooms/2", "/posters.pdf"):
        assert f'href="/e/open-gov{path}' in html
    assert "Loft: 1 session (" in shown(html).text
    assert "Great <i>Hall</i>: 3 sessions" in shown(html).text


def test_a_room_with_nothing_placed_says_so() -> None:
    empty = _posters()
    assert "No sessions are placed in this room." in shown(posters.room_html(empty, 2)).text
    waiting = replace(empty, schedule=replace(empty.schedule, published=False))
    assert "once the grid is published" in shown(posters.room_html(waiting, 2)).text


def test_a_day_heading_appears_only_when_the_event_spans_days() -> None:
    assert "Monday 23 November" not in shown(posters.room_html(HALL_DAY, 1)).text.split("Seats")[1]
    next_day = SlotInfo(14, "2026-11-24T09:30", "2026-11-24T10:15", "", "session")
    two_days = _posters(
        _session(5, "First day", HALL, 10),
        replace(_session(6, "Second day", HALL, 10), slot=next_day),
        slots=(*SLOTS, next_day),
    )
    text = shown(posters.room_html(two_days, 1)).text
    assert text.index("Monday 23 November 2026 09:30 to") < text.index("First day")
    assert text.index("First day") < text.index("Tuesday 24 November 2026") < text.index("Second")


def test_an_unknown_room_is_not_found() -> None:
    with pytest.raises(posters.NotFound, match="no such room"):
        posters.room_html(HALL_DAY, 99)


def test_pdf_posters_are_a4_with_the_hostile_text_as_literal_text() -> None:
    reader, text = pdf_text(to_pdf(posters.room_html(HALL_DAY, HALL.id, pdf=True)))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1)
    assert HOSTILE in text
    assert "snug.example.org/e/open-gov/notes/5" in text

    longest = replace(HALL_DAY.schedule, name="Unconference " * 9 + "end", venue="Hall, " * 20)
    assert len(longest.name) == 120 == len(longest.venue)
    reader, _text = pdf_text(
        to_pdf(posters.entrance_html(replace(HALL_DAY, schedule=longest), pdf=True))
    )
    assert len(reader.pages) == 1  # the longest name and venue still leave the code on page one

    reader, text = pdf_text(to_pdf(posters.all_html(HALL_DAY)))
    assert len(reader.pages) == 3  # the entrance, then a page for each room
    assert "Join code abc234" in text and "In the loft" in text


def test_without_weasyprint_a_pdf_is_refused_with_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a failed import looks like
    never_made = replace(HALL_DAY, join_url=f"{BASE}/j/unmade")  # so no PDF of it is kept
    with pytest.raises(PdfUnavailable, match="apt-get install libpango") as refused:
        to_pdf(posters.entrance_html(never_made, pdf=True))
    assert refused.value.status == 503


# --- Over HTTP, from a published grid ---------------------------------------------------------


def test_posters_over_http(make_event: Callable[..., ApiEvent]) -> None:
    g = make_published(make_event)
    index = g.get("/posters")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert "style-src 'self'" in index.headers["content-security-policy"]
    hall = g.rooms["Great Hall"]
    assert f"/posters/rooms/{hall}" in index.text

    room = g.get(f"/posters/rooms/{hall}")
    assert room.status_code == 200
    base = str(g.ev.client.base_url).rstrip("/")
    in_hall = [t for t, (r, *_rest) in SESSIONS.items() if r == "Great Hall"]
    text = shown(room.text).text
    assert [t for t in sorted(in_hall, key=text.index)] == ["Before the change", "After the change"]
    for title in in_hall:
        url = f"{base}/e/{g.ev.slug}/notes/{g.pitches[title]}"
        assert posters.short(url) in text
        assert posters.qr(url).path in qr_paths(room.text)
    assert "Through the night" not in text

    made = g.get(f"/posters/rooms/{hall}.pdf")
    assert made.status_code == 200 and made.headers["content-type"] == "application/pdf"
    _reader, text = pdf_text(made.content)
    assert "Before the change" in text and "Great Hall" in text

    entrance = g.get("/posters/entrance.pdf")
    reader, text = pdf_text(entrance.content)
    join = g.ev.state()["event"]["join_url"]
    assert len(reader.pages) == 1 and posters.short(join) in text

    assert_problem(g.get("/posters/rooms/999999"), 404)
    assert_problem(g.get("/posters/rooms/999999.pdf"), 404)
    assert_problem(g.ev.client.get("/e/no-such-event-here/posters"), 404)


def test_pdf_posters_are_pdf_ua_with_every_qr_code_described() -> None:
    room = figures_of_accessible_pdf(to_pdf(posters.room_html(HALL_DAY, HALL.id, pdf=True)))
    assert room and all(room), room
    assert all(alt.startswith("QR code that opens the notes of ") for alt in room if alt)
    assert f"QR code that opens the notes of {HOSTILE}" in room
    (entrance,) = figures_of_accessible_pdf(to_pdf(posters.entrance_html(HALL_DAY, pdf=True)))
    assert entrance is not None and entrance.startswith("QR code that opens ")


def test_right_to_left_names_and_titles_keep_to_themselves_on_every_poster() -> None:
    typed = {
        "event": "مؤتمر الحكومة",
        "venue": "המקום",
        "room": "قاعة كبيرة",
        "feature": "سبورة",
        "title": "עיצוב שירותים",
        "host": "دانة",
        "break": "غداء",
    }
    room = replace(HALL, name=typed["room"])
    made = _posters(
        _session(5, typed["title"], room, 10, host=typed["host"]),
        slots=(*SLOTS[:1], replace(SLOTS[1], label=typed["break"])),
    )
    schedule = replace(made.schedule, name=typed["event"], venue=typed["venue"], rooms=(room, LOFT))
    made = replace(made, schedule=schedule, features={1: ["step-free", typed["feature"]]})
    pages = {
        "room": posters.room_html(made, room.id),
        "entrance": posters.entrance_html(made),
        "all": posters.all_html(made),
        "index": posters.index_html(made),
    }
    for name, html in pages.items():
        assert unisolated_right_to_left(html) == [], name
    shown = visible_text(pages["all"])
    assert all(value in shown for value in typed.values())
