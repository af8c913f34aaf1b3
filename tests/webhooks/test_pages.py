"""The webhooks page as plain forms, with no script: adding a webhook shows its secret once
and nowhere in an address, the delivery log shows each try, removing it stops the news; and
nobody but an organiser sees or changes any of it."""

from __future__ import annotations

import re

import httpx
import lxml.html

from tests.conftest import LiveServer
from tests.webhooks.conftest import make, publish, settled_log
from tests.webhooks.receiver import Receiver


def browser(server: LiveServer, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url,
        timeout=20,
        headers={"Accept": "text/html", "Origin": server.url, "Cookie": f"snug_staff={key}"},
    )


def form_key(page: httpx.Response) -> str:
    found = re.search(r'name="key" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_adding_a_webhook_by_form_shows_its_secret_once_then_logs_and_removes_it(
    client: httpx.Client, hooked_server: LiveServer, receiver: Receiver
) -> None:
    ev = make(client)
    with browser(hooked_server, ev.organiser) as b:
        empty = b.get(f"/e/{ev.slug}/webhooks")
        assert empty.status_code == 200 and "None yet." in empty.text
        fields = {"key": form_key(empty), "url": receiver.url, "kind-grid.published": "yes"}
        added = b.post(f"/e/{ev.slug}/webhooks", data={**fields, "format": "slack"})
        assert added.status_code == 200 and "location" not in added.headers  # no address
        secret = lxml.html.fromstring(added.text).get_element_by_id("added-secret").text_content()
        assert secret.startswith("snugwh_")
        again = b.get(f"/e/{ev.slug}/webhooks")
        assert secret not in again.text and "/hooks/snug" not in again.text
        [hook] = ev.ok("GET", "/webhooks", ev.organiser)["webhooks"]
        assert hook["format"] == "slack" and hook["kinds"] == ["grid.published"]
        publish(ev)
        receiver.wait_for(1)
        settled_log(ev, hook["id"])
        shown = b.get(f"/e/{ev.slug}/webhooks/{hook['id']}")
        assert "The grid is published" in shown.text and "200" in shown.text
        page = b.get(f"/e/{ev.slug}/webhooks")
        removed = b.post(
            f"/e/{ev.slug}/webhooks/{hook['id']}/remove",
            data={"key": form_key(page)},
            follow_redirects=False,
        )
        assert removed.status_code == 303
        assert removed.headers["location"] == f"/e/{ev.slug}/webhooks?done=removed"
    assert ev.ok("GET", "/webhooks", ev.organiser)["webhooks"] == []


def test_the_form_says_what_is_wrong_and_adds_nothing(
    client: httpx.Client, hooked_server: LiveServer
) -> None:
    ev = make(client)
    with browser(hooked_server, ev.organiser) as b:
        page = b.get(f"/e/{ev.slug}/webhooks")
        nothing = b.post(f"/e/{ev.slug}/webhooks", data={"key": form_key(page), "url": ""})
        assert nothing.status_code == 422
        assert 'href="#webhook-url"' in nothing.text
        assert 'href="#webhook-kind-grid.published"' in nothing.text
        ftp = b.post(
            f"/e/{ev.slug}/webhooks",
            data={
                "key": form_key(page),
                "url": "ftp://files.example.org/",
                "kind-grid.published": "yes",
            },
        )
        assert ftp.status_code == 422 and "https://" in ftp.text
    assert ev.ok("GET", "/webhooks", ev.organiser)["webhooks"] == []


def test_a_facilitator_neither_sees_nor_changes_the_webhooks(
    client: httpx.Client, hooked_server: LiveServer, receiver: Receiver
) -> None:
    ev = make(client)
    made = ev.ok(
        "POST",
        "/webhooks",
        ev.organiser,
        status=201,
        json={"url": receiver.url, "kinds": ["grid.published"]},
    )
    facilitator = ev.facilitator()
    with browser(hooked_server, facilitator) as b:
        page = b.get(f"/e/{ev.slug}/webhooks")
        assert "Only the event's organisers" in page.text and "127.0.0.1" not in page.text
        log = b.get(f"/e/{ev.slug}/webhooks/{made['id']}")
        assert "127.0.0.1" not in log.text
    refused = ev.call("DELETE", f"/webhooks/{made['id']}", facilitator)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert len(ev.ok("GET", "/webhooks", ev.organiser)["webhooks"]) == 1
