"""News owed to endpoints after committed changes, and the deliverer sending it, over both
databases: an endpoint hears only what happens after it was added, each piece of news once,
and only the kinds it asked for."""

from __future__ import annotations

import asyncio
import json

from server.config import Settings
from server.events.models import Event
from server.events.setup import edit_event
from server.grid import editing
from server.webhooks import endpoints
from server.webhooks.announce import owed
from server.webhooks.delivery import Deliverer
from server.webhooks.models import WebhookDelivery
from tests.conftest import Domain
from tests.grid.test_editing import Setting, setting
from tests.webhooks.receiver import receiving

PUBLIC_URL = "https://snug.example.org"


async def add(s: Setting, url: str, kinds: list[str], form: str = "snug") -> int:
    organiser = await s.domain.organiser(s.event)
    made = await s.domain.writes.run(
        s.event, organiser, lambda j: endpoints.add(j, url, kinds, form, private=True)
    )
    return int(made["id"])


async def catch_up(s: Setting) -> int:
    """What the reaction does after commit: owe each endpoint its news."""
    event = await Event.get(id=s.event.id)
    return int(await s.domain.writes.run(event, s.staff, owed(PUBLIC_URL)))


async def kinds_owed(hook: int) -> list[str]:
    return [d.kind for d in await WebhookDelivery.filter(endpoint_id=hook).order_by("id")]


async def test_each_endpoint_is_owed_its_kinds_of_news_once(domain: Domain) -> None:
    s = await setting(domain)
    organiser = await domain.organiser(s.event)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    await s.run(editing.publish, 1)
    grid = await add(s, "https://hooks.example.org/grid", ["grid.published", "release.changed"])
    late = await add(s, "https://hooks.example.org/all", ["proceedings.ready"], "slack")
    assert await catch_up(s) == 0, "news from before an endpoint was added isn't owed to it"
    await s.run(editing.publish, await s.version())
    await s.run(editing.rollback, await s.version(), 1)
    await s.run(editing.unpublish, await s.version())
    for published in (True, True, False, True):
        await domain.run(
            s.event, organiser, edit_event, {"proceedings_published": published}, PUBLIC_URL
        )
    assert await catch_up(s) == 5
    assert await catch_up(s) == 0, "once only"
    assert await kinds_owed(grid) == ["grid.published", "release.changed", "release.changed"]
    assert await kinds_owed(late) == ["proceedings.ready", "proceedings.ready"]
    rollback = await WebhookDelivery.filter(endpoint_id=grid).order_by("id").offset(1).first()
    assert rollback is not None
    message = json.loads(rollback.body)
    assert message["payload"]["action"] == "rollback" and message["payload"]["rolled_back_to"] == 1
    slack = json.loads((await WebhookDelivery.filter(endpoint_id=late).first()).body)  # type: ignore[union-attr]
    assert slack == {
        "text": f"The proceedings of {s.event.name} are published: "
        f"{PUBLIC_URL}/e/{s.event.slug}/proceedings"
    }


async def test_the_deliverer_sends_what_is_owed_and_leases_it_to_one_sender(
    domain: Domain,
) -> None:
    s = await setting(domain)
    with receiving() as receiver:
        hook = await add(s, receiver.url, ["grid.published"])
        await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
        await s.run(editing.publish, 1)
        assert await catch_up(s) == 1
        settings = Settings(
            database_url=domain.url,
            secret_key="domain-test-secret",
            public_url=PUBLIC_URL,
            hub_url="memory://",
            webhook_private=True,
            webhook_backoff=0.01,
        )
        senders = [Deliverer(settings), Deliverer(settings)]  # two processes, say
        for sender in senders:
            sender.start()
        try:
            for _ in range(500):
                found = await WebhookDelivery.get(endpoint_id=hook)
                if found.state != "pending":
                    break
                await asyncio.sleep(0.01)
        finally:
            for sender in senders:
                await sender.close()
        assert found.state == "delivered" and found.attempts == 1
        assert len(receiver.received) == 1
