"""What both websockets do with what a client says: read it, check it, hand it to its handler.

A socket declares a handler for each type of message it takes; the rest is the same for both
sockets and lives here. A message is a text frame holding a JSON object whose ``type`` names a
handler and whose fields fit that type's schema (server/live/messages.py). Whatever goes wrong
with one message is answered with an error message and the connection stays up, so a page never
has to reconnect over it: a binary frame, an unknown type, a handler's refusal, the database
being out of reach (logged once per outage, server/db.py), and a bug in a handler (logged).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from server import metrics
from server.db import database, unreachable
from server.errors import DATABASE_AWAY, FAILED, Invalid, Refused
from server.language import N_
from server.live import messages

# A page says hello (or join) as soon as its socket opens; one silent this long is taken to
# have said a bare one, so it gets the public view rather than nothing.
HELLO_TIMEOUT = 15.0
BINARY = N_("Send messages as text, not binary.")

T = TypeVar("T")
log = logging.getLogger("snug.socket")
Handler = Callable[[dict[str, Any]], Awaitable[None]]
# Sends the client an error for a refused message, given the message's raw text ("" if none).
Answer = Callable[[Refused, str], Awaitable[None]]


class Dispatcher:
    """One socket's messages handed, by type, to their handlers."""

    def __init__(
        self,
        websocket: WebSocket,
        socket: str,
        schemas: str,
        handlers: Mapping[str, Handler],
        answer: Answer,
    ) -> None:
        """``socket`` names the socket in the metrics; a message of type T is checked against
        the schema ``{schemas}T``."""
        self.websocket, self.socket, self.schemas = websocket, socket, schemas
        self.handlers, self.answer = handlers, answer

    async def next(self, wait: float | None = None) -> str | None:
        """The next message's text, or None after ``wait`` seconds of silence. Binary frames
        are answered with an error and waited past."""
        while True:
            try:
                raw = await asyncio.wait_for(self.websocket.receive_text(), wait)
            except TimeoutError:
                return None
            except KeyError:  # Starlette finds no text in a binary frame
                await self.answer(Invalid(BINARY), "")
                continue
            metrics.messages_received.labels(self.socket).inc()
            return raw

    async def dispatch(self, raw: str) -> Refused | None:
        """Does what a message asks; returns the refusal it was answered with, if any."""

        async def handle() -> None:
            message = messages.parse(raw, tuple(self.handlers), self.schemas)
            await self.handlers[message["type"]](message)

        return await self.guard(handle, raw)

    async def guard(self, action: Callable[[], Awaitable[T]], raw: str = "") -> T | Refused | None:
        """Runs ``action`` for the message ``raw``, answering a refusal, or the database being
        away, with an error. Returns what the action returned, or the refusal, or None when
        the database was away. The socket stays open either way."""
        try:
            return await action()
        except Refused as exc:
            await self.answer(exc, raw)
            return exc
        except WebSocketDisconnect:
            raise
        except Exception as exc:
            if unreachable(exc):
                database.lost()
                # Nothing was done, so the page may send the same message again.
                await self.answer(DATABASE_AWAY, raw)
                return None
            if self.websocket.application_state is not WebSocketState.CONNECTED:
                raise  # the socket closed under the handler: nobody is left to answer
            # A bug: the person is told, the log gets what it was (not the message, which
            # may hold a token), and the socket, with everyone's other work on it, stays up.
            metrics.errors.labels(self.socket).inc()
            log.exception("a message on the %s socket failed", self.socket)
            await self.answer(FAILED, raw)
            return FAILED

    async def serve(self) -> None:
        """Answers every message until the client goes (WebSocketDisconnect)."""
        while True:
            raw = await self.next()
            if raw is not None:
                await self.dispatch(raw)
