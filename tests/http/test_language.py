"""Choosing a language over HTTP: the toggle link keeps the choice in a cookie and returns to
the same page, without script; problems are said in the chosen language; the scripts' words
come from the same catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.http.helpers import assert_problem

WELSH = {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}


@pytest.fixture
def browser(http: httpx.Client) -> Iterator[httpx.Client]:
    """A browser of its own asking for English, whose cookies no other test sees."""
    with httpx.Client(base_url=http.base_url, headers={"Accept-Language": "en"}) as client:
        yield client


def _lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found, page[:200]
    return found.group(1)


def test_the_browser_s_language_is_the_first_guess(http: httpx.Client) -> None:
    welsh = http.get("/", headers=WELSH)
    assert _lang(welsh.text) == "cy" and "Ymuno â digwyddiad" in welsh.text
    assert "Cookie" in welsh.headers["vary"] and "Accept-Language" in welsh.headers["vary"]
    english = http.get("/", headers={"Accept-Language": "fr-FR,de;q=0.8"})
    assert _lang(english.text) == "en" and "Join an event" in english.text


def test_the_toggle_is_a_link_that_keeps_the_choice_and_comes_back(
    browser: httpx.Client,
) -> None:
    page = browser.get("/privacy?from=footer").text
    link = re.search(r'<a href="([^"]+)" lang="cy" hreflang="cy">Cymraeg</a>', page)
    assert link, "the toggle offers Welsh, named in Welsh and marked as Welsh"
    chosen = browser.get(link.group(1).replace("&amp;", "&"))
    assert chosen.status_code == 303 and chosen.headers["location"] == "/privacy?from=footer"
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("snug_language=cy;") and "HttpOnly" in cookie
    assert "Path=/" in cookie
    # The kept choice beats the browser asking for English, here and on every page.
    for path in ("/privacy?from=footer", "/accessibility", "/"):
        again = browser.get(path)
        assert _lang(again.text) == "cy", path
        assert 'lang="en" hreflang="en">English</a>' in again.text


def test_the_toggle_returns_only_to_snug_s_own_pages(browser: httpx.Client) -> None:
    for back in ("https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere", "x"):
        answer = browser.get("/language/cy", params={"back": back})
        assert answer.status_code == 303 and answer.headers["location"] == "/", back


def test_a_language_snug_does_not_speak_is_not_found(http: httpx.Client) -> None:
    assert_problem(http.get("/language/xx", params={"back": "/"}), 404)
    assert_problem(http.get("/i18n/xx.json"), 404)


def test_problems_are_said_in_the_chosen_language(http: httpx.Client) -> None:
    kept = {"Cookie": "snug_language=cy"}
    body = assert_problem(http.get("/no-such-page", headers=kept), 404)
    assert body["title"] == "Heb ei ganfod"
    assert body["detail"] == "Does dim byd yn y cyfeiriad hwn. Gwiriwch y ddolen a gawsoch chi."
    english = assert_problem(http.get("/no-such-page"), 404)
    assert english["detail"] == "There's nothing at this address. Check the link you were given."


def test_a_refusal_drawn_as_a_page_is_in_the_chosen_language(http: httpx.Client) -> None:
    answer = http.get("/e/no-such-event", headers={"Accept": "text/html", **WELSH})
    assert answer.status_code == 404 and _lang(answer.text) == "cy"
    assert "<h1>Heb ddod o hyd i\u2019r dudalen</h1>" in answer.text


def test_the_scripts_get_their_words_from_the_catalogue(http: httpx.Client) -> None:
    answer = http.get("/i18n/cy.json")
    assert answer.status_code == 200 and "max-age" in answer.headers["cache-control"]
    words = answer.json()
    assert len(words["%(n)s character left"]) == 6  # Welsh has six plural forms
    assert "Skip to main content" not in words  # the layout's words arrive drawn
    assert http.get("/i18n/en.json").json() == {}  # English is the source


def test_after_a_form_the_toggle_returns_to_the_page_the_form_was_on(
    http: httpx.Client, browser: httpx.Client
) -> None:
    """A form's errors are drawn at the form's own address, which only takes its POST."""
    host = httpx.URL(str(http.base_url)).netloc.decode()
    answer = browser.post(
        "/e/no-such-event/join",
        data={"name": "Ana"},
        headers={
            "Accept": "text/html",
            "Origin": str(http.base_url).rstrip("/"),
            "Referer": f"http://{host}/e/no-such-event?from=poster",
        },
    )
    assert 'href="/language/cy?back=/e/no-such-event%3Ffrom%3Dposter"' in answer.text
    elsewhere = browser.post(
        "/e/no-such-event/join",
        data={"name": "Ana"},
        headers={"Accept": "text/html", "Referer": "https://elsewhere.example/e/x"},
    )
    assert 'href="/language/cy?back=/"' in elsewhere.text
