"""The new-event form works without script: it posts to /new, which makes the event as the
API does, with the languages the organiser chose (English unless they choose otherwise)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import ApiEvent
from tests.pages.test_staff_pages import browser

__all__ = ["browser"]  # the fixture: a browser with no script, of this test's own

FORM = {"name": "Gŵyl Ddata", "date": "2026-07-04", "timezone": "Europe/London", "dots": "3"}


def _made(browser: httpx.Client, answer: httpx.Response) -> ApiEvent:
    assert answer.status_code == 200, answer.text
    found = re.search(
        r'<code class="link">(https?://[^<]*/e/([^/<]+)/organise#key=([^<]+))', answer.text
    )
    assert found, answer.text
    return ApiEvent(browser, found.group(2), found.group(3), {})


def test_the_form_offers_english_welsh_or_both_with_english_chosen(browser: httpx.Client) -> None:
    page = browser.get("/new").text
    assert '<form id="event-form" method="post" action="/new"' in page
    for value in ("en", "cy", "cy en"):
        assert f'name="languages" value="{value}"' in page
    assert re.search(r'value="en" checked', page) and not re.search(
        r'value="cy( en)?" checked', page
    )


@pytest.mark.parametrize(
    ("sent", "kept"), [("cy en", ["cy", "en"]), ("cy", ["cy"]), (None, ["en"])]
)
def test_an_event_made_through_the_form_is_held_in_the_languages_chosen(
    browser: httpx.Client, sent: str | None, kept: list[str]
) -> None:
    data = {**FORM, **({"languages": sent} if sent is not None else {})}
    ev = _made(browser, browser.post("/new", data=data))
    state = ev.state(ev.organiser)
    assert state["event"]["languages"] == kept
    assert state["event"]["name"] == "Gŵyl Ddata" and state["event"]["dots_per_attendee"] == 3
    # The browser that made it can organise it, as after the script.
    organise = browser.get(f"/e/{ev.slug}/organise")
    assert re.search(r'<p id="role-line" class="lead">[^<]+</p>', organise.text), organise.text


def test_a_wrong_form_is_shown_again_with_what_was_typed_and_makes_nothing(
    browser: httpx.Client,
) -> None:
    answer = browser.post("/new", data={**FORM, "name": " ", "dots": "0", "languages": "cy fr"})
    assert answer.status_code == 422
    for field in ("ev-name", "ev-dots", "ev-languages-en"):
        assert f'href="#{field}"' in answer.text and f'id="{field}-error"' in answer.text
    assert 'value="2026-07-04"' in answer.text and "organise#key=" not in answer.text


def test_a_form_sent_from_another_site_is_refused(browser: httpx.Client) -> None:
    answer = browser.post("/new", data=FORM, headers={"Origin": "https://elsewhere.example"})
    assert answer.status_code == 403 and "organise#key=" not in answer.text


def test_a_time_zone_snug_does_not_know_is_said_and_makes_nothing(browser: httpx.Client) -> None:
    answer = browser.post("/new", data={**FORM, "timezone": "Mars/Olympus_Mons"})
    assert answer.status_code == 422 and 'class="error-summary"' in answer.text
    assert "organise#key=" not in answer.text and 'data-chosen="Mars/Olympus_Mons"' in answer.text


def test_the_form_sent_twice_makes_one_event_and_the_second_answer_organises_it(
    browser: httpx.Client,
) -> None:
    key = re.search(r'name="key" value="([^"]+)"', browser.get("/new").text)
    assert key is not None, "the form carries no key"
    data = {**FORM, "name": "Gŵyl ddwbl", "key": key.group(1)}
    first = _made(browser, browser.post("/new", data=data))
    again = _made(browser, browser.post("/new", data=data))
    assert again.slug == first.slug  # one event, not "gwyl-ddwbl-2"
    assert again.state(again.organiser)["role"] == "organiser"
    # The first answer's secret reached a page the browser had left: it no longer opens it.
    assert again.call("GET", "", first.organiser).json().get("role") != "organiser"
    # Another form (a new page's key) is another event.
    other = re.search(r'name="key" value="([^"]+)"', browser.get("/new").text)
    assert other is not None and other.group(1) != key.group(1)
    third = _made(browser, browser.post("/new", data={**data, "key": other.group(1)}))
    assert third.slug != first.slug
