"""A personal calendar feed speaks its attendee's language, though their calendar app sends no
cookie: the language is remembered when they make the link and whenever a page of the event is
drawn for them in another. The public feeds speak the event's first language."""

from __future__ import annotations

from collections.abc import Callable

import icalendar

from tests.conftest import ApiEvent
from tests.exports.helpers import Published, make_published, vevents
from tests.http.helpers import as_role

WITHDRAWN_CY = "Sesiwn wedi\u2019i thynnu\u2019n \u00f4l"  # "Withdrawn session"
ENGLISH_APP = {"Accept-Language": "en-GB,en;q=0.9"}  # what a calendar app may send, no cookie


def _feed(g: Published, feed: str) -> tuple[str, str, str]:
    """The calendar's name, and one session's description and title, as the app reads them."""
    body = g.get(f"/my/{feed}.ics", **ENGLISH_APP).content
    name = str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"])
    [(title, session)] = vevents(body).items()
    return name, str(session["DESCRIPTION"]), title


def _bilingual_with_one_vote(make_event: Callable[..., ApiEvent]) -> tuple[Published, str]:
    g = make_published(make_event)
    g.ev.edit(languages=["cy", "en"], voting_open=True)
    token = g.ev.join("Alex")["token"]
    g.ev.ok("POST", "/dots", token, json={"pitch": g.pitches["Before the change"]}, status=201)
    return g, token


def _make_link(g: Published, token: str, language: str) -> str:
    link = g.ev.ok("POST", "/me/calendar", token, headers={"Cookie": f"snug_language={language}"})[
        "link"
    ]
    return str(link).rsplit("/", 1)[1].removesuffix(".ics")


def test_someone_who_chose_welsh_gets_a_welsh_feed_and_it_follows_their_later_choice(
    make_event: Callable[..., ApiEvent],
) -> None:
    g, token = _bilingual_with_one_vote(make_event)
    feed = _make_link(g, token, "cy")
    name, description, title = _feed(g, feed)
    assert name.endswith(": fy agenda") and title == "Before the change"  # their words stay
    assert "Gwesteiwr: Ann" in description and "Host:" not in description
    # They read the event page in English: the same link now speaks English.
    query, headers = as_role("attendee", token)
    headers["Cookie"] += "; snug_language=en"
    page = g.ev.client.get(f"/e/{g.ev.slug}", params=query, headers=headers)
    assert page.status_code == 200 and '<html lang="en"' in page.text
    name, description, _title = _feed(g, feed)
    assert name.endswith(": my agenda") and "Host: Ann" in description
    # And back to Welsh from the page, with no new link.
    headers["Cookie"] = headers["Cookie"].replace("snug_language=en", "snug_language=cy")
    assert g.ev.client.get(f"/e/{g.ev.slug}", params=query, headers=headers).status_code == 200
    assert _feed(g, feed)[0].endswith(": fy agenda")


def test_a_withdrawn_session_is_named_in_the_feed_s_language(
    make_event: Callable[..., ApiEvent],
) -> None:
    g, _token = _bilingual_with_one_vote(make_event)
    g.ev.ok("PATCH", f"/pitches/{g.pitches['After the change']}", g.fac, json={"hidden": True})
    titles = set(vevents(g.get("/schedule.ics", **ENGLISH_APP).content))
    assert WITHDRAWN_CY in titles and "After the change" not in titles
    g.ev.edit(languages=["en"])
    assert "Withdrawn session" in set(vevents(g.get("/schedule.ics").content))


def test_english_stays_english_and_a_language_the_event_dropped_falls_back(
    make_event: Callable[..., ApiEvent],
) -> None:
    g, token = _bilingual_with_one_vote(make_event)
    english = _make_link(g, token, "en")
    name, description, _title = _feed(g, english)
    assert name.endswith(": my agenda") and "Host: Ann" in description
    welsh = _make_link(g, g.ev.join("Bea")["token"], "cy")
    g.ev.edit(languages=["en"])  # the event is no longer held in Welsh
    body = g.get(f"/my/{welsh}.ics", **ENGLISH_APP).content
    assert str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"]).endswith(": my agenda")


def test_public_feeds_speak_the_event_s_first_language_whoever_asks(
    make_event: Callable[..., ApiEvent],
) -> None:
    g, _token = _bilingual_with_one_vote(make_event)
    for path in ("/schedule.ics", f"/rooms/{g.rooms['Great Hall']}.ics"):
        body = g.get(path, Cookie="snug_language=en", **ENGLISH_APP).content
        assert "Gwesteiwr: Ann" in str(vevents(body)["Before the change"]["DESCRIPTION"])
    g.ev.edit(languages=["en"])
    body = g.get("/schedule.ics", Cookie="snug_language=cy").content
    assert "Host: Ann" in str(vevents(body)["Before the change"]["DESCRIPTION"])
