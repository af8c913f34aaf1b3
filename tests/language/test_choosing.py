"""Which language a request is answered in: a kept choice, then the browser's languages, then
English."""

from __future__ import annotations

import pytest

from server import language


def test_a_kept_choice_beats_what_the_browser_asks_for() -> None:
    assert language.choose("en", "cy-GB,cy;q=0.9") == "en"
    assert language.choose("cy", "en-GB,en;q=0.9") == "cy"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("cy-GB,cy;q=0.9,en-GB;q=0.8", "cy"),
        ("cy", "cy"),
        ("en-GB,en;q=0.9,cy;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,cy;q=0.5", "cy"),  # the first Snug speaks, by weight
        ("en;q=0.2,cy;q=0.7", "cy"),
        ("cy;q=0,en;q=0.1", "en"),  # q=0 is "not this"
        ("fr-FR,de", "en"),  # nothing Snug speaks: English
        ("", "en"),
        ("*", "en"),
        ("cy;q=nonsense,en", "en"),
    ],
)
def test_without_a_choice_the_browser_s_languages_decide(
    accept_language: str, expected: str
) -> None:
    assert language.choose(None, accept_language) == expected


def test_a_kept_choice_snug_does_not_speak_is_ignored() -> None:
    assert language.choose("xx", "cy") == "cy"
    assert language.choose("../../etc", "") == "en"


def test_a_long_accept_language_header_is_cut_not_parsed_whole() -> None:
    header = ",".join(["fr"] * 10_000) + ",cy"
    assert language.choose(None, header) == "en"  # the Welsh lies past the limit


def test_both_languages_are_offered_welsh_first() -> None:
    assert language.languages()[:2] == ("cy", "en")


def test_messages_are_said_in_the_chosen_language() -> None:
    token = language.asked.set(language.Asked("cy"))
    try:
        assert language.gettext("Skip to main content") == "Neidio i\u2019r prif gynnwys"
        assert language.gettext("A sentence no catalogue holds") == "A sentence no catalogue holds"
    finally:
        language.asked.reset(token)
    assert language.gettext("Skip to main content") == "Skip to main content"
