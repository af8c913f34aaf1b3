"""Checks shared by the HTTP tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from server.validation import validate


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """An error must be problem+json with a 4xx status (or the 503 asked for) and a sentence a
    person can act on."""
    expected_503 = status == 503 == response.status_code
    assert 400 <= response.status_code < 500 or expected_503, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    validate("problem", body)
    assert body["status"] == response.status_code
    detail = body["detail"]
    assert len(detail.split()) >= 3, detail
    assert detail[0].isupper() or detail[0] in "'\"“‘", detail  # noqa: RUF001
    for leak in ("Traceback", "Exception", "asyncpg", "tortoise", "sqlite", "KeyError"):
        assert leak not in detail, detail
    return dict(body)


class EventStream:
    """An event stream read as a browser's EventSource reads it: comments (the heartbeat) are
    skipped, and each event is its id and its message, checked against the message's schema.
    A task of its own reads it, so waiting for an event that doesn't come leaves it open."""

    Event = tuple[str | None, dict[str, Any]]

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._events: asyncio.Queue[EventStream.Event | None] = asyncio.Queue()
        self.comments: list[str] = []  # the heartbeat
        self._reader = asyncio.create_task(self._read())

    async def next(self, wait: float = 5.0) -> EventStream.Event:
        event = await asyncio.wait_for(self._events.get(), wait)
        if event is None:
            raise EOFError("the stream ended")
        return event

    def close(self) -> None:
        self._reader.cancel()

    async def _read(self) -> None:
        event_id, data = None, []
        try:
            async for line in self.response.aiter_lines():
                if not line:
                    if data:
                        message = json.loads("\n".join(data))
                        validate(f"server-{message['type']}", message)
                        self._events.put_nowait((event_id, dict(message)))
                    data = []
                elif line.startswith(":"):
                    self.comments.append(line)
                else:
                    field, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if field == "id":
                        event_id = value
                    elif field == "data":
                        data.append(value)
        finally:
            self._events.put_nowait(None)

    async def up_to(self, seq: int) -> list[dict[str, Any]]:
        """Every message until the change numbered ``seq`` has arrived."""
        received: list[dict[str, Any]] = []
        while not received or received[-1].get("seq", -1) < seq:
            received.append((await self.next())[1])
        return received


@asynccontextmanager
async def event_stream(
    url: str, slug: str, params: Any = None, headers: dict[str, str] | None = None
) -> AsyncIterator[EventStream]:
    """The event's stream, open; it must open (a refusal fails here)."""
    async with (
        # Reads wait past a heartbeat: an idle stream is silent for that long.
        httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(10, read=30)) as client,
        client.stream("GET", f"/e/{slug}/stream", params=params, headers=headers) as response,
    ):
        assert response.status_code == 200, (await response.aread()).decode()
        assert response.headers["content-type"].startswith("text/event-stream")
        events = EventStream(response)
        try:
            yield events
        finally:
            events.close()


def as_role(role: str, secret: str) -> tuple[dict[str, str], dict[str, str]]:
    """The query and headers of a Snug page asking as ``role`` ("attendee" or "staff") with the
    secret its browser keeps in that role's cookie."""
    cookie = {"attendee": "snug_attendee", "staff": "snug_staff"}[role]
    return {"as": role}, {"Cookie": f"{cookie}={secret}"}
