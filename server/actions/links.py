"""An action's private update link: its owner changes its status from it, with no account.

The link's secret is worked out from a salt kept on the row (``Keys.link_secret``), so the
board can offer it to organisers again, and only its keyed hash is kept to find the row. It
lives in the path under ``/e/{slug}/action/``, which the logs never show (server/logs.py).
"""

from __future__ import annotations

import secrets

from server.actions.models import ActionItem
from server.events.access import Keys
from server.events.models import Event

PURPOSE = "action"
MOST = 64  # characters of a link's secret read at all (a secret is 32)


def secret_of(row: ActionItem, keys: Keys) -> str:
    return keys.link_secret(PURPOSE, row.link_salt)


def address(public_url: str, slug: str, secret: str) -> str:
    return f"{public_url}/e/{slug}/action/{secret}"


async def opened_by(event: Event, secret: str, keys: Keys) -> ActionItem | None:
    """The action this link updates at this event, if any."""
    if not secret or len(secret) > MOST:
        return None
    return await ActionItem.get_or_none(event_id=event.id, link_key=keys.digest(secret))


async def renew_all(event: Event, keys: Keys) -> None:
    """A new link for every action of the event (an imported one): links handed out for the
    event it was copied from stay with that one."""
    for row in await ActionItem.filter(event_id=event.id):
        salt = secrets.token_urlsafe(16)
        key = keys.digest(keys.link_secret(PURPOSE, salt))
        await ActionItem.filter(id=row.id).update(link_salt=salt, link_key=key)
