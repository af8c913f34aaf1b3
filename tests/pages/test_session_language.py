"""The language a session is held in, on the attendee's pages without script: chosen on the
pitch form, shown as a badge, and a choice for narrowing the list (bilingual events only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import ApiEvent, LiveServer
from tests.pages.test_attendee import Phone


@pytest.fixture
def bilingual(make_event: Callable[..., ApiEvent]) -> ApiEvent:
    event = make_event(languages=["cy", "en"])
    event.edit(voting_open=True)
    return event


@pytest.fixture
def phone(server: LiveServer, bilingual: ApiEvent) -> Iterator[Phone]:
    made = Phone(server, bilingual.slug)
    yield made
    made.client.close()


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="p-\d+-title">([^<]*)</h3>', html)


def test_pitching_with_a_language_stores_it_and_shows_the_badge(
    phone: Phone, bilingual: ApiEvent
) -> None:
    phone.join()
    form = phone.page().text
    assert 'name="language" value="bilingual"' in form
    # Each language named in its own words, marked as such where it isn't the page's.
    assert '<label for="pitch-language-cy" lang="cy">Cymraeg</label>' in form
    assert '<label for="pitch-language-en">English</label>' in form
    sent = {"title": "Sgwrs", "format": "discussion", "language": "cy", "key": phone.key()}
    assert phone.send("/pitches", sent).status_code == 303
    [pitch] = bilingual.state()["pitches"]
    assert pitch["language"] == "cy"
    page = phone.page().text
    assert re.search(r'class="badge lang-badge">.*?</span>Welsh</span>', page)
    edit = phone.page(f"/pitches/{pitch['id']}/edit").text
    assert 'id="pitch-language-cy" name="language" value="cy" checked' in edit
    assert "</span>Welsh</span>" in edit
    # Changing it to unsaid takes the badge away.
    changed = {"title": "Sgwrs", "format": "discussion", "language": "", "key": phone.key()}
    assert phone.send(f"/pitches/{pitch['id']}", changed).status_code == 303
    assert bilingual.state()["pitches"][0]["language"] == ""
    assert "lang-badge" not in phone.page().text


def test_the_badge_is_in_the_page_s_language(phone: Phone, bilingual: ApiEvent) -> None:
    token = bilingual.join("Ana")["token"]
    bilingual.pitch(token, "Both", language="bilingual")
    bilingual.pitch(token, "Saesneg", language="en")
    phone.client.cookies.set("snug_language", "cy")
    page = phone.page().text
    assert "</span>Dwyieithog</span>" in page and "</span>Saesneg</span>" in page
    assert "</span>Bilingual</span>" not in page


def test_a_language_not_held_shows_the_error_and_stores_nothing(
    phone: Phone, bilingual: ApiEvent
) -> None:
    phone.join()
    sent = {"title": "Parlez", "format": "discussion", "language": "fr", "key": phone.key()}
    answer = phone.send("/pitches", sent)
    assert answer.status_code == 422
    assert "There is a problem" in answer.text
    assert bilingual.state()["pitches"] == []


def test_the_list_narrows_to_a_language_and_the_bilingual_sessions(
    phone: Phone, bilingual: ApiEvent
) -> None:
    token = bilingual.join("Ana")["token"]
    bilingual.pitch(token, "Welsh one", language="cy")
    bilingual.pitch(token, "English one", language="en")
    bilingual.pitch(token, "Both one", language="bilingual")
    bilingual.pitch(token, "Unsaid one")
    everything = phone.page().text
    assert 'id="list-language"' in everything
    assert len(titles(everything)) == 4
    welsh = phone.page("?language=cy").text
    assert titles(welsh) == ["Both one", "Welsh one"]
    assert "Showing 2 of 4 sessions in Welsh or bilingual." in welsh
    assert '<option value="cy" selected>Welsh</option>' in welsh
    english = phone.page("?language=en&q=one").text
    assert titles(english) == ["Both one", "English one"]
    assert "Showing 2 of 4 sessions for “one”, in English or bilingual." in english
    nonsense = phone.page("?language=fr").text
    assert len(titles(nonsense)) == 4 and 'id="list-shown" class="hint" hidden' in nonsense


def test_a_one_language_event_offers_no_language(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event = make_event()
    event.edit(voting_open=True)
    token = event.join("Ana")["token"]
    event.pitch(token, "Only one")
    with Phone(server, event.slug).client as client:
        page = client.get(f"/e/{event.slug}?language=cy").text
    assert 'name="language"' not in page and "list-language" not in page
    assert titles(page) == ["Only one"]


def test_the_organisers_pitch_form_asks_the_language_on_a_bilingual_event_only(
    server: LiveServer, bilingual: ApiEvent, make_event: Callable[..., ApiEvent]
) -> None:
    english = make_event()
    with httpx.Client(base_url=server.url, timeout=20) as client:
        for event, asked in ((bilingual, True), (english, False)):
            page = client.get(
                f"/e/{event.slug}/organise", headers={"Cookie": f"snug_staff={event.organiser}"}
            ).text
            assert ('<fieldset id="pitch-language"' in page) is asked, event.slug
            assert ('name="language" value="bilingual"' in page) is asked
