"""The dispatcher both sockets share: what it does with a handler's bug. The socket here is a
stand-in holding what the client sends; the real sockets are in test_socket.py."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect, WebSocketState

from server.errors import Refused
from server.live.dispatch import Dispatcher


class Sent:
    """A client's side of a socket: what it sends, in order, then it goes."""

    def __init__(self, *texts: str) -> None:
        self.texts = list(texts)
        self.application_state = WebSocketState.CONNECTED

    async def receive_text(self) -> str:
        if not self.texts:
            self.application_state = WebSocketState.DISCONNECTED
            raise WebSocketDisconnect(1000)
        return self.texts.pop(0)


async def _serve(socket: Sent, ping: Any) -> list[dict[str, Any]]:
    """What the client is told while the dispatcher answers everything it sends."""
    told: list[dict[str, Any]] = []

    async def answer(exc: Refused, _raw: str) -> None:
        told.append({"type": "error", "message": exc.said(), "status": exc.status})

    async def handle(message: dict[str, Any]) -> None:
        told.append(await ping(message))

    dispatcher = Dispatcher(socket, "event", "client-", {"ping": handle}, answer)  # type: ignore[arg-type]
    with pytest.raises(WebSocketDisconnect):
        await dispatcher.serve()
    return told


async def test_a_handlers_bug_is_answered_and_logged_and_the_socket_stays_open(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []

    async def ping(_message: dict[str, Any]) -> dict[str, Any]:
        calls.append("ping")
        if len(calls) == 1:
            raise RuntimeError("a bug in a handler")
        return {"type": "pong"}

    with caplog.at_level(logging.ERROR, "snug.socket"):
        told = await _serve(Sent('{"type": "ping"}', '{"type": "ping"}'), ping)
    failed = "Snug hit an error; nothing was changed. Try again."
    assert told == [{"type": "error", "message": failed, "status": 500}, {"type": "pong"}]
    assert calls == ["ping", "ping"]
    (record,) = caplog.records
    assert record.exc_info is not None and "a bug in a handler" in str(record.exc_info[1])
    assert "ping" not in record.getMessage()  # what was sent stays out of the log


async def test_a_bug_after_the_client_went_ends_the_socket_unanswered() -> None:
    socket = Sent('{"type": "ping"}')

    async def ping(_message: dict[str, Any]) -> dict[str, Any]:
        socket.application_state = WebSocketState.DISCONNECTED
        raise RuntimeError("the socket closed under the handler")

    with pytest.raises(RuntimeError, match="closed under"):
        await _serve(socket, ping)
