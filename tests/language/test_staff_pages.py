"""The organiser's and facilitator's pages in Welsh, drawn by the running app: the manage page,
the grid editor, the releases page and a session's notes say their own words in Welsh, counts
in the Welsh plural forms, and none of the English sentences is left behind. Each English
sentence is first seen on the English page, so its absence from the Welsh one means it was
translated, not that the page failed to draw it."""

from __future__ import annotations

import html
from collections.abc import Callable

import httpx

from tests.conftest import ApiEvent
from tests.http.test_grid import Grid, make_grid
from tests.pages.test_staff_pages import browser

__all__ = ["browser"]  # the fixture, used by name

BILINGUAL = ["cy", "en"]  # an event held in Welsh and English: its pages speak either


def read(
    client: httpx.Client, path: str, language: str, staff: str = "", attendee: str = ""
) -> str:
    cookies = [f"snug_language={language}"]
    if staff:
        cookies.append(f"snug_staff={staff}")
    if attendee:
        cookies.append(f"snug_attendee={attendee}")
    client.cookies.clear()
    answer = client.get(path, headers={"Cookie": "; ".join(cookies)})
    assert answer.status_code == 200, answer.text
    return html.unescape(answer.text)


def in_both(
    client: httpx.Client, path: str, english: list[str], welsh: list[str], **who: str
) -> str:
    """The page in English says each English sentence; in Welsh, each Welsh one and none of
    the English. Returns the Welsh page."""
    en = read(client, path, "en", **who)
    cy = read(client, path, "cy", **who)
    assert '<html lang="cy"' in cy
    for sentence in english:
        assert sentence in en, f"{sentence!r} not on the English page {path}"
        assert sentence not in cy, f"{sentence!r} left in English on the Welsh page {path}"
    for sentence in welsh:
        assert sentence in cy, f"{sentence!r} missing from the Welsh page {path}"
        assert sentence not in en, f"{sentence!r} on the English page {path}"
    return cy


def test_the_manage_page_in_welsh(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(languages=BILINGUAL)
    in_both(
        browser,
        f"/e/{ev.slug}/organise",
        [
            "You are the organiser of this event.",
            "Sign out of this device",
            'aria-label="On this page"',
            ">Pitching is open</strong>",
            "Close pitching",
            "Open voting",
            "Everyone sees the running totals",
            "Dots for each attendee",
            "Let people put several dots on one session",
            ">Links and QR code<",
            "Make a facilitator link",
            ">Discussion<",
            "Download the archive",
            "To confirm, type the event's address:",
            "This can't be undone.",
            "Not live: reload the page to see the latest",
        ],
        [
            "Chi yw trefnydd y digwyddiad hwn.",
            "Allgofnodi o\u2019r ddyfais hon",
            'aria-label="Ar y dudalen hon"',
            ">Mae\u2019r cynnig ar agor</strong>",
            "Cau\u2019r cynnig",
            "Agor y pleidleisio",
            "Dotiau i bob mynychwr",
            "Gwneud dolen hwylusydd",
            ">Trafodaeth<",
            "Lawrlwytho\u2019r archif",
            "I gadarnhau, teipiwch gyfeiriad y digwyddiad:",
            '<a id="board-link" href="/e/' + ev.slug + '/board">Y grid cyfan</a>',
        ],
        staff=ev.organiser,
    )
    facilitator = read(browser, f"/e/{ev.slug}/facilitate", "cy", staff=ev.facilitator())
    assert "Rydych chi\u2019n hwylusydd y digwyddiad hwn." in facilitator
    assert "You are a facilitator" not in facilitator


def voted_grid(make_event: Callable[..., ApiEvent]) -> Grid:
    """Idea A with two votes, placed and published, then moved: one change not yet
    published."""
    g = make_grid(make_event, hosts=["Ann", "Bo"], languages=BILINGUAL)
    g.vote("Cai", g.pitches[0])
    g.vote("Del", g.pitches[0])
    g.move(g.pitches[0], "Great Hall", "One")
    g.do("publish")
    g.move(g.pitches[0], "Snug", "Two")
    return g


def test_the_grid_editor_in_welsh_counts_in_welsh_forms(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    g = voted_grid(make_event)
    cy = in_both(
        browser,
        f"/e/{g.ev.slug}/grid",
        [
            "Published. 1 change not yet published.",
            "Back to the event\u2019s management page",
            "Rooms and time slots",
            "Grid of rooms and time slots (scrolls sideways)",
            "2 votes, 2 seats",
            "Place and move sessions",
            "Not on the grid · 0 dots",
            "Hosted by Bo",
            "Break: Lunch (no sessions)",
            "Take off the grid",
            "Change rooms and slots",
            "Seats in the new room",
            ">A plenary<",
            "Add the time slot",
            "Snug: made for unconferences.",
        ],
        [
            "Wedi\u2019i gyhoeddi. 1 newid heb ei gyhoeddi eto.",
            "Yn ôl i dudalen reoli\u2019r digwyddiad",
            'aria-label="Grid o ystafelloedd a slotiau amser (yn sgrolio i\u2019r ochr)"',
            # the two forms Welsh mutates after two: "dwy bleidlais", "dau ddot"
            "2 bleidlais, 2 sedd",
            "2 ddot",
            "Ddim ar y grid · 0 dot",
            "Yn cael ei chynnal gan Bo",
            "Egwyl: Lunch (dim sesiynau)",
            "Tynnu oddi ar y grid",
            "Seddi yn yr ystafell newydd",
            ">Sesiwn lawn<",
            'Gosod<span class="visually-hidden"> “Idea B”</span>',
        ],
        staff=g.fac,
    )
    assert 'href="/language/en' in cy  # the grid's own header offers the toggle too


def test_the_releases_page_in_welsh(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    g = voted_grid(make_event)
    here = f"/e/{g.ev.slug}/grid/releases"
    cy = in_both(
        browser,
        here,
        [
            "Releases of the grid",
            "Attendees see release 1. Your edits stay in the draft until you publish.",
            "What changes since release 1",
            "Publishing sends one notice",
            "Yes, publish release 2",
            "Unpublish the grid",
            "1 session on the grid",
            "Back to the grid editor",
        ],
        [
            "Rhyddhadau\u2019r grid",
            "Mae\u2019r mynychwyr yn gweld rhyddhad 1.",
            "Beth sy\u2019n newid ers rhyddhad 1",
            "Ydw, cyhoeddi rhyddhad 2",
            "Dad-gyhoeddi\u2019r grid",
            "1 sesiwn ar y grid",
        ],
        staff=g.fac,
    )
    assert 'href="/language/en' in cy  # a bilingual event's staff may turn back to English
    g.do("publish")
    in_both(
        browser,
        f"{here}?from=1&to=2&rollback=1&unpublish=confirm",
        [
            "Roll back to release 1?",
            "Yes, roll back to release 1",
            "From release 1 to release 2",
            "Compare with release 1",
            "1 change from the one before",
            "(latest)",
            "every phone stops showing the grid",
        ],
        [
            "Mynd yn ôl i ryddhad 1?",
            "Ydw, mynd yn ôl i ryddhad 1",
            "O ryddhad 1 i ryddhad 2",
            "Cymharu â rhyddhad 1",
            "1 newid o\u2019r un blaenorol",
            "(y diweddaraf)",
            "<strong>Rhybudd:</strong>",
        ],
        staff=g.fac,
    )


def test_the_notes_page_in_welsh(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(languages=BILINGUAL)
    ana = ev.join("Ana")["token"]
    pitch = ev.pitch(ana, "Mapping the commons", host="Ana")["id"]
    path = f"/e/{ev.slug}/notes/{pitch}"
    in_both(
        browser,
        path,
        [
            "Join to write in these notes",
            "so you can\u2019t read or write these notes yet",
            "Your name (optional)",
            "Leave blank to stay anonymous.",
            "Back to the event",
        ],
        [
            "Ymunwch i ysgrifennu yn y nodiadau hyn",
            "felly allwch chi ddim darllen nac ysgrifennu\u2019r nodiadau hyn eto",
            "Eich enw (dewisol)",
        ],
    )
    in_both(
        browser,
        path,
        [
            ">Summary<",
            "What the session was about, in a few lines.",
            "Everyone at the session can write here at the same time",
            "of 100,000 characters used.",
            "Save notes",
            "Add a photo of a flipchart or whiteboard",
            "Who wrote these notes",
            "Credit me by name",
            "Restore this version",
        ],
        [
            ">Crynodeb<",
            "Am beth oedd y sesiwn, mewn ychydig linellau.",
            "Gallwch chi ddefnyddio Markdown: <code>**trwm**</code>",
            "0 o 100,000 nod wedi\u2019u defnyddio.",
            "Cadw\u2019r nodiadau",
            "Ychwanegu llun o siart troi neu fwrdd gwyn",
            "Pwy ysgrifennodd y nodiadau hyn",
            "Adfer y fersiwn hon",
        ],
        attendee=ana,
    )
    # people's own words are never translated
    assert "Mapping the commons" in read(browser, path, "cy", attendee=ana)
