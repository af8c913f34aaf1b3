"""Errors as application/problem+json (RFC 9457), each with a sentence a person understands."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import language, metrics
from server.db import unreachable
from server.errors import DATABASE_AWAY, FAILED, Refused
from server.language import N_, gettext
from server.limits import TooFast
from server.logs import redact
from server.pages.rendering import problem_page

log = logging.getLogger("snug.errors")


class ProblemResponse(JSONResponse):
    media_type = "application/problem+json"


def wants_page(request: Request) -> bool:
    """A browser opening a page, or sending one of its forms, is answered with a page; the API
    and scripts with problem+json."""
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/api/") and "text/html" in accept


def problem(status: int, title: str, detail: str, **extensions: Any) -> ProblemResponse:
    """``title`` and ``detail`` as written (English, marked), said here in the asker's
    language; one the catalogue doesn't hold (Starlette's own words) is said as written."""
    return _answer(status, gettext(title), gettext(detail), **extensions)


def _answer(status: int, title: str, detail: str, **extensions: Any) -> ProblemResponse:
    """A problem whose ``title`` and ``detail`` are already in the asker's language."""
    body: dict[str, Any] = {
        **extensions,
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    headers = {"Content-Language": language.current(), "Vary": "Cookie, Accept-Language"}
    return ProblemResponse(body, status_code=status, headers=headers)


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    answer: Response = (
        problem_page(exc)
        if wants_page(request)
        else _answer(exc.status, exc.titled(), exc.said(), **exc.extensions)
    )
    if exc.status == 503:
        answer.headers["Retry-After"] = "5"
    if isinstance(exc, TooFast):
        answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


async def database_error(request: Request, exc: Exception) -> Response:
    """The database's errors: out of reach is a 503 to retry; anything else is a bug."""
    if unreachable(exc):
        return await refused(request, DATABASE_AWAY)
    raise exc


_HTTP_DETAIL = {
    404: N_("There's nothing at this address. Check the link you were given."),
    405: N_("This address doesn't accept that kind of request."),
}
# Starlette's own titles for the statuses it raises, marked for the catalogue.
_HTTP_TITLE = {404: N_("Not Found"), 405: N_("Method Not Allowed")}


async def http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = _HTTP_TITLE.get(exc.status_code, str(exc.detail))
    detail = _HTTP_DETAIL.get(exc.status_code, str(exc.detail))
    return problem(exc.status_code, title, detail)


async def server_error(request: Request, exc: Exception) -> Response:
    metrics.errors.labels("http").inc()
    log.error(
        json.dumps({"error": type(exc).__name__, "path": redact(request.url.path)}),
        exc_info=exc,
    )
    return problem(500, FAILED.title, FAILED.message)
