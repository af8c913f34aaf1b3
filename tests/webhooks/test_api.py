"""Webhooks through the API: refusals are problem+json with a sentence, and the secret is
told once (a repeat of the same keyed request tells the same endpoint's)."""

from __future__ import annotations

import httpx

from tests.http.helpers import assert_problem
from tests.webhooks.conftest import make, publish, settled_log
from tests.webhooks.receiver import Receiver


def test_bodies_that_dont_fit_are_refused_in_words(client: httpx.Client) -> None:
    ev = make(client)
    for body in (
        {"url": "https://hooks.example.org/x", "kinds": []},
        {"url": "https://hooks.example.org/x", "kinds": ["grid.published"], "format": "irc"},
        {"url": "https://hooks.example.org/x", "kinds": ["vote.cast"]},
        {"url": "x" * 2001, "kinds": ["grid.published"]},
        {"url": "ftp://hooks.example.org/x", "kinds": ["grid.published"]},
        {"url": "https://a:b@hooks.example.org/x", "kinds": ["grid.published"]},
    ):
        refused = ev.call("POST", "/webhooks", ev.organiser, json=body)
        assert refused.status_code in {400, 422}, (body, refused.text)
        assert_problem(refused)
    assert ev.ok("GET", "/webhooks", ev.organiser)["webhooks"] == []
    gone = ev.call("GET", "/webhooks/999999/deliveries", ev.organiser)
    assert gone.status_code == 404
    assert_problem(gone)


def test_a_keyed_repeat_adds_one_webhook_and_at_most_ten(
    client: httpx.Client, receiver: Receiver
) -> None:
    ev = make(client)
    body = {"url": receiver.url, "kinds": ["grid.published"]}
    key = {"Idempotency-Key": "webhook-add-0001"}
    first = ev.ok("POST", "/webhooks", ev.organiser, status=201, json=body, headers=key)
    again = ev.ok("POST", "/webhooks", ev.organiser, status=201, json=body, headers=key)
    assert first == again
    for _ in range(9):
        ev.ok("POST", "/webhooks", ev.organiser, status=201, json=body)
    too_many = ev.call("POST", "/webhooks", ev.organiser, json=body)
    assert too_many.status_code == 409
    assert_problem(too_many)
    ev.ok("DELETE", f"/webhooks/{first['id']}", ev.organiser, status=204)
    assert len(ev.ok("GET", "/webhooks", ev.organiser)["webhooks"]) == 9


def test_erasing_personal_data_clears_the_delivery_log(
    client: httpx.Client, receiver: Receiver
) -> None:
    ev = make(client)
    made = ev.ok(
        "POST",
        "/webhooks",
        ev.organiser,
        status=201,
        json={"url": receiver.url, "kinds": ["grid.published"]},
    )
    publish(ev)
    assert settled_log(ev, made["id"])
    ev.ok("POST", "/erase-personal-data", ev.organiser, json={"confirm": ev.slug})
    assert ev.ok("GET", f"/webhooks/{made['id']}/deliveries", ev.organiser)["deliveries"] == []
