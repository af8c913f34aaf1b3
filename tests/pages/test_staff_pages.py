"""The organiser's and facilitator's pages and the grid editor as plain forms: signing in by
pasting the link, opening and closing pitching and voting, placing, moving, taking off and
publishing the grid, each refused to anyone else."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import ApiEvent, LiveServer

PAGE = {"Accept": "text/html"}


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    """A client that behaves like a browser with no script: it keeps cookies and asks for
    pages; each test has its own, so signing in never leaks between tests."""
    with httpx.Client(base_url=server.url, headers=PAGE, timeout=20) as client:
        yield client


def staff(key: str) -> dict[str, str]:
    return {"Cookie": f"snug_staff={key}"}


def version(page: httpx.Response) -> str:
    found = re.search(r'name="version" value="(\d+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_pasting_the_whole_link_signs_in_with_an_httponly_cookie(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    before = browser.get(f"/e/{ev.slug}/organise")
    assert 'id="sign-in-form"' in before.text and "You are the organiser" not in before.text
    answer = browser.post(
        f"/e/{ev.slug}/sign-in",
        data={"key": "k", "link": f"{ev.links['organise']}", "next": f"/e/{ev.slug}/grid"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/e/{ev.slug}/grid?done=signed-in"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and ev.organiser in cookie
    assert ev.organiser not in answer.headers["location"]
    after = browser.get(f"/e/{ev.slug}/organise")
    assert "You are the organiser of this event." in after.text


def test_a_facilitator_key_alone_signs_in_to_the_facilitator_page(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    key = ev.facilitator()
    answer = browser.post(
        f"/e/{ev.slug}/sign-in", data={"link": f"  {key} \n"}, follow_redirects=False
    )
    # with no page to go back to, the key's own page
    assert answer.headers["location"] == f"/e/{ev.slug}/facilitate?done=signed-in"
    page = browser.get(f"/e/{ev.slug}/facilitate")
    assert "You are a facilitator of this event." in page.text
    assert 'id="marketplace"' in page.text and 'aria-labelledby="marketplace-heading" hidden' in (
        page.text
    )


@pytest.mark.parametrize("pasted", ["", "not-a-key", "x" * 401, "key=%ZZ"])
def test_a_wrong_key_is_refused_with_the_form_again(
    browser: httpx.Client, make_event: Callable[..., ApiEvent], pasted: str
) -> None:
    ev = make_event()
    answer = browser.post(f"/e/{ev.slug}/sign-in", data={"link": pasted}, follow_redirects=False)
    assert answer.status_code == 422
    assert "set-cookie" not in answer.headers
    assert 'href="#sign-in-link"' in answer.text and 'aria-invalid="true"' in answer.text


def test_an_attendee_token_does_not_sign_in_as_staff(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    token = ev.join()["token"]
    answer = browser.post(f"/e/{ev.slug}/sign-in", data={"link": token}, follow_redirects=False)
    assert answer.status_code == 422 and "set-cookie" not in answer.headers


def test_sign_in_from_another_site_is_refused(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    answer = browser.post(
        f"/e/{ev.slug}/sign-in",
        data={"link": ev.organiser},
        headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and "set-cookie" not in answer.headers


def test_sign_out_forgets_the_key(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    answer = browser.post(f"/e/{ev.slug}/sign-out", data={"key": "k"}, follow_redirects=False)
    assert answer.status_code == 303 and "Max-Age=0" in answer.headers["set-cookie"]


def test_organiser_opens_and_closes_voting_and_sets_dots(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    page = browser.get(f"/e/{ev.slug}/organise", headers=staff(ev.organiser))
    assert ">Open voting<" in page.text and 'name="voting_open" value="open"' in page.text
    for switch, then, button in (("open", True, ">Close voting<"), ("closed", False, ">Open")):
        answer = browser.post(
            f"/e/{ev.slug}/settings",
            data={"key": "k", "voting_open": switch},
            headers=staff(ev.organiser),
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert ev.state()["event"]["voting_open"] is then
        page = browser.get(answer.headers["location"], headers=staff(ev.organiser))
        assert f"Voting is {'open' if then else 'closed'}" in page.text and button in page.text
    answer = browser.post(
        f"/e/{ev.slug}/settings",
        data={"key": "k", "dots": "5"},
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert ev.state()["event"]["dots_per_attendee"] == 5
    assert ev.state()["event"]["dots_stack"] is False


@pytest.mark.parametrize("fields", [{"dots": "0"}, {"dots": "21"}, {"dots": "two"}, {}])
def test_bad_settings_are_shown_and_change_nothing(
    browser: httpx.Client, make_event: Callable[..., ApiEvent], fields: dict[str, str]
) -> None:
    ev = make_event()
    before = ev.state()["event"]
    answer = browser.post(
        f"/e/{ev.slug}/settings", data={"key": "k", **fields}, headers=staff(ev.organiser)
    )
    assert answer.status_code == 422 and "There is a problem" in answer.text
    assert ev.state()["event"] == before


def test_only_the_organiser_opens_voting(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    for who in (staff(ev.facilitator()), {}):
        answer = browser.post(
            f"/e/{ev.slug}/settings", data={"key": "k", "pitching_open": "closed"}, headers=who
        )
        assert answer.status_code == 403 and "Only the event" in answer.text
    assert ev.state()["event"]["pitching_open"] is True


def test_facilitator_places_moves_takes_off_and_publishes(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    key = ev.facilitator()
    pitch = ev.pitch(ev.organiser, "Soup & sockets")["id"]
    state = ev.state(ev.organiser)
    (room1, room2), (slot1, slot2) = (
        [r["id"] for r in state["rooms"]],
        [s["id"] for s in state["slots"]],
    )
    page = browser.get(f"/e/{ev.slug}/grid", headers=staff(key))
    assert f'id="place-{pitch}"' in page.text and "Soup &amp; sockets" in page.text
    assert 'id="grid-app" hidden' not in page.text

    def post(path: str, **fields: object) -> httpx.Response:
        now = browser.get(f"/e/{ev.slug}/grid", headers=staff(key))
        data = {"key": "k", "version": version(now), **{k: str(v) for k, v in fields.items()}}
        return browser.post(
            f"/e/{ev.slug}/grid/{path}", data=data, headers=staff(key), follow_redirects=False
        )

    answer = post("move", pitch=pitch, room=room1, slot=slot1)
    assert answer.headers["location"] == f"/e/{ev.slug}/grid?done=moved#place-{pitch}"
    assert ev.state(ev.organiser)["draft"]["placements"][0]["room"] == room1
    post("move", pitch=pitch, room=room2, slot=slot2)
    placed = ev.state(ev.organiser)["draft"]["placements"]
    assert [(p["room"], p["slot"]) for p in placed] == [(room2, slot2)]
    drawn = browser.get(f"/e/{ev.slug}/grid", headers=staff(key)).text
    assert re.search(rf'<option value="{room2}" selected>', drawn)
    assert "Take off the grid" in drawn
    assert post("unplace", pitch=pitch).status_code == 303
    assert ev.state(ev.organiser)["draft"]["placements"] == []
    post("move", pitch=pitch, room=room1, slot=slot2)
    confirm = browser.get(f"/e/{ev.slug}/grid/releases", headers=staff(key))
    assert "Yes, publish release 1" in confirm.text
    assert post("publish").headers["location"] == f"/e/{ev.slug}/grid?done=published"
    grid = ev.state()["grid"]
    assert grid["live"] and grid["placements"] == [{"pitch": pitch, "room": room1, "slot": slot2}]


def test_a_stale_grid_form_is_refused_and_the_fresh_grid_shown(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser)["id"]
    state = ev.state(ev.organiser)
    room, slot = state["rooms"][0]["id"], state["slots"][0]["id"]
    old = str(state["draft"]["version"])
    ev.ok("POST", "/grid/allocate", ev.organiser, json={"version": int(old)})
    answer = browser.post(
        f"/e/{ev.slug}/grid/move",
        data={
            "key": "k",
            "version": old,
            "pitch": str(pitch),
            "room": str(room),
            "slot": str(slot),
        },
        headers=staff(ev.organiser),
    )
    assert answer.status_code == 409 and "Someone else changed the grid" in answer.text
    assert version(answer) != old


@pytest.mark.parametrize(
    "fields",
    [{"pitch": "x", "room": "1", "slot": "1"}, {"pitch": "1"}, {"pitch": "99999999999"}],
)
def test_grid_forms_with_choices_never_offered_are_refused(
    browser: httpx.Client, make_event: Callable[..., ApiEvent], fields: dict[str, str]
) -> None:
    ev = make_event()
    before = ev.state(ev.organiser)["draft"]
    data = {"key": "k", "version": str(before["version"]), **fields}
    answer = browser.post(f"/e/{ev.slug}/grid/move", data=data, headers=staff(ev.organiser))
    assert answer.status_code == 422 and "There is a problem" in answer.text
    assert ev.state(ev.organiser)["draft"] == before


def test_the_grid_editor_is_only_for_staff(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser, "Secret plans")["id"]
    token = ev.join()["token"]
    for who in ({}, {"Cookie": f"snug_attendee={token}"}, {"Cookie": "snug_staff=nonsense"}):
        page = browser.get(f"/e/{ev.slug}/grid", headers=who)
        assert page.status_code == 200 and 'id="sign-in-form"' in page.text
        assert 'id="grid-app" hidden' in page.text and f"place-{pitch}" not in page.text
        answer = browser.post(
            f"/e/{ev.slug}/grid/move",
            data={"key": "k", "version": "0", "pitch": str(pitch), "room": "1", "slot": "1"},
            headers=who,
        )
        assert answer.status_code == 403 and 'id="sign-in-form"' in answer.text
    assert ev.state(ev.organiser)["draft"]["placements"] == []


def test_grid_forms_from_another_site_are_refused(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    answer = browser.post(
        f"/e/{ev.slug}/grid/allocate",
        data={"key": "k", "version": "0"},
        headers={**staff(ev.organiser), "Sec-Fetch-Site": "cross-site"},
    )
    assert answer.status_code == 403
    assert ev.state(ev.organiser)["draft"]["placements"] == []


def test_allocate_and_undo_by_form(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    ev.pitch(ev.organiser, "Allocated")
    for path, placed, done in (("allocate", 1, "allocated"), ("undo", 0, "undone")):
        now = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
        answer = browser.post(
            f"/e/{ev.slug}/grid/{path}",
            data={"key": "k", "version": version(now)},
            headers=staff(ev.organiser),
            follow_redirects=False,
        )
        assert answer.headers["location"] == f"/e/{ev.slug}/grid?done={done}"
        assert len(ev.state(ev.organiser)["draft"]["placements"]) == placed


def test_a_grid_form_sent_twice_is_done_once(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser)["id"]
    state = ev.state(ev.organiser)
    room, slot = state["rooms"][0]["id"], state["slots"][0]["id"]
    page = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    drawn_key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert drawn_key is not None
    data = {
        "key": drawn_key.group(1),
        "version": version(page),
        "pitch": str(pitch),
        "room": str(room),
        "slot": str(slot),
    }
    answers = [
        browser.post(f"/e/{ev.slug}/grid/move", data=data, headers=staff(ev.organiser))
        for _ in range(2)
    ]
    # The second is answered as the first was, not refused as a stale version.
    assert [a.status_code for a in answers] == [303, 303]
    assert ev.state(ev.organiser)["draft"]["version"] == int(data["version"]) + 1


def _room_form(page: httpx.Response, room: int) -> dict[str, str]:
    """The removal form drawn for one room, with the key and version it carries."""
    found = re.search(
        r'action="[^"]*/grid/room/remove"[^>]*>\s*<input type="hidden" name="key" value="([^"]+)">'
        rf'\s*<input type="hidden" name="room" value="{room}">'
        r'<input type="hidden" name="version" value="(\d+)">',
        page.text,
    )
    assert found, page.text
    return {"key": found.group(1), "room": str(room), "version": found.group(2)}


def test_removing_a_room_with_sessions_asks_first_without_script(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser, "Kept in the hall")["id"]
    state = ev.state(ev.organiser)
    hall, slot = state["rooms"][0], state["slots"][0]["id"]
    body = {"version": 0, "pitch": pitch, "room": hall["id"], "slot": slot}
    ev.ok("POST", "/grid/move", ev.organiser, json=body)
    grid = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    asked = browser.post(
        f"/e/{ev.slug}/grid/room/remove",
        data=_room_form(grid, hall["id"]),
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert asked.status_code == 200, asked.text
    assert f"Remove {hall['name']} and take 1 session off the grid?" in asked.text
    assert re.search(r'<ul id="would-unplace">\s*<li>Kept in the hall</li>', asked.text)
    assert f'href="/e/{ev.slug}/grid#rooms-and-slots">Keep it</a>' in asked.text
    assert ev.state(ev.organiser)["rooms"] == state["rooms"], "nothing removed yet"
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', asked.text))
    assert confirm["unplace"] == "yes"
    removed = browser.post(
        f"/e/{ev.slug}/grid/room/remove",
        data=confirm,
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert removed.headers["location"] == f"/e/{ev.slug}/grid?done=room-removed#rooms-and-slots"
    after = ev.state(ev.organiser)
    assert hall["id"] not in [r["id"] for r in after["rooms"]]
    assert after["draft"]["placements"] == []
    page = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    assert f"Undo: remove the room {hall['name']}" in page.text
    browser.post(
        f"/e/{ev.slug}/grid/undo",
        data={"key": "undo-key-1", "version": version(page)},
        headers=staff(ev.organiser),
    )
    back = ev.state(ev.organiser)
    assert back["rooms"] == state["rooms"]
    assert back["draft"]["placements"] == [
        {"pitch": pitch, "room": hall["id"], "slot": slot, "locked": False}
    ]


def test_an_empty_room_is_removed_without_asking(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    room = ev.state(ev.organiser)["rooms"][-1]["id"]
    grid = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    answer = browser.post(
        f"/e/{ev.slug}/grid/room/remove",
        data=_room_form(grid, room),
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert room not in [r["id"] for r in ev.state(ev.organiser)["rooms"]]


def test_a_slot_time_with_more_than_a_time_in_it_is_refused_not_cut_short(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    before = ev.state(ev.organiser)["slots"]
    grid = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    fields = {"key": "k", "version": version(grid), "starts": "16:00junk", "ends": "16:30"}
    answer = browser.post(f"/e/{ev.slug}/grid/slot", data=fields, headers=staff(ev.organiser))
    assert answer.status_code == 422
    assert 'href="#new-slot-starts"' in answer.text
    assert ev.state(ev.organiser)["slots"] == before


def test_a_room_form_with_no_name_says_so_and_changes_nothing(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    before = ev.state(ev.organiser)["rooms"]
    grid = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    answer = browser.post(
        f"/e/{ev.slug}/grid/room",
        data={"key": "k", "version": version(grid), "name": " ", "capacity": "many"},
        headers=staff(ev.organiser),
    )
    assert answer.status_code == 422
    assert 'href="#new-room-name"' in answer.text and "Enter a name for the room." in answer.text
    assert ev.state(ev.organiser)["rooms"] == before


def staff_day(browser: httpx.Client, ev: ApiEvent, page: str, at: str = "") -> tuple[str, ...]:
    """What a staff page, drawn without script, says is happening and what comes next."""
    text = browser.get(f"/e/{ev.slug}/{page}{at}", headers=staff(ev.organiser)).text
    said = re.search(
        r'<p id="staff-day-now" data-day-now class="moment-now">(.*?)</p>\s*'
        r'<p id="staff-day-next" data-day-next class="hint">(.*?)</p>',
        text,
    )
    assert said, "the page has no account of the day"
    return said.groups()


def test_the_staff_pages_say_where_the_day_is_and_the_next_step(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser)["id"]
    ev.edit(pitching_open=False, voting_open=True)
    voter = ev.join("Ana")["token"]
    ev.join("Bo")
    ev.ok("POST", "/dots", voter, json={"pitch": pitch}, status=201)
    for page in ("organise", "facilitate", "grid"):
        assert staff_day(browser, ev, page) == (
            "Voting is open: 1 of 2 have voted.",
            "Next: close voting and draft the grid.",
        )
    ev.edit(voting_open=False)
    assert staff_day(browser, ev, "facilitate") == (
        "Pitching and voting are closed: 1 of 2 voted.",
        "Next: allocate the sessions to rooms and times from the votes.",
    )
    ev.ok("POST", "/grid/allocate", ev.organiser, json={"version": 0})
    assert staff_day(browser, ev, "grid") == (
        "The grid is drafted but not published: only staff see it.",
        "Next: check the grid, then publish it to every phone and screen.",
    )
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": 1})
    assert staff_day(browser, ev, "grid", "?at=2026-11-23T10:10") == (
        "Session 1: sessions are running until 10:45.",
        "Next: Session 2 at 11:00.",
    )
    assert staff_day(browser, ev, "organise", "?at=2026-11-23T12:00") == (
        "The sessions are over.",
        "Next: check the write-ups, then publish the proceedings.",
    )


def test_someone_not_signed_in_is_told_nothing_of_the_day(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    ev.edit(voting_open=True)
    for page in ("organise", "grid"):
        text = browser.get(f"/e/{ev.slug}/{page}").text
        # The panel holds the sentences to say (data-words, as in the catalogue), no figures.
        assert 'data-drafted="false" hidden>' in text and "data-joined" not in text
        assert '<p id="staff-day-now" data-day-now class="moment-now"></p>' in text
