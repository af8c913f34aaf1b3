"""Structured access logs without secrets, the request metrics, and the /metrics page.

Uvicorn's own access log is off (see server/cli.py): it would write personal calendar feed
secrets and photo keys, which sit in paths, to the log. Here every request is one JSON line
with those parts of the path replaced (``server.logs.redact``), and no query string.
"""

from __future__ import annotations

import json
import logging
import time

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import metrics
from server.logs import redact

log = logging.getLogger("snug.http")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            seconds = time.perf_counter() - started
            metrics.requests.labels(scope["method"], str(status)).inc()
            metrics.request_seconds.observe(seconds)
            if 400 <= status < 500:
                metrics.refusals.labels(str(status)).inc()
            if log.isEnabledFor(logging.INFO):  # a storm's thousands of lines cost nothing unread
                line = {
                    "method": scope["method"],
                    "path": redact(scope["path"]),
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                }
                log.info(json.dumps(line))


async def metrics_page(_request: Request) -> Response:
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
