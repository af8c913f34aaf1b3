"""An attendee's personal calendar feed: a read-only link of its own, which they can stop and
renew, so the address a calendar app keeps can't act as them.

Calendar apps put the feed's address in their logs and sync it between devices, so it must
not carry the attendee's token. Its secret is worked out from the token and a salt kept on
the attendee (``Keys.feed_secret``), so the page can show the link again without it being
stored anywhere; only its keyed hash is stored, to find the attendee when the app asks.

The feed speaks the attendee's language, though a calendar app sends no cookie and often no
useful Accept-Language. The language is remembered on the attendee (``Attendee.language``)
when they make their link and again whenever a page of the event is drawn for them in another
language, rather than written into the link: a calendar keeps the address it subscribed to for
good, so a language in the link would stay the one chosen that day, while one remembered on the
attendee follows the person when they later change their mind, with no new link to add.
"""

from __future__ import annotations

import secrets

from server.events.access import Keys
from server.events.models import Attendee, Event
from server.language import current as current_language


def current(attendee: Attendee, token: str, keys: Keys) -> str | None:
    """The secret of the attendee's feed, or None when they have none."""
    return keys.feed_secret(token, attendee.feed_salt) if attendee.feed_salt else None


async def renew(attendee: Attendee, token: str, keys: Keys) -> str:
    """A new feed secret; the previous link stops working."""
    attendee.feed_salt = secrets.token_urlsafe(16)
    feed = keys.feed_secret(token, attendee.feed_salt)
    attendee.feed_key = keys.digest(feed)
    attendee.language = current_language()
    await attendee.save(update_fields=["feed_salt", "feed_key", "language"])
    return feed


def language(attendee: Attendee, event: Event) -> str:
    """The language of the attendee's feed: theirs, while the event is held in it; else the
    one the request chose among the event's (a calendar app's Accept-Language, if any)."""
    return attendee.language if attendee.language in event.languages else current_language()


async def remember_language(attendee: Attendee) -> None:
    """Keeps the language a page of the event is being drawn in for the attendee, for their
    feed; written only when it changed, so drawing a page costs no write."""
    language = current_language()
    if attendee.language != language:
        attendee.language = language
        await Attendee.filter(id=attendee.id).update(language=language)


async def stop(attendee: Attendee) -> None:
    attendee.feed_salt = attendee.feed_key = None
    await attendee.save(update_fields=["feed_salt", "feed_key"])


async def subscriber(event: Event, feed: str, keys: Keys) -> Attendee | None:
    """Whose feed this secret opens at this event, if anyone's."""
    return await Attendee.get_or_none(event=event, feed_key=keys.digest(feed))
