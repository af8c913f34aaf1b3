"""The proceedings in Chromium: the organiser publishes them and downloads a file from the
organiser's page, and a reader opens the public link on a phone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from playwright.sync_api import expect

from server.notes.document import Action, NotesContent
from tests.conftest import LiveServer
from tests.e2e.conftest import (
    PHONE,
    check_axe,
    check_drawn,
    fail_on_dialogs,
    make_event,
    no_sideways_scroll,
)
from tests.exports.proceedings_helpers import add_photo, write_notes

TITLE = "Buying cloud services without a 300-page tender"
NOTES = NotesContent(
    summary="We agreed to **try a sprint-based buy** for one service.\n\n<script>alert(1)</script>",
    discussion="- Risk appetite differs a lot\n- See [the playbook](https://example.org/playbook)",
    outcomes="A pilot in two departments by the summer.",
    actions=(Action("Write up the pilot plan", "Priya"), Action("Ask legal about it", "Tom")),
)


def _prepare(server: LiveServer) -> tuple[Any, int]:
    event = make_event(server, "Spring camp", venue="The Library")
    api = f"{server.url}/api/e/{event.slug}"
    with httpx.Client(timeout=20) as client:
        state = client.get(api, headers=event.auth()).json()
        made = client.post(
            f"{api}/pitches", json={"title": TITLE, "host": "Priya"}, headers=event.auth()
        )
        pitch = int(made.json()["id"])
        version = state["draft"]["version"]
        cell = {"pitch": pitch, "room": state["rooms"][0]["id"], "slot": state["slots"][0]["id"]}
        client.post(f"{api}/grid/move", json={"version": version, **cell}, headers=event.auth())
        publish = {"version": version + 1}
        client.post(f"{api}/grid/publish", json=publish, headers=event.auth()).raise_for_status()
        person = client.post(f"{api}/attendees", json={"name": "Priya"}).json()["token"]
        write_notes(server, event.slug, pitch, person, NOTES)
        with httpx.Client(base_url=server.url, timeout=20) as base:
            add_photo(base, event.slug, pitch, person, "The flipchart at the end")
    return event, pitch


def test_the_organiser_publishes_and_a_reader_opens_the_link_on_a_phone(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, pitch = _prepare(server)
    desk = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = desk.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/e/{event.slug}/organise#key={event.key}")
    section = page.locator("#proceedings")
    expect(section.locator("#proceedings-state")).to_have_text(
        "Not published: only you and the facilitators can see them."
    )
    public = f"{server.url}/e/{event.slug}/proceedings"
    assert httpx.get(public).status_code == 404
    attendee = browser.new_context(**PHONE).new_page()
    attendee.goto(f"{server.url}/e/{event.slug}")
    expect(attendee.locator("#conn")).to_have_text("Live")
    expect(attendee.locator("#proceedings-link")).to_be_hidden()

    with page.expect_download() as downloading:
        section.get_by_role("button", name="Download Markdown").click()
    download = downloading.value
    assert download.suggested_filename == f"{event.slug}-proceedings.md"
    assert f"### {TITLE}" in Path(download.path()).read_text()
    expect(section.locator("#download-status")).to_have_text(
        f"Downloaded {event.slug}-proceedings.md."
    )

    section.get_by_role("button", name="Publish the proceedings").click()
    expect(section.locator("#proceedings-state")).to_have_text(
        "Published: anyone with the link can read them."
    )
    expect(section.locator("#proceedings-link code")).to_have_text(public)
    # Phones hear of it at once: the event page offers the proceedings without a reload.
    news = attendee.get_by_role("link", name="read the proceedings")
    expect(news).to_be_visible()
    assert news.get_attribute("href") == f"/e/{event.slug}/proceedings"
    attendee.context.close()
    expect(section.get_by_role("button", name="Make the proceedings private")).to_be_visible()
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(results_dir / "proceedings-organiser.png"))
    check_axe(page)

    data = page.locator("#organiser-data")
    with page.expect_download() as downloading:
        data.get_by_role("button", name="Download the archive").click()
    archive = json.loads(Path(downloading.value.path()).read_text())
    assert archive["format"] == "snug-event-archive" and archive["event"]["slug"] == event.slug
    expect(data.locator("#archive-status")).to_contain_text("Downloaded snug-")
    link = section.get_by_role("link", name="Open the proceedings")
    assert link.get_attribute("href") == public
    assert errors == []
    desk.close()

    phone = browser.new_context(**PHONE)
    reader = phone.new_page()
    dialogs: list[str] = []
    fail_on_dialogs(reader, dialogs)
    console: list[str] = []
    reader.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    answer = reader.goto(public)
    assert answer is not None and answer.status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text("Spring camp")
    article = reader.locator(f"#session-{pitch}")
    expect(article.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(article.locator("strong")).to_have_text("try a sprint-based buy")
    expect(article).to_contain_text("<script>alert(1)</script>")
    expect(article.locator("figure img")).to_have_js_property("complete", True)
    assert article.locator("figure img").evaluate("img => img.naturalWidth") > 0
    no_sideways_scroll(reader)
    check_axe(reader)
    reader.screenshot(path=str(results_dir / "proceedings-360.png"), full_page=True)

    own_page = f"This session\u2019s write-up on its own page ({TITLE})"
    article.get_by_role("link", name=own_page, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    no_sideways_scroll(reader)
    check_axe(reader)
    reader.screenshot(path=str(results_dir / "proceedings-writeup-360.png"), full_page=True)
    assert dialogs == [] and console == []
    phone.close()


def test_proceedings_and_posters_work_with_javascript_off(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    """Both are drawn on the server: a reader whose browser runs no script reads the write-ups,
    follows a session's own page, and opens each poster and its PDF."""
    event, pitch = _prepare(server)
    api = f"{server.url}/api/e/{event.slug}/proceedings"
    httpx.put(api, json={"published": True}, headers=event.auth()).raise_for_status()
    context = browser.new_context(**PHONE, java_script_enabled=False)
    reader = context.new_page()
    answer = reader.goto(f"{server.url}/e/{event.slug}/proceedings")
    assert answer is not None and answer.status == 200
    article = reader.locator(f"#session-{pitch}")
    expect(article.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(article.locator("strong")).to_have_text("try a sprint-based buy")
    check_drawn(browser, reader, False)
    reader.screenshot(path=str(results_dir / "no-script-proceedings-360.png"), full_page=True)
    own_page = f"This session\u2019s write-up on its own page ({TITLE})"
    article.get_by_role("link", name=own_page, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_drawn(browser, reader, False)

    answer = reader.goto(f"{server.url}/e/{event.slug}/posters")
    assert answer is not None and answer.status == 200
    links = reader.locator("main a")
    assert links.count() >= 2
    check_drawn(browser, reader, False)
    reader.screenshot(path=str(results_dir / "no-script-posters-360.png"), full_page=True)
    for href in {links.nth(i).get_attribute("href") for i in range(links.count())}:
        assert href is not None
        opened = context.request.get(urljoin(reader.url, href))
        assert opened.ok, href
    context.close()
