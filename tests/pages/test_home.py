"""Snug's own pages: the join code typed on the home page, as a browser without script sends
it."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tests.conftest import ApiEvent


def test_the_home_page_form_takes_a_join_code_as_typed_without_javascript(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    home = http.get("/").text
    form = re.search(r'<form id="join"[^>]*>', home)
    assert form is not None and 'action="/j"' in form.group() and 'method="get"' in form.group()
    assert re.search(r'<input id="join-code" name="code"[^>]*autocapitalize="characters"', home)
    ev = make_event()
    code = ev.links["join"].rsplit("/j/", 1)[1]
    typed = f" {code[:3].upper()} -{code[3:].upper()} "
    answer = http.get("/j", params={"code": typed})
    assert answer.status_code == 303 and answer.headers["location"] == f"/j/{code}"
    assert http.get(answer.headers["location"]).headers["location"].endswith(f"/e/{ev.slug}")
    browser = {"Accept": "text/html"}  # a refusal is a page for a browser
    wrong = http.get("/j", params={"code": "zz/../zz"}, headers=browser, follow_redirects=True)
    assert wrong.status_code == 404 and "No event has the join code" in wrong.text
    assert "zzzz" in wrong.text and "zz/../zz" not in wrong.text
    assert 'href="/"' in wrong.text  # the way back to the form
    empty = http.get("/j", params={"code": "  "})
    assert empty.status_code == 303 and empty.headers["location"] == "/#join"
