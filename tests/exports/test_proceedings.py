"""The proceedings formats as pure functions over a hand-made read model: the page and its link
previews, the standalone file, Markdown, JSON against its schema, PDF and the cards."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import replace
from datetime import UTC, date, datetime

import lxml.html
import pytest
from markdown_it import MarkdownIt
from PIL import Image
from pypdf import PdfReader

from server.exports.pdf import PdfUnavailable, pdf
from server.exports.proceedings import cards, data, pages, text
from server.exports.proceedings.readmodel import Entry, PhotoInfo, Proceedings, WriteUp
from server.exports.readmodel import RoomInfo, SlotInfo
from server.notes.document import Action
from server.validation import validate
from tests.exports.helpers import (
    figures_of_accessible_pdf,
    unisolated_right_to_left,
    visible_text,
)

BASE = "https://snug.example.org"
AUDITORIUM = RoomInfo(1, "Auditorium", 100, "00000000-0000-4000-8000-000000000001")
SNUG = RoomInfo(2, "Snug 1", 8, "00000000-0000-4000-8000-000000000002")
WELCOME = SlotInfo(1, "2027-03-18T09:30", "2027-03-18T10:15", "Welcome", "plenary")
FIRST = SlotInfo(2, "2027-03-18T10:30", "2027-03-18T11:15", "Session 1", "session")
LUNCH = SlotInfo(3, "2027-03-18T12:15", "2027-03-18T13:15", "Lunch", "break")
# A 2x2 red PNG, as a photo's stored bytes.
PIXELS = io.BytesIO()
Image.new("RGB", (2, 2), "red").save(PIXELS, "PNG")
PHOTO = PhotoInfo(
    id=5,
    caption="The flipchart: what we'll try",
    path="/e/camp/photos/5/k3y",
    url=f"{BASE}/e/camp/photos/5/k3y",
    width=2,
    height=2,
    media_type="image/png",
    data=PIXELS.getvalue(),
)
NOTES = WriteUp(
    summary="We agreed to **pilot** sprint-based buying.\n\n# Why\n\nTenders take a year.",
    discussion="- Risk appetite\n- [The guide](https://example.org/guide)\n\n<script>alert(1)</script>",
    outcomes="A pilot in two departments.",
    actions=(
        Action("Draft the pilot plan", "Priya", "2027-04-30", id="pilotplan1"),
        Action("Find a second department", ""),
    ),
    photos=(PHOTO,),
    final=True,
    updated_at=datetime(2027, 3, 18, 12, 0, tzinfo=UTC),
    named=("Priya", "Tom"),
    anonymous=2,
    statuses={"pilotplan1": "started"},
)
EMPTY = WriteUp("", "", "", (), (), False, None, (), 0)


def _entry(pitch_id: int, title: str, **fields: object) -> Entry:
    made = Entry(
        pitch_id=pitch_id,
        title=title,
        pitch=f"The pitch for {title}.",
        host="Priya",
        format="discussion",
        language="cy",
        tags=("procurement", "agile"),
        room=AUDITORIUM,
        slot=FIRST,
        votes=12,
        planned=40,
        notes=EMPTY,
        url=f"{BASE}/e/camp/proceedings/{pitch_id}",
    )
    return replace(made, **fields)


def sample(**fields: object) -> Proceedings:
    made = Proceedings(
        slug="camp",
        name="GovCamp Spring",
        date=date(2027, 3, 18),
        timezone="Europe/London",
        venue="The Library",
        base_url=BASE,
        published=True,
        rooms=(AUDITORIUM, SNUG),
        slots=(WELCOME, FIRST, LUNCH),
        sessions=(
            _entry(7, "Agile procurement that works", notes=NOTES),
            _entry(8, "Job adverts people finish", room=SNUG, votes=5, planned=8),
            _entry(9, "Left out", room=None, slot=None, votes=1, planned=None, host=""),
        ),
        attendees=60,
        last_modified=datetime(2027, 3, 18, 18, 0, tzinfo=UTC),
    )
    return replace(made, **fields)


def meta(page: lxml.html.HtmlElement) -> dict[str, str]:
    found = {}
    for tag in page.iter("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            found[key] = tag.get("content")
    return found


def test_the_page_has_every_part_in_order_and_links_its_stylesheet() -> None:
    page = lxml.html.fromstring(pages.proceedings_page(sample()))
    assert page.find(".//h1").text_content() == "GovCamp Spring"
    assert [h.text_content() for h in page.iter("h2")] == [
        "Contents",
        "Programme",
        "Sessions",
        "Actions",
        "Download these proceedings",
    ]
    titles = [h.text_content() for h in page.xpath("//article/*[@class='session-title']")]
    assert titles == ["Agile procurement that works", "Job adverts people finish", "Left out"]
    assert [link.get("href") for link in page.iter("link") if link.get("rel") == "stylesheet"] == [
        "/static/css/proceedings.css"
    ]
    assert not page.xpath("//style | //script | //*[@style]")
    programme = page.get_element_by_id("programme").text_content()
    assert "Everyone together" in programme and "Break" in programme
    assert "Snug 1" in programme and "Left out" not in programme
    unplaced = page.xpath("//h3[@class='unplaced']")[0]
    assert unplaced.text_content() == "Pitches not placed on the grid"
    downloads = [a.get("href") for a in page.xpath("//ul[@class='downloads']//a")]
    assert downloads == [
        "/e/camp/proceedings.pdf",
        "/e/camp/proceedings.html",
        "/e/camp/proceedings.md",
        "/e/camp/export.json",
    ]


def test_a_session_shows_its_figures_notes_actions_photos_and_credits() -> None:
    page = lxml.html.fromstring(pages.proceedings_page(sample()))
    session = page.get_element_by_id("session-7")
    facts = {
        dt.text_content(): dd.text_content()
        for dt, dd in zip(session.iter("dt"), session.iter("dd"), strict=True)
    }
    assert facts == {
        "Host": "Priya",
        "Format": "Discussion",
        "When and where": "Auditorium, 10:30 to 11:15",
        "Dots": "12 dots",
        "Planned attendance": "In 40 people's agendas",
        "Tags": "procurement, agile",
    }
    parts = [h.text_content() for h in session.iter("h4")]
    assert parts == ["Summary", "Discussion", "Outcomes", "Actions", "Photos"]
    # Headings people type sit below the part's own.
    assert [h.text_content() for h in session.iter("h5")] == ["Why"]
    assert session.xpath(".//div[@class='notes-text']//strong")[0].text == "pilot"
    link = session.xpath(".//div[@class='notes-text']//a[@href='https://example.org/guide']")[0]
    assert link.get("rel") == "nofollow noopener ugc"
    assert "<script>alert(1)</script>" in session.text_content()
    assert [li.text_content() for li in session.xpath(".//ul[@class='actions']/li")] == [
        "Draft the pilot plan Owner: Priya Status: Started. Due by 30 April 2027.",
        "Find a second department Status: Open.",
    ]
    image = session.xpath(".//figure/img")[0]
    assert image.get("src") == "/e/camp/photos/5/k3y"
    assert image.get("alt") == "Photo 1 from the session Agile procurement that works"
    assert session.xpath(".//figcaption")[0].text == "The flipchart: what we'll try"
    credits = session.xpath(".//p[@class='credits']")[0].text_content()
    assert credits == "Notes by Priya, Tom and 2 others. Marked final."
    left_out = page.get_element_by_id("session-9")
    assert "Not placed on the grid" in left_out.text_content()
    assert "Planned attendance" not in left_out.text_content()
    assert left_out.xpath(".//p[@class='no-notes']")


def test_actions_are_gathered_with_their_sessions() -> None:
    page = lxml.html.fromstring(pages.proceedings_page(sample()))
    items = page.xpath("//ul[@class='all-actions']/li")
    assert [li.text_content().split() for li in items] == [
        [
            "Draft",
            "the",
            "pilot",
            "plan",
            "Owner:",
            "Priya.",
            "From",
            "Agile",
            "procurement",
            "that",
            "works",
            *["Status:", "Started.", "Due", "by", "30", "April", "2027."],
        ],
        [
            *["Find", "a", "second", "department", "From", "Agile", "procurement", "that", "works"],
            *["Status:", "Open."],
        ],
    ]
    assert items[0].xpath(".//a")[0].get("href") == "#session-7"


def test_link_previews_of_the_proceedings() -> None:
    found = meta(lxml.html.fromstring(pages.proceedings_page(sample())))
    assert found["og:title"] == "GovCamp Spring: proceedings"
    assert found["og:type"] == "article"
    assert found["og:url"] == f"{BASE}/e/camp/proceedings"
    assert found["og:image"] == f"{BASE}/e/camp/proceedings/card.png"
    assert (found["og:image:width"], found["og:image:height"]) == ("1200", "630")
    assert found["twitter:card"] == "summary_large_image"
    assert found["og:description"].startswith(
        "Write-ups of 3 sessions at GovCamp Spring, Thursday 18 March 2027. "
        "Agile procurement that works: We agreed to pilot sprint-based buying. Why"
    )
    assert found["description"] == found["og:description"] == found["twitter:description"]


def test_link_previews_of_a_session() -> None:
    doc = sample()
    with_photo = meta(lxml.html.fromstring(pages.write_up(doc, doc.sessions[0])))
    assert with_photo["og:title"] == "Agile procurement that works - GovCamp Spring"
    assert with_photo["og:url"] == f"{BASE}/e/camp/proceedings/7"
    assert with_photo["og:image"] == PHOTO.url
    assert with_photo["og:image:alt"] == PHOTO.caption
    assert with_photo["og:description"].startswith("We agreed to pilot sprint-based buying.")
    plain = meta(lxml.html.fromstring(pages.write_up(doc, doc.sessions[1])))
    assert plain["og:image"] == f"{BASE}/e/camp/proceedings/8/card.png"
    assert plain["og:description"] == "The pitch for Job adverts people finish."


def test_a_long_summary_is_cut_at_a_word_for_previews() -> None:
    long = replace(NOTES, summary="word " * 200)
    doc = sample(sessions=(_entry(7, "Long", notes=long),))
    found = meta(lxml.html.fromstring(pages.write_up(doc, doc.sessions[0])))
    assert len(found["og:description"]) <= 200
    assert found["og:description"].endswith("word…")


def test_the_write_up_page_is_one_session_under_an_h1() -> None:
    doc = sample()
    page = lxml.html.fromstring(pages.write_up(doc, doc.sessions[0]))
    assert [h.text_content() for h in page.iter("h1")] == ["Agile procurement that works"]
    assert [h.text_content() for h in page.iter("h2")][:3] == ["Summary", "Discussion", "Outcomes"]
    assert page.xpath("//p[@class='kicker']/a")[0].get("href") == f"{BASE}/e/camp/proceedings"
    assert not page.xpath("//p[@class='share']")


def test_the_standalone_file_carries_its_styles_and_images_and_runs_nothing() -> None:
    body = pages.standalone(sample())
    page = lxml.html.fromstring(body)
    (style,) = page.iter("style")
    assert ".session" in style.text and "&gt;" not in style.text
    assert not [link for link in page.iter("link") if link.get("rel") == "stylesheet"]
    (image,) = page.xpath("//figure/img")
    assert image.get("src").startswith("data:image/png;base64,")
    policy = page.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    assert policy == pages.STANDALONE_POLICY and "script" not in policy
    assert not page.xpath("//ul[@class='downloads']") and not list(page.iter("script"))


def test_the_standalone_file_needs_the_images_loaded() -> None:
    doc = sample(
        sessions=(_entry(7, "A", notes=replace(NOTES, photos=(replace(PHOTO, data=None),))),)
    )
    with pytest.raises(ValueError, match="photos loaded"):
        pages.standalone(doc)


def test_markdown_has_every_session_with_notes_made_inert() -> None:
    body = text.proceedings_markdown(sample()).decode()
    assert body.startswith("# GovCamp Spring: proceedings\n\nThursday 18 March 2027, The Library\n")
    assert "## Programme" in body and "### 10:30 to 11:15, Session 1" in body
    assert "- **Auditorium:** Agile procurement that works" in body
    assert "### Agile procurement that works" in body
    assert "#### Summary" in body and "##### Why" in body
    assert "- Draft the pilot plan (owner: Priya). Status: Started. Due by 30 April 2027." in body
    assert f"![Photo 1]({PHOTO.url})" in body
    assert "_Notes by Priya, Tom and 2 others. Marked final._" in body
    assert "## Pitches not placed on the grid\n\n### Left out" in body
    assert (
        "- Draft the pilot plan. Owner: Priya. From: Agile procurement that works. "
        "Status: Started. Due by 30 April 2027." in body
    )
    rendered = lxml.html.fromstring(MarkdownIt("commonmark").render(body))
    assert not list(rendered.iter("script"))
    assert "<script>alert(1)</script>" in rendered.text_content()
    headings = [h.text_content() for h in rendered.iter("h3")]
    assert "Agile procurement that works" in headings and "Left out" in headings


def test_json_is_the_data_as_typed_and_fits_its_schema() -> None:
    document = json.loads(data.proceedings_json(sample()))
    validate("proceedings", document)
    assert document["event"]["name"] == "GovCamp Spring"
    assert document["figures"] == {
        "sessions": 3,
        "attendees": 60,
        "dots": 18,
        "actions": 2,
        "written_up": 1,
    }
    first = document["sessions"][0]
    assert (first["id"], first["room"], first["slot"]) == (7, 1, 2)
    assert first["notes"]["discussion"] == NOTES.discussion
    assert first["notes"]["credits"] == {"named": ["Priya", "Tom"], "anonymous": 2}
    assert first["notes"]["photos"][0]["url"] == PHOTO.url
    assert document["sessions"][2]["planned_attendance"] is None
    assert document["actions"] == [
        {
            "session": 7,
            "what": "Draft the pilot plan",
            "owner": "Priya",
            "due": "2027-04-30",
            "status": "started",
        },
        {
            "session": 7,
            "what": "Find a second department",
            "owner": "",
            "due": None,
            "status": "open",
        },
    ]
    assert first["notes"]["actions"][0]["status"] == "started"


def test_the_schema_refuses_data_that_is_not_proceedings() -> None:
    document = json.loads(data.proceedings_json(sample()))
    document["sessions"][0]["votes"] = -1
    with pytest.raises(Exception, match="votes"):
        validate("proceedings", document)


def test_the_pdf_is_a4_with_every_session_title_as_text() -> None:
    body = pdf(pages.standalone(sample()))
    assert all(figures_of_accessible_pdf(body))  # PDF/UA, and every photo described
    reader = PdfReader(io.BytesIO(body))
    words = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for title in ("GovCamp Spring", "Agile procurement that works", "Job adverts people finish"):
        assert title in words
    assert "Draft the pilot plan" in words and "<script>alert(1)</script>" in words
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)) == (210, 297)


def test_without_weasyprint_the_pdf_is_refused_with_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(PdfUnavailable, match=r"snug\[pdf\].*libpango") as refused:
        pdf(pages.standalone(sample(name="Never rendered before")))
    assert refused.value.status == 503


@pytest.mark.parametrize(
    "card",
    [
        cards.proceedings_card(sample()),
        cards.session_card(sample(), sample().sessions[0]),
        cards.session_card(sample(), sample().sessions[2]),
        cards.Card("K", "W" * 300, "x " * 300, ("1 dot",)),
    ],
    ids=["event", "session", "unplaced", "overlong"],
)
def test_cards_are_1200_by_630_pngs(card: cards.Card) -> None:
    image = Image.open(io.BytesIO(cards.png(card)))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_cards_say_what_they_show_and_change_etag_with_it() -> None:
    doc = sample()
    card = cards.proceedings_card(doc)
    assert card.title == "GovCamp Spring"
    assert card.figures == ("3 sessions", "18 dots", "2 actions")
    session = cards.session_card(doc, doc.sessions[0])
    assert (session.kicker, session.title) == ("GovCamp Spring", "Agile procurement that works")
    assert session.figures == ("12 dots", "40 people planned to come", "2 actions")
    assert card.etag != cards.proceedings_card(sample(name="Another")).etag
    assert card.etag == cards.proceedings_card(sample()).etag


RIGHT_TO_LEFT = {
    "event": "مؤتمر الحكومة",
    "venue": "המקום",
    "room": "قاعة كبيرة",
    "slot": "جلسة الصباح",
    "title": "עיצוב שירותים",
    "pitch": "نقاش حول الخدمات",
    "host": "دانة",
    "tag": "مشتريات",
    "summary": "اتفقنا على التجربة",
    "action": "كتابة الخطة",
    "owner": "ليلى",
    "caption": "لوح الأفكار",
    "writer": "نور",
}


def test_right_to_left_names_and_titles_keep_to_themselves_on_every_page() -> None:
    typed = RIGHT_TO_LEFT
    room = replace(AUDITORIUM, name=typed["room"])
    slot = replace(FIRST, label=typed["slot"])
    notes = replace(
        NOTES,
        summary=typed["summary"],
        actions=(Action(typed["action"], typed["owner"]),),
        photos=(replace(PHOTO, caption=typed["caption"]),),
        named=(typed["writer"], "Tom"),
    )
    entry = _entry(
        7,
        typed["title"],
        pitch=typed["pitch"],
        host=typed["host"],
        tags=(typed["tag"], "agile"),
        room=room,
        slot=slot,
        notes=notes,
    )
    doc = sample(
        name=typed["event"],
        venue=typed["venue"],
        rooms=(room, SNUG),
        slots=(WELCOME, slot, LUNCH),
        sessions=(entry, _entry(8, "Job adverts people finish", room=SNUG)),
    )
    written = {
        "page": pages.proceedings_page(doc),
        "standalone": pages.standalone(doc),
        "write-up": pages.write_up(doc, entry),
    }
    for name, html in written.items():
        assert unisolated_right_to_left(html) == [], name
        shown = visible_text(html)
        missing = {field for field, value in typed.items() if value not in shown}
        # The write-up page has no programme (slot labels) and no venue.
        assert missing == ({"slot", "venue"} if name == "write-up" else set()), name
