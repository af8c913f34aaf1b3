"""Webhooks posted by a real Snug server to a real HTTP receiver on this computer: signed,
retried with backoff, logged, and carried on after a restart."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from server.config import Settings
from server.webhooks import delivery
from tests.conftest import LiveServer, start_server, stop_server
from tests.webhooks.conftest import QUICK, hook, log_of, make, publish, server_log, settled_log
from tests.webhooks.receiver import Received, Receiver, receiving


def signed_by(secret: str, received: Received) -> bool:
    """What a receiver does, written here without Snug's code: HMAC-SHA256 of "t.body"."""
    parts = dict(p.split("=", 1) for p in received.headers["snug-signature"].split(","))
    fresh = abs(time.time() - int(parts["t"])) < 300
    signed = parts["t"].encode() + b"." + received.body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return fresh and hmac.compare_digest(expected, parts["v1"])


def test_publishing_the_grid_posts_a_signed_message(
    client: httpx.Client, receiver: Receiver, hooked_server: LiveServer
) -> None:
    ev = make(client)
    made = hook(ev, receiver.url, ["grid.published"])
    assert made["secret"].startswith("snugwh_") and made["url"] == "http://" + (
        receiver.url.split("/")[2] + "/…"
    )
    publish(ev)
    [got] = receiver.wait_for(1)
    assert got.path == "/hooks/snug"
    assert signed_by(made["secret"], got)
    assert not signed_by(made["secret"] + "x", got)
    message = json.loads(got.body)
    assert message["event"] == ev.slug and message["kind"] == "grid.published"
    assert message["payload"]["release"] == 1 and message["payload"]["sessions"] == 1
    assert message["payload"]["url"].endswith(f"/e/{ev.slug}")
    assert got.headers["snug-delivery"] == message["id"]
    assert got.headers["snug-kind"] == "grid.published"
    [logged] = settled_log(ev, made["id"])
    assert logged["id"] == message["id"] and logged["state"] == "delivered"
    assert [(a["status"], a["error"]) for a in logged["attempts"]] == [(200, None)]
    # Neither the secret nor the receiver's address reaches the log or the listing.
    assert made["secret"] not in server_log(hooked_server)
    assert "/hooks/snug" not in server_log(hooked_server)
    listed = ev.ok("GET", "/webhooks", ev.organiser)["webhooks"]
    assert "/hooks/snug" not in json.dumps(listed) and "secret" not in listed[0]


def test_a_failing_receiver_is_tried_again_with_backoff_and_each_try_logged(
    client: httpx.Client, receiver: Receiver
) -> None:
    ev = make(client)
    made = hook(ev, receiver.url, ["grid.published"])
    receiver.answers = [500, 503]
    publish(ev)
    tries = receiver.wait_for(3)
    assert len({json.loads(t.body)["id"] for t in tries}) == 1, "one delivery, sent again"
    assert all(signed_by(made["secret"], t) for t in tries)
    # WEBHOOK_BACKOFF is 0.05 s here: the second wait is twice the first.
    assert tries[1].at - tries[0].at >= 0.05 and tries[2].at - tries[1].at >= 0.1
    [logged] = settled_log(ev, made["id"])
    assert logged["state"] == "delivered"
    assert [(a["status"], a["error"]) for a in logged["attempts"]] == [
        (500, "status"),
        (503, "status"),
        (200, None),
    ]


def test_a_receiver_that_never_answers_well_is_given_up_after_eight_tries(
    client: httpx.Client, receiver: Receiver
) -> None:
    ev = make(client)
    made = hook(ev, receiver.url, ["grid.published"])
    receiver.answers = [500] * 20
    publish(ev)
    [logged] = settled_log(ev, made["id"])
    assert logged["state"] == "failed" and len(logged["attempts"]) == 8
    assert len(receiver.received) == 8


def test_redirects_are_not_followed(client: httpx.Client, receiver: Receiver) -> None:
    ev = make(client)
    made = hook(ev, receiver.url, ["grid.published"])
    receiver.answers = [302]
    publish(ev)
    receiver.wait_for(2)
    [logged] = settled_log(ev, made["id"])
    errors = [a["error"] for a in logged["attempts"]]
    assert errors == ["redirect", None]


def test_only_the_kinds_asked_for_are_sent_and_the_news_is_in_the_chat_format(
    client: httpx.Client, receiver: Receiver
) -> None:
    ev = make(client, languages=["cy", "en"])
    hook(ev, receiver.url, ["release.changed", "proceedings.ready"], "slack")
    staff = publish(ev)  # grid.published: not asked for
    ev.ok("POST", "/grid/unpublish", staff, json={"version": 2})
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    ev.ok("PATCH", "", ev.organiser, json={"venue": "The Old Library"})  # no news
    got = receiver.wait_for(2)
    texts = sorted(json.loads(r.body)["text"] for r in got)
    assert len(texts) == 2 and texts == sorted(texts)
    proceedings = next(t for t in texts if "proceedings" in t)
    # Welsh first, then English, as the event is held in both.
    assert proceedings.index(" / ") > 0 and proceedings.endswith(f"/e/{ev.slug}/proceedings")
    assert any("taken down" in t for t in texts)
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": False})
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    assert len(receiver.wait_for(3)) == 3, "published again: news again"


def test_a_restart_carries_on_with_deliveries_still_owed(tmp_path: Path) -> None:
    """The receiver is away when the grid is published; Snug stops with the delivery owed,
    starts again, and delivers it once the receiver is back."""
    folder = tmp_path / "restart"
    slow = {**QUICK, "WEBHOOK_BACKOFF": "2"}
    with receiving() as away:
        url, port = away.url, int(away.url.split(":")[2].split("/")[0])
    server = start_server(folder, slow)
    try:
        with httpx.Client(base_url=server.url, timeout=20) as client:
            ev = make(client)
            made = hook(ev, url, ["grid.published"])
            publish(ev)
            deadline = time.monotonic() + 20
            while not (found := log_of(ev, made["id"])) or not found[0]["attempts"]:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert found[0]["state"] == "pending"
            assert found[0]["attempts"][0]["error"] == "unreachable"
    finally:
        stop_server(server)
    with receiving(port) as back:
        server = start_server(folder, slow)
        try:
            [got] = back.wait_for(1)
            assert signed_by(made["secret"], got)
            assert json.loads(got.body)["id"] == found[0]["id"]
        finally:
            stop_server(server)


def test_a_test_message_arrives_whatever_kinds_were_chosen(
    client: httpx.Client, receiver: Receiver
) -> None:
    ev = make(client)
    made = hook(ev, receiver.url, ["proceedings.ready"])
    ev.ok("POST", f"/webhooks/{made['id']}/test", ev.organiser, status=202)
    [got] = receiver.wait_for(1)
    assert signed_by(made["secret"], got)
    message = json.loads(got.body)
    assert message["kind"] == "webhook.test" and message["payload"]["url"].endswith(ev.slug)
    [logged] = settled_log(ev, made["id"])
    assert logged["kind"] == "webhook.test" and logged["state"] == "delivered"


def test_an_action_changing_is_news_with_the_action_and_without_its_link(
    client: httpx.Client, receiver: Receiver, hooked_server: LiveServer
) -> None:
    ev = make(client)
    made = hook(ev, receiver.url, ["action.changed"])
    ana = ev.join("Ana")["token"]
    pitch = ev.pitch(ana, "Open data")["id"]
    added = client.post(
        f"/e/{ev.slug}/notes/{pitch}/actions",
        data={"what": "Draft the plan", "owner": "Priya", "due": "2030-01-31"},
        headers={"Cookie": f"snug_attendee={ana}"},
    )
    assert added.status_code == 303, added.text
    (action,) = ev.ok("GET", "/actions", ev.organiser)
    staff = ev.facilitator()
    ev.ok("PUT", f"/actions/{action['id']}/status", staff, json={"status": "done"})
    [got] = receiver.wait_for(1)
    assert signed_by(made["secret"], got)
    message = json.loads(got.body)
    assert message["kind"] == "action.changed"
    payload = message["payload"]
    assert {k: payload[k] for k in ("id", "what", "owner", "due", "status")} == {
        "id": action["id"],
        "what": "Draft the plan",
        "owner": "Priya",
        "due": "2030-01-31",
        "status": "done",
    }
    assert payload["session"] == {"id": pitch, "title": "Open data"}
    assert "/action/" not in got.body.decode(), "the owner's private link stays private"


async def test_a_delivery_connects_to_the_address_it_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The name is looked up once, that address is checked, and the post goes to it with the
    name as Host: a second lookup can't send it somewhere else. ``hooks.invalid`` never
    resolves, so the post arrives only if no second lookup was made."""
    looked_up: list[tuple[str, int]] = []

    async def checked(host: str, port: int, *, private: bool) -> str:
        looked_up.append((host, port))
        return "127.0.0.1"

    monkeypatch.setattr(delivery, "resolve", checked)
    settings = Settings("sqlite://:memory:", "secret", "http://127.0.0.1", "memory://")
    deliverer = delivery.Deliverer(settings)
    # Its client alone, without the lookout that reads the database for what is due.
    deliverer._client = httpx.AsyncClient(timeout=5, trust_env=False)
    with receiving() as receiver:
        port = httpx.URL(receiver.url).port
        endpoint = SimpleNamespace(url=f"http://hooks.invalid:{port}/hooks/snug", nonce="n")
        owed = SimpleNamespace(endpoint=endpoint, body="{}", delivery_id="d1", kind="test")
        try:
            answered = await deliverer._attempt(owed)  # type: ignore[arg-type]
        finally:
            await deliverer._client.aclose()
        (received,) = receiver.wait_for(1)
    assert answered == (200, "")
    assert looked_up == [("hooks.invalid", port)]
    assert received.headers["host"] == f"hooks.invalid:{port}"
    assert received.path == "/hooks/snug"
