"""An attendee's personal calendar feed: a read-only link of its own, which they can stop and
renew, so the address a calendar app keeps can't act as them.

Calendar apps put the feed's address in their logs and sync it between devices, so it must
not carry the attendee's token. Its secret is worked out from the token and a salt kept on
the attendee (``Keys.feed_secret``), so the page can show the link again without it being
stored anywhere; only its keyed hash is stored, to find the attendee when the app asks.
"""

from __future__ import annotations

import secrets

from server.events.access import Keys
from server.events.models import Attendee, Event


def current(attendee: Attendee, token: str, keys: Keys) -> str | None:
    """The secret of the attendee's feed, or None when they have none."""
    return keys.feed_secret(token, attendee.feed_salt) if attendee.feed_salt else None


async def renew(attendee: Attendee, token: str, keys: Keys) -> str:
    """A new feed secret; the previous link stops working."""
    attendee.feed_salt = secrets.token_urlsafe(16)
    feed = keys.feed_secret(token, attendee.feed_salt)
    attendee.feed_key = keys.digest(feed)
    await attendee.save(update_fields=["feed_salt", "feed_key"])
    return feed


async def stop(attendee: Attendee) -> None:
    attendee.feed_salt = attendee.feed_key = None
    await attendee.save(update_fields=["feed_salt", "feed_key"])


async def subscriber(event: Event, feed: str, keys: Keys) -> Attendee | None:
    """Whose feed this secret opens at this event, if anyone's."""
    return await Attendee.get_or_none(event=event, feed_key=keys.digest(feed))
