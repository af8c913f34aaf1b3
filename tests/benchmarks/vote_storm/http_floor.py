"""The transport floor of the vote-storm benchmark: the same phones, the same requests and
socket messages, answered by the same server stack (uvicorn with Snug's options, Starlette
routes) with nothing of Snug's work behind them: a join hands out a token, a hello is answered
with an empty snapshot, and a dot, posted or sent on the socket, is checked (token, JSON) and
answered with a dot id, all in memory. What the phones measure against it is what the
transport alone costs on this machine, so Snug's figures can be read against it.

Run by tests/benchmarks/vote_storm.py with --http-floor, as
``uvicorn --app-dir tests/benchmarks/vote_storm http_floor:app``.
"""

from __future__ import annotations

import itertools
import json
import secrets

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

_tokens: set[str] = set()
_dot_ids = itertools.count(1)


async def join(_request: Request) -> Response:
    token = secrets.token_urlsafe(16)
    _tokens.add(token)
    return JSONResponse({"token": token}, status_code=201)


async def place_dot(request: Request) -> Response:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    if token not in _tokens:
        return JSONResponse({"detail": "unknown token"}, status_code=401)
    body = json.loads(await request.body())
    return JSONResponse({"id": next(_dot_ids), "pitch": int(body["pitch"])}, status_code=201)


async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    token = None
    try:
        while True:
            message = json.loads(await websocket.receive_text())
            if message["type"] == "hello":
                token = message.get("token")
                await websocket.send_text('{"type":"snapshot","state":{"seq":0,"pitches":[]}}')
            elif message["type"] == "dot" and token in _tokens:
                dot = {"id": next(_dot_ids), "pitch": int(message["pitch"])}
                placed = {"type": "placed", "key": message["key"], "dot": dot}
                await websocket.send_text(json.dumps(placed))
    except WebSocketDisconnect:
        pass


async def healthz(_request: Request) -> Response:
    return PlainTextResponse("ok")


app = Starlette(
    routes=[
        Route("/api/e/{slug}/attendees", join, methods=["POST"]),
        Route("/api/e/{slug}/dots", place_dot, methods=["POST"]),
        Route("/healthz", healthz),
        WebSocketRoute("/e/{slug}/live", live),
    ]
)
