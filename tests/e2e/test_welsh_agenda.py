"""The agenda and a place in a small room on a phone in Welsh, at 360x640, with script and
without: choosing a full session puts the phone on the list, and a place coming free promotes
it; every sentence is the catalogue's Welsh, in the same numbers on the agenda and the grid,
and the page passes axe."""

# ruff: noqa: RUF001  (Welsh is written with its typographic apostrophe, as the .po has it)
from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, bearer, check_drawn, sign_in
from tests.e2e.test_seats import small_room

# What the agenda would say in English, if any of it missed the catalogue.
ENGLISH = ("place taken", "on the list", "Full:", "Save", "agenda is saved", "Leave the list")


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_the_agenda_and_a_place_in_welsh_on_a_phone(
    server: LiveServer, browser: Any, script: bool
) -> None:
    base, (seated, token), pitch, event = small_room(server, languages=["cy", "en"])
    context = browser.new_context(**PHONE, java_script_enabled=script)
    sign_in(context, server, event.slug, token)
    phone = context.new_page()
    phone.goto(f"{server.url}/language/cy?back=/e/{event.slug}")
    phone.wait_for_url(f"{server.url}/e/{event.slug}")
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    agenda, seat = phone.locator("#agenda"), phone.locator(".g-seat")
    expect(phone.locator("#moment-now")).to_have_text(
        "Mae’r sesiynau wedi dod i ben: diolch am ddod."
    )
    expect(agenda).to_contain_text("1 o 1 lle wedi’u cymryd")
    expect(phone.locator("#grid-list")).to_contain_text("1 o 1 lle wedi’u cymryd")
    expect(seat.locator(".seat-words")).to_have_text("Llawn: gallwch ymuno â’r rhestr.")

    agenda.get_by_label("Small talk").check()
    if not script:
        agenda.get_by_role("button", name="Cadw fy newis").first.click()
        expect(phone.locator("#done")).to_have_text("Mae eich agenda wedi’i chadw.")
    expect(agenda.locator(".g-standing")).to_have_text("Chi yw rhif 1 ar y rhestr.")
    expect(seat.locator(".seat-words")).to_contain_text("Chi yw rhif 1 ar y rhestr.")
    expect(agenda).to_contain_text("1 o 1 lle wedi’u cymryd, 1 ar y rhestr")
    expect(seat.get_by_role("button")).to_contain_text("Gadael y rhestr")
    check_drawn(browser, phone, script)

    httpx.delete(f"{base}/me/seats/{pitch}", headers=bearer(seated)).raise_for_status()
    if script:
        expect(phone.locator("#notices")).to_contain_text(
            "Daeth lle’n rhydd yn “Small talk”: eich lle chi yw e nawr."
        )
    else:
        phone.reload()
    expect(agenda.locator(".g-standing")).to_have_text("Daeth lle’n rhydd: mae gennych le.")
    expect(seat.get_by_role("button")).to_contain_text("Ildio fy lle")
    said = phone.locator("main").inner_text()
    assert [words for words in ENGLISH if words in said] == []
    check_drawn(browser, phone, script)
    context.close()
