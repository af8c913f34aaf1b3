"""The service worker's script, served from the root so it may look after the event pages."""

from __future__ import annotations

import httpx


def test_the_service_worker_is_served_fresh_for_the_event_pages(http: httpx.Client) -> None:
    answer = http.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"  # a fix reaches phones next visit
    assert answer.headers["service-worker-allowed"] == "/e/"
    assert 'addEventListener("fetch"' in answer.text
    # Writes are never answered from, or kept in, the worker's copies.
    assert 'if (request.method !== "GET") return;' in answer.text
