"""What a committed change tells the tools an organiser connected, and the message each
format carries it in.

A webhook kind is news in the organiser's words, not a change of Snug's journal: publishing
the grid records ``grid.published`` with the release's number, and the release says whether
it was a publish (``grid.published``) or a rollback or unpublish (``release.changed``);
publishing the proceedings is an ``event.updated`` whose proceedings flag went from off to on
(``proceedings.ready``). An action's status changing (``action.status``) is ``action.changed``; its
words being typed in the notes (``actions.synced``, a change a keystroke) is not news.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from server.actions.board import STATUS_WORDS, items
from server.actions.models import ActionItem
from server.events.changes import Change
from server.events.models import Event
from server.grid.models import GridRelease
from server.language import N_
from server.language import gettext as _
from server.language.surfaces import both_text, spoken

KINDS = {
    "grid.published": N_("The grid is published"),
    "release.changed": N_("The grid is rolled back or unpublished"),
    "proceedings.ready": N_("The proceedings are published"),
    "action.changed": N_("An action changes"),
}
FORMATS = {
    "snug": N_("Snug's own JSON (signed)"),
    "slack": N_("Slack incoming webhook"),
    "teams": N_("Microsoft Teams workflow"),
    "matrix": N_("Matrix hookshot webhook"),
}


@dataclass(frozen=True)
class News:
    kind: str
    payload: dict[str, Any]
    text: str  # one line for a chat room, in the event's languages


Tell = Callable[[Event, Change, str], Awaitable[News | None]]


def _links(event: Event, public_url: str) -> dict[str, str]:
    base = f"{public_url}/e/{event.slug}"
    return {
        "event": base,
        "ics": f"{base}/schedule.ics",
        "json": f"{base}/schedule.json",
        "proceedings": f"{base}/proceedings",
    }


def _say(event: Event, words: str, values: dict[str, Any]) -> str:
    return both_text(spoken(event.languages), lambda: _(words) % values)


async def release_news(event: Event, change: Change, public_url: str) -> News | None:
    """A publish, rollback or unpublish of the grid, from the release it made."""
    release = await GridRelease.get_or_none(event=event, number=change.data.get("release"))
    if release is None:
        return None
    links = _links(event, public_url)
    payload = {
        "release": release.number,
        "action": release.kind,  # publish, rollback or unpublish
        "sessions": len(release.placements) if release.kind != "unpublish" else 0,
        "moved": len(change.data.get("moved", [])),
        "url": links["event"],
        "schedule": {"ics": links["ics"], "json": links["json"]},
    }
    values = {"event": event.name, "url": links["event"], "release": release.source}
    if release.kind == "publish":
        text = _say(event, N_("The grid of %(event)s is published: %(url)s"), values)
        return News("grid.published", payload, text)
    if release.kind == "rollback":
        payload["rolled_back_to"] = release.source
        words = N_("The grid of %(event)s is rolled back to release %(release)s: %(url)s")
        return News("release.changed", payload, _say(event, words, values))
    words = N_("The grid of %(event)s is taken down for now.")
    return News("release.changed", payload, _say(event, words, values))


async def action_news(event: Event, change: Change, public_url: str) -> News | None:
    """An action's status changed: the action as the board shows it, without its link."""
    row = await ActionItem.get_or_none(id=change.data.get("action"), event_id=event.id)
    if row is None:  # taken out of the notes since
        return None
    (item,) = await items(event, rows=[row])
    url = f"{public_url}/e/{event.slug}/actions"
    words = N_("An action of %(event)s is %(status)s: %(what)s %(url)s")
    values = {"event": event.name, "what": item.what, "url": url}
    text = both_text(
        spoken(event.languages),
        lambda: _(words) % {**values, "status": _(STATUS_WORDS[item.status])},
    )
    return News("action.changed", {**item.as_json(), "url": url}, text)


def proceedings_news(event: Event, public_url: str) -> News:
    links = _links(event, public_url)
    base = links["proceedings"]
    payload = {
        "url": base,
        "downloads": {
            "html": f"{base}.html",
            "markdown": f"{base}.md",
            "pdf": f"{base}.pdf",
            "json": f"{public_url}/e/{event.slug}/export.json",
        },
    }
    words = N_("The proceedings of %(event)s are published: %(url)s")
    return News(
        "proceedings.ready", payload, _say(event, words, {"event": event.name, "url": base})
    )


def test_news(event: Event, public_url: str) -> News:
    """What "Send a test message" sends: news of no kind the endpoint chose, on request."""
    url = _links(event, public_url)["event"]
    words = N_("Snug is connected: news of %(event)s will come here. %(url)s")
    return News("webhook.test", {"url": url}, _say(event, words, {"event": event.name, "url": url}))


def proceedings_published(change: Change) -> bool:
    return bool(change.data.get("event", {}).get("proceedings_published"))


# Changes whose news is the same for every endpoint. ``event.updated`` is news only to an
# endpoint that last saw the proceedings unpublished, so announce.py reads it per endpoint.
FROM_CHANGES: dict[str, Tell] = {"grid.published": release_news, "action.status": action_news}
FOLLOWED = frozenset({*FROM_CHANGES, "event.updated"})


def envelope(delivery_id: str, event: Event, news: News, at: str) -> dict[str, Any]:
    return {
        "id": delivery_id,
        "event": event.slug,
        "kind": news.kind,
        "at": at,
        "payload": news.payload,
    }


def body(form: str, message: dict[str, Any], text: str) -> str:
    """The body sent to an endpoint of this format: Snug's envelope as it is, or the shape
    the chat service's incoming webhook reads, carrying the text."""
    if form == "slack":
        shaped: dict[str, Any] = {"text": text}
    elif form == "teams":  # an Adaptive Card, as Teams' "post to a channel" workflow takes
        shaped = {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [{"type": "TextBlock", "text": text, "wrap": True}],
                    },
                }
            ],
        }
    elif form == "matrix":  # matrix-hookshot's generic webhooks
        shaped = {"text": text, "username": "Snug"}
    else:
        shaped = message
    return json.dumps(shaped, ensure_ascii=False, separators=(",", ":"))
