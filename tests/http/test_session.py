"""The staff key and the attendee's token in cookies: set once from the link or by joining,
flagged so that page script can't read them and other sites can't ride on them, used only by
requests from Snug's own pages that ask, each for its own role."""

from __future__ import annotations

import json
from collections.abc import Callable
from http.cookies import SimpleCookie

import httpx
from starlette.requests import Request
from starlette.responses import Response
from websockets.sync.client import connect

from server.http.security import FROM_ELSEWHERE, device
from server.http.session import keep_key
from tests.conftest import ApiEvent, LiveServer, event_body
from tests.http.helpers import assert_problem

STAFF = {"X-Snug-Staff": "1"}
ATTENDEE = {"X-Snug-Attendee": "1"}


def cookies_set(response: httpx.Response) -> dict[str, dict[str, str]]:
    """Each Set-Cookie of the answer by its Path, with its attributes (lower-cased names)."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        (morsel,) = cookie.values()
        flags = {k: str(v) for k, v in morsel.items() if v}
        flags["value"], flags["name"] = morsel.value, morsel.key
        flags["raw"] = header.lower()
        found[morsel["path"]] = flags
    return found


def assert_staff_cookies(
    response: httpx.Response, slug: str, key: str, name: str = "snug_staff"
) -> None:
    cookies = cookies_set(response)
    assert set(cookies) == {f"/e/{slug}", f"/api/e/{slug}"}, response.headers
    for cookie in cookies.values():
        assert cookie["name"] == name and cookie["value"] == key
        assert "httponly" in cookie["raw"] and "samesite=strict" in cookie["raw"], cookie
        assert "secure" not in cookie["raw"]  # this test server's PUBLIC_URL is plain http
        assert int(cookie["max-age"]) > 7 * 24 * 3600
        assert "domain" not in cookie  # this host only


def test_the_link_signs_a_browser_in_with_a_cookie_script_cant_read(
    make_event: Callable[..., ApiEvent], http: httpx.Client
) -> None:
    event = make_event()
    answer = event.call("POST", "/session", event.organiser)
    assert answer.status_code == 200 and answer.json() == {"role": "organiser"}
    assert_staff_cookies(answer, event.slug, event.organiser)
    facilitator = event.facilitator()
    answer = event.call("POST", "/session", facilitator)
    assert answer.json() == {"role": "facilitator"}
    assert_staff_cookies(answer, event.slug, facilitator)
    # The browser that creates an event is signed in as its organiser.
    made = http.post("/api/events", json=event_body())
    assert_staff_cookies(made, made.json()["slug"], made.json()["organiser_key"])
    # An attendee's token goes in the attendee's own cookie; nothing else gets a cookie.
    attendee = event.join("Ana")["token"]
    answer = event.call("POST", "/session", attendee)
    assert answer.status_code == 200 and answer.json() == {"role": "attendee"}
    assert_staff_cookies(answer, event.slug, attendee, "snug_attendee")
    for refused, status in ((None, 403), ("not-a-key", 401)):
        answer = event.call("POST", "/session", refused)
        assert_problem(answer, status)
        assert not answer.headers.get_list("set-cookie")
    # Signing out clears the cookie on both paths.
    out = event.call("DELETE", "/session")
    assert out.status_code == 204
    cleared = cookies_set(out)
    assert set(cleared) == {f"/e/{event.slug}", f"/api/e/{event.slug}"}
    assert all(c["max-age"] == "0" and not c["value"] for c in cleared.values())


def test_a_cookie_write_from_elsewhere_is_refused_and_changes_nothing(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event = make_event(venue="The Old Library")
    jar = {"Cookie": f"snug_staff={event.organiser}"}
    with httpx.Client(base_url=server.url, timeout=20) as browser:

        def venue_change(**headers: str) -> httpx.Response:
            return browser.patch(
                f"/api/e/{event.slug}", json={"venue": "Taken over"}, headers=jar | headers
            )

        # Without the header the cookie is no key at all, as for a cross-site form.
        assert "organisers" in assert_problem(venue_change(), 403)["detail"]
        for elsewhere in (
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site", "Origin": server.url},  # a sibling subdomain
        ):
            refused = assert_problem(venue_change(**STAFF, **elsewhere), 403)
            assert refused["detail"] == FROM_ELSEWHERE, elsewhere
        assert event.state()["event"]["venue"] == "The Old Library"
        own_page = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
        changed = venue_change(**STAFF, **own_page)
        assert changed.status_code == 200, changed.text
        assert event.state()["event"]["venue"] == "Taken over"
        # A bearer secret wins over the cookie: the attendee page of a staff laptop stays so.
        token = event.join("Ana")["token"]
        me = browser.get(
            f"/api/e/{event.slug}/me", headers=jar | STAFF | {"Authorization": f"Bearer {token}"}
        )
        assert me.status_code == 200 and me.json()["name"] == "Ana"


def test_a_staff_page_socket_is_recognised_by_the_cookie_when_it_asks(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event = make_event()
    cookie = {"Cookie": f"snug_staff={event.organiser}", "Origin": server.url}

    def role(hello: dict[str, object]) -> str:
        with connect(f"{server.ws_url}/e/{event.slug}/live", additional_headers=cookie) as ws:
            ws.send(json.dumps({"type": "hello", **hello}))
            snapshot = json.loads(ws.recv())
            if snapshot["type"] == "error":  # not recognised: said, then shown as to anyone
                assert snapshot["status"] == 401
                snapshot = json.loads(ws.recv())
            assert snapshot["type"] == "snapshot", snapshot
            return str(snapshot["state"]["role"])

    assert role({"staff": True}) == "organiser"
    assert role({}) == "public"  # the projector page on the organiser's laptop stays public
    token = event.join("Ben")["token"]
    assert role({"staff": True, "token": token}) == "attendee"
    # The attendee page asks for the attendee cookie, so a laptop that joined is both.
    cookie["Cookie"] += f"; snug_attendee={token}"
    assert role({"attendee": True}) == "attendee"
    assert role({"staff": True}) == "organiser"
    cookie["Cookie"] = "snug_attendee=erased-long-ago"
    assert role({"attendee": True}) == "public"  # not recognised: the page offers joining


def test_the_cookie_is_secure_when_snug_is_served_over_https() -> None:
    response = Response()
    keep_key(response, "camp", "k3y", "https://snug.example.org")
    cookies = [c.lower() for c in response.headers.getlist("set-cookie")]
    assert len(cookies) == 2 and all("; secure" in c for c in cookies), cookies


def test_joining_keeps_the_token_in_a_cookie_script_cant_read(
    make_event: Callable[..., ApiEvent], http: httpx.Client
) -> None:
    event = make_event()
    joined = http.post(f"/api/e/{event.slug}/attendees", json={"name": "Ana"})
    assert joined.status_code == 201
    token = joined.json()["token"]  # API clients keep using it as Bearer
    assert_staff_cookies(joined, event.slug, token, "snug_attendee")
    # Joining again replaces the cookie, whatever this browser kept before.
    again = http.post(
        f"/api/e/{event.slug}/attendees",
        json={"name": "Ana"},
        headers={"Cookie": "snug_attendee=erased-long-ago"},
    )
    assert again.status_code == 201
    assert_staff_cookies(again, event.slug, again.json()["token"], "snug_attendee")


def test_an_attendee_cookie_write_from_elsewhere_is_refused_and_changes_nothing(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    event = make_event()
    token = event.join("Ana")["token"]
    jar = {"Cookie": f"snug_attendee={token}; snug_staff={event.organiser}"}
    with httpx.Client(base_url=server.url, timeout=20) as browser:

        def rename(**headers: str) -> httpx.Response:
            return browser.patch(
                f"/api/e/{event.slug}/me", json={"name": "Taken over"}, headers=jar | headers
            )

        assert_problem(rename(), 403)  # without the header the cookie is no token at all
        for elsewhere in (
            {"Origin": "https://evil.example"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site", "Origin": server.url},
        ):
            refused = assert_problem(rename(**ATTENDEE, **elsewhere), 403)
            assert refused["detail"] == FROM_ELSEWHERE, elsewhere
        assert event.call("GET", "/me", token).json()["name"] == "Ana"
        own_page = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
        renamed = rename(**ATTENDEE, **own_page)
        assert renamed.status_code == 200 and renamed.json()["name"] == "Taken over"
        # Each page asks for its own role's cookie, so both live on one laptop.
        me = browser.get(f"/api/e/{event.slug}", headers=jar | STAFF | own_page)
        assert me.json()["role"] == "organiser"


def test_a_phone_counts_as_itself_for_limits_by_its_cookie() -> None:
    def asking(*headers: tuple[bytes, bytes], query: bytes = b"") -> Request:
        cookie = (b"cookie", b"snug_attendee=t0k")
        return Request({"type": "http", "headers": [cookie, *headers], "query_string": query})

    assert device(asking((b"x-snug-attendee", b"1"))) == "t0k"
    assert device(asking(query=b"as=attendee")) == "t0k"  # an event stream, or a poll
    assert device(asking()) is None  # a page that doesn't ask is counted by its address
    assert device(asking((b"authorization", b"Bearer b34r"))) == "b34r"
