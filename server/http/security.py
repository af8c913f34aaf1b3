"""What keeps a page safe from other sites and from its own bugs: headers that keep typed text
inert (no inline script, no framing), and the one check on requests that rely on a cookie
that keeps a secret.

The organiser's or facilitator's key, and an attendee's token, live on their device only in
an HttpOnly, SameSite=Strict cookie (server/http/session.py), so a script running on Snug's
origin can use the page but can't carry the secret away. A cookie counts only on requests
that ask for it with the ``X-Snug-Staff: 1`` header (``X-Snug-Attendee: 1`` for the attendee
cookie): a custom header is what a cross-site form, link or image can't send, and a
cross-site ``fetch`` that tries needs a CORS preflight Snug never grants. On top of that the
request's Origin and Sec-Fetch-Site must name this Snug, so a page on a sibling subdomain
(same site, so Strict cookies flow) is refused too. This was chosen over a double-submit
token because it needs no second secret kept by the page. Asking explicitly also keeps roles
apart on one device: the attendee page asks for the attendee cookie only, staff pages for the
staff cookie only and the projector page for neither, so an organiser's laptop that also
joined is each thing on its own page. API clients send ``Authorization: Bearer`` instead,
which no browser attaches by itself; it needs no such check and wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import BadRequest, Forbidden
from server.language import N_

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
STAFF_COOKIE = "snug_staff"
ATTENDEE_COOKIE = "snug_attendee"
STAFF_HEADER = "x-snug-staff"
# The roles a page may ask to be recognised as, and the cookie keeping each role's secret. The
# HTTP opt-in header is ``x-snug-{role}: 1``; a socket's hello or join says ``{role}: true``.
# A page asking as both (the notes page) is the attendee first, as a token came first before.
KEPT_IN = {"attendee": ATTENDEE_COOKIE, "staff": STAFF_COOKIE}

FROM_ELSEWHERE = N_(
    "This request came from outside Snug's own pages, so nothing was done. "
    "Open the event's page in Snug and try again."
)
# For files people sent (photos): opened on their own, they run nothing and reach nothing,
# whatever a browser takes them for.
USER_FILE_POLICY = "sandbox; default-src 'none'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                # Not no-referrer: under it a browser sends a form's Origin as "null", and a
                # plain form could no longer show it comes from Snug's own page. Addresses
                # still never leave for other sites.
                headers.setdefault("Referrer-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def bearer(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def secret(request: Request) -> str | None:
    """The secret a request carries: its bearer header, else, when the request asks for it,
    the staff or attendee cookie, once the request is shown to come from Snug's own pages."""
    given = bearer(request)
    asks = _asks(request.headers)
    if given or not any(map(asks, KEPT_IN)):
        return given
    if not from_snug(request.headers, request.app.state.settings.public_url):
        raise Forbidden(FROM_ELSEWHERE)
    return kept(asks, request.cookies)


def page_secret(request: Request, role: str) -> str | None:
    """The secret a page of Snug's own acts with when no script runs to ask for a cookie: the
    cookie of the page's role. A form posted to Snug must come from Snug's own pages (as
    above, but a form can't send the opt-in header); a page view may be opened from anywhere,
    since a SameSite=Strict cookie reaches only views started on this site, and no other site
    can read what the page shows."""
    if request.method != "GET" and not from_snug(
        request.headers, request.app.state.settings.public_url
    ):
        raise Forbidden(FROM_ELSEWHERE)
    return request.cookies.get(KEPT_IN[role])


def kept(asks: Callable[[str], bool], cookies: Mapping[str, str]) -> str | None:
    """The secret in the cookie of the first role a page asks as that this browser keeps."""
    return next((cookies[c] for role, c in KEPT_IN.items() if asks(role) and cookies.get(c)), None)


def _asks(headers: Headers) -> Callable[[str], bool]:
    return lambda role: headers.get(f"x-snug-{role}") == "1"


def asked_in_query(request: Request) -> list[str]:
    """The roles a live-update request asks as, with ``?as=attendee`` or ``?as=staff``.

    Only the event stream and the changes a page polls for take this: EventSource can't send
    a header, and both only read. A cross-site page can make a browser send such a request, but
    Sec-Fetch-Site and Origin refuse it (``query_secret``), and without CORS that page could
    never read the answer anyway. The secret itself stays in the cookie, never in the URL.
    """
    roles = request.query_params.getlist("as")
    unknown = [role for role in roles if role not in KEPT_IN]
    if unknown or len(roles) > len(KEPT_IN):
        raise BadRequest(
            N_("'as' may be %(roles)s; nothing else is known."),
            values={"roles": " or ".join(KEPT_IN)},  # the names a program sends, not words
        )
    return roles


def query_secret(request: Request) -> str | None:
    """``secret`` for live-update requests: the bearer header, else the cookie of a role the
    request asks as in its query, once it is shown to come from Snug's own pages."""
    given, roles = bearer(request), asked_in_query(request)
    if given or not roles:
        return given
    if not from_snug(request.headers, request.app.state.settings.public_url):
        raise Forbidden(FROM_ELSEWHERE)
    return kept(roles.__contains__, request.cookies)


def device(request: Request) -> str | None:
    """The secret that tells this device apart for rate limits, checked or not: a phone that
    keeps its token in a cookie still counts as itself, not as everyone behind its address."""
    asks = _asks(request.headers)
    # Asked of every vote: its query, nearly always empty, is parsed only when there is one.
    in_query = request.query_params.getlist("as") if request.scope["query_string"] else []
    return bearer(request) or kept(lambda role: asks(role) or role in in_query, request.cookies)


def from_snug(headers: Headers, public_url: str) -> bool:
    """Whether the browser says a request comes from one of this Snug's own pages (clients
    other than browsers say nothing, and carry no cookie unless they set one)."""
    if headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = headers.get("origin")
    return origin is None or origin_is_ours(origin, headers, public_url)


def origin_is_ours(origin: str, headers: Headers, public_url: str) -> bool:
    """Whether a page's Origin is this Snug: the address it was reached at, or its public one.
    Comparing with Host is safe here: a browser sets both, and a page can't forge either."""
    netloc = urlsplit(origin).netloc.lower()
    public = urlsplit(public_url).netloc.lower()
    return netloc in {headers.get("host", "").lower(), public}
