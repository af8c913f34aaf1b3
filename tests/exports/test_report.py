"""The report's files as pure functions of its figures: the CSV escapes what a spreadsheet
would run, and the standalone HTML (for the PDF) fetches nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import lxml.html

from server.allocation.model import Served
from server.events.models import Event
from server.exports import report
from server.report.actions import Day
from server.report.figures import Report
from server.report.sessions import Session

HOSTILE = Session(
    pitch=7,
    title='=HYPERLINK("https://evil.example")',
    room="Snug",
    starts_at="2027-03-18T10:00",
    ends_at="2027-03-18T10:45",
    votes=3,
    seated=2,
    waiting=1,
    useful=1,
    not_for_me=0,
    comments=1,
    notes_chars=120,
    notes_final=True,
    writers=2,
    actions={"open": 1, "started": 0, "done": 2, "dropped": 0},
)
REPORT = Report(
    event=Event(name="Camp <b>", slug="camp", timezone="Europe/London", date=date(2027, 3, 18)),
    drawn_at=datetime(2027, 3, 20, 9, 5, tzinfo=UTC),
    joined=5,
    pitched=2,
    voted=4,
    pitches=3,
    dots=9,
    published=True,
    served=Served(6, 8, 1, 1, 75.0),
    first_time={"yes": 2, "no": 1, "unsaid": 0},
    sessions=[HOSTILE],
    actions=[Day(date(2027, 3, 18), {"open": 3, "started": 0, "done": 0, "dropped": 0})],
)


def test_the_csv_escapes_a_title_a_spreadsheet_would_run() -> None:
    rows = list(csv.DictReader(io.StringIO(report.report_csv(REPORT).decode("utf-8-sig"))))
    titles = {r["session"] for r in rows if r["session_id"] == "7"}
    assert titles == {"'" + HOSTILE.title}
    values = {(r["figure"], r["session_id"], r["day"]): r["value"] for r in rows}
    assert values[("session_notes_final", "7", "")] == "1"
    assert values[("session_actions_done", "7", "")] == "2"
    assert values[("actions_open", "", "2027-03-18")] == "3"
    assert values[("votes_lost_to_seats", "", "")] == "1"


def test_the_standalone_report_fetches_nothing_and_escapes_typed_text() -> None:
    html = report.standalone(REPORT)
    page = lxml.html.fromstring(html)
    assert page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0].startswith(
        "default-src 'none'"
    )
    assert not page.xpath("//link | //script | //img | //*[@src]")
    assert b"Camp &lt;b&gt;" in html and b"Drawn on 20 March 2027 at 09:05." in html
    assert page.get_element_by_id("session-7").xpath("string(.//td[3])") == (
        "1 useful, 0 not for me, 1 comment"
    )
    notes = page.get_element_by_id("session-7").xpath("string(.//td[4])")
    assert notes == "120 characters by 2 writers, final"
