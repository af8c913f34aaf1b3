"""What a socket does with a message whose handler fails: a bug is answered like a request's 500
and logged, and the socket goes on; a phone that went is not taken for a bug."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import metrics
from server.errors import Refused
from server.live.dispatch import Dispatcher
from server.live.socket import SCHEMAS

PING = json.dumps({"type": "ping"})
DOT = json.dumps({"type": "dot", "pitch": 4, "key": "a-key-of-the-phone-0001"})


def _dispatcher(
    fail: BaseException | None, answered: list[tuple[int, str, str]], handled: list[str]
) -> Dispatcher:
    async def handler(message: dict[str, Any]) -> None:
        if fail is not None and message["type"] == "dot":
            raise fail
        handled.append(message["type"])

    async def answer(exc: Refused, raw: str) -> None:
        answered.append((exc.status, exc.said(), raw))

    # The websocket is only read by ``next``, which these tests don't call.
    websocket: WebSocket = None  # type: ignore[assignment]
    return Dispatcher(websocket, "event", SCHEMAS, {"ping": handler, "dot": handler}, answer)


def _errors() -> float:
    counted = metrics.registry.get_sample_value("snug_errors_total", {"where": "event socket"})
    return counted or 0.0


async def test_a_bug_in_a_handler_is_answered_and_logged_and_the_next_message_is_handled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answered: list[tuple[int, str, str]] = []
    handled: list[str] = []
    messages = _dispatcher(RuntimeError("a bug"), answered, handled)
    before = _errors()
    with caplog.at_level(logging.ERROR, logger="snug.live"):
        refusal = await messages.dispatch(DOT)
    assert refusal is not None and refusal.status == 500
    assert answered == [(500, "Snug hit an error; nothing was changed. Try again.", DOT)]
    assert "event socket: a dot message failed" in caplog.text
    assert "RuntimeError: a bug" in caplog.text, "with its traceback"
    assert "a-key-of-the-phone" not in caplog.text, "the message's fields stay out of the log"
    assert _errors() == before + 1
    assert await messages.dispatch(PING) is None
    assert handled == ["ping"], "the socket goes on"


async def test_a_phone_that_went_while_its_message_was_handled_is_not_a_bug() -> None:
    answered: list[tuple[int, str, str]] = []
    messages = _dispatcher(WebSocketDisconnect(1006), answered, [])
    with pytest.raises(WebSocketDisconnect):
        await messages.dispatch(DOT)
    assert answered == []
