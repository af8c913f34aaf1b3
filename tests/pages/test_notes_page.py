"""The session notes page as plain HTML and a form: saving the text whole, merging with live
typing, limits, who may write, damaged forms, and joining to come back to the notes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from server.notes.document import NotesContent
from tests.conftest import ApiEvent, LiveServer
from tests.live.helpers import NotesPhone

PARTS = ("summary", "discussion", "outcomes")


@dataclass
class Notes:
    """A session in an event, its host Ana (an attendee) and the notes page's address."""

    event: ApiEvent
    ana: str
    pitch: int
    client: httpx.Client  # a browser's own, keeping no cookie between requests

    def request(self, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
        self.client.cookies.clear()
        headers = {**_cookie(token), **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)

    @property
    def path(self) -> str:
        return f"/e/{self.event.slug}/notes/{self.pitch}"

    def open(self, token: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("GET", self.path, token, **kw)

    def form(self, token: str | None = None) -> dict[str, str]:
        """The fields of the notes form as a browser would send them unchanged."""
        page = self.open(token)
        assert page.status_code == 200, page.text
        return read_notes_form(page.text)

    def send(self, fields: dict[str, str], token: str | None = None, **headers: str) -> Any:
        return self.request("POST", self.path, token, data=fields, headers=headers)

    def saved(self) -> dict[str, Any]:
        notes = self.event.ok("GET", f"/pitches/{self.pitch}/notes", self.event.organiser)
        return dict(notes["content"])


def _cookie(token: str | None) -> dict[str, str]:
    return {"Cookie": f"snug_attendee={token}"} if token else {}


def read_notes_form(page: str) -> dict[str, str]:
    form = page[
        page.index('id="notes-form"') : page.index("</form>", page.index('id="notes-form"'))
    ]
    fields = {
        m[1]: html.unescape(m[2])
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }
    for name, text in re.findall(
        r'<textarea [^>]*name="(\w+)"[^>]*>\n(.*?)</textarea>', form, re.S
    ):
        fields[name] = html.unescape(text)
    assert set(PARTS) <= fields.keys() and "version" in fields, fields
    return fields


def errors_of(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "the page shows no error summary"
    return html.unescape(match.group(0))


@pytest.fixture
def page_client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        yield client


@pytest.fixture
def notes(make_event: Callable[..., ApiEvent], page_client: httpx.Client) -> Notes:
    event = make_event()
    ana = event.join("Ana")["token"]
    pitch = event.pitch(ana, "Mapping the commons", host="Ana")["id"]
    return Notes(event, ana, pitch, page_client)


def test_the_page_shows_the_session_and_a_form_that_saves(
    notes: Notes,
) -> None:
    page = notes.open(notes.ana)
    assert page.status_code == 200 and "Mapping the commons</h1>" in page.text
    assert "Not on the grid yet · Hosted by Ana" in page.text, page.text[
        page.text.index("session-meta") :
    ][:200]
    assert page.headers["cache-control"] == "private, no-cache"
    fields = read_notes_form(page.text)
    fields |= {"summary": "We mapped **benches**.", "discussion": "\r\nFirst line\r\nSecond"}
    answer = notes.send(fields, notes.ana)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"{notes.path}?done=saved"
    saved = notes.saved()
    # A browser sends line breaks as CRLF; the notes keep them as the live editor does.
    assert (saved["summary"], saved["discussion"]) == (
        "We mapped **benches**.",
        "\nFirst line\nSecond",
    )
    after = notes.open(notes.ana, params={"done": "saved"}).text
    assert "Your notes are saved." in after
    assert "<strong>benches</strong>" in after  # the preview, drawn from the Markdown
    # A text starting with a line break comes back whole in the form to send again.
    assert read_notes_form(after)["discussion"] == "\nFirst line\nSecond"


async def test_a_concurrent_live_edit_is_merged_and_reaches_open_editors(
    server: LiveServer, notes: Notes
) -> None:
    first = notes.form(notes.ana) | {"discussion": "Benches\nBins\nLamps"}
    assert notes.send(first, notes.ana).status_code == 303
    drawn = notes.form(notes.ana)  # the page drawn before someone types live
    async with connect(f"{server.ws_url}{notes.path}/live") as ws:
        phone = NotesPhone(ws)
        await phone.join(notes.ana)
        typed = NotesContent(discussion="Benches\nBins\nLamps and lights", outcomes="A map")
        assert (await phone.type(typed))["type"] == "ack"
        answer = notes.send(drawn | {"discussion": "Benches (12)\nBins\nLamps"}, notes.ana)
        assert answer.headers["location"] == f"{notes.path}?done=merged"
        # The open editor hears the saved change as it would hear someone typing.
        await phone.expect("update")
        expected = "Benches (12)\nBins\nLamps and lights"
        assert phone.content().discussion == expected
    assert notes.saved()["discussion"] == expected
    assert notes.saved()["outcomes"] == "A map"  # a part the form left alone isn't emptied
    assert "changes were merged" in notes.open(notes.ana, params={"done": "merged"}).text


async def test_both_versions_are_kept_where_both_changed_the_same_words(
    server: LiveServer, notes: Notes
) -> None:
    assert notes.send(notes.form(notes.ana) | {"summary": "Meet at ten"}, notes.ana).status_code
    drawn = notes.form(notes.ana)
    async with connect(f"{server.ws_url}{notes.path}/live") as ws:
        phone = NotesPhone(ws)
        await phone.join(notes.ana)
        assert (await phone.type(NotesContent(summary="Meet at noon")))["type"] == "ack"
    answer = notes.send(drawn | {"summary": "Meet at eleven"}, notes.ana)
    assert answer.headers["location"] == f"{notes.path}?done=both"
    assert notes.saved()["summary"] == "Meet at noon\nMeet at eleven"
    # Sent twice (a double tap), what was written is already there: nothing is added.
    again = notes.send(drawn | {"summary": "Meet at eleven"}, notes.ana)
    assert again.headers["location"] == f"{notes.path}?done=saved"
    assert notes.saved()["summary"] == "Meet at noon\nMeet at eleven"


def test_sending_the_same_form_twice_counts_once(notes: Notes) -> None:
    fields = notes.form(notes.ana) | {"outcomes": "A pilot in two wards"}
    for _ in range(2):
        assert notes.send(fields, notes.ana).status_code == 303
    assert notes.saved()["outcomes"] == "A pilot in two wards"
    history = notes.event.ok("GET", f"/pitches/{notes.pitch}/notes/versions", notes.ana)
    assert history == []


def test_notes_too_long_are_refused_and_the_text_is_kept(
    notes: Notes,
) -> None:
    fields = notes.form(notes.ana) | {"summary": "x" * 100_001}
    answer = notes.send(fields, notes.ana)
    assert answer.status_code == 413
    assert "the limit is 100,000" in errors_of(answer.text)
    assert 'href="#part-summary"' in answer.text and 'aria-invalid="true"' in answer.text
    assert read_notes_form(answer.text)["summary"] == "x" * 100_001  # nothing typed is lost
    assert notes.saved()["summary"] == ""
    # A form larger than any the page can make is refused before it is read.
    huge = notes.request(
        "POST",
        notes.path,
        notes.ana,
        content=b"summary=" + b"y" * 2_500_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413
    assert notes.saved()["summary"] == ""


def test_notes_marked_final_are_not_changed(notes: Notes) -> None:
    fields = notes.form(notes.ana) | {"summary": "Too late"}
    notes.event.ok("PUT", f"/pitches/{notes.pitch}/notes/final", notes.ana, json={"final": True})
    answer = notes.send(fields, notes.ana)
    assert answer.status_code == 409
    assert "marked final" in errors_of(answer.text)
    assert notes.saved()["summary"] == ""
    page = notes.open(notes.ana).text
    assert "readonly" in page and 'id="notes-save"' in page
    assert re.search(r'<div data-no-script hidden>\s*<p class="hint" id="save-hint">', page)


def test_who_may_read_and_write(notes: Notes) -> None:
    notes.send(notes.form(notes.ana) | {"summary": "Only for those there"}, notes.ana)
    # Someone who hasn't joined sees the session and the join form, not the notes.
    public = notes.open()
    assert public.status_code == 200 and "Mapping the commons</h1>" in public.text
    assert "Only for those there" not in public.text
    assert f'<input type="hidden" name="next" value="{notes.path}">' in public.text
    # Their form (from a page drawn while they had joined, say) changes nothing.
    refused = notes.send(notes.form(notes.ana) | {"summary": "Vandal"})
    assert refused.status_code == 403
    assert 'href="#join-name"' in refused.text
    # A form posted from another site is refused before anything.
    elsewhere = notes.send(
        notes.form(notes.ana) | {"summary": "Forged"}, notes.ana, **{"Sec-Fetch-Site": "cross-site"}
    )
    assert elsewhere.status_code == 403
    assert notes.saved()["summary"] == "Only for those there"
    # Staff write from their laptop's cookie; the public reads once the proceedings are out.
    staff = {"Cookie": f"snug_staff={notes.event.organiser}"}
    page = notes.request("GET", notes.path, headers=staff)
    fields = read_notes_form(page.text) | {"outcomes": "Written by a facilitator"}
    assert notes.request("POST", notes.path, data=fields, headers=staff).status_code == 303
    notes.event.ok("PUT", "/proceedings", notes.event.organiser, json={"published": True})
    published = notes.open().text
    assert "Only for those there" in published and "Written by a facilitator" in published
    assert "readonly" in published


def test_damaged_or_foreign_forms_change_nothing(notes: Notes) -> None:
    notes.send(notes.form(notes.ana) | {"summary": "Kept"}, notes.ana)
    fields = notes.form(notes.ana)
    tampered = fields | {"base-summary": "Something else", "summary": "Kept, changed"}
    answer = notes.send(tampered, notes.ana)
    assert answer.status_code == 422 and "changed on the way" in errors_of(answer.text)
    missing = {k: v for k, v in fields.items() if k != "discussion"}
    assert notes.send(missing, notes.ana).status_code == 422
    as_json = notes.request("POST", notes.path, notes.ana, json=fields)
    assert as_json.status_code == 422
    broken = notes.request(
        "POST",
        notes.path,
        notes.ana,
        content=b"summary=%FF%FE&version=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert broken.status_code == 422
    assert notes.saved()["summary"] == "Kept"
    # Control characters are dropped, as from every page Snug draws; the rest is saved.
    assert notes.send(fields | {"summary": "Kept\x00\x1b"}, notes.ana).status_code == 303
    assert notes.saved()["summary"] == "Kept"
    other = notes.request("POST", f"/e/{notes.event.slug}/notes/{2**40}", notes.ana, data=fields)
    assert other.status_code == 404


def test_joining_from_the_notes_page_comes_back_to_them(
    notes: Notes,
) -> None:
    page = notes.open()
    key = re.search(r'<input type="hidden" name="key" value="([^"]+)">', page.text)
    assert key is not None
    joined = notes.request(
        "POST",
        f"/e/{notes.event.slug}/join",
        data={"key": key[1], "name": "Bo", "next": notes.path},
    )
    assert joined.status_code == 303
    assert joined.headers["location"] == f"{notes.path}?done=joined"
    token = joined.cookies.get("snug_attendee", path=f"/e/{notes.event.slug}")
    back = notes.open(token, params={"done": "joined"})
    assert "You can write in these notes now." in back.text
    fields = read_notes_form(back.text) | {"summary": "Bo was here"}
    assert notes.send(fields, token).status_code == 303
    assert notes.saved()["summary"] == "Bo was here"
