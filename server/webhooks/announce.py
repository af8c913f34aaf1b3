"""Turning an event's committed changes into deliveries owed to its webhook endpoints.

A reaction (server/events/writes.py) follows the changes that can be news, after they commit
and outside the request that made them; it reads them back from the journal under the event's
lock, so two processes never owe an endpoint the same news twice. Each endpoint remembers the
last change it was considered for, so news is owed once, from the moment the endpoint was
added, and a restart catches up on what was committed but not yet considered (``catch_up``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from server.events.access import SNUG, Role
from server.events.batch import Command
from server.events.changes import Change
from server.events.journal import Journal
from server.events.models import Event
from server.events.writes import Reaction, Writes
from server.webhooks.endpoints import find
from server.webhooks.models import WebhookDelivery, WebhookEndpoint
from server.webhooks.news import (
    FOLLOWED,
    FROM_CHANGES,
    News,
    body,
    envelope,
    proceedings_news,
    proceedings_published,
    test_news,
)


def owed(public_url: str) -> Callable[[Journal], Any]:
    """The command that records what every endpoint of the event is owed since it last
    looked; answers how many deliveries it made."""

    async def command(journal: Journal) -> int:
        event = journal.event
        endpoints = await WebhookEndpoint.filter(event=event, seen_seq__lt=event.seq)
        if not endpoints:
            return 0
        since = min(e.seen_seq for e in endpoints)
        changes = await Change.filter(event=event, seq__gt=since, kind__in=sorted(FOLLOWED))
        told: dict[int, News | None] = {}
        made: list[WebhookDelivery] = []
        for endpoint in endpoints:
            for change in changes:
                if change.seq <= endpoint.seen_seq:
                    continue
                news = await _news(event, endpoint, change, told, public_url)
                if news is not None and news.kind in endpoint.kinds:
                    made.append(_delivery(event, endpoint, news, change.at))
            endpoint.seen_seq = event.seq
            await endpoint.save(update_fields=["seen_seq", "proceedings_seen"])
        await WebhookDelivery.bulk_create(made)
        return len(made)

    return command


async def _news(
    event: Event,
    endpoint: WebhookEndpoint,
    change: Change,
    told: dict[int, News | None],
    public_url: str,
) -> News | None:
    if change.kind == "event.updated":
        published = proceedings_published(change)
        was, endpoint.proceedings_seen = endpoint.proceedings_seen, published
        return proceedings_news(event, public_url) if published and not was else None
    if change.seq not in told:
        told[change.seq] = await FROM_CHANGES[change.kind](event, change, public_url)
    return told[change.seq]


async def test(journal: Journal, endpoint_id: int, public_url: str) -> None:
    """Owes the endpoint a test message, so the organiser sees the connection work."""
    journal.actor.require(Role.organiser)
    endpoint = await find(journal.event, endpoint_id)
    news = test_news(journal.event, public_url)
    await _delivery(journal.event, endpoint, news, datetime.now(UTC)).save()


def _delivery(event: Event, endpoint: WebhookEndpoint, news: News, at: datetime) -> WebhookDelivery:
    delivery_id = str(uuid.uuid4())
    message = envelope(delivery_id, event, news, at.astimezone(UTC).isoformat())
    return WebhookDelivery(
        event=event,
        endpoint=endpoint,
        delivery_id=delivery_id,
        kind=news.kind,
        body=body(endpoint.format, message, news.text),
        next_at=datetime.now(UTC),
    )


def following(public_url: str, wake: Callable[[], None]) -> Reaction:
    """The reaction that owes endpoints their news; ``wake`` tells the deliverer there is
    some, once it is committed."""

    async def build(event: Event) -> Command[Any] | None:
        if not await WebhookEndpoint.exists(event=event):
            return None  # most events have no webhooks: one cheap look
        return owed(public_url)

    return Reaction(kinds=FOLLOWED, build=build, actor=SNUG, done=lambda _made: wake())


async def catch_up(writes: Writes, public_url: str) -> None:
    """Owes what changes committed before a restart told no endpoint yet (the process
    stopped between a commit and its reaction)."""
    behind: set[int] = set()
    for endpoint in await WebhookEndpoint.all().select_related("event"):
        if endpoint.seen_seq < endpoint.event.seq:
            behind.add(endpoint.event.id)
    for event in await Event.filter(id__in=sorted(behind)):
        await writes.run(event, SNUG, owed(public_url))
