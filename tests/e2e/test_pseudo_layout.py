"""The pages hold together when their words run 40% longer, as a translation's often do: on a
phone (360 by 640), the event page and the organiser's page in the pseudo-language
(tests/language/pseudo.py), scripts running, never scroll sideways."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, bearer, make_event, no_sideways_scroll, sign_in
from tests.language.pseudo import CODE
from tests.language.test_pseudo import pseudo_server

__all__ = ["pseudo_server"]  # the fixture, used by name


def _phone(browser: Any, server: LiveServer) -> Any:
    context = browser.new_context(**PHONE)
    context.add_cookies([{"name": "snug_language", "value": CODE, "url": server.url}])
    return context


def test_the_event_and_manage_pages_fit_a_phone_in_longer_words(
    browser: Any, pseudo_server: LiveServer
) -> None:
    server = pseudo_server
    ev = make_event(server, "Longer words", languages=[CODE])
    api = httpx.Client(base_url=server.url, timeout=10)
    try:
        opened = api.patch(
            f"/api/e/{ev.slug}",
            json={"pitching_open": True, "voting_open": True},
            headers=ev.auth(),
        )
        assert opened.status_code == 200, opened.text
        joined = api.post(f"/api/e/{ev.slug}/attendees", json={"name": "Ana"})
        assert joined.status_code == 201, joined.text
        token = joined.json()["token"]
        for title in ("Mapping", "Gardens"):
            made = api.post(
                f"/api/e/{ev.slug}/pitches", json={"title": title}, headers=bearer(token)
            )
            assert made.status_code == 201, made.text
    finally:
        api.close()

    for key, path in ((token, f"/e/{ev.slug}"), (ev.key, f"/e/{ev.slug}/organise")):
        context = _phone(browser, server)
        try:
            sign_in(context, server, ev.slug, key)
            page = context.new_page()
            page.goto(f"{server.url}{path}")
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == CODE
            assert "\u27e6" in page.inner_text("main"), f"{path} not in the pseudo-language"
            no_sideways_scroll(page)
        finally:
            context.close()
