"""The shared screens: the projector, now and next, and the board (the whole grid). They show
what anyone may see, so they are drawn for the public whoever opens them, and kept live by their
scripts; without script they reload themselves every half minute, turning the page when the
rooms take more than one.

They speak the event's languages, not their viewer's: one, or both, Welsh first, each marked
with its language (server/language/surfaces.py). People's own words (titles, room names) are
shown as they wrote them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.events.access import PUBLIC
from server.events.day import MINUTE, Audience, local_now
from server.events.models import Event
from server.grid.recent import Recent, latest_changes
from server.language import N_, gettext, speaking
from server.language.surfaces import both, spoken
from server.live.state import snapshot
from server.pages import screens_view
from server.pages.actions_view import carried
from server.pages.day_view import day
from server.pages.forms import event_of
from server.pages.rendering import PageRoute, page
from server.pages.words import clock

NOW_ROOMS = 12  # rooms on one page of now and next: four across, three down
BOARD_ROOMS = 6  # room columns on one page of the board, titles 2.5% of the screen's height


async def _shown(request: Request) -> tuple[Event, dict[str, Any], str]:
    """The event, its public snapshot and its wall clock (?at= holds it still for tests)."""
    event = await event_of(request)
    state = await snapshot(event, PUBLIC, request.app.state.settings.public_url)
    return event, state, local_now(event.timezone, request.query_params.get("at"))


def _screen(
    event: Event,
    state: dict[str, Any],
    now: str,
    template: str,
    title: str,
    **context: Any,
) -> Response:
    drafted = event.grid_version > 0
    said_in = spoken(event.languages)
    with speaking(said_in[0]):  # the page is marked with its first language
        return page(
            template,
            f"{event.name} - {gettext(title)}",
            event=state["event"],
            slug=event.slug,
            clock=clock(now),
            drafted=drafted,
            live=bool(state["grid"]["live"]),
            day=day(state, drafted, now, Audience.SCREEN),
            both=both(said_in),
            languages=said_in,
            **context,
        )


def _pages(request: Request, items: list[Any], per: int) -> screens_view.Paged[Any]:
    at = request.query_params.get("at", "")
    query = {"at": at} if MINUTE.match(at) else {}
    asked = request.query_params.get("page")
    turning = asked is None or request.query_params.get("turn") == "1"
    return screens_view.paged(items, per, asked, query, turning)


async def screen(request: Request) -> Response:
    event, state, now = await _shown(request)
    host, path, code = screens_view.join_words(state["event"]["join_url"])
    pitched = len(screens_view.shown(state))
    said_in = spoken(event.languages)
    return _screen(
        event,
        state,
        now,
        "screen.html",
        N_("on screen"),
        join_host=host,
        join_path=path,
        join_code=code,
        ranking=screens_view.ranking(state),
        latest=screens_view.latest(state),
        count=pitched,
        **await carried(event, PUBLIC, languages=said_in, pitches=pitched),
    )


async def now_next(request: Request) -> Response:
    event, state, now = await _shown(request)
    rooms = _pages(request, screens_view.now_and_next(state, now), NOW_ROOMS)
    return _screen(event, state, now, "now.html", N_("now and next"), rooms=rooms)


async def board(request: Request) -> Response:
    event, state, now = await _shown(request)
    rooms = _pages(request, state["rooms"], BOARD_ROOMS)
    recent = await latest_changes(event) if state["grid"]["live"] else Recent()
    return _screen(
        event,
        state,
        now,
        "board.html",
        N_("the whole grid"),
        rooms=rooms,
        rows=screens_view.board_rows(state, rooms.items, now, recent.marks),
        recent=recent.as_json(),
    )


routes = [
    PageRoute("/e/{slug}/screen", screen),
    PageRoute("/e/{slug}/now", now_next),
    PageRoute("/e/{slug}/board", board),
]
