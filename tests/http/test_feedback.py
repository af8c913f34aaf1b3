"""Feedback on sessions over HTTP against a real server: given once by people who went, after
the session; read by its host and the organisers and refused to everyone else; the plain forms
and pages with no script."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import lxml.html

from tests.conftest import ApiEvent
from tests.http.helpers import assert_problem


@dataclass
class Published:
    ev: ApiEvent
    staff: str
    host: str
    ann: str
    bo: str
    talk: int  # the host's, in slot one; Ann and Bo chose it


def published(make_event: Callable[..., ApiEvent], **event: object) -> Published:
    """An event whose one session is on the published grid and chosen by Ann and Bo; by the
    default date its slot ended days ago."""
    ev = make_event(**event)
    staff = ev.facilitator()
    host, ann, bo = (ev.join(name)["token"] for name in ("Host", "Ann", "Bo"))
    talk = ev.pitch(host, "Open data in councils")["id"]
    state = ev.state(staff)
    room, slot = state["rooms"][0]["id"], state["slots"][0]["id"]
    ev.ok(
        "POST", "/grid/move", staff, json={"version": 0, "pitch": talk, "room": room, "slot": slot}
    )
    ev.ok("POST", "/grid/publish", staff, json={"version": 1})
    for token in (ann, bo):
        ev.ok("PUT", "/me/agenda", token, json={"slot": slot, "pitch": talk})
    return Published(ev, staff, host, ann, bo, talk)


def give(p: Published, token: str, body: object) -> httpx.Response:
    return p.ev.call("POST", f"/pitches/{p.talk}/feedback", token, json=body)


def test_host_reads_their_own_organisers_all_and_nobody_else(
    make_event: Callable[..., ApiEvent],
) -> None:
    p = published(make_event)
    made = give(p, p.ann, {"answer": "useful", "comment": "Practical and clear."})
    assert made.status_code == 201, made.text
    assert made.json() == {"pitch": p.talk, "given": True}
    assert give(p, p.bo, {"answer": "not_for_me"}).status_code == 201
    expected = {
        "pitch": p.talk,
        "title": "Open data in councils",
        "useful": 1,
        "not_for_me": 1,
        "comments": ["Practical and clear."],
    }
    assert p.ev.ok("GET", f"/pitches/{p.talk}/feedback", p.host) == expected
    assert p.ev.ok("GET", f"/pitches/{p.talk}/feedback", p.ev.organiser) == expected
    assert p.ev.ok("GET", "/feedback", p.ev.organiser) == {"sessions": [expected]}
    for token in (p.ann, p.staff):
        refused = p.ev.call("GET", f"/pitches/{p.talk}/feedback", token)
        assert "host" in assert_problem(refused, 403)["detail"]
        assert assert_problem(p.ev.call("GET", "/feedback", token), 403)
    assert_problem(p.ev.call("GET", f"/pitches/{p.talk}/feedback"), 403)
    # Ann's export says she gave feedback on the session, not what she said.
    mine = p.ev.ok("GET", "/me/feedback", p.ann)
    assert mine == {"given_on": [p.talk], "anonymous": True}
    assert p.ev.ok("GET", "/me/feedback", p.host) == {"given_on": [], "anonymous": True}
    assert_problem(p.ev.call("GET", "/me/feedback", p.ev.organiser), 409)


def test_once_per_person_and_session(make_event: Callable[..., ApiEvent]) -> None:
    p = published(make_event)
    assert give(p, p.ann, {"answer": "useful"}).status_code == 201
    again = give(p, p.ann, {"answer": "not_for_me", "comment": "Second thoughts"})
    assert "counts once" in assert_problem(again, 409)["detail"]
    said = p.ev.ok("GET", f"/pitches/{p.talk}/feedback", p.ev.organiser)
    assert (said["useful"], said["not_for_me"], said["comments"]) == (1, 0, [])


def test_before_the_session_ends_it_is_refused(make_event: Callable[..., ApiEvent]) -> None:
    later = [
        {"starts_at": "2099-06-01T10:00", "ends_at": "2099-06-01T10:45", "label": "Future"},
    ]
    p = published(make_event, date="2099-06-01", slots=later)
    refused = give(p, p.ann, {"answer": "useful"})
    assert "once it has ended, at 10:45" in assert_problem(refused, 409)["detail"]
    assert p.ev.ok("GET", f"/pitches/{p.talk}/feedback", p.host)["useful"] == 0


def test_bad_input_is_refused_in_words(make_event: Callable[..., ApiEvent]) -> None:
    p = published(make_event)
    too_long = give(p, p.ann, {"answer": "useful", "comment": "x" * 281})
    assert "280" in assert_problem(too_long, 422)["detail"]
    assert_problem(give(p, p.ann, {"answer": "brilliant"}), 422)
    assert_problem(give(p, p.ann, {"comment": "no answer"}), 422)
    # Who went: not someone who chose nothing, nor the host on their own session.
    cy = p.ev.join("Cy")["token"]
    assert "people who went" in assert_problem(give(p, cy, {"answer": "useful"}), 403)["detail"]
    assert (
        "your own session" in assert_problem(give(p, p.host, {"answer": "useful"}), 403)["detail"]
    )
    assert p.ev.ok("GET", f"/pitches/{p.talk}/feedback", p.host)["useful"] == 0
    # Ann can still give hers: nothing refused counted.
    assert give(p, p.ann, {"answer": "useful"}).status_code == 201


def form_post(p: Published, token: str, path: str, fields: dict[str, str]) -> httpx.Response:
    client = p.ev.client
    origin = str(client.base_url).rstrip("/")
    return client.post(
        f"/e/{p.ev.slug}{path}",
        data=fields,
        headers={"Origin": origin, "Cookie": f"snug_attendee={token}"},
    )


def page(p: Published, path: str, cookie: str) -> httpx.Response:
    return p.ev.client.get(f"/e/{p.ev.slug}{path}", headers={"Cookie": cookie})


def test_plain_forms_and_pages_with_no_script(make_event: Callable[..., ApiEvent]) -> None:
    p = published(make_event)
    drawn = page(p, "", f"snug_attendee={p.ann}")
    form = lxml.html.fromstring(drawn.text).get_element_by_id(f"feedback-{p.talk}")
    assert form.get("hidden") is None and form.get("action").endswith(f"/feedback/{p.talk}")
    # A comment too long is shown back on the page, linked to its field; nothing counted.
    long = form_post(p, p.ann, f"/feedback/{p.talk}", {"answer": "useful", "comment": "y" * 300})
    assert long.status_code == 422
    assert f'href="#feedback-{p.talk}-comment"' in long.text
    sent = form_post(p, p.ann, f"/feedback/{p.talk}", {"answer": "useful", "comment": "Good"})
    assert sent.status_code == 303 and sent.headers["location"].endswith(
        "?done=feedback#feedback-heading"
    )
    # A double tap lands where the first did.
    twice = form_post(p, p.ann, f"/feedback/{p.talk}", {"answer": "useful", "comment": "Good"})
    assert twice.status_code == 303
    after = lxml.html.fromstring(page(p, "", f"snug_attendee={p.ann}").text)
    assert after.get_element_by_id(f"feedback-{p.talk}").get("hidden") is not None
    assert after.get_element_by_id(f"feedback-{p.talk}-given").get("hidden") is None
    # The host's page and the organiser's page show the counts and the comment.
    hosts = page(p, f"/feedback/{p.talk}", f"snug_attendee={p.host}")
    assert hosts.status_code == 200 and "Good" in hosts.text
    assert f'href="/e/{p.ev.slug}/feedback/{p.talk}"' in page(p, "", f"snug_attendee={p.host}").text
    manage = page(p, "/organise", f"snug_staff={p.ev.organiser}").text
    assert f'href="/e/{p.ev.slug}/feedback"' in manage
    organisers = page(p, "/feedback", f"snug_staff={p.ev.organiser}")
    assert organisers.status_code == 200 and "Good" in organisers.text
    # Anyone else finds nothing there.
    for path, cookie in (
        (f"/feedback/{p.talk}", f"snug_attendee={p.ann}"),
        (f"/feedback/{p.talk}", f"snug_staff={p.staff}"),
        ("/feedback", f"snug_staff={p.staff}"),
        ("/feedback", f"snug_attendee={p.host}"),
    ):
        refused = page(p, path, cookie)
        assert refused.status_code == 404 and "Good" not in refused.text, (path, cookie)
    said = p.ev.ok("GET", f"/pitches/{p.talk}/feedback", p.ev.organiser)
    assert (said["useful"], said["comments"]) == (1, ["Good"])
