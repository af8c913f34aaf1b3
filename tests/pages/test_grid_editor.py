"""The grid editor's room and slot forms (server/pages/grid_editor.py): read into the body the
API takes and checked against the API's own schema, the slot's day included, and undo saying
when a room came back under a new name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from server import validation
from server.pages import grid_editor
from server.pages.forms import FormError
from tests.conftest import ApiEvent, LiveServer

PAGE = {"Accept": "text/html"}


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=PAGE, timeout=20) as client:
        yield client


def staff(key: str) -> dict[str, str]:
    return {"Cookie": f"snug_staff={key}"}


def version(page: httpx.Response) -> str:
    found = re.search(r'name="version" value="(\d+)"', page.text)
    assert found, page.text
    return found.group(1)


@pytest.fixture
def tightened(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str, str, Any], None]]:
    """Changes one bound in an API schema for the test, as a later release of the API might."""

    def tighten(schema: str, prop: str, keyword: str, value: Any) -> None:
        monkeypatch.setitem(validation.schema(schema)["properties"][prop], keyword, value)
        validation.validator.cache_clear()

    yield tighten
    monkeypatch.undo()
    validation.validator.cache_clear()


def test_the_room_form_is_held_to_the_apis_own_schema(
    tightened: Callable[[str, str, str, Any], None],
) -> None:
    fields = {"version": "0", "name": "The long gallery", "capacity": "40"}
    grid_editor._save_room(fields)  # fits the schema as it is
    tightened("grid-room", "name", "maxLength", 10)
    with pytest.raises(FormError) as refused:
        grid_editor._save_room(fields)
    assert refused.value.errors == [("new-room-name", "Keep it to 10 characters.")]
    tightened("grid-room", "capacity", "maximum", 30)
    with pytest.raises(FormError) as refused:
        grid_editor._save_room({**fields, "name": "Gallery", "room": "7"})
    assert refused.value.errors == [("room-7-capacity", "A room can have at most 30 seats.")]


def test_a_room_form_the_schema_refuses_names_its_field(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    before = ev.state(ev.organiser)["rooms"]
    grid = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    for fields, field_id, said in [
        ({"name": "N" * 81, "capacity": "5"}, "new-room-name", "Keep it to 80 characters."),
        ({"name": "Nook", "capacity": "0"}, "new-room-capacity", "whole number, such as 30"),
        ({"name": "Nook", "capacity": "100001"}, "new-room-capacity", "at most 100000 seats"),
    ]:
        answer = browser.post(
            f"/e/{ev.slug}/grid/room",
            data={"key": "k", "version": version(grid), **fields},
            headers=staff(ev.organiser),
        )
        assert answer.status_code == 422, fields
        assert f'href="#{field_id}"' in answer.text and said in answer.text, fields
    assert ev.state(ev.organiser)["rooms"] == before


def _slot_form(browser: httpx.Client, ev: ApiEvent, slot: int) -> dict[str, str]:
    page = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    form = re.search(
        rf'<form[^>]*action="[^"]*/grid/slot"[^>]*>((?:(?!</form>).)*name="slot" value="{slot}"'
        r"(?:(?!</form>).)*)</form>",
        page.text,
        re.S,
    )
    assert form, page.text
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(1))
    return dict(hidden)


@pytest.mark.parametrize("forged", ["2019-01-01", "2026-11-31", "2026-11-23T09", ""])
def test_a_forged_day_in_a_slot_form_is_refused_and_changes_nothing(
    browser: httpx.Client, make_event: Callable[..., ApiEvent], forged: str
) -> None:
    ev = make_event()
    slot = ev.state(ev.organiser)["slots"][0]
    fields = _slot_form(browser, ev, slot["id"])
    assert fields["date"] == "2026-11-23"
    before = ev.state(ev.organiser)["slots"]
    answer = browser.post(
        f"/e/{ev.slug}/grid/slot",
        data={**fields, "date": forged, "starts": "09:00", "ends": "09:40"},
        headers=staff(ev.organiser),
    )
    assert answer.status_code == 422
    assert f'href="#slot-{slot["id"]}-starts"' in answer.text
    assert "one of the event&#39;s days" in answer.text
    assert ev.state(ev.organiser)["slots"] == before


def test_a_slot_form_as_drawn_keeps_the_slot_on_its_own_day(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    slots = ev.state(ev.organiser)["slots"]
    later = {"starts_at": "2026-11-24T10:00", "ends_at": "2026-11-24T10:45", "label": "Day two"}
    kept = [{k: s[k] for k in ("id", "starts_at", "ends_at", "label")} for s in slots]
    ev.ok("PUT", "/slots", ev.organiser, json={"slots": [*kept, later]})
    second = ev.state(ev.organiser)["slots"][-1]
    fields = _slot_form(browser, ev, second["id"])
    assert fields["date"] == "2026-11-24"
    answer = browser.post(
        f"/e/{ev.slug}/grid/slot",
        data={**fields, "starts": "11:00", "ends": "11:30:00", "label": "Day two"},
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    changed = ev.state(ev.organiser)["slots"][-1]
    assert (changed["starts_at"], changed["ends_at"]) == ("2026-11-24T11:00", "2026-11-24T11:30")


def test_undo_says_when_a_room_came_back_under_a_new_name(
    browser: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    rooms = ev.state(ev.organiser)["rooms"]
    first = rooms[0]
    ev.ok("POST", "/grid/room/remove", ev.organiser, json={"version": 0, "room": first["id"]})
    others = [{k: r[k] for k in ("id", "name", "capacity")} for r in rooms[1:]]
    namesake = {"name": first["name"], "capacity": 3}
    ev.ok("PUT", "/rooms", ev.organiser, json={"rooms": [*others, namesake]})
    page = browser.get(f"/e/{ev.slug}/grid", headers=staff(ev.organiser))
    answer = browser.post(
        f"/e/{ev.slug}/grid/undo",
        data={"key": "undo-1", "version": version(page)},
        headers=staff(ev.organiser),
        follow_redirects=False,
    )
    assert answer.headers["location"] == f"/e/{ev.slug}/grid?done=undone-renamed"
    back = {r["id"]: r["name"] for r in ev.state(ev.organiser)["rooms"]}
    assert back[first["id"]] == f"{first['name']} (2)"
    shown = browser.get(answer.headers["location"], headers=staff(ev.organiser))
    assert "A room it brought back has a new name" in shown.text
