"""The Starlette application: the declarative route table, middleware and lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from tortoise.exceptions import OperationalError

from server import collector, db, loop_lag, pages
from server.actions.reminders import Reminders
from server.actions.sync import Typing
from server.bundled import STATIC_DIR
from server.config import Settings
from server.errors import Refused
from server.events.access import Keys
from server.events.writes import Writes
from server.grid.follow import FOLLOW_VOTES
from server.http import (
    actions,
    archive,
    attendees,
    dots,
    events,
    exports,
    feedback,
    grid,
    language,
    notes,
    offline,
    photos,
    pitches,
    posters,
    problems,
    proceedings,
    qr,
    report,
    series,
    session,
    updates,
    webhooks,
)
from server.http.observe import AccessLog, metrics_page
from server.http.openapi import openapi
from server.http.security import SecurityHeaders
from server.http.static import Static
from server.limits import OpenStreams, limiter_from
from server.live.hub import hub_from_url
from server.live.notes_socket import notes_live
from server.live.room import Rooms
from server.live.socket import live
from server.reach import loopback_warning
from server.webhooks.announce import catch_up, following
from server.webhooks.delivery import Deliverer
from server.workers import close_all


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


# Starlette tries the routes in order, so what a vote storm asks for most comes first: a vote
# matched 25 routes before its own, some 30 microseconds of a 500-microsecond vote. No two
# routes' paths overlap, so the order changes nothing else.
routes = [
    *dots.routes,
    *attendees.routes,
    Route("/healthz", healthz),
    Route("/openapi.json", openapi),
    Route("/metrics", metrics_page),
    *events.routes,
    *session.routes,
    *pitches.routes,
    *grid.routes,
    *feedback.routes,
    *qr.routes,
    *notes.routes,
    *actions.routes,
    *photos.routes,
    *proceedings.routes,
    *posters.routes,
    *report.routes,
    *archive.routes,
    *series.routes,
    *webhooks.routes,
    WebSocketRoute("/e/{slug}/live", live),
    *updates.routes,  # the same live updates where a websocket can't get through
    WebSocketRoute("/e/{slug}/notes/{pitch:int}/live", notes_live),
    *exports.routes,
    *language.routes,
    *pages.routes,
    *offline.routes,
    Mount("/static", Static(directory=STATIC_DIR), name="static"),
]


def _say_if_phones_cannot_join(public_url: str) -> None:
    # Said once at startup, where whoever started Snug is looking; the organiser page and the
    # projector say it too (eventView.join_warning), for the organiser who didn't.
    warning = loopback_warning(public_url)
    if warning:
        logging.getLogger("snug.reach").warning(warning)


async def _owe_what_was_missed(app: Starlette) -> None:
    """Webhook news committed just before a restart, which no endpoint was yet told of."""
    try:
        await catch_up(app.state.writes, app.state.settings.public_url)
    except Exception:  # the deliverer still sends what was already owed
        logging.getLogger("snug.webhooks").exception("catching up on webhook news failed")
    app.state.deliverer.wake()


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> Starlette:
    settings = settings or Settings.from_environ()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if migrate:
            await db.migrate(settings.database_url)
        await db.connect(settings.database_url)
        collector.settle()
        _say_if_phones_cannot_join(settings.public_url)
        lag = loop_lag.start()
        app.state.deliverer.start()
        if app.state.reminders is not None:
            app.state.reminders.start()
        await _owe_what_was_missed(app)
        try:
            yield
        finally:
            lag.cancel()
            await app.state.typing.flush()  # the board's last keystrokes, before writes stop
            await app.state.writes.close()
            await app.state.deliverer.close()
            if app.state.reminders is not None:
                await app.state.reminders.close()
            await app.state.hub.close()
            await app.state.limiter.close()
            close_all()  # the worker processes
            await db.disconnect()

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(AccessLog),
            Middleware(language.ChooseLanguage),
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=500),
        ],
        exception_handlers={
            Refused: problems.refused,
            **dict.fromkeys(db.CONNECTION_ERRORS, problems.database_error),
            OperationalError: problems.database_error,
            HTTPException: problems.http_error,
            Exception: problems.server_error,
        },
    )
    app.state.settings = settings
    app.state.keys = Keys(settings.secret_key)
    app.state.hub = hub_from_url(settings.hub_url)
    app.state.rooms = Rooms(app.state.hub, settings.tally_frames)
    app.state.writes = Writes(app.state.rooms.publish, app.state.hub.claim)
    app.state.writes.react(FOLLOW_VOTES)
    app.state.typing = Typing(app.state.writes, app.state.keys)
    app.state.deliverer = Deliverer(settings)
    app.state.writes.react(following(settings.public_url, app.state.deliverer.wake))
    # Reminders by email only when the operator named an SMTP server.
    app.state.reminders = Reminders(settings, app.state.keys) if settings.mail else None
    app.state.streams = OpenStreams(settings.rate_limit_scale)
    app.state.limiter = limiter_from(
        settings.hub_url, settings.rate_limit_scale, settings.event_creation_limit
    )
    return app
