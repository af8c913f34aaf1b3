"""API routes that declare their body's schema, so one table drives validation and OpenAPI."""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.errors import Invalid, NotFound, Refused
from server.events import receipts
from server.events.access import Actor, Role
from server.events.journal import Journal
from server.events.models import Event
from server.events.setup import find_event
from server.events.writes import Writes
from server.http.security import device, secret
from server.language import N_
from server.validation import load_json, validate

MAX_BODY = 64 * 1024
T = TypeVar("T")

Handler = Callable[[Request, Any], Awaitable[Response]]


@dataclass(frozen=True)
class Query:
    """A query parameter an API route reads, described in OpenAPI (the handler checks it)."""

    name: str
    schema: dict[str, Any]
    description: str


class PayloadTooLarge(Refused):
    status = 413
    title = N_("Too much data")


class ApiRoute(Route):
    def __init__(
        self,
        method: str,
        path: str,
        handler: Handler,
        *,
        summary: str,
        body: str | None = None,
        status: int = 200,
        tag: str,
        role: Role = Role.public,
        raw_body: bool = False,
        limit: str | None = None,
        query: tuple[Query, ...] = (),
        replays: bool = False,
    ) -> None:
        """``limit``: the rate limit it counts against (server/limits.py).
        ``replays``: the handler writes through ``perform``, so an Idempotency-Key makes
        sending it twice safe (said in OpenAPI; the key's form is checked before the body).
        ``role``: the least an asker must be at the event in the path; who is asking is
        settled, and anyone less refused, before a byte of the body is read.
        ``raw_body``: the handler reads and checks the body itself (an archive: read only when
        no other import is under way, and checked with a time limit)."""
        self.body_schema, self.summary, self.ok_status, self.tag = body, summary, status, tag
        self.query = query
        self.replays, self.handler = replays, handler

        async def endpoint(request: Request) -> Response:
            if limit:
                address = request.client.host if request.client else None
                await request.app.state.limiter.check(limit, address, device(request))
            if "slug" in request.path_params and role > Role.public:
                _event, actor = await event_and_actor(request)
                actor.require(role)
            if replays:
                _header_key(request)
            payload = None
            if body and not raw_body:
                raw = await read_body(request)
                request.state.body_digest = hashlib.sha256(raw).digest()
                small = len(raw) <= INLINE_CHECK
                payload = (
                    _checked_small(body, raw)
                    if small
                    else await asyncio.to_thread(_checked, body, raw)
                )
            return await handler(request, payload)

        endpoint.__name__ = handler.__name__
        super().__init__(path, endpoint, methods=[method], name=handler.__name__)


# A body this small (a dot, a pitch) is checked faster than a hop to a thread and back, and
# can't hold the loop up for long whatever it holds; a vote storm is thousands of them.
INLINE_CHECK = 2048


def _checked_small(schema: str, raw: bytes) -> Any:
    """A small body checked, remembering the bodies that fit: a storm sends the same few
    ({"pitch": 12}) thousands of times. Each caller still gets a payload of its own."""
    _fits(schema, raw)
    return load_json(raw)


@functools.lru_cache(maxsize=1024)  # at most 2 MB of bodies that fit; refusals aren't kept
def _fits(schema: str, raw: bytes) -> None:
    _checked(schema, raw)


def _checked(schema: str, raw: bytes) -> Any:
    """The body as JSON that fits its schema: off the event loop, since a body that fits may
    still take a while to check."""
    return validate(schema, load_json(raw))


async def read_body(request: Request, max_body: int = MAX_BODY) -> bytes:
    if "json" not in request.headers.get("content-type", ""):
        raise Invalid(N_("Send the data as JSON, with Content-Type: application/json."))
    return await read_bounded(request, max_body, "request")


async def read_bounded(request: Request, max_body: int, what: str) -> bytes:
    """The body, refused once it passes ``max_body`` (said before a byte is read when the
    length is declared), so its size never decides the memory spent."""
    too_large = PayloadTooLarge(TOO_LARGE[what], values={"size": _size(max_body)})
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_body:
        raise too_large
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > max_body:
            raise too_large
    return bytes(raw)


TOO_LARGE = {
    "request": N_("This request can be at most %(size)s; nothing was saved."),
    "form": N_("This form can be at most %(size)s; nothing was saved."),
}


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"


async def event_and_actor(request: Request) -> tuple[Event, Actor]:
    """The event in the path and who is asking there, found once per request."""
    found: tuple[Event, Actor] | None = getattr(request.state, "event_and_actor", None)
    if found is None:
        event = await find_event(request.path_params["slug"])
        found = event, await request.app.state.keys.identify(event, secret(request))
        request.state.event_and_actor = found
    return found


async def perform(
    request: Request, command: Callable[[Journal], Awaitable[T]], *, key: str | None = None
) -> T:
    """Runs a domain command for whoever is asking, then fans its changes out.

    ``key``: the write's Idempotency-Key (a form passes its hidden field); by default the
    request's header. With one, sending the same write again answers as the first time did,
    without doing it twice."""
    event, actor = await event_and_actor(request)
    key = _header_key(request) if key is None else receipts.checked_key(key)
    asked = receipts.fingerprint(
        request.method, request.url.path, getattr(request.state, "body_digest", b"")
    )
    writes: Writes = request.app.state.writes
    return await writes.run(event, actor, command, key=key, fingerprint=asked)


def _header_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    return None if key is None else receipts.checked_key(key)


def path_id(request: Request, name: str) -> int:
    value = request.path_params[name]
    if not isinstance(value, int) or value > 2**31 - 1:
        raise NotFound(N_("Nothing in this event has that number; check the link."))
    return value
