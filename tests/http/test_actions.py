"""The actions API: listing, a status change with its history, and bad input in words."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem


def _with_action(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> tuple[ApiEvent, str, int]:
    event = make_event()
    ana = event.join("Ana")["token"]
    pitch = event.pitch(ana, "Mapping the commons")["id"]
    with httpx.Client(base_url=server.url, timeout=20) as page:
        sent = page.post(
            f"/e/{event.slug}/notes/{pitch}/actions",
            data={"what": "Draft the plan", "owner": "Priya", "due": "2027-01-31"},
            headers={"Cookie": f"snug_attendee={ana}"},
        )
        assert sent.status_code == 303, sent.text
    (item,) = event.ok("GET", "/actions", ana)
    return event, ana, item["id"]


def test_staff_change_a_status_and_it_is_in_the_events_history(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event, _ana, action = _with_action(make_event, server)
    seq = event.state()["seq"]
    done = event.ok(
        "PUT",
        f"/actions/{action}/status",
        event.facilitator(),
        json={"status": "done"},
        headers={"Idempotency-Key": "a" * 20},
    )
    assert (done["status"], done["due"], done["owner"]) == ("done", "2027-01-31", "Priya")
    messages = event.ok("GET", f"/changes?since={seq}")["messages"]
    (status,) = [m for m in messages if m.get("kind") == "action.status"]
    assert status["data"] == {
        "action": action,
        "pitch": status["data"]["pitch"],
        "status": "done",
        "was": "open",
        "by": "facilitator",
    }
    # Sent again with the same key, it is done once.
    event.ok(
        "PUT",
        f"/actions/{action}/status",
        event.organiser,
        json={"status": "done"},
        headers={"Idempotency-Key": "a" * 20},
    )


def test_bad_input_is_refused_in_words_and_changes_nothing(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event, ana, action = _with_action(make_event, server)
    staff = event.organiser
    path = f"/actions/{action}/status"
    assert_problem(event.call("PUT", path, staff, json={"status": "finished"}), 422)
    assert_problem(event.call("PUT", path, staff, json={"status": "done", "more": 1}), 422)
    assert_problem(event.call("PUT", path, staff, content=b"status=done"), 422)
    assert_problem(event.call("PUT", "/actions/999999/status", staff, json={"status": "done"}), 404)
    # An attendee, even the one who wrote it down, is refused before the body is read.
    assert_problem(event.call("PUT", path, ana, json={"status": "done"}), 403)
    assert [a["status"] for a in event.ok("GET", "/actions", staff)] == ["open"]


def test_a_person_s_data_holds_the_actions_they_own_by_name(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event, ana, action = _with_action(make_event, server)  # owned by "Priya"
    priya = event.join(" priya ")["token"]
    mine = event.ok("GET", "/me/actions", priya)
    assert [a["id"] for a in mine["actions"]] == [action]
    assert mine["actions"][0]["what"] == "Draft the plan"
    assert event.ok("GET", "/me/actions", ana)["actions"] == []
    nameless = event.join()["token"]
    assert event.ok("GET", "/me/actions", nameless) == {"owner": "", "actions": []}
    assert_problem(event.call("GET", "/me/actions", event.organiser), 409)


def test_a_person_s_data_in_one_file_holds_their_page_feedback_and_actions(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event, _ana, action = _with_action(make_event, server)  # owned by "Priya"
    priya = event.join("Priya")["token"]
    answer = event.call("GET", "/me/data", priya)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    found = answer.json()
    assert found["event"] == event.slug
    assert found["you"] == event.ok("GET", "/me", priya)
    assert found["feedback"] == {"given_on": [], "anonymous": True}
    assert [a["id"] for a in found["actions"]] == [action]
