"""Rendering a page: the template, its title and the words every page may carry.

Pages are built on the server so they work as plain HTML and forms; the JavaScript that makes
them live takes over the same elements once it runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from server import templates
from server.errors import Refused
from server.language import gettext
from server.pages.words import FORMATS

# A page showing one person's own state (their dots, their agenda) is for them alone, so no
# shared cache keeps it; every page is checked again before it is shown from a cache. Every
# page is in the language its asker chose (a cookie) or their browser asks for.
PRIVATE = {"Cache-Control": "private, no-cache", "Vary": "Cookie, Accept-Language"}
SHARED = {"Cache-Control": "no-cache", "Vary": "Cookie, Accept-Language"}


def page(
    template: str,
    title: str,
    *,
    status: int = 200,
    private: bool = False,
    **context: Any,
) -> HTMLResponse:
    body = templates.render(template, title=title, **{"errors": [], "formats": FORMATS, **context})
    return HTMLResponse(body, status_code=status, headers=PRIVATE if private else SHARED)


def problem_page(exc: Refused) -> HTMLResponse:
    """A refusal on a page people opened: the same sentence the API gives, as a page, in the
    asker's language."""
    not_found = exc.status == 404
    heading = gettext("Page not found") if not_found else exc.titled()
    return page(
        "problem.html",
        heading,
        status=exc.status,
        heading=heading,
        message=exc.said(),
        not_found=not_found,
    )


Endpoint = Callable[[Request], Awaitable[Response]]


class PageRoute(Route):
    """A page or one of its forms: whatever it refuses is said as a page, whoever asks."""

    def __init__(self, path: str, endpoint: Endpoint, methods: list[str] | None = None) -> None:
        async def shown(request: Request) -> Response:
            try:
                return await endpoint(request)
            except Refused as exc:
                return problem_page(exc)

        shown.__name__ = endpoint.__name__
        super().__init__(path, shown, methods=methods)
