"""What an operator sees: /metrics in Prometheus format, and JSON logs that hold no secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from websockets.sync.client import connect

from server.logs import redact
from tests.conftest import ROOT, ApiEvent, LiveServer, event_body, free_port


def test_secret_parts_of_paths_are_redacted() -> None:
    assert redact("/e/camp/my/abcDEF123.ics") == "/e/camp/my/[feed]"
    assert redact("/e/camp/my/abcDEF123.ics/more") == "/e/camp/my/[feed]"
    assert redact("/e/camp/my/abcDEF123") == "/e/camp/my/[feed]"
    assert redact("/e/camp/photos/12/k3y") == "/e/camp/photos/12/[key]"
    assert redact("/e/camp/photos/x/k3y") == "/e/camp/photos/[key]"
    assert redact("/e/camp/schedule.ics") == "/e/camp/schedule.ics"
    # An action's owner's link, even one too short to look like a secret, or mistyped.
    assert redact("/e/camp/action/abc") == "/e/camp/action/[link]"
    assert redact("/e/camp/action/abcDEF123.ics") == "/e/camp/action/[link]"
    assert redact("/e/camp/actions.csv") == "/e/camp/actions.csv"
    assert redact("/e/camp/actions/12") == "/e/camp/actions/12"
    # Anywhere else, what is shaped like a secret (a slug is all lower case, so it stays).
    secret = "Abc_defghijklmnopqrstuvwxyz0123"
    assert redact(f"/e/camp/mine/{secret}.ics") == "/e/camp/mine/[secret].ics"
    assert redact(f"/e/{secret}") == "/e/[secret]"
    slug = "open-source-camp-2026-in-the-old-library"
    assert redact(f"/e/{slug}/schedule.ics") == f"/e/{slug}/schedule.ics"


def _metric(text: str, name: str) -> float:
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name)]
    assert values, f"{name} is missing from /metrics"
    return sum(values)


def test_metrics_count_requests_sockets_and_messages(
    server: LiveServer, make_event: Callable[..., ApiEvent], http: httpx.Client
) -> None:
    event = make_event()
    hellos = _metric(http.get("/metrics").text, "snug_hello_seconds_count")
    with connect(f"{server.ws_url}/e/{event.slug}/live") as ws:
        ws.send(json.dumps({"type": "hello"}))
        assert json.loads(ws.recv())["type"] == "snapshot"
        page = http.get("/metrics")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/plain")
        text = page.text
        assert _metric(text, 'snug_websocket_connections{socket="event"}') >= 1
        assert _metric(text, "snug_websocket_messages_sent_total") >= 1
        assert _metric(text, "snug_http_requests_total") >= 2
        assert "snug_broadcast_seconds_bucket" in text
        assert _metric(text, "snug_hello_seconds_count") >= hellos + 1  # from hello to snapshot
    event.call("GET", "/pitches/0/notes")  # a refusal is counted too
    assert _metric(http.get("/metrics").text, "snug_refusals_total") >= 1


def test_the_served_logs_are_json_lines_without_tokens_or_keys(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SNUG_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite://{tmp_path / 'snug.sqlite3'}",
        "SECRET_KEY": "log-test-secret",
    }
    log = (tmp_path / "stderr.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url)
        with httpx.Client(base_url=url) as client:
            made = client.post("/api/events", json=event_body()).json()
            event = ApiEvent(client, made["slug"], made["organiser_key"], made["links"])
            token = event.join("Ana")["token"]
            client.get(f"/e/{event.slug}/my/{token}.ics")
            client.get(f"/e/{event.slug}/photos/1/not-a-real-key")
            client.get(f"/api/e/{event.slug}", headers={"Authorization": f"Bearer {token}"})
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    text = (tmp_path / "stderr.log").read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "snug.http"]
    assert {r["path"] for r in requests} >= {
        f"/e/{event.slug}/my/[feed]",
        f"/e/{event.slug}/photos/1/[key]",
    }
    assert all({"at", "method", "status", "ms"} <= set(r) for r in requests)
    for secret in (token, made["organiser_key"], "not-a-real-key", "log-test-secret"):
        assert secret not in text


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("snug serve did not start")
