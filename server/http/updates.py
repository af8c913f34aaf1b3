"""Live updates without a websocket, for proxies and phone browsers that block one.

Two ways, speaking the socket's own messages: an event stream (Server-Sent Events) that the
core (server/live/screen.py) writes to as it writes to a socket, each event's id its seq so a
browser reconnecting says where it was with Last-Event-ID; and, where even that is blocked,
the changes after a seq, asked for every POLL_SECONDS. A page says who it is with ``?as=``
(EventSource can't send headers); the secret stays in its HttpOnly cookie.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from server import metrics
from server.errors import BadRequest, Refused, Unauthorised
from server.events.access import PUBLIC, Actor
from server.events.models import Event
from server.events.setup import find_event
from server.http.api import ApiRoute, Query
from server.http.security import KEPT_IN, bearer, device, query_secret
from server.language import N_
from server.live.screen import Screen, catch_up

POLL_SECONDS = 5  # how often a page with neither websocket nor stream asks for changes
HEARTBEAT = 15  # seconds between comments on an idle stream, so proxies keep it open
SEND_TIMEOUT = 30  # seconds a stalled browser may hold a write before its stream is closed
MAX_SEQ = 2**31 - 1
Message = tuple[str, int | None]


class Stream:
    """The event stream that carries one screen: the core's messages, each once the response
    has taken the one before, so a slow browser backs up into the screen's bounded outbox."""

    def __init__(self) -> None:
        self.sender, self.receiver = anyio.create_memory_object_stream[Message](0)

    async def send(self, text: str, seq: int | None) -> None:
        await self.sender.send((text, seq))

    async def broken(self) -> None:
        # Ending the response makes the browser reconnect and catch up from the database.
        self.sender.close()


def since_from(request: Request, *, header: bool = False) -> int | None:
    """The last change the asker applied: Last-Event-ID when a browser's event stream comes
    back on its own (it knows better than the address it first opened), else ``?since=``."""
    raw = request.headers.get("last-event-id") if header else None
    raw = raw or request.query_params.get("since")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_SEQ:
        raise BadRequest(
            N_(
                "'since' is the number of the last change applied, from 0 to %(most)s; "
                "%(sent)s isn't one."
            ),
            values={"most": MAX_SEQ, "sent": repr(raw[:20])},
        )
    return int(raw)


async def _asker(request: Request) -> tuple[Event, Actor, Refused | None]:
    """The event, who is asking there, and why a secret kept in a cookie wasn't recognised:
    authorised before anything else is checked. A page whose cookie no longer counts (its link
    was replaced, its attendee erased) is told so and shown what the public sees, as the
    socket does, rather than nothing; an API client's bearer secret is refused outright."""
    event = await find_event(request.path_params["slug"])
    try:
        return event, await request.app.state.keys.identify(event, query_secret(request)), None
    except Unauthorised as exc:
        if bearer(request):
            raise
        return event, PUBLIC, exc


def _error(exc: Refused) -> dict[str, Any]:
    metrics.refusals.labels(str(exc.status)).inc()
    return {"type": "error", "message": exc.said(), "status": exc.status}


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def stream(request: Request) -> Response:
    event, actor, refusal = await _asker(request)
    since = since_from(request, header=True)
    state = request.app.state
    # Opening a stream may cost a snapshot, as a socket's hello does, and spends from its budget.
    await state.limiter.check("hello", _address(request), device(request))
    give_back = state.streams.take(_address(request), device(request))
    transport = Stream()
    screen = Screen(transport, event, state.settings.public_url)
    screen.actor = actor
    return Events(_events(request, screen, transport, since, refusal), give_back)


class Events(EventSourceResponse):
    """The stream's response, which gives its place back however it ends: the browser may be
    gone before the first event, when the events' own cleanup never starts."""

    def __init__(self, events: AsyncIterator[ServerSentEvent], give_back: Callable[[], None]):
        super().__init__(events, ping=HEARTBEAT, send_timeout=SEND_TIMEOUT)
        self._give_back = give_back

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._give_back()


async def _events(
    request: Request, screen: Screen, transport: Stream, since: int | None, refusal: Refused | None
) -> AsyncIterator[ServerSentEvent]:
    """The screen's messages as events, from its first catch-up until the browser leaves, the
    core gives up on it, or the server shuts down (sse-starlette then ends the stream)."""
    room = request.app.state.rooms.enter(screen.event.id, screen)
    metrics.connections.labels("event stream").inc()
    first: asyncio.Task[None] | None = None
    try:
        await room.subscribed.wait()  # changes from here on reach the outbox, then catch up
        first = asyncio.create_task(screen.start(since))
        async with transport.receiver:
            if refusal is not None:
                yield ServerSentEvent(data=json.dumps(_error(refusal)))
            async for text, seq in transport.receiver:
                yield ServerSentEvent(data=text, id=None if seq is None else str(seq))
    finally:
        if first is not None:
            first.cancel()
        screen.close()
        room.leave(screen)
        metrics.connections.labels("event stream").dec()
        transport.sender.close()


async def read_changes(request: Request, _body: None) -> Response:
    event, actor, refusal = await _asker(request)
    since = since_from(request)
    metrics.polls.inc()
    messages = [] if refusal is None else [_error(refusal)]
    messages += await catch_up(event, actor, since, request.app.state.settings.public_url)
    return JSONResponse({"messages": messages, "poll": POLL_SECONDS})


SINCE = Query(
    "since",
    {"type": "integer", "minimum": 0, "maximum": MAX_SEQ},
    "The seq of the last change applied; leave it out for a snapshot.",
)
AS: dict[str, Any] = {
    "type": "array",
    "items": {"enum": list(KEPT_IN)},
    "maxItems": len(KEPT_IN),
}

routes = [
    Route("/e/{slug}/stream", stream, name="stream"),
    ApiRoute(
        "GET",
        "/api/e/{slug}/changes",
        read_changes,
        tag="events",
        limit="poll",
        query=(
            SINCE,
            Query(
                "as",
                AS,
                "From Snug's own pages: use this browser's cookie for that role (attendee "
                "first). API clients send a Bearer token instead.",
            ),
        ),
        summary=(
            "The changes after a seq as the asker's role sees them, as the live socket sends "
            "them, or a snapshot when that seq is too far behind; for pages that can't keep a "
            "socket or stream open"
        ),
    ),
]
