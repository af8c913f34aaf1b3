"""The attendee's page as plain HTML forms, from outside: what each form does, and what it
refuses without changing anything."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import ApiEvent, LiveServer


class Phone:
    """A browser without script: it keeps cookies, sends forms with Snug's Origin and reads
    the key each page draws into its forms."""

    def __init__(self, server: LiveServer, slug: str) -> None:
        self.client = httpx.Client(base_url=server.url, headers={"accept": "text/html"}, timeout=20)
        self.origin, self.slug = server.url, slug

    def page(self, path: str = "") -> httpx.Response:
        return self.client.get(f"/e/{self.slug}{path}")

    def key(self) -> str:
        found = re.search(r'name="key" value="([^"]+)"', self.page().text)
        assert found is not None
        return found.group(1)

    def send(self, path: str, fields: dict[str, str], origin: str | None = None) -> httpx.Response:
        headers = {"origin": origin or self.origin}
        return self.client.post(f"/e/{self.slug}{path}", data=fields, headers=headers)

    def join(self, name: str = "Ana") -> None:
        answer = self.send("/join", {"name": name, "key": self.key(), "next": ""})
        assert answer.status_code == 303, answer.text


@pytest.fixture
def phone(server: LiveServer, make_event: Callable[..., ApiEvent]) -> Iterator[Phone]:
    event = make_event()
    event.edit(voting_open=True)
    made = Phone(server, event.slug)
    yield made
    made.client.close()


def test_joining_sets_the_cookie_and_says_so(phone: Phone) -> None:
    phone.join("Ana")
    assert {c.path for c in phone.client.cookies.jar if c.name == "snug_attendee"} == {
        f"/e/{phone.slug}",
        f"/api/e/{phone.slug}",
    }
    page = phone.page("?done=joined")
    assert "joined. Pitch a session or place your dots below." in page.text
    assert 'value="Ana"' in page.text
    assert page.headers["cache-control"].startswith("private")


def test_a_form_from_another_site_changes_nothing(phone: Phone) -> None:
    phone.join()
    before = phone.page().text.count('class="pitch')
    answer = phone.send(
        "/pitches", {"title": "Sneaky", "key": phone.key()}, origin="https://evil.example"
    )
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "outside Snug" in answer.text
    assert phone.page().text.count('class="pitch') == before


def test_a_pitch_without_a_title_shows_the_error_summary(phone: Phone) -> None:
    phone.join()
    answer = phone.send("/pitches", {"title": "  ", "pitch": "kept", "key": phone.key()})
    assert answer.status_code == 422
    assert "There is a problem" in answer.text
    assert '<a href="#pitch-title">Enter a title for your session.</a>' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert ">kept</textarea>" in answer.text  # what was typed is kept
    assert "Sessions pitched" in answer.text and 'id="p-' not in answer.text


def test_a_title_too_long_is_said_in_words(phone: Phone) -> None:
    phone.join()
    answer = phone.send("/pitches", {"title": "x" * 121, "key": phone.key()})
    assert answer.status_code == 422
    message = "The title can be at most 120 characters; it has 121, so take out 1 character."
    assert message in answer.text
    assert 'href="#pitch-title"' in answer.text, "the summary links to the field"
    assert f'value="{"x" * 121}"' in answer.text, "what was typed is kept, not cut"


def test_a_form_too_large_is_refused_before_it_is_read(phone: Phone) -> None:
    phone.join()
    answer = phone.send("/pitches", {"title": "x" * 20_000, "key": phone.key()})
    assert answer.status_code == 413
    assert "at most 16 KB" in answer.text


def test_a_dot_on_nothing_offered_is_refused(phone: Phone) -> None:
    phone.join()
    for pitch in ("", "abc", "²", "9" * 12):
        answer = phone.send("/dots", {"pitch": pitch, "key": phone.key()})
        assert answer.status_code == 422, pitch
        assert "one Snug offered" in answer.text


def test_someone_not_joined_is_asked_to_join(phone: Phone) -> None:
    answer = phone.send("/dots", {"pitch": "1", "key": phone.key()})
    assert answer.status_code in (401, 403)
    assert "join" in answer.text.lower()


def test_a_stale_cookie_is_forgotten(phone: Phone) -> None:
    phone.client.cookies.set("snug_attendee", "not-a-token", path=f"/e/{phone.slug}")
    page = phone.page()
    assert page.status_code == 200
    assert 'id="join-section" aria-labelledby' in page.text
    assert "snug_attendee=" in page.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    "wanted", ["//elsewhere.example/", "https://elsewhere.example/", "/e/other", "/e/SLUG\\x"]
)
def test_joining_never_sends_someone_elsewhere(phone: Phone, wanted: str) -> None:
    answer = phone.send(
        "/join", {"name": "", "key": phone.key(), "next": wanted.replace("SLUG", phone.slug)}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/e/{phone.slug}?done=joined"


def test_withdrawing_someone_elses_pitch_is_refused(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event = make_event()
    theirs = event.pitch(event.join("Bo")["token"], "Session of Bo")["id"]
    phone = Phone(server, event.slug)
    phone.join()
    answer = phone.send(f"/pitches/{theirs}/withdraw", {"key": phone.key()})
    assert answer.status_code == 403
    assert "Session of Bo" in phone.page().text
    phone.client.close()


def test_the_calendar_link_is_made_and_stopped_by_form(phone: Phone) -> None:
    phone.join()
    made = phone.send("/calendar", {"want": "make", "key": phone.key()})
    assert made.status_code == 303
    link = re.search(r'id="agenda-feed" href="(webcal:[^"]+\.ics)"', phone.page().text)
    assert link is not None
    feed = phone.client.get(link.group(1).replace("webcal:", "http:", 1))
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    stopped = phone.send("/calendar", {"want": "stop", "key": phone.key()})
    assert stopped.status_code == 303
    assert 'id="calendar-on" hidden' in phone.page().text
    assert phone.client.get(link.group(1).replace("webcal:", "http:", 1)).status_code == 404


def test_a_pitch_sent_twice_is_one_pitch(phone: Phone) -> None:
    phone.join()
    fields = {"title": "Twice over", "pitch": "", "host": "", "format": "talk", "key": phone.key()}
    first, second = phone.send("/pitches", fields), phone.send("/pitches", fields)
    assert first.status_code == second.status_code == 303
    assert phone.page().text.count(">Twice over</h3>") == 1


def test_a_dot_sent_twice_is_one_dot_and_two_forms_of_a_page_are_two(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event = make_event()
    event.edit(voting_open=True)
    author = event.join("Cy")["token"]
    ids = [event.pitch(author, title)["id"] for title in ("One", "Two")]
    phone = Phone(server, event.slug)
    phone.join()
    key = phone.key()
    for _ in range(2):
        assert phone.send("/dots", {"pitch": str(ids[0]), "key": key}).status_code == 303
    assert phone.send("/dots", {"pitch": str(ids[1]), "key": key}).status_code == 303
    votes = {p["id"]: p["votes"] for p in event.state()["pitches"]}
    assert votes == {ids[0]: 1, ids[1]: 1}
    phone.client.close()


def test_a_join_sent_twice_is_one_person_whose_last_token_works(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event = make_event()
    phone = Phone(server, event.slug)
    fields = {"name": "Dee", "key": phone.key(), "next": ""}
    tokens = []
    for _ in range(2):
        answer = phone.client.post(
            f"/e/{event.slug}/join", data=fields, headers={"origin": phone.origin}
        )
        assert answer.status_code == 303
        kept = answer.headers.get_list("set-cookie")[0]
        tokens.append(kept.split(";")[0].split("=", 1)[1])
    assert tokens[0] != tokens[1]
    # One person: the first answer's token, which a double tap never kept, was replaced.
    assert event.call("GET", "/me", tokens[0]).status_code == 401
    assert event.ok("GET", "/me", tokens[1])["name"] == "Dee"
    phone.client.close()


def test_a_grid_taken_down_is_said_on_the_page(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser, "Open data")["id"]
    state = ev.state(ev.organiser)
    cell = {"room": state["rooms"][0]["id"], "slot": state["slots"][0]["id"]}
    ev.ok("POST", "/grid/move", ev.organiser, json={"version": 0, "pitch": pitch, **cell})
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": 1})
    phone = Phone(server, ev.slug)
    phone.join()
    taken_down = re.compile(r'<p id="grid-taken-down" class="notice">The grid has been taken down')
    assert not taken_down.search(phone.page().text), "hidden while the grid is published"
    ev.ok("POST", "/grid/unpublish", ev.organiser, json={"version": 2})
    assert taken_down.search(phone.page().text)
    phone.client.close()


def test_my_data_comes_by_a_plain_link_and_only_to_me(phone: Phone) -> None:
    phone.join("Ana")
    link = re.search(
        r'id="my-data" class="button secondary" href="([^"]+)" download', phone.page().text
    )
    assert link is not None
    answer = phone.client.get(link.group(1))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"] == "no-store"
    assert (
        answer.headers["content-disposition"] == f'attachment; filename="{phone.slug}-my-data.json"'
    )
    held = answer.json()
    assert (held["event"], held["you"]["name"]) == (phone.slug, "Ana")
    assert held["feedback"] == {"given_on": [], "anonymous": True}
    phone.client.cookies.clear()
    stranger = phone.client.get(link.group(1))
    assert stranger.status_code == 404 and "Ana" not in stranger.text
    assert "no data of yours here" in stranger.text
