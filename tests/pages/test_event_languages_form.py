"""The organiser's page sets the event's languages with a plain form, as the API does."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import ApiEvent
from tests.pages.test_staff_pages import browser, staff

__all__ = ["browser"]  # the fixture: a browser with no script, of this test's own


@pytest.mark.parametrize(("sent", "kept"), [("cy en", ["cy", "en"]), ("cy", ["cy"])])
def test_the_form_chooses_the_event_s_languages(
    browser: httpx.Client, make_event: Callable[..., ApiEvent], sent: str, kept: list[str]
) -> None:
    ev = make_event()
    answer = browser.post(
        f"/e/{ev.slug}/settings",
        data={"key": "k", "languages": sent},
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert ev.state()["event"]["languages"] == kept


@pytest.mark.parametrize("sent", ["fr", "", "cy en cy", "cy fr"])
def test_a_language_snug_does_not_speak_is_shown_and_changes_nothing(
    browser: httpx.Client, make_event: Callable[..., ApiEvent], sent: str
) -> None:
    ev = make_event()
    answer = browser.post(
        f"/e/{ev.slug}/settings", data={"key": "k", "languages": sent}, headers=staff(ev.organiser)
    )
    assert answer.status_code == 422 and 'href="#event-languages"' in answer.text
    assert ev.state()["event"]["languages"] == ["en"]
