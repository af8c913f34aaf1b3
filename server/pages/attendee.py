"""The attendee's page and its forms: join, pitch, change or withdraw a pitch, place and take
back dots, choose an agenda, claim a seat, and say one's name, all as plain forms."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.actions import board, mine, status
from server.errors import Invalid, NotFound, Refused
from server.events import feeds, setup
from server.events.access import PUBLIC, Actor, Role
from server.events.day import Audience, local_now
from server.events.journal import Journal
from server.events.models import Event
from server.events.setup import FIRST_TIME
from server.feedback import sessions
from server.feedback.models import ANSWERS, COMMENT_LIMIT
from server.grid import seats
from server.http import attendees
from server.http.api import path_id
from server.http.security import ATTENDEE_COOKIE, page_secret
from server.http.session import keep_key
from server.language import N_, Nn_, formats, gettext, ngettext
from server.live.state import snapshot
from server.marketplace import dots, pitches
from server.marketplace.pitches import find_pitch
from server.pages import actions_view
from server.pages.actions_view import carried
from server.pages.attendee_view import (
    LANGUAGE_WORDS,
    Listing,
    attendee_page,
    session_language_choices,
)
from server.pages.day_view import day
from server.pages.forms import (
    FormError,
    back_to,
    event_of,
    form_key,
    read_form,
    receipt_key,
    see_other,
    visitor,
    whole_number,
)
from server.pages.rendering import PageRoute, page
from server.validation import validate

ROLE = "attendee"
# What a page says after a form worked, by the word the redirect carries.
DONE = {
    "joined": N_("You've joined. Pitch a session or place your dots below."),
    "pitched": N_("Your pitch is in the list."),
    "changed": N_("Your pitch is saved."),
    "withdrawn": N_("Your pitch is withdrawn; any dots on it went back to their owners."),
    "dot": N_("Your dot is placed."),
    "undot": N_("Your dot is back with you."),
    "agenda": N_("Your agenda is saved."),
    "seat": N_("Your seat claim is saved."),
    "name": N_("Your name is saved."),
    "calendar": N_("Your calendar link is changed."),
    "feedback": N_("Thank you: your feedback is in, without your name."),
    "action-taken": N_("The action is on your page: update it here among your agenda."),
    "action": N_("Your action's status is saved."),
}
# The form fields each schema property is typed into, so an error links to its field.
FIELD_IDS = {
    "title": "pitch-title",
    "pitch": "pitch-pitch",
    "host": "pitch-host",
    "format": "pitch-format",
    "language": "pitch-language",
    "tags": "pitch-tags",
}
LABELS = {
    "title": N_("The title"),
    "pitch": N_("The pitch"),
    "host": N_("The host"),
    "tags": N_("The tags"),
}
# The same sentences as the pitch form's script says before sending (web/static/js/pitchform.js).
TOO_LONG = {
    "title": Nn_(
        "The title can be at most %(limit)s characters; it has %(has)s, so take out %(n)s "
        "character.",
        "The title can be at most %(limit)s characters; it has %(has)s, so take out %(n)s "
        "characters.",
    ),
    "pitch": Nn_(
        "The pitch can be at most %(limit)s characters; it has %(has)s, so take out %(n)s "
        "character.",
        "The pitch can be at most %(limit)s characters; it has %(has)s, so take out %(n)s "
        "characters.",
    ),
    "host": Nn_(
        "The host can be at most %(limit)s characters; it has %(has)s, so take out %(n)s "
        "character.",
        "The host can be at most %(limit)s characters; it has %(has)s, so take out %(n)s "
        "characters.",
    ),
}
NAME_TOO_LONG = N_("Your name can be at most 60 characters.")
NO_DATA = N_("There is no data of yours here: open the event's join link on this device first.")
LIMITS = {"title": 120, "pitch": 280, "host": 80}  # as schemas/pitch-create.json says


async def event_page(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await visitor(request, event, ROLE))


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    *,
    errors: list[tuple[str, str]] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    asked = request.query_params
    listing = Listing.asked(
        asked.get("sort"), asked.get("q"), asked.get("language"), event.languages
    )
    view = attendee_page(state, listing)
    me = view.me
    token = page_secret(request, ROLE)
    if actor.attendee is not None:
        await feeds.remember_language(actor.attendee)  # for their calendar feed
    feed = (
        feeds.current(actor.attendee, token, request.app.state.keys)
        if actor.attendee and token
        else None
    )
    keys, attendee = request.app.state.keys, actor.attendee
    feedback = (
        []
        if attendee is None
        else await sessions.offers(event, keys, attendee.id, local_now(event.timezone))
    )
    hosting = [] if attendee is None else await sessions.hosted(event, attendee.id)
    taken = [] if attendee is None else await mine.taken_by(event, attendee.id)
    done = request.query_params.get("done", "")
    when = f"{formats.day(event.date)} {event.date.year}"  # "Dydd Llun 23 Tachwedd 2026" in Welsh
    blank = {
        "title": "",
        "pitch": "",
        "host": me["name"] if me else "",
        "format": "discussion",
        "language": "",
    }
    response = page(
        "event.html",
        f"{event.name} - Snug",
        status=status,
        private=True,
        view=view,
        slug=event.slug,
        in_series=event.series_id is not None,
        key=form_key(),
        form={**blank, "tags": "", **(form or {})},
        join_name=(form or {}).get("name", ""),
        join_first_time=(form or {}).get("first_time", ""),
        first_time_answers=FIRST_TIME,
        pitch_id=None,
        session_languages=session_language_choices(event),
        calendar=f"{request.app.state.settings.public_url}/e/{event.slug}/my/{feed}.ics"
        if feed
        else None,
        errors=errors or [],
        done=gettext(DONE[done]) if done in DONE else None,
        next=back_to(event, request.query_params.get("next")),
        meta=" · ".join(filter(None, [when, event.venue])),
        drafted=event.grid_version > 0,
        feedback=feedback,
        hosting=hosting,
        my_actions=taken,
        **actions_view.helpers(board.today(event)),
        comment_limit=COMMENT_LIMIT,
        **await carried(event, actor, pitches=len(state["pitches"])),
        day=day(
            state,
            event.grid_version > 0,
            local_now(event.timezone, asked.get("at")),
            Audience.ATTENDEE,
        ),
    )
    if token and me is None and request.method == "GET":
        # A token the event no longer knows (reset, erased): the phone forgets it.
        keep_key(response, event.slug, "", request.app.state.settings.public_url, ATTENDEE_COOKIE)
    return response


Command = Callable[[Journal], Awaitable[Any]]


# A form's command, and where on the page to land afterwards, from the form's fields.
Build = Callable[[dict[str, str]], tuple[Command, str]]


async def _act(request: Request, build: Build, done: str, *, receipt: bool = True) -> Response:
    """Runs one form's command as the person on this phone, then sends them back to the page
    (or shows the page again with what went wrong, and nothing changed). Who may send it is
    settled before a byte of the form is read. ``receipt``: keep the form's key, so sending it
    twice counts once (feedback keeps none: a receipt would say who gave it, and when)."""
    event = await event_of(request)
    actor = await visitor(request, event, ROLE)
    actor.require(Role.attendee)
    await request.app.state.limiter.check(
        _limit(request), request.client.host if request.client else None, page_secret(request, ROLE)
    )
    fields = await read_form(request)
    try:
        command, anchor = build(fields)
        key, asked = receipt_key(request, fields) if receipt else (None, "")
        writes = request.app.state.writes
        await writes.run(event, actor, command, key=key, fingerprint=asked)
    except sessions.AlreadyGiven:
        pass  # a double tap: the first counted, and that is what they meant
    except FormError as exc:
        return await _show(request, event, actor, errors=exc.errors, form=fields, status=422)
    except Refused as exc:
        errors = [(_field_of(exc.message), _worded(exc.said()))]
        return await _show(request, event, actor, errors=errors, form=fields, status=exc.status)
    return see_other(f"{back_to(event, fields.get('next'))}?done={done}{anchor}")


def _limit(request: Request) -> str:
    path = request.url.path
    if "/feedback" in path:
        return "feedback"
    if "/my-actions/" in path:
        return "action"
    return "vote" if "/dots" in path else "pitch" if "/pitches" in path else "join"


def _field_of(message: str) -> str:
    return next((FIELD_IDS[name] for name in FIELD_IDS if f"'{name}'" in message), "")


def _worded(message: str) -> str:
    """A refusal naming a field ('title') names it as the form does, in the page's language:
    capitalised where it starts a sentence."""
    for name, label in LABELS.items():
        said = gettext(label)
        within = said[:1].lower() + said[1:]
        pieces = message.split(f"'{name}'")
        message = pieces[0] + "".join(
            (said if not before.rstrip() or before.rstrip().endswith(".") else within) + piece
            for before, piece in itertools.pairwise(pieces)
        )
    return message


def _pitch_fields(fields: dict[str, str]) -> dict[str, Any]:
    """The pitch as the API takes it, from the fields the form sent."""
    body: dict[str, Any] = {
        name: fields[name] for name in ("pitch", "host", "format", "language") if name in fields
    }
    body["title"] = fields.get("title", "")
    if "tags" in fields:
        body["tags"] = [t.strip() for t in fields["tags"].split(",") if t.strip()]
    if not body["title"].strip():
        raise FormError([("pitch-title", gettext("Enter a title for your session."))])
    too_long = [
        (FIELD_IDS[name], _too_long(name, len(body[name].strip()), limit))
        for name, limit in LIMITS.items()
        if len(body.get(name, "").strip()) > limit
    ]
    if too_long:
        raise FormError(too_long)
    return body


def _too_long(name: str, length: int, limit: int) -> str:
    """Says by how much, since a phone's keyboard hides how long the text has grown."""
    over = length - limit
    return ngettext(*TOO_LONG[name], over) % {"limit": limit, "has": length, "n": over}


async def join(request: Request) -> Response:
    event = await event_of(request)
    fields = await read_form(request)
    page_secret(request, ROLE)  # a join posted from elsewhere is refused before anything
    name = fields.get("name", "")
    # Only an answer the form offers counts; none is an answer left out, not an error.
    first_time = fields.get("first_time") if fields.get("first_time") in FIRST_TIME else None
    try:
        validate("join", {"name": name})
    except Invalid as exc:
        errors = [("join-name", gettext(NAME_TOO_LONG))]
        actor = await visitor(request, event, ROLE)
        return await _show(request, event, actor, errors=errors, form=fields, status=exc.status)
    await request.app.state.limiter.check(
        "join", request.client.host if request.client else None, None
    )
    secret = await _enrol(request, event, name, first_time, fields)
    response = see_other(f"{back_to(event, fields.get('next'))}?done=joined")
    keep_key(response, event.slug, secret, request.app.state.settings.public_url, ATTENDEE_COOKIE)
    return response


async def _enrol(
    request: Request, event: Event, name: str, first_time: str | None, fields: dict[str, str]
) -> str:
    """Joins once per form: a join form sent twice (a double tap on a slow connection) is one
    person, who gets a token that works."""
    keys, made = request.app.state.keys, []

    async def enrol(_journal: Journal) -> dict[str, int]:
        attendee, secret = await setup.join(event, name, keys, first_time)
        made.append(secret)
        return {"attendee": attendee.id}

    key, asked = receipt_key(request, fields)
    writes = request.app.state.writes
    joined = await writes.run(event, PUBLIC, enrol, key=key, fingerprint=asked)
    return made[0] if made else await setup.reissue(event, joined["attendee"], keys)


async def create_pitch(request: Request) -> Response:
    def build(fields: dict[str, str]) -> tuple[Command, str]:
        body = validate("pitch-create", _pitch_fields(fields))
        return lambda j: pitches.create_pitch(j, body), "#list-heading"

    return await _act(request, build, "pitched")


async def edit_pitch(request: Request) -> Response:
    pitch_id = request.path_params["pitch"]

    def build(fields: dict[str, str]) -> tuple[Command, str]:
        body = validate("pitch-edit", _pitch_fields(fields))
        return lambda j: pitches.edit_pitch(j, pitch_id, body), f"#p-{pitch_id}"

    return await _act(request, build, "changed")


async def withdraw_pitch(request: Request) -> Response:
    pitch_id = request.path_params["pitch"]
    return await _act(
        request, lambda _f: (lambda j: pitches.withdraw_pitch(j, pitch_id), ""), "withdrawn"
    )


async def pitch_page(request: Request) -> Response:
    """A pitch of one's own, to change or withdraw."""
    event = await event_of(request)
    actor = await visitor(request, event, ROLE)
    pitch = await find_pitch(event, request.path_params["pitch"], actor)
    if actor.attendee is not None:
        await feeds.remember_language(actor.attendee)
    form = {
        "title": pitch.title,
        "pitch": pitch.pitch,
        "host": pitch.host,
        "format": pitch.format,
        "tags": ", ".join(pitch.tags),
        "language": pitch.language,
    }
    return page(
        "pitch.html",
        gettext("Change your pitch - %(event)s") % {"event": event.name},
        private=True,
        slug=event.slug,
        key=form_key(),
        form=form,
        pitch_id=pitch.id,
        session_languages=session_language_choices(event),
        badge=gettext(LANGUAGE_WORDS[pitch.language]) if pitch.language in LANGUAGE_WORDS else "",
        mine=actor.attendee is not None and pitch.author_id == actor.attendee.id,
    )


async def place_dot(request: Request) -> Response:
    def build(fields: dict[str, str]) -> tuple[Command, str]:
        pitch = whole_number(fields, "pitch")
        return dots.placing(pitch), f"#p-{pitch}"

    return await _act(request, build, "dot")


async def take_back_dot(request: Request) -> Response:
    def build(fields: dict[str, str]) -> tuple[Command, str]:
        pitch = whole_number(fields, "pitch")
        return lambda j: dots.take_back(j, pitch), f"#p-{pitch}"

    return await _act(request, build, "undot")


async def choose(request: Request) -> Response:
    def build(fields: dict[str, str]) -> tuple[Command, str]:
        slot = whole_number(fields, "slot")
        pitch = whole_number(fields, "pitch") if fields.get("pitch") else None
        return lambda j: seats.choose(j, slot, pitch), "#agenda"

    return await _act(request, build, "agenda")


async def seat(request: Request) -> Response:
    """Claims a seat, or gives up a claim: the button says which, and the form carries it."""
    pitch = request.path_params["pitch"]

    def build(fields: dict[str, str]) -> tuple[Command, str]:
        act = seats.release if fields.get("want") == "release" else seats.claim
        return lambda j: act(j, pitch), "#agenda"

    return await _act(request, build, "seat")


async def give_feedback(request: Request) -> Response:
    """One tap on a session that has ended ("useful" or "not for me"), with a comment if any."""
    pitch = request.path_params["pitch"]
    event = await event_of(request)
    keys, now = request.app.state.keys, local_now(event.timezone)

    def build(fields: dict[str, str]) -> tuple[Command, str]:
        answer, comment = fields.get("answer", ""), fields.get("comment", "")
        if answer not in ANSWERS:
            raise FormError([(f"feedback-{pitch}-useful", gettext(CHOOSE))])
        if len(comment.strip()) > COMMENT_LIMIT:
            said = {"limit": COMMENT_LIMIT, "length": len(comment.strip())}
            raise FormError([(f"feedback-{pitch}-comment", gettext(COMMENT_TOO_LONG) % said)])
        return lambda j: sessions.give(j, keys, pitch, answer, comment, now), "#feedback-heading"

    return await _act(request, build, "feedback", receipt=False)


CHOOSE = N_("Choose “Useful” or “Not for me”.")
COMMENT_TOO_LONG = N_("Your comment can be at most %(limit)s characters; it has %(length)s.")


async def my_action(request: Request) -> Response:
    """The status of an action this person took onto their page from its private link."""
    action = path_id(request, "action")

    def build(fields: dict[str, str]) -> tuple[Command, str]:
        return status.set_status(action, fields.get("status", ""), taken=True), "#my-actions"

    return await _act(request, build, "action")


async def calendar(request: Request) -> Response:
    """Makes a new calendar link (the old one stops) or stops it."""
    event = await event_of(request)
    attendee = (await visitor(request, event, ROLE)).as_attendee()
    fields = await read_form(request)
    if fields.get("want") == "stop":
        await feeds.stop(attendee)
    else:
        await feeds.renew(attendee, page_secret(request, ROLE) or "", request.app.state.keys)
    return see_other(f"/e/{event.slug}?done=calendar#calendar-heading")


async def my_data(request: Request) -> Response:
    """The file of everything Snug holds of this attendee, for a plain link (the cookie says
    who): the same file as the API's. Anyone else finds nothing here, as on other pages."""
    event = await event_of(request)
    actor = await visitor(request, event, ROLE)
    if actor.attendee is None:
        raise NotFound(NO_DATA)
    return await attendees.my_data(request, event, actor)


async def rename(request: Request) -> Response:
    event = await event_of(request)
    actor = await visitor(request, event, ROLE)
    actor.as_attendee()
    fields = await read_form(request)
    name = fields.get("name", "")
    if len(name) > 60:
        errors = [("me-name", gettext(NAME_TOO_LONG))]
        return await _show(request, event, actor, errors=errors, status=422)
    await setup.rename(actor, name)
    return see_other(f"/e/{event.slug}?done=name#me-heading")


routes = [
    PageRoute("/e/{slug}", event_page),
    PageRoute("/e/{slug}/join", join, methods=["POST"]),
    PageRoute("/e/{slug}/pitches", create_pitch, methods=["POST"]),
    PageRoute("/e/{slug}/pitches/{pitch:int}", edit_pitch, methods=["POST"]),
    PageRoute("/e/{slug}/pitches/{pitch:int}/edit", pitch_page),
    PageRoute("/e/{slug}/pitches/{pitch:int}/withdraw", withdraw_pitch, methods=["POST"]),
    PageRoute("/e/{slug}/dots", place_dot, methods=["POST"]),
    PageRoute("/e/{slug}/dots/remove", take_back_dot, methods=["POST"]),
    PageRoute("/e/{slug}/agenda", choose, methods=["POST"]),
    PageRoute("/e/{slug}/seats/{pitch:int}", seat, methods=["POST"]),
    PageRoute("/e/{slug}/me", rename, methods=["POST"]),
    PageRoute("/e/{slug}/feedback/{pitch:int}", give_feedback, methods=["POST"]),
    PageRoute("/e/{slug}/my-actions/{action:int}", my_action, methods=["POST"]),
    PageRoute("/e/{slug}/calendar", calendar, methods=["POST"]),
    PageRoute("/e/{slug}/my-data.json", my_data),
]
