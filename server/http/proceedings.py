"""The proceedings over HTTP: the page, each session's write-up, the downloads, link-preview
cards, and publishing.

Until the organiser publishes them, every proceedings address answers 404, except to a request
carrying an organiser's or facilitator's key (so the organiser can check and download them
first). Once published, anyone may read them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.errors import NotFound
from server.events.access import Role
from server.events.models import Event
from server.events.setup import edit_event, find_event
from server.exports.pdf import pdf_soon
from server.exports.proceedings import cards, data, pages, text
from server.exports.proceedings.readmodel import Entry, Proceedings, load_proceedings
from server.http.api import ApiRoute, event_and_actor, path_id, perform
from server.http.caching import etag_of, not_modified
from server.http.exports import ANY_ORIGIN
from server.language import N_
from server.marketplace.views import totals_shown
from server.pages.rendering import problem_page

Endpoint = Callable[[Request], Awaitable[Response]]
HTML = "text/html; charset=utf-8"
MARKDOWN = "text/markdown; charset=utf-8"
SECURE_STANDALONE = f"{pages.STANDALONE_POLICY}; frame-ancestors 'none'; sandbox"
NOT_PUBLISHED = N_(
    "These proceedings aren't published yet. The organisers publish them after the event; "
    "ask them for the link."
)


async def _readable(request: Request, *, images: bool = False) -> Proceedings:
    event, actor = await event_and_actor(request)
    if not event.proceedings_published and actor.role < Role.facilitator:
        raise NotFound(NOT_PUBLISHED)
    counted = totals_shown(event, actor.is_staff)
    return await load_proceedings(
        event, request.app.state.settings.public_url, images=images, counted=counted
    )


def _entry(request: Request, doc: Proceedings) -> Entry:
    entry = doc.entry(path_id(request, "pitch"))
    if entry is None:
        raise NotFound(N_("These proceedings have no such session; it may have been merged."))
    return entry


def _headers(etag: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "ETag": etag,
        "Cache-Control": "no-cache",
        "Vary": "Authorization, Cookie, X-Snug-Staff",
        **(extra or {}),
    }


def _unchanged(request: Request, headers: dict[str, str]) -> Response | None:
    """304 when the asker already has what this ETag names. Only ETags are compared: marking
    notes final or a credit changes the proceedings without a time to go by."""
    if not_modified(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return None


def _send(
    request: Request, body: bytes, media_type: str, extra: dict[str, str] | None = None
) -> Response:
    headers = _headers(etag_of(body), extra)
    return _unchanged(request, headers) or Response(body, media_type=media_type, headers=headers)


def _html_page(endpoint: Endpoint) -> Endpoint:
    """A page people open in a browser says "not found" as a page, not as JSON."""

    async def shown(request: Request) -> Response:
        try:
            return await endpoint(request)
        except NotFound as exc:
            return problem_page(exc)

    shown.__name__ = endpoint.__name__
    return shown


def _disposition(kind: str, doc: Proceedings, extension: str) -> dict[str, str]:
    return {"Content-Disposition": f'{kind}; filename="{doc.slug}-proceedings.{extension}"'}


@_html_page
async def proceedings_page(request: Request) -> Response:
    doc = await _readable(request)
    return _send(request, pages.proceedings_page(doc), HTML)


@_html_page
async def write_up(request: Request) -> Response:
    doc = await _readable(request)
    return _send(request, pages.write_up(doc, _entry(request, doc)), HTML)


async def standalone_html(request: Request) -> Response:
    doc = await _readable(request, images=True)
    extra = {
        "Content-Security-Policy": SECURE_STANDALONE,
        **_disposition("attachment", doc, "html"),
    }
    return _send(request, pages.standalone(doc), HTML, extra)


async def markdown(request: Request) -> Response:
    doc = await _readable(request)
    body = text.proceedings_markdown(doc)
    return _send(request, body, MARKDOWN, _disposition("inline", doc, "md"))


async def proceedings_pdf(request: Request) -> Response:
    doc = await _readable(request, images=True)
    html = pages.standalone(doc)
    headers = _headers(etag_of(html), _disposition("inline", doc, "pdf"))
    return _unchanged(request, headers) or Response(
        await pdf_soon(html), media_type="application/pdf", headers=headers
    )


async def export_json(request: Request) -> Response:
    doc = await _readable(request)
    body = data.proceedings_json(doc)
    # Once published, any web page may read them; staff's preview stays same-origin.
    shared = ANY_ORIGIN if doc.published else {}
    return _send(
        request, body, "application/json", {**_disposition("inline", doc, "json"), **shared}
    )


def _card(request: Request, card: cards.Card) -> Response:
    headers = _headers(card.etag)
    return _unchanged(request, headers) or Response(
        cards.png(card), media_type="image/png", headers=headers
    )


async def proceedings_card(request: Request) -> Response:
    doc = await _readable(request)
    return _card(request, cards.proceedings_card(doc))


async def session_card(request: Request) -> Response:
    doc = await _readable(request)
    return _card(request, cards.session_card(doc, _entry(request, doc)))


# --- Publishing -----------------------------------------------------------------------------


def _status(request: Request, event: Event) -> dict[str, Any]:
    base = f"/e/{event.slug}"
    return {
        "published": event.proceedings_published,
        "url": request.app.state.settings.public_url.rstrip("/") + f"{base}/proceedings",
        "downloads": {
            "html": f"{base}/proceedings.html",
            "markdown": f"{base}/proceedings.md",
            "pdf": f"{base}/proceedings.pdf",
            "json": f"{base}/export.json",
        },
    }


async def proceedings_status(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    return JSONResponse(_status(request, event))


async def publish_proceedings(request: Request, body: dict[str, Any]) -> Response:
    # An event setting like any other: recorded as a change, so every screen hears of it.
    public_url = request.app.state.settings.public_url
    fields = {"proceedings_published": body["published"]}
    await perform(request, lambda journal: edit_event(journal, fields, public_url))
    return JSONResponse(_status(request, await find_event(request.path_params["slug"])))


routes = [
    Route("/e/{slug}/proceedings", proceedings_page),
    Route("/e/{slug}/proceedings.html", standalone_html),
    Route("/e/{slug}/proceedings.md", markdown),
    Route("/e/{slug}/proceedings.pdf", proceedings_pdf),
    Route("/e/{slug}/export.json", export_json),
    Route("/e/{slug}/proceedings/card.png", proceedings_card),
    Route("/e/{slug}/proceedings/{pitch:int}", write_up),
    Route("/e/{slug}/proceedings/{pitch:int}/card.png", session_card),
    ApiRoute(
        "GET",
        "/api/e/{slug}/proceedings",
        proceedings_status,
        role=Role.facilitator,
        tag="proceedings",
        summary="Whether the proceedings are published, and where to read and download them",
    ),
    ApiRoute(
        "PUT",
        "/api/e/{slug}/proceedings",
        publish_proceedings,
        replays=True,
        role=Role.organiser,
        body="proceedings-publish",
        tag="proceedings",
        summary="Publish the proceedings at their public link, or make them private again "
        "(organisers)",
    ),
]
