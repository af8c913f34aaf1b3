"""Reminders by email, sent to a real SMTP server on this computer (aiosmtpd): once per due
date, in the event's languages, with the action's link, retried after a failure, and never
naming the address or the link in the log."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from server.actions import links
from server.actions.board import today
from server.actions.models import ActionItem
from server.actions.reminders import Reminders, set_email
from server.actions.status import set_status
from server.config import Mail, Settings
from server.errors import Invalid, NotFound
from server.events.access import PUBLIC
from server.events.models import Event
from server.notes.document import Action
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain

URL = "https://snug.example"


class Inbox:
    """What the SMTP server was sent, as aiosmtpd hands it to its handler."""

    def __init__(self) -> None:
        self.got: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.got.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        yield inbox, port
    finally:
        server.stop()


def reminding(domain: Domain, port: int) -> Reminders:
    mail = Mail(host="127.0.0.1", port=port, sender="snug@example.org")
    settings = Settings(
        database_url=domain.url,
        secret_key="domain-test-secret",
        public_url=URL,
        hub_url="memory://",
        mail=mail,
    )
    return Reminders(settings, domain.keys)


async def _owned(domain: Domain, **event: Any) -> tuple[Any, list[ActionItem]]:
    """An event whose session lists three actions, due tomorrow, in a week and tomorrow,
    each owner with an address given for a reminder, the last already done."""
    event_, host, session = await session_of(domain)
    if event:
        await Event.filter(id=event_.id).update(**event)
        event_ = await domain.refresh(event_)
    soon = today(event_) + timedelta(days=1)
    later = today(event_) + timedelta(days=7)
    await write_actions(
        domain,
        event_,
        host,
        session,
        Action("Draft the plan", "Priya", soon.isoformat()),
        Action("Book a room", "Tom", later.isoformat()),
        Action("Thank the venue", "Ana", soon.isoformat()),
    )
    rows = list(await ActionItem.filter(event_id=event_.id).order_by("id"))
    for row in rows:
        await domain.writes.run(
            event_,
            PUBLIC,
            set_email(row.id, f"{row.owner.lower()}@example.org", link_key=row.link_key),
        )
    staff = await domain.facilitator(event_)
    await domain.writes.run(event_, staff, set_status(rows[2].id, "done"))
    return event_, rows


async def test_an_address_is_kept_only_from_the_actions_own_link(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await write_actions(domain, event, host, session, Action("A"), Action("B"))
    first, second = await ActionItem.filter(event_id=event.id).order_by("id")
    for bad in ("no-at-sign", "a@b", "a b@example.org", "x" * 250 + "@example.org"):
        with pytest.raises(Invalid):
            await domain.writes.run(
                event, PUBLIC, set_email(first.id, bad, link_key=first.link_key)
            )
    with pytest.raises(NotFound):
        await domain.writes.run(
            event, PUBLIC, set_email(first.id, "ana@example.org", link_key=second.link_key)
        )
    answer = await domain.writes.run(
        event, PUBLIC, set_email(first.id, " ana@example.org ", link_key=first.link_key)
    )
    assert answer == {"id": first.id, "reminder": True}
    assert (await ActionItem.get(id=first.id)).email == "ana@example.org"
    await domain.writes.run(event, PUBLIC, set_email(first.id, "", link_key=first.link_key))
    assert (await ActionItem.get(id=first.id)).email == ""


async def test_a_reminder_goes_once_in_the_events_languages_with_its_link(
    domain: Domain, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    event, rows = await _owned(domain, languages=["cy", "en"])
    assert await reminding(domain, port).send_owed() == 1
    [(to, sent)] = inbox.got
    assert to == ["priya@example.org"], "not the one due in a week, nor the one done"
    assert sent["From"] == "Snug <snug@example.org>"
    assert sent["Subject"].endswith("Reminder: Draft the plan")
    body = sent.get_content()
    link = links.address(URL, event.slug, links.secret_of(rows[0], domain.keys))
    assert body.count(link) == 2, "in Welsh, then in English"
    assert "Draft the plan" in body and "Book a room" not in body
    welsh, english = body.split("* * *")
    assert "It is due by" in english and "It is due by" not in welsh
    # Sent is remembered: another look, or another process after a restart, sends nothing.
    assert await reminding(domain, port).send_owed() == 0
    assert len(inbox.got) == 1
    # A new due date is a new reminder.
    await ActionItem.filter(id=rows[0].id).update(due=today(event) + timedelta(days=2))
    assert await reminding(domain, port).send_owed() == 1


async def test_a_failed_send_is_tried_again_and_logs_neither_address_nor_link(
    domain: Domain, smtp: tuple[Inbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    inbox, port = smtp
    _event, rows = await _owned(domain)
    with caplog.at_level(logging.WARNING, logger="snug.reminders"):
        assert await reminding(domain, free_port()).send_owed() == 0  # nobody listens there
    [record] = caplog.records
    said = record.getMessage()
    assert f"action {rows[0].id}" in said
    assert "@" not in said and links.secret_of(rows[0], domain.keys) not in said
    assert (await ActionItem.get(id=rows[0].id)).reminded_due is None
    assert await reminding(domain, port).send_owed() == 1
    assert [to for to, _sent in inbox.got] == [["priya@example.org"]]


async def test_the_sender_started_in_the_background_sends_what_is_owed(
    domain: Domain, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    await _owned(domain)
    sender = reminding(domain, port)
    sender.start()
    try:
        for _ in range(500):
            if inbox.got:
                break
            await asyncio.sleep(0.01)
    finally:
        await sender.close()
    assert [to for to, _sent in inbox.got] == [["priya@example.org"]]
