"""A Snug server that may post to this computer (the receiver's address), with retries a few
hundredths of a second apart, so the webhook tests are quick."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.webhooks.receiver import Receiver, receiving

QUICK = {"WEBHOOK_PRIVATE_ADDRESSES": "allow", "WEBHOOK_BACKOFF": "0.05"}


@pytest.fixture(scope="module")
def hooked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("webhooks"), QUICK)
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def client(hooked_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hooked_server.url, timeout=20) as found:
        yield found


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as found:
        yield found


def make(client: httpx.Client, **overrides: Any) -> ApiEvent:
    response = client.post("/api/events", json=event_body(**overrides))
    assert response.status_code == 201, response.text
    made = response.json()
    return ApiEvent(client, made["slug"], made["organiser_key"], made["links"])


def hook(ev: ApiEvent, url: str, kinds: list[str], form: str = "snug") -> dict[str, Any]:
    body = {"url": url, "kinds": kinds, "format": form}
    return dict(ev.ok("POST", "/webhooks", ev.organiser, status=201, json=body))


def publish(ev: ApiEvent) -> str:
    """One session placed and the grid published; answers the facilitator's key."""
    staff = ev.facilitator()
    state = ev.state(staff)
    pitch = ev.pitch(staff, "Open data in cities", host="Ann")["id"]
    cell = {"room": state["rooms"][0]["id"], "slot": state["slots"][0]["id"]}
    ev.ok("POST", "/grid/move", staff, json={"version": 0, "pitch": pitch, **cell})
    ev.ok("POST", "/grid/publish", staff, json={"version": 1})
    return staff


def log_of(ev: ApiEvent, webhook: int) -> list[dict[str, Any]]:
    found = ev.ok("GET", f"/webhooks/{webhook}/deliveries", ev.organiser)
    return list(found["deliveries"])


def settled_log(ev: ApiEvent, webhook: int) -> list[dict[str, Any]]:
    """The delivery log once nothing in it is still pending."""
    deadline = time.monotonic() + 20
    while True:
        found = log_of(ev, webhook)
        if found and all(d["state"] != "pending" for d in found):
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.05)


def server_log(server: LiveServer) -> str:
    return Path(server.data_dir / "server.log").read_text()
