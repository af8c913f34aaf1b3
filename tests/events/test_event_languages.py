"""The organiser chooses the event's languages: English, Welsh or both."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import ApiEvent
from tests.http.helpers import assert_problem


def test_an_event_is_in_english_until_the_organiser_chooses(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev = make_event()
    assert ev.state()["event"]["languages"] == ["en"]


def test_the_organiser_chooses_welsh_english_or_both_welsh_first(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev = make_event()
    assert ev.edit(languages=["en", "cy"])["languages"] == ["cy", "en"]
    assert ev.state()["event"]["languages"] == ["cy", "en"]
    attendee = ev.join()["token"]
    assert ev.state(attendee)["event"]["languages"] == ["cy", "en"]  # everyone may know
    assert ev.edit(languages=["cy"])["languages"] == ["cy"]


def test_only_languages_snug_speaks_and_only_the_organiser(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev = make_event()
    refused = assert_problem(ev.call("PATCH", "", ev.organiser, json={"languages": ["fr"]}), 422)
    assert "'fr'" in refused["detail"]
    assert_problem(ev.call("PATCH", "", ev.organiser, json={"languages": []}), 422)
    assert_problem(ev.call("PATCH", "", ev.organiser, json={"languages": ["cy", "cy"]}), 422)
    facilitator = ev.facilitator()
    assert_problem(ev.call("PATCH", "", facilitator, json={"languages": ["cy"]}), 403)
    assert ev.state()["event"]["languages"] == ["en"]
