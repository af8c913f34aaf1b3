"""The posters and the proceedings speak their event's languages, not their viewer's: a
bilingual event's fixed words Welsh first, then English, each in an element marked with its
language; an event in one language in that language alone; people's words as they typed them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

import lxml.html
import pytest
from pypdf import PdfReader

from server.exports import posters
from server.exports.pdf import pdf
from server.exports.proceedings import cards, pages, text
from server.exports.proceedings.readmodel import Proceedings
from server.language import speaking
from tests.conftest import ApiEvent
from tests.exports.helpers import visible_text
from tests.exports.test_posters import HALL, HALL_DAY
from tests.exports.test_proceedings import sample

BOTH = ["cy", "en"]


def _posters(languages: list[str]) -> posters.Posters:
    return replace(HALL_DAY, schedule=replace(HALL_DAY.schedule, languages=tuple(languages)))


def _doc(languages: list[str]) -> Proceedings:
    return replace(sample(), languages=tuple(languages))


def _pairs(html: str | bytes) -> list[tuple[str, str, str, str]]:
    """Every bilingual pair on the page: (first lang, its text, second lang, its text)."""
    page = lxml.html.fromstring(html)
    pairs = []
    for wrapper in page.find_class("both"):
        spans = [child for child in wrapper if child.get("lang")]
        assert len(spans) == 2, lxml.html.tostring(wrapper)
        pairs.append(
            (
                spans[0].get("lang"),
                spans[0].text_content(),
                spans[1].get("lang"),
                spans[1].text_content(),
            )
        )
    return pairs


def test_a_bilingual_entrance_poster_says_every_word_welsh_first() -> None:
    html = posters.entrance_html(_posters(["en", "cy"]))  # the event's order does not matter
    assert lxml.html.fromstring(html).get("lang") == "cy"
    pairs = _pairs(html)
    assert ("cy", "Sganiwch i ymuno", "en", "Scan to join") in pairs
    assert ("cy", "Cod ymuno", "en", "Join code") in pairs
    assert ("cy", "Dydd Llun 23 Tachwedd 2026", "en", "Monday 23 November 2026") in pairs
    assert all(first == "cy" and second == "en" for first, _cy, second, _en in pairs)
    assert all(cy != en for _first, cy, _second, en in pairs if cy != "PDF")
    # People's words are as they were typed, once, in no language's span.
    assert visible_text(html).count("Open <script>") == 1


def test_a_welsh_entrance_poster_is_welsh_alone() -> None:
    html = posters.entrance_html(_posters(["cy"]))
    assert lxml.html.fromstring(html).get("lang") == "cy"
    shown = visible_text(html)
    assert "Sganiwch i ymuno" in shown and "Dydd Llun 23 Tachwedd 2026" in shown
    assert "Scan to join" not in shown and "Join code" not in shown
    assert not _pairs(html)


@pytest.mark.parametrize("viewer", ["cy", "en"])
def test_an_english_poster_is_english_whoever_opens_it(viewer: str) -> None:
    with speaking(viewer):
        html = posters.entrance_html(_posters(["en"]))
        room = posters.room_html(_posters(["en"]), HALL.id)
    assert lxml.html.fromstring(html).get("lang") == "en"
    shown = visible_text(html) + visible_text(room)
    assert "Scan to join" in shown and "Seats 120" in shown and "09:30 to 10:15" in shown
    assert "Sganiwch" not in shown and "Seddi" not in shown and "Egwyl" not in shown
    assert not _pairs(html) and not _pairs(room)


def test_a_bilingual_room_poster_says_its_breaks_and_features_in_both() -> None:
    html = posters.room_html(_posters(BOTH), HALL.id)
    pairs = _pairs(html)
    assert ("cy", "Egwyl: Lunch", "en", "Break: Lunch") in pairs  # the label as typed
    assert ("cy", "09:30 i 10:15", "en", "09:30 to 10:15") in pairs
    assert ("cy", "mynediad heb risiau, projector", "en", "step-free access, projector") in pairs
    assert ("cy", "Seddi: 120", "en", "Seats 120") in pairs


def test_a_bilingual_proceedings_page_says_its_labels_welsh_first() -> None:
    html = pages.proceedings_page(_doc(BOTH))
    assert lxml.html.fromstring(html).get("lang") == "cy"
    pairs = _pairs(html)
    for cy, en in [
        ("Trafodion", "Proceedings"),
        ("Cynnwys", "Contents"),
        ("Rhaglen", "Programme"),
        ("Camau gweithredu", "Actions"),
        ("Gwesteiwr", "Host"),
        ("Pryd a ble", "When and where"),
    ]:
        assert ("cy", cy, "en", en) in pairs, en
    assert all(first == "cy" and second == "en" for first, _cy, second, _en in pairs)
    assert sample().name in visible_text(html)


def test_a_welsh_proceedings_page_and_write_up_are_welsh_alone() -> None:
    doc = _doc(["cy"])
    for html in (pages.proceedings_page(doc), pages.write_up(doc, doc.sessions[0])):
        assert lxml.html.fromstring(html).get("lang") == "cy"
        assert not _pairs(html)
        shown = visible_text(html)
        assert "Gwesteiwr" in shown and "Pryd a ble" in shown
        assert "When and where" not in shown and "Made with Snug" not in shown


@pytest.mark.parametrize("viewer", ["cy", "en"])
def test_english_proceedings_are_english_whoever_opens_them(viewer: str) -> None:
    with speaking(viewer):
        html = pages.proceedings_page(_doc(["en"]))
        markdown = text.proceedings_markdown(_doc(["en"])).decode()
    assert lxml.html.fromstring(html).get("lang") == "en"
    assert not _pairs(html)
    shown = visible_text(html)
    assert "When and where" in shown and "Pryd a ble" not in shown and "Trafodion" not in shown
    assert "## Programme" in markdown and "Rhaglen" not in markdown


def test_the_bilingual_markdown_says_welsh_then_english() -> None:
    markdown = text.proceedings_markdown(_doc(BOTH)).decode()
    assert "## Rhaglen / Programme" in markdown
    assert "## Camau gweithredu / Actions" in markdown
    assert "- **Gwesteiwr / Host:**" in markdown
    welsh = text.proceedings_markdown(_doc(["cy"])).decode()
    assert "## Rhaglen" in welsh and "Programme" not in welsh


def test_a_bilingual_card_names_the_proceedings_in_both() -> None:
    assert cards.proceedings_card(_doc(BOTH)).kicker == "Trafodion / Proceedings"
    assert cards.proceedings_card(_doc(["en"])).kicker == "Proceedings"


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_bilingual_pdfs_carry_the_welsh_as_text() -> None:
    proceedings = _pdf_text(pdf(pages.standalone(_doc(BOTH))))
    assert "Trafodion" in proceedings and "Proceedings" in proceedings
    assert "Pryd a ble" in proceedings and "When and where" in proceedings
    poster = _pdf_text(pdf(posters.entrance_html(_posters(BOTH), pdf=True).encode()))
    assert "Sganiwch i ymuno" in poster and "Scan to join" in poster


def test_a_bilingual_events_posters_and_proceedings_over_http(
    make_event: Callable[..., ApiEvent],
) -> None:
    """The event's languages reach the exports from the event itself, whoever asks."""
    ev = make_event(languages=["en", "cy"])
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    get = ev.client.get
    poster = get(f"/e/{ev.slug}/posters/entrance", headers={"Accept-Language": "en"})
    assert poster.status_code == 200
    assert lxml.html.fromstring(poster.text).get("lang") == "cy"
    assert ("cy", "Sganiwch i ymuno", "en", "Scan to join") in _pairs(poster.text)
    page = get(f"/e/{ev.slug}/proceedings", headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.text
    assert ("cy", "Trafodion", "en", "Proceedings") in _pairs(page.text)
    markdown = get(f"/e/{ev.slug}/proceedings.md").text
    assert "## Sesiynau / Sessions" in markdown

    english = make_event(languages=["en"])
    english.ok("PUT", "/proceedings", english.organiser, json={"published": True})
    poster = get(f"/e/{english.slug}/posters/entrance", headers={"Accept-Language": "cy"})
    assert "Scan to join" in visible_text(poster.text) and "Sganiwch" not in poster.text
