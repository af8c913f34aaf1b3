"""The shared screens (the projector, now and next, the board) speak their event's languages,
not their viewer's: both when the event is bilingual, Welsh first, each marked with its
language so a screen reader changes voice; the one language otherwise. People's words (titles,
room names) are shown as written, in neither language's marking."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import ApiEvent

AT = "2026-11-23T10:10"  # before the grid's second slot, where the pitch is placed
WHEN = [("Nesaf", "am 11:00"), ("Next", "at 11:00")]


def _screens(make_event: Callable[..., ApiEvent], languages: list[str]) -> tuple[ApiEvent, str]:
    """An event in these languages with a published grid: one pitch, placed after now."""
    ev = make_event()
    ev.edit(languages=languages)
    title = "Tea & talk"
    pitch = ev.pitch(ev.organiser, title)["id"]
    state = ev.state(ev.organiser)
    room, slot = state["rooms"][0], state["slots"][1]
    version = state["draft"]["version"]
    cell = {"pitch": pitch, "room": room["id"], "slot": slot["id"]}
    ev.ok("POST", "/grid/move", ev.organiser, json={"version": version, **cell})
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": version + 1})
    return ev, room["name"]


def _get(http: httpx.Client, path: str, viewer: str) -> str:
    """A screen as someone who chose ``viewer`` for themselves sees it."""
    answer = http.get(path, headers={"Cookie": f"snug_language={viewer}"})
    assert answer.status_code == 200, answer.text
    return answer.text


def _body(page: str) -> str:
    return page.split("<body", 1)[1]


def _pair(cy: str, en: str) -> str:
    """Both, Welsh first; the slash between is for the eye alone."""
    slash = '<span class="both-sep" aria-hidden="true">/</span>'
    return (
        f'<span class="both"><span lang="cy">{cy}</span> {slash} <span lang="en">{en}</span></span>'
    )


def test_a_bilingual_event_s_screens_say_everything_in_welsh_then_english(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev, room = _screens(make_event, ["cy", "en"])
    screen = _get(http, f"/e/{ev.slug}/screen", "en")
    now = _get(http, f"/e/{ev.slug}/now?at={AT}", "en")
    board = _get(http, f"/e/{ev.slug}/board?at={AT}", "en")
    for page in (screen, now, board):
        assert page.startswith('<!doctype html>\n<html lang="cy"')  # the first language
        assert 'data-languages="cy en"' in page
        marked = re.findall(r'lang="(cy|en)"', _body(page))
        assert marked and marked == ["cy", "en"] * (len(marked) // 2)  # always Welsh, then English
        live = "Ddim yn fyw: mae\u2019r dudalen hon yn ail-lwytho ei hun bob hanner munud"
        assert _pair(live, "Not live: this page reloads itself every half minute") in page
    assert f'<h2 id="join-heading">{_pair("Sganiwch i ymuno", "Scan to join")}</h2>' in screen
    assert f'<h2 id="ranking-heading">{_pair("Y mwyaf o ddotiau", "Most dots")}</h2>' in screen
    assert _pair("Cynnig ar agor", "Pitching open") in screen
    assert '<span class="t">Tea &amp; talk</span>' in screen  # a title as written, once
    assert f'<span class="now-sub">{_pair("Nawr a nesaf", "Now and next")}</span>' in now
    assert '<h2 id="room-' in now and f">{room}</h2>" in now
    welsh, english = (f'{w} <span class="when">{t}</span>' for w, t in WHEN)
    assert f'<p class="lbl">{_pair(welsh, english)}</p>' in now
    assert '<span class="next-title">Tea &amp; talk</span>' in now
    assert f'<th scope="col" class="corner">{_pair("Amser", "Time")}</th>' in board
    assert f'<span class="now-sub">{_pair("Y grid cyfan", "The whole grid")}</span>' in board
    assert '<span class="b-title">Tea &amp; talk</span>' in board
    assert "<title>" in board and " - y grid cyfan</title>" in board


def test_a_welsh_event_s_screens_are_in_welsh_whoever_looks(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev, _room = _screens(make_event, ["cy"])
    screen = _get(http, f"/e/{ev.slug}/screen", "en")
    now = _get(http, f"/e/{ev.slug}/now?at={AT}", "en")
    board = _get(http, f"/e/{ev.slug}/board?at={AT}", "en")
    for page in (screen, now, board):
        assert page.startswith('<!doctype html>\n<html lang="cy"')
        assert 'lang="en"' not in page and "<span lang=" not in page
        assert "Not live" not in page and "Ddim yn fyw" in page
    assert '<h2 id="join-heading">Sganiwch i ymuno</h2>' in screen
    # The test server's links point at this computer: the warning is said where the page is
    # drawn, in its language (the snapshot carries only the address).
    english = _get(http, f"/e/{make_event(languages=['en']).slug}/screen", "en")
    assert "Join links and QR codes point at" in english
    assert "Mae dolenni ymuno a chodau QR yn pwyntio at" in _get(http, f"/e/{ev.slug}/screen", "en")
    assert '<p class="lbl">Nesaf <span class="when">am 11:00</span></p>' in now
    assert '<th scope="col" class="corner">Amser</th>' in board


@pytest.mark.parametrize("viewer", ["cy", "en"])
def test_an_english_event_s_screens_are_in_english_whoever_looks(
    http: httpx.Client, make_event: Callable[..., ApiEvent], viewer: str
) -> None:
    ev, _room = _screens(make_event, ["en"])
    screen = _get(http, f"/e/{ev.slug}/screen", viewer)
    now = _get(http, f"/e/{ev.slug}/now?at={AT}", viewer)
    board = _get(http, f"/e/{ev.slug}/board?at={AT}", viewer)
    for page in (screen, now, board):
        assert page.startswith('<!doctype html>\n<html lang="en"')
        assert "<span lang=" not in page and 'lang="cy"' not in page
        assert "Ddim yn fyw" not in page and "Not live" in page
    assert '<h2 id="join-heading">Scan to join</h2>' in screen
    assert '<p class="lbl">Next <span class="when">at 11:00</span></p>' in now
    assert '<th scope="col" class="corner">Time</th>' in board
    assert "Sganiwch" not in screen and "Nesaf" not in now and "Amser" not in board
