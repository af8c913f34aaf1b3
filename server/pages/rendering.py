"""Rendering a page: the template, its title and the words every page may carry.

Pages are built on the server so they work as plain HTML and forms; the JavaScript that makes
them live takes over the same elements once it runs.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse

from server import templates
from server.pages.words import FORMATS, plural

# A page showing one person's own state (their dots, their agenda) is for them alone, so no
# shared cache keeps it; every page is checked again before it is shown from a cache.
PRIVATE = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}
SHARED = {"Cache-Control": "no-cache"}


def page(
    template: str,
    title: str,
    *,
    status: int = 200,
    private: bool = False,
    **context: Any,
) -> HTMLResponse:
    body = templates.render(
        template, title=title, **{"errors": [], "plural": plural, "formats": FORMATS, **context}
    )
    return HTMLResponse(body, status_code=status, headers=PRIVATE if private else SHARED)


def problem_page(status: int, title: str, message: str) -> HTMLResponse:
    """A refusal on a page people opened: the same sentence the API gives, as a page."""
    heading = "Page not found" if status == 404 else title
    return page("problem.html", heading, status=status, heading=heading, message=message)
