"""Running an event again through the API: the answer, the same organiser secret at the next
event, limits on the body as problem+json, and an Idempotency-Key sent twice making one event."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import ApiEvent, unique_name
from tests.http.helpers import assert_problem


def test_the_organiser_runs_it_again_and_keeps_their_secret(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev = make_event(dots_per_attendee=4)
    name = unique_name("Again")
    made = ev.ok("POST", "/again", ev.organiser, status=201, json={"name": name})
    assert made["links"]["event"].endswith(f"/e/{made['slug']}")
    assert made["links"]["series"].endswith(f"/e/{made['slug']}/series")
    assert "organise" not in made["links"]  # the organiser's own link opens it already
    following = ApiEvent(ev.client, made["slug"], ev.organiser, made["links"])
    state = following.state(ev.organiser)
    assert state["event"]["name"] == name and state["event"]["date"] == "2027-11-23"
    assert state["event"]["dots_per_attendee"] == 4
    assert [r["name"] for r in state["rooms"]] == [r["name"] for r in ev.state()["rooms"]]
    assert [s["starts_at"] for s in state["slots"]] == ["2027-11-23T10:00", "2027-11-23T11:00"]
    assert state["pitches"] == []


def test_a_key_sent_twice_makes_one_event(make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event()
    key = {"Idempotency-Key": "again-twice-1"}
    answers = [
        ev.ok("POST", "/again", ev.organiser, status=201, json={}, headers=key) for _ in range(2)
    ]
    assert answers[0] == answers[1]
    other = ev.call("POST", "/again", ev.organiser, json={"date": "2030-01-01"}, headers=key)
    assert_problem(other, 422)


def test_only_the_organiser(make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event()
    for token in (ev.facilitator(), ev.join()["token"], None):
        assert_problem(ev.call("POST", "/again", token, json={}))


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x" * 121},
        {"name": " "},
        {"slug": "Not A Slug"},
        {"date": "next year"},
        {"date": "2026-11-23"},  # not after the event
        {"rooms": []},  # what the next event keeps isn't chosen here
    ],
)
def test_bad_bodies_are_refused_in_words(
    make_event: Callable[..., ApiEvent], body: dict[str, object]
) -> None:
    ev = make_event()
    assert_problem(ev.call("POST", "/again", ev.organiser, json=body), 422)
