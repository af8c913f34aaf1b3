"""An event's webhook endpoints: added and removed by its organisers, each with its log.

Adding and removing go through the event's write runner, under its lock, so an endpoint never
misses or repeats news that commits while it is added. They record no change for the screens:
no screen shows webhooks live, and every phone would otherwise hear that the organiser
connected a tool.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from server.errors import Conflict, NotFound
from server.events.access import Role
from server.events.journal import Journal
from server.events.models import Event
from server.language import N_
from server.webhooks.addresses import checked_url
from server.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from server.webhooks.signing import new_nonce

MOST = 10  # endpoints an event may have
LOG_LENGTH = 50  # deliveries shown in a log, newest first


def shown_url(url: str) -> str:
    """The address as pages and the API show it: its site, and its path cut short, since
    a chat service's webhook address is itself the secret that lets one post."""
    parts = urlsplit(url)
    rest = "/…" if parts.path not in {"", "/"} or parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{rest}"


def view(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": shown_url(endpoint.url),
        "kinds": endpoint.kinds,
        "format": endpoint.format,
        "created_at": endpoint.created_at.isoformat(),
    }


async def add(
    journal: Journal, url: str, kinds: list[str], form: str, *, private: bool
) -> dict[str, Any]:
    """Adds an endpoint, told the news from now on; answers its view (with its id, from which
    the secret is worked out: the answer itself holds none, as receipts keep answers)."""
    journal.actor.require(Role.organiser)
    event = journal.event
    checked = checked_url(url, private=private)
    if await WebhookEndpoint.filter(event=event).count() >= MOST:
        raise Conflict(
            N_("An event can have at most %(most)s webhooks; remove one first."),
            values={"most": MOST},
        )
    endpoint = await WebhookEndpoint.create(
        event=event,
        url=checked,
        kinds=sorted(set(kinds)),
        format=form,
        nonce=new_nonce(),
        seen_seq=event.seq,
        proceedings_seen=event.proceedings_published,
    )
    return view(endpoint)


async def remove(journal: Journal, endpoint_id: int) -> None:
    """Removes an endpoint, its deliveries still owed and its log with it."""
    journal.actor.require(Role.organiser)
    if not await WebhookEndpoint.filter(event=journal.event, id=endpoint_id).delete():
        raise _not_found()


def _not_found() -> NotFound:
    return NotFound(N_("This event has no such webhook; it may have been removed."))


async def find(event: Event, endpoint_id: int) -> WebhookEndpoint:
    found = await WebhookEndpoint.get_or_none(event=event, id=endpoint_id)
    if found is None:
        raise _not_found()
    return found


async def listed(event: Event) -> list[dict[str, Any]]:
    return [view(e) for e in await WebhookEndpoint.filter(event=event).order_by("id")]


async def deliveries(endpoint: WebhookEndpoint) -> list[dict[str, Any]]:
    """The endpoint's latest deliveries, newest first, each with every attempt at it."""
    found = await WebhookDelivery.filter(endpoint=endpoint).order_by("-id").limit(LOG_LENGTH)
    tries: dict[int, list[dict[str, Any]]] = {d.id: [] for d in found}
    for attempt in await WebhookAttempt.filter(delivery_id__in=list(tries)):
        tries[attempt.delivery_id].append(  # type: ignore[attr-defined]
            {
                "at": attempt.at.isoformat(),
                "status": attempt.status,
                "error": attempt.error or None,
                "took_ms": attempt.took_ms,
            }
        )
    return [
        {
            "id": d.delivery_id,
            "kind": d.kind,
            "state": d.state,
            "created_at": d.created_at.isoformat(),
            "next_at": d.next_at.isoformat() if d.state == "pending" else None,
            "attempts": tries[d.id],
        }
        for d in found
    ]
