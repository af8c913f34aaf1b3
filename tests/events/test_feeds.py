"""The personal calendar feed's own read-only secret, over a real database: it is not the
attendee's token, renewing replaces it, stopping and erasure end it."""

from __future__ import annotations

from server.events import feeds
from server.events.erasure import erase_personal_data
from server.events.models import Attendee
from server.events.setup import join
from tests.conftest import Domain


async def test_a_feed_secret_is_its_own_and_renewing_replaces_it(domain: Domain) -> None:
    event = await domain.event()
    attendee, token = await join(event, "Ana", domain.keys)
    assert feeds.current(attendee, token, domain.keys) is None  # none until asked for
    first = await feeds.renew(attendee, token, domain.keys)
    assert first != token and len(first) >= 32
    assert feeds.current(attendee, token, domain.keys) == first  # worked out again, not stored
    stored = await Attendee.get(id=attendee.id)
    assert first not in (stored.feed_key, stored.feed_salt)
    assert (await feeds.subscriber(event, first, domain.keys)) == attendee
    # The token, which can act as the attendee, opens no feed; nor does a feed open the token.
    assert await feeds.subscriber(event, token, domain.keys) is None
    assert (await domain.keys.identify(event, token)).attendee == attendee
    second = await feeds.renew(attendee, token, domain.keys)
    assert second != first
    assert await feeds.subscriber(event, first, domain.keys) is None
    assert await feeds.subscriber(event, second, domain.keys) == attendee
    await feeds.stop(attendee)
    assert await feeds.subscriber(event, second, domain.keys) is None
    assert feeds.current(await Attendee.get(id=attendee.id), token, domain.keys) is None
    other = await domain.event()
    again = await feeds.renew(attendee, token, domain.keys)
    assert await feeds.subscriber(other, again, domain.keys) is None  # another event's


async def test_erasing_personal_data_ends_every_feed(domain: Domain) -> None:
    event = await domain.event()
    attendee, token = await join(event, "Ben", domain.keys)
    feed = await feeds.renew(attendee, token, domain.keys)
    organiser = await domain.organiser(event)
    await domain.run(event, organiser, erase_personal_data, event.slug, "https://snug.test")
    assert await feeds.subscriber(event, feed, domain.keys) is None
    stored = await Attendee.get(id=attendee.id)
    assert (stored.feed_salt, stored.feed_key) == (None, None)
