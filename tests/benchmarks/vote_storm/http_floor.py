"""The HTTP floor of the vote-storm benchmark: the same phones, the same requests, answered
by the same server stack (uvicorn with Snug's options, a Starlette route) with nothing of
Snug's work behind them: a join hands out a token, a vote checks it and its JSON body and
answers 201 with a dot id, all in memory. What the phones measure against it is what the
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
from starlette.routing import Route

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


async def healthz(_request: Request) -> Response:
    return PlainTextResponse("ok")


app = Starlette(
    routes=[
        Route("/api/e/{slug}/attendees", join, methods=["POST"]),
        Route("/api/e/{slug}/dots", place_dot, methods=["POST"]),
        Route("/healthz", healthz),
    ]
)
