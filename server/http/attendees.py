"""Joining from a phone and the attendee's own details."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.actions import board
from server.events import feeds, setup
from server.events.access import Actor, Role
from server.events.models import Attendee, Event
from server.feedback import sessions
from server.grid import seats
from server.http.api import ApiRoute, event_and_actor, path_id, perform
from server.http.security import ATTENDEE_COOKIE, secret
from server.http.session import keep_key
from server.live.state import snapshot


async def join(request: Request, body: dict[str, Any]) -> Response:
    event, _ = await event_and_actor(request)
    attendee, secret = await setup.join(
        event, body.get("name", ""), request.app.state.keys, body.get("first_time")
    )
    response = JSONResponse(
        {"id": attendee.id, "token": secret, "name": attendee.name}, status_code=201
    )
    # Joining again replaces whatever this browser kept before, stale or not.
    public_url = request.app.state.settings.public_url
    keep_key(response, event.slug, secret, public_url, ATTENDEE_COOKIE)
    return response


async def edit_me(request: Request, body: dict[str, Any]) -> Response:
    _event, actor = await event_and_actor(request)
    attendee = await setup.rename(actor, body["name"])
    return JSONResponse({"id": attendee.id, "name": attendee.name})


async def read_me(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    actor.as_attendee()
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    return JSONResponse(state["me"])


async def read_my_data(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    return await my_data(request, event, actor)


async def my_data(request: Request, event: Event, actor: Actor) -> Response:
    """Everything Snug holds of the asker at this event, in one file: what their page shows
    (name, dots, pitches, agenda, seats), the sessions they gave feedback on (not what they
    said, which is anonymous) and the actions owned by their name. The API's and the page's
    link's answer alike."""
    attendee = actor.as_attendee()
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    gave = await sessions.gave_on(event, request.app.state.keys, attendee.id)
    owned = await board.owned_by(event, attendee.name)
    found = {
        "event": event.slug,
        "you": state["me"],
        "feedback": {"given_on": gave, "anonymous": True},
        "actions": [item.as_json() for item in owned],
    }
    disposition = f'attachment; filename="{event.slug}-my-data.json"'
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return JSONResponse(found, headers=headers)


async def _feed_owner(request: Request) -> tuple[Event, Attendee, str]:
    """The event, the attendee asking and the token they asked with (their feed is made
    from it)."""
    event, actor = await event_and_actor(request)
    attendee = actor.as_attendee()
    token = secret(request)
    assert token is not None  # an attendee is only ever recognised by their token
    return event, attendee, token


def _calendar(request: Request, event: Event, feed: str | None) -> Response:
    public_url = request.app.state.settings.public_url
    link = f"{public_url}/e/{event.slug}/my/{feed}.ics" if feed else None
    return JSONResponse({"link": link})


async def read_calendar(request: Request, _body: None) -> Response:
    event, attendee, token = await _feed_owner(request)
    return _calendar(request, event, feeds.current(attendee, token, request.app.state.keys))


async def renew_calendar(request: Request, _body: None) -> Response:
    event, attendee, token = await _feed_owner(request)
    return _calendar(request, event, await feeds.renew(attendee, token, request.app.state.keys))


async def stop_calendar(request: Request, _body: None) -> Response:
    event, attendee, _token = await _feed_owner(request)
    await feeds.stop(attendee)
    return _calendar(request, event, None)


async def choose(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(
        await perform(request, lambda j: seats.choose(j, body["slot"], body["pitch"]))
    )


async def claim_seat(request: Request, _body: None) -> Response:
    pitch_id = path_id(request, "pitch_id")
    return JSONResponse(await perform(request, lambda j: seats.claim(j, pitch_id)))


async def release_seat(request: Request, _body: None) -> Response:
    pitch_id = path_id(request, "pitch_id")
    return JSONResponse(await perform(request, lambda j: seats.release(j, pitch_id)))


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/attendees",
        join,
        body="join",
        status=201,
        tag="attendees",
        limit="join",
        summary="Join the event; the answer holds this device's secret token",
    ),
    ApiRoute(
        "GET", "/api/e/{slug}/me", read_me, tag="attendees", summary="Your name, dots and pitches"
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/me/data",
        read_my_data,
        role=Role.attendee,
        tag="attendees",
        summary="Everything Snug holds of you at this event, in one file: your page's own "
        "part, the sessions you gave feedback on (not what you said) and the actions you own",
    ),
    ApiRoute(
        "PATCH",
        "/api/e/{slug}/me",
        edit_me,
        role=Role.attendee,
        body="me-edit",
        tag="attendees",
        summary="Change your name, or clear it to stay anonymous",
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/me/calendar",
        read_calendar,
        tag="attendees",
        summary="The link to your own agenda as a calendar feed (read-only), if you made one",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/me/calendar",
        renew_calendar,
        tag="attendees",
        summary="Make a new calendar feed link for your agenda; the previous one stops working",
    ),
    ApiRoute(
        "DELETE",
        "/api/e/{slug}/me/calendar",
        stop_calendar,
        tag="attendees",
        summary="Stop your calendar feed link",
    ),
    ApiRoute(
        "PUT",
        "/api/e/{slug}/me/agenda",
        choose,
        replays=True,
        role=Role.attendee,
        body="agenda-choose",
        tag="attendees",
        summary="Choose the session you'll go to in a slot, or none; in a small room this "
        "claims a place (or a number on its list), and leaving it gives the claim up",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/me/seats/{pitch_id:int}",
        claim_seat,
        replays=True,
        role=Role.attendee,
        tag="attendees",
        summary="Claim a seat in a session, which goes on your agenda for its slot, giving up "
        "any claim elsewhere in the slot",
    ),
    ApiRoute(
        "DELETE",
        "/api/e/{slug}/me/seats/{pitch_id:int}",
        release_seat,
        replays=True,
        role=Role.attendee,
        tag="attendees",
        summary="Give up your seat, or leave the waiting list; the next in line gets it",
    ),
]
