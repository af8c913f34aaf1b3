"""Which language each request is answered in, the toggle that changes it, and the messages
the pages' scripts say, from the same catalogue as the pages.

The choice is a cookie, not script storage, so it reaches the server with every page, form
and socket of any event on this Snug, and works without JavaScript. Holding only a language
code, it needs none of the care the secret cookies take (server/http/security.py): at worst a
link elsewhere switches someone's language, which the toggle switches back.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from server import language
from server.errors import NotFound
from server.language.catalogues import for_scripts
from server.pages.forms import returns_within

KEPT_FOR = 365 * 24 * 3600  # seconds: a language, once chosen, is kept for a year


def _kept(headers: Headers) -> str | None:
    return cookie_parser(headers.get("cookie", "")).get(language.COOKIE)


def _page(scope: Scope, headers: Headers) -> str:
    """The address the toggle returns to: this one, with its query. A page drawn in answer to
    a form (its errors) returns to the page the form was on, since its own address may take
    only the form's POST."""
    if scope.get("method", "GET") not in ("GET", "HEAD"):
        came_from = urlsplit(headers.get("referer", ""))
        if came_from.netloc and came_from.netloc == headers.get("host"):
            return f"{came_from.path}?{came_from.query}" if came_from.query else came_from.path
        return "/"
    path = quote(scope.get("path", "/"), safe="/-_.~!$&'()*+,;=:@%")
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


class ChooseLanguage:
    """Chooses the language as each request or socket arrives. The choice is left in place
    after the answer rather than reset, so that a 500 drawn by the outermost error handler
    speaks it too; every request sets its own, in a context of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = Headers(scope=scope)
            kept, accept = _kept(headers), headers.get("accept-language", "")
            chosen = language.choose(kept, accept)
            language.asked.set(language.Asked(chosen, _page(scope, headers), kept, accept))
        await self.app(scope, receive, send)


async def choose_language(request: Request) -> Response:
    chosen = request.path_params["language"]
    if chosen not in language.languages():
        raise NotFound(language.N_("Snug doesn't speak that language yet."))
    back = request.query_params.get("back")
    page = back if back and returns_within("/", back) else "/"
    response = RedirectResponse(page, status_code=303)
    response.set_cookie(
        language.COOKIE,
        chosen,
        max_age=KEPT_FOR,
        path="/",
        secure=request.app.state.settings.public_url.startswith("https:"),
        httponly=True,
        samesite="lax",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def script_messages(request: Request) -> Response:
    """Every message of a language for the pages' scripts (web/static/js/i18n.js)."""
    chosen = request.path_params["language"]
    if chosen not in language.languages():
        raise NotFound(language.N_("Snug doesn't speak that language yet."))
    # Kept for an hour: a new release's words reach a page within the hour.
    return JSONResponse(for_scripts(chosen), headers={"Cache-Control": "public, max-age=3600"})


routes = [
    Route("/language/{language}", choose_language),
    Route("/i18n/{language}.json", script_messages),
]
