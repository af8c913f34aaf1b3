"""The proceedings over HTTP against the real server: who may read them before and after they
are published, publishing, each format's headers and content, link previews and cards."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import lxml.html
import pytest
from PIL import Image
from pypdf import PdfReader

from server.notes.document import Action, NotesContent
from server.validation import validate
from tests.conftest import ApiEvent, LiveServer
from tests.exports.helpers import make_published
from tests.exports.proceedings_helpers import add_photo, be_named, write_notes
from tests.http.helpers import assert_problem

SESSIONS = {
    "Open data in councils": ("Great Hall", "Saturday", "Sharing what we hold.", "Ann"),
    "Plain English jobs": ("Loft", "Sunday", "Adverts people finish.", "Bo"),
}
NOTES = NotesContent(
    summary="We agreed to **publish** the register.\n\n<img src=x onerror=alert(1)>",
    discussion="See [the guide](https://example.org/guide) and [this](javascript:alert(1)).",
    outcomes="A pilot.",
    actions=(Action("Draft the register", "Ann"),),
)
PAGES = ("/proceedings", "/proceedings/{pitch}")
FILES = (
    "/proceedings.html",
    "/proceedings.md",
    "/proceedings.pdf",
    "/export.json",
    "/proceedings/card.png",
    "/proceedings/{pitch}/card.png",
)


@dataclass
class Written:
    ev: ApiEvent
    fac: str
    attendee: str
    pitch: int  # the session with notes
    other: int  # the session without

    def get(self, path: str, token: str | None = None, **headers: str) -> httpx.Response:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = f"/e/{self.ev.slug}{path.format(pitch=self.pitch)}"
        return self.ev.client.get(url, headers=headers)

    def publish(self, published: bool) -> dict[str, object]:
        return dict(
            self.ev.ok("PUT", "/proceedings", self.ev.organiser, json={"published": published})
        )


@pytest.fixture
def written(make_event: Callable[..., ApiEvent], server: LiveServer) -> Written:
    made = make_published(make_event, SESSIONS)
    ann = made.ev.join("Ann")["token"]
    pitch = made.pitches["Open data in councils"]
    write_notes(server, made.ev.slug, pitch, ann, NOTES)
    be_named(made.ev, pitch, ann)
    add_photo(made.ev.client, made.ev.slug, pitch, ann, "The register's first draft")
    return Written(made.ev, made.fac, ann, pitch, made.pitches["Plain English jobs"])


def test_unpublished_proceedings_are_for_staff_only(written: Written) -> None:
    for path in PAGES + FILES:
        for token in (written.ev.organiser, written.fac):
            response = written.get(path, token)
            assert response.status_code == 200, (path, response.text)
        for token in (written.attendee, None):
            response = written.get(path, token)
            if path in PAGES:
                assert response.status_code == 404
                assert response.headers["content-type"].startswith("text/html")
                assert "published yet" in response.text
            else:
                assert "aren't published yet" in assert_problem(response, 404)["detail"]


def test_published_proceedings_are_for_everyone(written: Written) -> None:
    assert written.publish(True)["published"] is True
    for path in PAGES + FILES:
        for token in (written.ev.organiser, written.fac, written.attendee, None):
            assert written.get(path, token).status_code == 200, (path, token)
    assert written.publish(False)["published"] is False
    assert written.get("/proceedings").status_code == 404


def test_only_the_organiser_publishes(written: Written, server: LiveServer) -> None:
    for token in (written.fac, written.attendee, None):
        response = written.ev.call("PUT", "/proceedings", token, json={"published": True})
        assert_problem(response, 403)
    assert written.get("/proceedings").status_code == 404
    assert_problem(written.ev.call("PUT", "/proceedings", written.ev.organiser, json={}), 422)
    bad = {"published": "yes"}
    assert_problem(written.ev.call("PUT", "/proceedings", written.ev.organiser, json=bad), 422)
    status = written.ev.ok("GET", "/proceedings", written.fac)
    assert status == {
        "published": False,
        "url": f"{server.url}/e/{written.ev.slug}/proceedings",
        "downloads": {
            "html": f"/e/{written.ev.slug}/proceedings.html",
            "markdown": f"/e/{written.ev.slug}/proceedings.md",
            "pdf": f"/e/{written.ev.slug}/proceedings.pdf",
            "json": f"/e/{written.ev.slug}/export.json",
        },
    }
    assert_problem(written.ev.call("GET", "/proceedings", written.attendee), 403)


def test_unknown_events_and_sessions_are_not_found(written: Written) -> None:
    written.publish(True)
    for path in ("/proceedings/999999", "/proceedings/99999999999"):
        response = written.get(path)
        assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert_problem(written.get("/proceedings/999999/card.png"), 404)
    missing = written.ev.client.get("/e/no-such-event/proceedings")
    assert missing.status_code == 404 and "<h1>Page not found</h1>" in missing.text
    assert_problem(written.ev.client.get("/e/no-such-event/export.json"), 404)
    written.ev.ok("PATCH", f"/pitches/{written.other}", written.fac, json={"hidden": True})
    assert written.get(f"/proceedings/{written.other}").status_code == 404


def _meta(body: str) -> dict[str, str]:
    page = lxml.html.fromstring(body)
    return {
        str(m.get("property") or m.get("name")): str(m.get("content"))
        for m in page.iter("meta")
        if m.get("property") or m.get("name")
    }


def test_the_page_shows_the_notes_safely_with_link_previews(
    written: Written, server: LiveServer
) -> None:
    written.publish(True)
    response = written.get("/proceedings")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page = lxml.html.fromstring(response.text)
    assert not list(page.iter("script")) and not page.xpath("//img[@onerror]")
    session = page.get_element_by_id(f"session-{written.pitch}")
    assert session.xpath(".//strong")[0].text == "publish"
    assert "<img src=x onerror=alert(1)>" in session.text_content()
    hrefs = [a.get("href") for a in session.xpath(".//div[@class='notes-text']//a")]
    assert hrefs == ["https://example.org/guide"]
    assert "[this](javascript:alert(1))" in session.text_content()
    assert "Notes by Ann. Draft: not marked final." in session.text_content()
    (photo,) = session.xpath(".//figure/img")
    assert written.ev.client.get(photo.get("src")).headers["content-type"] == "image/png"
    base = f"{server.url}/e/{written.ev.slug}"
    found = _meta(response.text)
    assert found["og:title"].endswith(": proceedings")
    assert found["og:url"] == f"{base}/proceedings"
    assert found["og:image"] == f"{base}/proceedings/card.png"
    assert found["og:type"] == "article" and found["twitter:card"] == "summary_large_image"
    assert "Open data in councils: We agreed to publish the register." in found["og:description"]

    one = _meta(written.get("/proceedings/{pitch}").text)
    assert one["og:title"].startswith("Open data in councils - ")
    assert one["og:url"] == f"{base}/proceedings/{written.pitch}"
    assert one["og:description"].startswith("We agreed to publish the register.")
    assert one["og:image"] == f"{server.url}{photo.get('src')}"
    other = _meta(written.get(f"/proceedings/{written.other}").text)
    assert other["og:image"] == f"{base}/proceedings/{written.other}/card.png"
    assert other["og:description"] == "Adverts people finish."


def test_downloads_have_their_types_and_names(written: Written) -> None:
    slug, key = written.ev.slug, written.ev.organiser
    html = written.get("/proceedings.html", key)
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.headers["content-disposition"] == f'attachment; filename="{slug}-proceedings.html"'
    policy = html.headers["content-security-policy"]
    assert "script" not in policy and "sandbox" in policy and "img-src data:" in policy
    assert re.search(r'<img src="data:image/png;base64,', html.text)
    markdown = written.get("/proceedings.md", key)
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert "### Open data in councils" in markdown.text
    assert "&lt;img src=x onerror=alert(1)>" in markdown.text
    document = written.get("/export.json", key).json()
    validate("proceedings", document)
    notes = document["sessions"][0]["notes"]
    assert notes["summary"] == NOTES.summary
    assert notes["credits"] == {"named": ["Ann"], "anonymous": 0}
    assert document["actions"] == [
        {
            "session": written.pitch,
            "what": "Draft the register",
            "owner": "Ann",
            "due": None,
            "status": "open",
        }
    ]


def test_the_pdf_has_the_session_titles_as_text(written: Written) -> None:
    response = written.get("/proceedings.pdf", written.ev.organiser)
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for title in SESSIONS:
        assert title in text
    assert "Draft the register" in text
    again = written.get(
        "/proceedings.pdf", written.ev.organiser, **{"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304 and not again.content


def test_cards_are_1200_by_630_and_cached_by_etag(written: Written) -> None:
    written.publish(True)
    for path in ("/proceedings/card.png", "/proceedings/{pitch}/card.png"):
        response = written.get(path)
        assert response.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert (image.format, image.size) == ("PNG", (1200, 630))
        again = written.get(path, **{"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304 and not again.content
    before = written.get("/proceedings/card.png").headers["etag"]
    written.ev.pitch(written.attendee, "A late pitch")
    assert written.get("/proceedings/card.png").headers["etag"] != before


def test_the_api_describes_publishing(written: Written) -> None:
    operations = written.ev.client.get("/openapi.json").json()["paths"]["/api/e/{slug}/proceedings"]
    assert operations["get"]["operationId"] == "proceedings_status"
    body = operations["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/proceedings-publish"}
