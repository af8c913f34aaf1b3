"""An attendee downloads everything Snug holds of them from their own page, with JavaScript
and without: the button is a plain link, and the file is theirs alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, make_event, sign_in
from tests.e2e.test_live_fallback import place_dot

DOWNLOAD_WITHIN = 15_000  # ms


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_my_data_downloads_from_my_page(server: LiveServer, browser: Any, script: bool) -> None:
    event = make_event(server, f"My data camp {script}")
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    pitch = httpx.post(
        f"{base}/pitches", json={"title": "Open data", "host": "Ann"}, headers=event.auth()
    ).json()["id"]
    mine, theirs = (httpx.post(f"{base}/attendees", json={"name": n}).json() for n in "AB")
    for token in (mine["token"], theirs["token"]):
        place_dot(server, event, token, pitch)

    context = browser.new_context(**PHONE, java_script_enabled=script, accept_downloads=True)
    sign_in(context, server, event.slug, mine["token"])
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}", wait_until="domcontentloaded")
    button = page.get_by_role("link", name="Download my data")
    expect(button).to_be_visible()
    with page.expect_download(timeout=DOWNLOAD_WITHIN) as downloading:
        button.click()
    download = downloading.value
    assert download.suggested_filename == f"{event.slug}-my-data.json"
    found = json.loads(Path(download.path()).read_text())
    assert found["event"] == event.slug
    assert found["you"]["name"] == "A"
    # Both placed a dot on the same pitch: the file holds this attendee's one dot, not both.
    assert [dot["pitch"] for dot in found["you"]["dots"]] == [pitch]
    assert page.url == f"{server.url}/e/{event.slug}"  # the page stays; only a file came
    context.close()
