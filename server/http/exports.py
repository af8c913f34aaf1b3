"""Schedule exports over HTTP: iCalendar feeds and the frab XML and JSON schedules.

Calendar and conference apps poll these, so every answer carries an ETag and Last-Modified,
and a conditional request for an unchanged document is answered 304 with no body. Web apps may
read them from any origin: they are public, or (a personal feed) read-only behind a link, and
no cookie or other credential is ever honoured across origins.

A calendar's own words are in one language (``server/exports/calendar.py``): a public feed's
in the event's first, a personal feed's in its attendee's (``server/events/feeds.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.errors import NotFound
from server.events import feeds
from server.events.models import Event
from server.events.setup import find_event
from server.exports import calendar, frab
from server.exports.readmodel import Schedule, load_schedule, personal_sessions
from server.http.caching import etag_of, not_modified
from server.language import N_

CALENDAR = "text/calendar; charset=utf-8"
XML = "application/xml"
JSON = "application/json"
ANY_ORIGIN = {"Access-Control-Allow-Origin": "*"}


async def _schedule(request: Request) -> tuple[Event, Schedule]:
    event = await find_event(request.path_params["slug"])
    return event, await load_schedule(event, request.app.state.settings.public_url)


def _answer(request: Request, body: bytes, media_type: str, modified: datetime) -> Response:
    etag = etag_of(body)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True),
        "Cache-Control": "no-cache",
        **ANY_ORIGIN,
    }
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


async def schedule_ics(request: Request) -> Response:
    _event, schedule = await _schedule(request)
    return _answer(request, calendar.calendar(schedule), CALENDAR, schedule.last_modified)


async def room_ics(request: Request) -> Response:
    _event, schedule = await _schedule(request)
    room_id = request.path_params["room"]
    room = next((r for r in schedule.rooms if r.id == room_id), None)
    if room is None:
        raise NotFound(N_("This event has no such room. Check the link you were given."))
    body = calendar.calendar(schedule.in_room(room_id), title=f"{schedule.name}: {room.name}")
    return _answer(request, body, CALENDAR, schedule.last_modified)


async def my_ics(request: Request) -> Response:
    # One answer for every wrong link, so a guess learns nothing, not even which events exist.
    # The attendee's own token isn't a feed link: it can act as them, so it opens nothing here.
    unknown = NotFound(
        N_(
            "This personal calendar link isn't recognised: it may have been stopped or replaced. "
            "Open the event on your phone and add your agenda to your calendar again."
        )
    )
    try:
        event, schedule = await _schedule(request)
    except NotFound:
        raise unknown from None
    attendee = await feeds.subscriber(event, request.path_params["feed"], request.app.state.keys)
    if attendee is None:
        raise unknown
    mine = await personal_sessions(event, attendee.id)
    language = feeds.language(attendee, event)
    body = calendar.calendar(schedule.only(mine), language=language, mine=True)
    return _answer(request, body, CALENDAR, schedule.last_modified)


def _frab(
    make: Callable[[Schedule], bytes], media: str
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        _event, schedule = await _schedule(request)
        return _answer(request, make(schedule), media, schedule.last_modified)

    endpoint.__name__ = f"frab_{make.__name__}"
    return endpoint


routes = [
    Route("/e/{slug}/schedule.ics", schedule_ics),
    Route("/e/{slug}/rooms/{room:int}.ics", room_ics),
    Route("/e/{slug}/my/{feed}.ics", my_ics),
    Route("/e/{slug}/schedule.xml", _frab(frab.schedule_xml, XML)),
    Route("/e/{slug}/schedule.json", _frab(frab.schedule_json, JSON)),
]
