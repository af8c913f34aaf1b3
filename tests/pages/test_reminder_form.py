"""An owner asks for a reminder on their action's page without script, on a Snug that sends
email (SMTP pointed at a real aiosmtpd on this computer): the address is refused in words
when it isn't one, the reminder arrives with the page's address, and the form can forget it.
Without SMTP configured, the page offers no reminder."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.actions.test_reminders import Inbox
from tests.conftest import LiveServer, event_body, free_port, start_server, stop_server

LINK = re.compile(r'value="(https?://[^"]+/action/([A-Za-z0-9_-]+))"')


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    found, port = Inbox(), free_port()
    smtp = Controller(found, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        yield found, port
    finally:
        smtp.stop()


@pytest.fixture(scope="module")
def mailing(
    tmp_path_factory: pytest.TempPathFactory, inbox: tuple[Inbox, int]
) -> Iterator[LiveServer]:
    env = {"SMTP_URL": f"smtp://127.0.0.1:{inbox[1]}", "SNUG_MAIL_FROM": "snug@example.org"}
    live = start_server(tmp_path_factory.mktemp("mailing"), env)
    yield live
    stop_server(live)


def _owner_page(client: httpx.Client, due: str) -> str:
    """An event with one action, due ``due``; answers its owner's page's path."""
    made = client.post("/api/events", json=event_body()).json()
    slug, organiser = made["slug"], made["organiser_key"]
    ana = client.post(f"/api/e/{slug}/attendees", json={"name": "Ana"}).json()["token"]
    pitch = client.post(
        f"/api/e/{slug}/pitches", json={"title": "Maps"}, headers={"Authorization": f"Bearer {ana}"}
    ).json()["id"]
    client.post(
        f"/e/{slug}/notes/{pitch}/actions",
        data={"key": "k" * 22, "what": "Draft the plan", "owner": "Priya", "due": due},
        headers={"Cookie": f"snug_attendee={ana}"},
    )
    board = client.get(f"/e/{slug}/actions", headers={"Cookie": f"snug_staff={organiser}"})
    found = LINK.search(board.text)
    assert found, board.text
    client.cookies.clear()
    return f"/e/{slug}/action/{found.group(2)}"


def test_an_owner_asks_for_a_reminder_and_gets_it(
    mailing: LiveServer, inbox: tuple[Inbox, int]
) -> None:
    got = inbox[0].got
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    with httpx.Client(base_url=mailing.url, timeout=20) as client:
        mine = _owner_page(client, tomorrow)
        page = client.get(mine)
        assert 'id="reminder-email"' in page.text and 'id="reminder-set"' not in page.text

        refused = client.post(mine, data={"key": "a" * 22, "email": "not an address"})
        assert refused.status_code == 422
        assert 'href="#reminder-email"' in refused.text and "name@example.org" in refused.text

        given = client.post(mine, data={"key": "b" * 22, "email": "priya@example.org"})
        assert given.status_code == 303 and given.headers["location"].endswith("done=reminder")
        assert 'id="reminder-set"' in client.get(mine).text
        assert "priya@example.org" not in client.get(mine).text, "shown to nobody"

        deadline = time.monotonic() + 20
        while not got and time.monotonic() < deadline:
            time.sleep(0.05)
        [(to, sent)] = got
        assert to == ["priya@example.org"]
        assert f"{mailing.url}{mine}" in sent.get_content()

        forgot = client.post(mine, data={"key": "c" * 22, "email": ""})
        assert forgot.headers["location"].endswith("done=no-reminder")
        assert 'id="reminder-set"' not in client.get(mine).text
    logged = (Path(mailing.data_dir) / "server.log").read_text()
    assert "priya@example.org" not in logged and mine.rsplit("/", 1)[1] not in logged


def test_without_smtp_no_reminder_is_offered(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        page = client.get(_owner_page(client, "2030-01-31"))
    assert page.status_code == 200 and "reminder-email" not in page.text
