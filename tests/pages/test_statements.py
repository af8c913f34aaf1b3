"""The accessibility statement and privacy notice, in both languages, with the operator's
contact details, and linked from every page's footer."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import ApiEvent

STATEMENTS = {
    "/accessibility": {
        "en": [
            "Accessibility statement for Snug",
            "partially compliant",
            "WCAG 2.2",
            "Enforcement procedure",
            "Equality Commission for Northern Ireland",
            "This statement was prepared on 4 December 2026.",
        ],
        "cy": [
            "Datganiad hygyrchedd ar gyfer Snug",
            "cydymffurfio\u2019n rhannol",
            "WCAG 2.2",
            "Gweithdrefn orfodi",
            "Chomisiwn Cydraddoldeb Gogledd Iwerddon",
            "Paratowyd y datganiad hwn ar 4 Rhagfyr 2026.",
        ],
    },
    "/privacy": {
        "en": [
            "Privacy notice for Snug",
            "How long Snug keeps it",
            "“a participant”",
            "/api/e/camp/me",
            "Information Commissioner\u2019s Office",
        ],
        "cy": [
            "Hysbysiad preifatrwydd ar gyfer Snug",
            "Am ba hyd mae Snug yn eu cadw",
            "/api/e/camp/me",
            "Swyddfa\u2019r Comisiynydd Gwybodaeth",
        ],
    },
}


@pytest.mark.parametrize("path", sorted(STATEMENTS))
@pytest.mark.parametrize("code", ["en", "cy"])
def test_each_statement_is_in_both_languages(http: httpx.Client, path: str, code: str) -> None:
    answer = http.get(path, headers={"Cookie": f"snug_language={code}"})
    assert answer.status_code == 200
    assert f'<html lang="{code}">' in answer.text
    for words in STATEMENTS[path][code]:
        assert words in answer.text, words
    other = "cy" if code == "en" else "en"
    assert STATEMENTS[path][other][0] not in answer.text  # no page of the other language


def test_without_contact_settings_the_statements_send_people_to_their_organiser(
    http: httpx.Client,
) -> None:
    """The test server sets no OPERATOR_NAME or CONTACT_EMAIL."""
    page = http.get("/accessibility").text
    assert "Ask the organiser of your event" in page and "mailto:" not in page


def test_every_ordinary_page_links_to_both_statements_in_its_language(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(languages=["cy", "en"])  # its pages speak either
    for code, words in (
        ("en", ("Accessibility statement", "Privacy")),
        ("cy", ("Datganiad hygyrchedd", "Preifatrwydd")),
    ):
        for path in ("/", "/new", f"/e/{ev.slug}", "/accessibility"):
            page = http.get(path, headers={"Cookie": f"snug_language={code}"}).text
            footer = re.search(r"<footer>.*?</footer>", page, re.S)
            assert footer, path
            assert f'<a href="/accessibility">{words[0]}</a>' in footer.group(), (code, path)
            assert f'<a href="/privacy">{words[1]}</a>' in footer.group(), (code, path)
