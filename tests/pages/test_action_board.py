"""The action board and an owner's page as plain HTML and forms: adding an action with a due
date from the notes page without script, the board by session and by owner, the staff's status
form, an owner's private link, and the board's files read back by real parsers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import icalendar
import pytest

from server.validation import validate
from tests.conftest import ApiEvent, LiveServer

LINK = re.compile(r'value="(https?://[^"]+/action/([A-Za-z0-9_-]+))"')


@dataclass
class Board:
    event: ApiEvent
    ana: str
    pitch: int
    client: httpx.Client

    def get(self, path: str, cookie: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        self.client.cookies.clear()
        return self.client.get(path, headers=cookie or {}, **kw)

    def post(self, path: str, data: dict[str, str], cookie: dict[str, str] | None = None) -> Any:
        self.client.cookies.clear()
        return self.client.post(path, data=data, headers=cookie or {})

    @property
    def here(self) -> str:
        return f"/e/{self.event.slug}/actions"

    def attendee(self) -> dict[str, str]:
        return {"Cookie": f"snug_attendee={self.ana}"}

    def staff(self) -> dict[str, str]:
        return {"Cookie": f"snug_staff={self.event.organiser}"}

    def add(self, what: str, owner: str = "", due: str = "") -> httpx.Response:
        path = f"/e/{self.event.slug}/notes/{self.pitch}/actions"
        fields = {"key": "k" * 22, "what": what, "owner": owner, "due": due}
        return self.post(path, fields, self.attendee())

    def actions(self) -> list[dict[str, Any]]:
        return list(self.event.ok("GET", "/actions", self.event.organiser))


@pytest.fixture
def board(make_event: Callable[..., ApiEvent], server: LiveServer) -> Iterator[Board]:
    event = make_event()
    ana = event.join("Ana")["token"]
    pitch = event.pitch(ana, "Mapping the commons", host="Ana")["id"]
    with httpx.Client(base_url=server.url, timeout=20) as client:
        yield Board(event, ana, pitch, client)


def test_an_action_added_without_script_reaches_the_board(board: Board) -> None:
    answer = board.add("Draft the pilot plan", "Priya", "2027-01-31")
    assert answer.status_code == 303, answer.text
    assert "done=action" in answer.headers["location"]
    notes = board.event.ok("GET", f"/pitches/{board.pitch}/notes", board.ana)
    (action,) = notes["content"]["actions"]
    assert (action["what"], action["owner"], action["due"]) == (
        "Draft the pilot plan",
        "Priya",
        "2027-01-31",
    )
    # Sent twice (a double tap), it is there once.
    assert board.add("Draft the pilot plan", "Priya", "2027-01-31").status_code == 303
    (item,) = board.actions()
    assert (item["what"], item["owner"], item["due"], item["status"]) == (
        "Draft the pilot plan",
        "Priya",
        "2027-01-31",
        "open",
    )
    page = board.get(board.here, board.attendee())
    assert page.status_code == 200
    assert "Draft the pilot plan" in page.text and "Owner: Priya" in page.text
    assert "Due by 31 January 2027" in page.text
    # Attendees get no status form and no owner's link.
    assert 'name="status"' not in page.text and not LINK.search(page.text)
    by_owner = board.get(board.here, board.attendee(), params={"by": "owner"})
    assert '<h2 id="group-1">Priya</h2>' in by_owner.text


def test_a_bad_action_form_says_what_is_wrong_and_adds_nothing(board: Board) -> None:
    answer = board.add("", "Priya", "2027-02-30")
    assert answer.status_code == 422
    assert "Enter what will be done" in answer.text
    assert "Enter the date it is due by as a real date" in answer.text
    assert 'href="#action-due"' in answer.text
    assert board.actions() == []


def test_staff_change_a_status_and_copy_an_owners_link(board: Board) -> None:
    board.add("Draft the pilot plan", "Priya", "2020-01-31")
    page = board.get(board.here, board.staff())
    assert "Overdue: due by 31 January 2020" in page.text
    (item,) = board.actions()
    link, _secret = LINK.search(page.text).groups()  # type: ignore[union-attr]
    assert link.endswith(f"/e/{board.event.slug}/action/{_secret}")
    sent = board.post(
        f"{board.here}/{item['id']}", {"key": "s" * 22, "status": "done"}, board.staff()
    )
    assert sent.status_code == 303
    assert sent.headers["location"].endswith(f"done=status#action-{item['id']}")
    assert board.actions()[0]["status"] == "done"
    after = board.get(board.here, board.staff())
    assert "Overdue" not in after.text
    # An attendee's cookie can't change it, and a status that isn't one is refused in words.
    refused = board.post(f"{board.here}/{item['id']}", {"status": "open"}, board.attendee())
    assert refused.status_code == 403
    bad = board.post(f"{board.here}/{item['id']}", {"status": "finished"}, board.staff())
    assert bad.status_code == 422 and "Choose open, started, done or dropped." in bad.text
    assert board.actions()[0]["status"] == "done"


def test_an_owner_updates_from_their_link_and_a_wrong_link_changes_nothing(board: Board) -> None:
    board.add("Draft the pilot plan", "Priya", "2027-01-31")
    board.add("Ask legal", "Tom")
    page = board.get(board.here, board.staff())
    (_link, secret), _second = (m.groups() for m in LINK.finditer(page.text))
    mine = f"/e/{board.event.slug}/action/{secret}"
    shown = board.get(mine)
    assert shown.status_code == 200 and "Draft the pilot plan" in shown.text
    assert shown.headers["cache-control"] == "private, no-cache"
    assert board.post(mine, {"key": "o" * 22, "status": "started"}).status_code == 303
    assert [a["status"] for a in board.actions()] == ["started", "open"]
    wrong = f"/e/{board.event.slug}/action/{secret[:-2]}xx"
    assert board.get(wrong).status_code == 404
    assert board.post(wrong, {"status": "done"}).status_code == 404
    assert [a["status"] for a in board.actions()] == ["started", "open"]
    # From another site's page, the form is refused.
    other = board.client.post(
        mine, data={"status": "done"}, headers={"Origin": "https://evil.example"}
    )
    assert other.status_code == 403
    # The owner's to-dos: the calendar app reads them with no cookie.
    todos = icalendar.Calendar.from_ical(board.get(f"{mine}.ics").content)
    (todo,) = todos.walk("VTODO")
    assert (str(todo["summary"]), str(todo["status"])) == ("Draft the pilot plan", "IN-PROCESS")
    assert todo.decoded("due").isoformat() == "2027-01-31"


def test_the_board_before_publishing_is_for_the_people_at_the_event(board: Board) -> None:
    board.add("Draft the pilot plan", "Priya")
    assert board.get(board.here).status_code == 404
    assert board.get(f"{board.here}.csv").status_code == 404
    board.event.ok("PUT", "/proceedings", board.event.organiser, json={"published": True})
    assert board.get(board.here).status_code == 200


def test_the_boards_files_read_back(board: Board) -> None:
    board.add("=SUM(A1) the budget", "Priya", "2027-01-31")
    board.add("Ask legal", "Tom")
    rows = list(
        csv.DictReader(
            io.StringIO(
                board.get(f"{board.here}.csv", board.attendee()).content.decode("utf-8-sig")
            )
        )
    )
    assert [(r["what"], r["owner"], r["due"], r["status"]) for r in rows] == [
        ("'=SUM(A1) the budget", "Priya", "2027-01-31", "open"),
        ("Ask legal", "Tom", "", "open"),
    ]
    data = json.loads(board.get(f"{board.here}.json", board.attendee()).content)
    validate("actions", data)
    assert [a["what"] for a in data["actions"]] == ["=SUM(A1) the budget", "Ask legal"]
    feed = icalendar.Calendar.from_ical(board.get(f"{board.here}.ics", board.attendee()).content)
    todos = feed.walk("VTODO")
    assert [str(t["status"]) for t in todos] == ["NEEDS-ACTION", "NEEDS-ACTION"]
    assert len({str(t["uid"]) for t in todos}) == 2


def test_an_owner_takes_their_action_onto_their_page_and_updates_it_there(board: Board) -> None:
    board.add("Draft the pilot plan", "Ana", "2027-01-31")
    page = board.get(board.here, board.staff())
    _link, secret = LINK.search(page.text).groups()  # type: ignore[union-attr]
    mine = f"/e/{board.event.slug}/action/{secret}"
    # Opened with no sign-in, the page offers nothing more; on the phone Ana joined with, it
    # offers her own page.
    assert "Put it on my event page" not in board.get(mine).text
    assert "Put it on my event page" in board.get(mine, board.attendee()).text
    taken = board.post(f"{mine}/take", {"key": "t" * 22}, board.attendee())
    assert taken.status_code == 303
    assert taken.headers["location"].endswith("?done=action-taken#my-actions")
    assert "your event page</a> too" in board.get(mine, board.attendee()).text
    (item,) = board.actions()
    event_page = board.get(f"/e/{board.event.slug}", board.attendee()).text
    assert 'id="my-actions"' in event_page and "Draft the pilot plan" in event_page
    sent = board.post(
        f"/e/{board.event.slug}/my-actions/{item['id']}",
        {"key": "u" * 22, "status": "done"},
        board.attendee(),
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("#my-actions")
    assert board.actions()[0]["status"] == "done"
    # Someone else, joined on their own phone, has not taken it: it isn't theirs to change,
    # and without its link they can't take it.
    tom = {"Cookie": f"snug_attendee={board.event.join('Tom')['token']}"}
    path = f"/e/{board.event.slug}/my-actions/{item['id']}"
    assert board.post(path, {"key": "v" * 22, "status": "open"}, tom).status_code == 404
    wrong = f"/e/{board.event.slug}/action/{secret[:-2]}xx/take"
    assert board.post(wrong, {"key": "w" * 22}, tom).status_code == 404
    assert "my-actions" not in board.get(f"/e/{board.event.slug}", tom).text.split("<main")[1]
    assert board.actions()[0]["status"] == "done"
