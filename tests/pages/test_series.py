"""Running an event again from the organiser's page without script (the form, the page that
asks to confirm, the next event's organiser page), and the series page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import ApiEvent, LiveServer, unique_name

PAGE = {"Accept": "text/html"}


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=PAGE, timeout=20) as client:
        yield client


def signed_in(browser: httpx.Client, ev: ApiEvent) -> httpx.Response:
    """The organiser's page, with this browser signed in as the organiser."""
    browser.post(f"/e/{ev.slug}/sign-in", data={"key": "k", "link": ev.links["organise"]})
    return browser.get(f"/e/{ev.slug}/organise")


def drawn(page: httpx.Response, name: str) -> str:
    found = re.search(rf'id="again-form".*?name="{name}"[^>]*value="([^"]*)"', page.text, re.S)
    assert found, page.text
    return found.group(1)


def count_events(ev: ApiEvent, slug: str) -> int:
    return ev.client.get(f"/api/e/{slug}").status_code


def test_the_organiser_checks_confirms_and_lands_on_the_next_event(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(name=unique_name("Camp 2026"))
    page = signed_in(browser, ev)
    assert drawn(page, "name") == ev.state()["event"]["name"].replace("2026", "2027")
    assert drawn(page, "date") == "2027-11-23"
    slug = unique_name("camp").replace(" ", "-").lower()
    fields = {"key": drawn(page, "key"), "name": "Camp next", "date": "2027-06-01", "slug": slug}

    asked = browser.post(f"/e/{ev.slug}/again", data=fields)
    assert asked.status_code == 200 and "Run it again as Camp next?" in asked.text
    assert "2 rooms" in asked.text and "1 June 2027" in asked.text
    assert count_events(ev, slug) == 404  # nothing is made until it is confirmed

    confirmed = {**fields, "confirm": "yes"}
    answers = [
        browser.post(f"/e/{ev.slug}/again", data=confirmed, follow_redirects=False)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [303, 303]
    assert {a.headers["location"] for a in answers} == {f"/e/{slug}/organise?done=again"}
    landed = browser.get(f"/e/{slug}/organise?done=again")
    assert "You are the organiser of this event." in landed.text
    assert "This is the next event of the series." in landed.text
    assert count_events(ev, f"{slug}-2") == 404  # sent twice, made once

    series = browser.get(f"/e/{slug}/series")
    listed = re.findall(r'<h2><a href="/e/([^"]+)">', series.text)
    assert series.status_code == 200 and listed == [ev.slug, slug]
    assert 'href="/e/' + ev.slug + '/series"' in browser.get(f"/e/{ev.slug}").text


def test_proceedings_are_linked_once_published(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    made = ev.ok("POST", "/again", ev.organiser, status=201, json={})
    series = browser.get(f"/e/{ev.slug}/series").text
    assert "/proceedings" not in series and made["slug"] in series
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    series = browser.get(f"/e/{made['slug']}/series").text
    assert f'href="/e/{ev.slug}/proceedings"' in series
    assert f'href="/e/{made["slug"]}/proceedings"' not in series


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "date": "2027-11-23"}, "again-name"),
        ({"name": "Next", "date": "soon"}, "again-date"),
        ({"name": "Next", "date": "2027-11-23", "slug": "Not ok"}, "again-slug"),
    ],
)
def test_a_bad_form_is_shown_again_with_its_problems(
    browser: httpx.Client,
    make_event: Callable[..., ApiEvent],
    fields: dict[str, str],
    field: str,
) -> None:
    ev = make_event()
    signed_in(browser, ev)
    answer = browser.post(f"/e/{ev.slug}/again", data={"key": "k" * 8, **fields, "confirm": "yes"})
    assert answer.status_code == 422 and "There is a problem" in answer.text
    assert f'href="#{field}"' in answer.text and 'id="again-form"' in answer.text


def test_a_date_before_the_event_is_refused_on_the_page(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    signed_in(browser, ev)
    fields = {"key": "k" * 8, "name": "Before", "date": "2026-01-01", "confirm": "yes"}
    answer = browser.post(f"/e/{ev.slug}/again", data=fields)
    assert answer.status_code == 422 and "must be after this one" in answer.text
    assert "/series" not in browser.get(f"/e/{ev.slug}").text


def test_only_the_organiser_runs_it_again(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    fields = {"key": "k" * 8, "name": "Next", "date": "2027-11-23", "confirm": "yes"}
    for who in (f"snug_staff={ev.facilitator()}", ""):
        answer = browser.post(f"/e/{ev.slug}/again", data=fields, headers={"Cookie": who})
        assert answer.status_code == 403 and "Only the event" in answer.text
        assert 'id="again-form"' not in answer.text
    page = browser.get(
        f"/e/{ev.slug}/facilitate", headers={"Cookie": f"snug_staff={ev.facilitator()}"}
    )
    assert 'id="again-form"' not in page.text
    assert "/series" not in browser.get(f"/e/{ev.slug}").text


def _carried(page: httpx.Response) -> list[str]:
    """The actions the page shows as still to do from the event before."""
    section = re.search(r'<section id="carried".*?</section>', page.text, re.S)
    return re.findall(r'<span class="what">([^<]*)</span>', section.group(0)) if section else []


def test_the_next_event_opens_with_the_last_ones_open_actions(
    http: httpx.Client, browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(languages=["cy", "en"])
    ana = ev.join("Ana")["token"]
    pitch = ev.pitch(ana, "Open data")["id"]
    for what in ("Draft the plan", "Thank the venue"):
        added = http.post(
            f"/e/{ev.slug}/notes/{pitch}/actions",
            data={"what": what, "owner": "Priya", "due": "2030-01-31"},
            headers={"Cookie": f"snug_attendee={ana}"},
        )
        assert added.status_code == 303, added.text
    done = ev.ok("GET", "/actions", ev.organiser)[1]["id"]
    ev.ok("PUT", f"/actions/{done}/status", ev.organiser, json={"status": "done"})
    slug = ev.ok("POST", "/again", ev.organiser, status=201, json={})["slug"]
    following = ApiEvent(ev.client, slug, ev.organiser, ev.links)

    # The organiser link of the first event opens the next (server/series/again.py).
    assert _carried(signed_in(browser, following)) == ["Draft the plan"]
    bo = following.join("Bo")["token"]
    attendee = http.get(f"/e/{slug}", headers={**PAGE, "Cookie": f"snug_attendee={bo}"})
    assert _carried(attendee) == ["Draft the plan"]

    screen = http.get(f"/e/{slug}/screen")
    assert _carried(screen) == [], "not public until the event before is"
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    screen = http.get(f"/e/{slug}/screen")
    assert _carried(screen) == ["Draft the plan"]
    heading = re.search(r'<h2 id="carried-heading">(.*?)</h2>', screen.text, re.S)
    assert heading and '<span lang="cy">' in heading.group(1), "both languages, Welsh first"

    following.pitch(bo, "Maps")  # the day has begun: the dots take the screen
    assert _carried(http.get(f"/e/{slug}/screen")) == []
    assert _carried(browser.get(f"/e/{slug}/organise")) == ["Draft the plan"]
