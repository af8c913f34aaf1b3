"""The releases page as plain forms: the preview in words, rolling back and unpublishing each
asked first, comparing two releases; refused to anyone but staff."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.conftest import ApiEvent
from tests.http.test_grid import make_grid
from tests.pages.test_staff_pages import browser, staff

__all__ = ["browser"]  # the fixture, used by name


def test_preview_rollback_and_unpublish_without_script(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    g = make_grid(make_event, hosts=["Ann", "Bo"])
    g.move(g.pitches[0], "Great Hall", "One")
    g.do("publish")
    g.move(g.pitches[0], "Snug", "Two")
    here = f"/e/{g.ev.slug}/grid/releases"
    page = browser.get(here, headers=staff(g.fac))
    assert "Attendees see release 1." in page.text
    assert "“Idea A” moves from Great Hall, 10:00 to 10:45, One to Snug, 11:00 to 11:45, Two." in (
        page.text.replace("&#34;", '"')
    )
    assert "Yes, publish release 2" in page.text

    def post(path: str, **fields: str) -> httpx.Response:
        data = {"key": path, "version": str(g.version()), **fields}
        return browser.post(
            f"/e/{g.ev.slug}/grid/{path}", data=data, headers=staff(g.fac), follow_redirects=False
        )

    assert post("publish").status_code == 303
    asked = browser.get(f"{here}?rollback=1", headers=staff(g.fac))
    assert "Roll back to release 1?" in asked.text and "Yes, roll back to release 1" in asked.text
    assert post("rollback", release="1").headers["location"] == f"{here}?done=rolled-back"
    assert g.ev.state()["grid"]["placements"][0]["room"] == g.rooms["Great Hall"]
    compared = browser.get(f"{here}?from=2&to=3", headers=staff(g.fac))
    assert "From release 2 to release 3" in compared.text
    missing = browser.get(f"{here}?rollback=9", headers=staff(g.fac))
    assert missing.status_code == 200 and "There is no release 9" in missing.text
    warned = browser.get(f"{here}?unpublish=confirm", headers=staff(g.fac))
    assert "Warning:" in warned.text and "Yes, unpublish the grid" in warned.text
    assert post("unpublish").headers["location"] == f"{here}?done=unpublished"
    assert g.ev.state()["grid"]["live"] is False
    stale = browser.post(
        f"/e/{g.ev.slug}/grid/rollback",
        data={"key": "k2", "version": "0", "release": "1"},
        headers=staff(g.fac),
    )
    assert stale.status_code == 409 and "Someone else changed the grid" in stale.text


def test_the_releases_page_shows_nothing_to_attendees(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    g = make_grid(make_event, hosts=["Ann"])
    g.move(g.pitches[0], "Great Hall", "One")
    g.do("publish")
    sam = g.vote("Sam")
    page = browser.get(f"/e/{g.ev.slug}/grid/releases", headers={"Cookie": f"snug_staff={sam}"})
    assert "This link does not let you publish the grid" in page.text
    assert "Idea A" not in page.text
    refused = browser.post(
        f"/e/{g.ev.slug}/grid/unpublish",
        data={"key": "k", "version": str(g.version())},
        headers={"Cookie": f"snug_staff={sam}"},
    )
    assert refused.status_code == 403
    assert g.ev.state()["grid"]["live"] is True
