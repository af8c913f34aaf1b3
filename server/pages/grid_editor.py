"""The grid editor drawn on the server: place, move and take sessions off the draft grid,
add, change and remove rooms and time slots (asking first before one that holds sessions
goes), allocate, undo and publish (reviewed first on the releases page, grid_releases.py), all as
plain forms calling the same commands as the grid API
(server/http/grid.py). Each form carries the draft's version, so a form drawn before someone
else's change is refused, not applied over it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.errors import Refused
from server.events.access import Actor, Role
from server.events.journal import Journal
from server.events.models import Event, Room, Slot
from server.grid import editing
from server.language import N_, gettext, ngettext
from server.live.state import snapshot
from server.pages.forms import FormError, event_of, form_key, whole_number
from server.pages.grid_view import grid_editor
from server.pages.rendering import PageRoute, page
from server.pages.staff import Command, act, sign_in_form, staff, staff_day
from server.pages.words import slot_words
from server.validation import validator

DONE = {
    "signed-in": N_("You're signed in on this browser."),
    "moved": N_("Saved: the session is in its new place."),
    "unplaced": N_("The session is off the grid."),
    "allocated": N_("The grid is filled from the votes."),
    "undone": N_("The last change is undone."),
    "undone-renamed": N_(
        "The last change is undone. A room it brought back has a new name, since "
        "another room has its old name now; rename either below."
    ),
    "room-saved": N_("Saved: the rooms are as you see them."),
    "room-removed": N_("The room is removed."),
    "slot-saved": N_("Saved: the time slots are as you see them."),
    "slot-removed": N_("The time slot is removed."),
    "published": N_(
        "Published. Attendees see this release now; your next edits stay in the draft "
        "until you publish again."
    ),
}


async def grid_page(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await staff(request, event))


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    return page(
        "grid.html",
        gettext("%(event)s - the grid") % {"event": event.name},
        status=status,
        private=True,
        editor=grid_editor(state) if actor.is_staff else None,
        **await staff_day(request, event, actor, state),
        slot_words=slot_words,
        event_name=event.name,
        back="organise" if actor.role == Role.organiser else "facilitate",
        done=gettext(DONE[done])
        if (done := request.query_params.get("done", "")) in DONE
        else None,
        errors=errors or [],
        **sign_in_form(event, f"/e/{event.slug}/grid"),
    )


async def _edit(
    request: Request,
    build: Callable[[dict[str, str]], Command],
    done: str | Callable[[], str],
    place: str = "",
    asks: Any = None,
) -> Response:
    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], status: int
    ) -> Response:
        return await _show(request, event, actor, errors, status)

    slug = request.path_params["slug"]

    def to(fields: dict[str, str]) -> str:
        # Back to the session's own form, so the person lands where they were.
        pitch = fields.get("pitch", "")
        placed = pitch.isascii() and pitch.isdigit() and len(pitch) <= 10
        anchor = f"#place-{pitch}" if placed else place
        said = done() if callable(done) else done
        return f"/e/{slug}/grid?done={said}{anchor}"

    return await act(request, build, redraw, to, Role.facilitator, asks)


def _move(fields: dict[str, str]) -> Command:
    version, pitch = whole_number(fields, "version"), whole_number(fields, "pitch")
    cell = (whole_number(fields, "room"), whole_number(fields, "slot"))
    return lambda j: editing.move(j, version, pitch, cell)


def _unplace(fields: dict[str, str]) -> Command:
    version, pitch = whole_number(fields, "version"), whole_number(fields, "pitch")
    return lambda j: editing.unplace(j, version, pitch)


def _versioned(command: Callable[[Journal, int], Awaitable[Any]]) -> Callable[..., Command]:
    def build(fields: dict[str, str]) -> Command:
        version = whole_number(fields, "version")
        return lambda j: command(j, version)

    return build


# ---------------------------------------------------------------- rooms and time slots
# A room or slot form is read into the body the API takes and checked against the API's own
# schema (schemas/grid-room.json, grid-slot.json), so the form and the API can't disagree on
# what a room or slot may be; only what the form alone has (the time of day a time input
# sends, the slot's day drawn into its form) is read here.

VENUE = "#rooms-and-slots"
# What a time input sends: hours and minutes, and seconds when its step asks for them.
CLOCK = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NOT_OFFERED = N_("Choose from the page again; that choice wasn't one Snug offered.")
Said = Callable[[Any], str]  # what to tell the person, from what the schema found wrong


def _number(text: str) -> int | str:
    """A whole number typed or drawn into a form, or the text as sent for the schema to refuse."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else text


def _checked(schema: str, body: dict[str, Any], says: dict[str, tuple[str, Said]]) -> None:
    """Refuses the body as the API would, naming the field it is about: ``says`` maps a body
    property to the form field it was typed into and what to tell the person."""
    error = next(validator(schema).iter_errors(body), None)
    if error is None:
        return
    name = str(error.path[0]) if error.path else ""
    if error.validator == "required":
        name = error.message.split("'")[1]
    if name in says:
        field_id, said = says[name]
        raise FormError([(field_id, said(error))])
    raise FormError([("", gettext(NOT_OFFERED))])


def _named(needed: str) -> Said:
    def said(error: Any) -> str:
        if error.validator == "maxLength":
            return _at_most(error)
        return gettext(needed)

    return said


def _seats(error: Any) -> str:
    if error.validator == "maximum":
        most = int(error.validator_value)
        return ngettext(
            "A room can have at most %(n)s seat.", "A room can have at most %(n)s seats.", most
        ) % {"n": most}
    return gettext("Enter the seats as a whole number, such as 30.")


def _at_most(error: Any) -> str:
    most = int(error.validator_value)
    return ngettext("Keep it to %(n)s character.", "Keep it to %(n)s characters.", most) % {
        "n": most
    }


def _times(_error: Any) -> str:
    return gettext("Enter the time as hours and minutes, such as 10:30.")


def _kinds(_error: Any) -> str:
    return gettext("Choose what the slot is for from the list.")


def _room_body(fields: dict[str, str]) -> dict[str, Any]:
    """The body of ``POST /api/e/{slug}/grid/room`` from the room form, checked as the API
    checks it."""
    body: dict[str, Any] = {
        "version": _number(fields.get("version", "")),
        "name": fields.get("name", "").strip(),
        "capacity": _number(fields.get("capacity", "")),
    }
    if fields.get("room"):
        body["room"] = _number(fields["room"])
    prefix = f"room-{body['room']}" if isinstance(body.get("room"), int) else "new-room"
    says = {
        "name": (f"{prefix}-name", _named(N_("Enter a name for the room."))),
        "capacity": (f"{prefix}-capacity", _seats),
    }
    _checked("grid-room", body, says)
    return body


def _save_room(fields: dict[str, str]) -> Command:
    body = _room_body(fields)
    version, name, capacity = body["version"], body["name"], body["capacity"]
    room = body.get("room")
    if room is None:
        return lambda j: editing.add_room(j, version, name, capacity)
    return lambda j: editing.change_room(j, version, room, name, capacity)


def _removal(kind: str) -> Callable[[dict[str, str]], Command]:
    def build(fields: dict[str, str]) -> Command:
        version, item = whole_number(fields, "version"), whole_number(fields, kind)
        unplace = fields.get("unplace") == "yes"
        remove = editing.remove_room if kind == "room" else editing.remove_slot
        return lambda j: remove(j, version, item, unplace)

    return build


async def _confirm_removal(
    kind: str, event: Event, fields: dict[str, str], refused: Refused
) -> Response | None:
    """The question the organiser's page asks in a panel (manage.js), as a page of its own:
    these sessions leave the grid if the room or slot goes. Answered by removing it after
    all, or by keeping it."""
    sessions = refused.extensions.get("sessions")
    if not sessions:
        return None
    item = whole_number(fields, kind)  # read already: the command was made from it
    if kind == "room":
        room = await Room.get_or_none(id=item, event=event)
        name = room.name if room else gettext("this room")
    else:
        slot = await Slot.get_or_none(id=item, event=event)
        said = slot and {"starts_at": slot.starts_at, "ends_at": slot.ends_at, "label": slot.label}
        name = (
            gettext("the time slot %(slot)s") % {"slot": slot_words(said)}
            if said
            else gettext("this time slot")
        )
    return page(
        "grid-remove.html",
        gettext("Remove %(name)s? - %(event)s") % {"name": name, "event": event.name},
        private=True,
        name=name,
        kind=kind,
        sessions=sessions,
        fields={k: fields.get(k, "") for k in ("version", kind)},
        key=form_key(),
        slug=event.slug,
    )


class Days:
    """The days a slot of the event may be on: the event's own date and the days its slots are
    on already (the grid editor changes a slot's times, not its day), and each slot's day."""

    def __init__(self, event: Event, slots: list[Slot]) -> None:
        self.first = event.date.isoformat()
        self.of_slot = {s.id: s.starts_at[:10] for s in slots}
        self.all = {self.first} | {t[:10] for s in slots for t in (s.starts_at, s.ends_at)}

    def of(self, fields: dict[str, str], slot: Any, field_id: str) -> str:
        """The day drawn into the form, if it is a real date and one of the event's days; a
        form without one is about the slot's own day, or the event's for a new slot."""
        sent = fields.get("date")
        if sent is None:
            return self.of_slot.get(slot, self.first) if isinstance(slot, int) else self.first
        if not (DATE.fullmatch(sent) and _real(sent) and sent in self.all):
            raise FormError(
                [
                    (
                        field_id,
                        gettext(
                            "That day isn't one of the event's days. Reload the page and try again."
                        ),
                    )
                ]
            )
        return sent


def _real(date: str) -> bool:
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        return False
    return True


def _clock(fields: dict[str, str], name: str, field_id: str) -> str:
    """The time of day a time input sent, as hours and minutes (the seconds it may add cut
    off); anything else is left as sent, for the schema to refuse."""
    raw = fields.get(name, "").strip()
    if not CLOCK.fullmatch(raw):
        return raw
    try:
        dt.time.fromisoformat(raw)
    except ValueError:
        raise FormError([(field_id, _times(None))]) from None
    return raw[:5]


def _slot_body(days: Days, fields: dict[str, str]) -> dict[str, Any]:
    """The body of ``POST /api/e/{slug}/grid/slot`` from the slot form, checked as the API
    checks it."""
    slot = _number(fields["slot"]) if fields.get("slot") else None
    prefix = f"slot-{slot}" if isinstance(slot, int) else "new-slot"
    day = days.of(fields, slot, f"{prefix}-starts")
    body: dict[str, Any] = {
        "version": _number(fields.get("version", "")),
        "starts_at": f"{day}T{_clock(fields, 'starts', f'{prefix}-starts')}",
        "ends_at": f"{day}T{_clock(fields, 'ends', f'{prefix}-ends')}",
        "label": fields.get("label", "").strip(),
        "kind": fields.get("kind", "session"),
    }
    if slot is not None:
        body["slot"] = slot
    says = {
        "starts_at": (f"{prefix}-starts", _times),
        "ends_at": (f"{prefix}-ends", _times),
        "label": (f"{prefix}-label", _at_most),
        "kind": (f"{prefix}-kind", _kinds),
    }
    _checked("grid-slot", body, says)
    return body


def _save_slot(days: Days, fields: dict[str, str]) -> Command:
    body = _slot_body(days, fields)
    times = (body["starts_at"], body["ends_at"], body["label"], body["kind"])
    version, slot = body["version"], body.get("slot")
    if slot is None:
        return lambda j: editing.add_slot(j, version, *times)
    return lambda j: editing.change_slot(j, version, slot, *times)


async def save_room(request: Request) -> Response:
    return await _edit(request, _save_room, "room-saved", VENUE)


async def remove_room(request: Request) -> Response:
    async def asks(event: Event, fields: dict[str, str], refused: Refused) -> Response | None:
        return await _confirm_removal("room", event, fields, refused)

    return await _edit(request, _removal("room"), "room-removed", VENUE, asks)


async def save_slot(request: Request) -> Response:
    event = await event_of(request)
    days = Days(event, await Slot.filter(event=event))
    return await _edit(request, functools.partial(_save_slot, days), "slot-saved", VENUE)


async def remove_slot(request: Request) -> Response:
    async def asks(event: Event, fields: dict[str, str], refused: Refused) -> Response | None:
        return await _confirm_removal("slot", event, fields, refused)

    return await _edit(request, _removal("slot"), "slot-removed", VENUE, asks)


async def move(request: Request) -> Response:
    return await _edit(request, _move, "moved")


async def unplace(request: Request) -> Response:
    return await _edit(request, _unplace, "unplaced")


async def allocate(request: Request) -> Response:
    event = await event_of(request)
    keep = await editing.drafted(event, await staff(request, event))
    return await _edit(request, _versioned(keep), "allocated")


async def undo(request: Request) -> Response:
    outcomes: list[dict[str, Any]] = []

    async def undone(journal: Journal, version: int) -> dict[str, Any]:
        outcome = await editing.undo(journal, version)
        outcomes.append(outcome)
        return outcome

    def done() -> str:
        # A room brought back under a new name is said, as the form can't show the answer.
        return "undone-renamed" if any(o.get("renamed") for o in outcomes) else "undone"

    return await _edit(request, _versioned(undone), done)


async def publish(request: Request) -> Response:
    return await _edit(request, _versioned(editing.publish), "published")


routes = [
    PageRoute("/e/{slug}/grid", grid_page),
    PageRoute("/e/{slug}/grid/move", move, methods=["POST"]),
    PageRoute("/e/{slug}/grid/unplace", unplace, methods=["POST"]),
    PageRoute("/e/{slug}/grid/allocate", allocate, methods=["POST"]),
    PageRoute("/e/{slug}/grid/undo", undo, methods=["POST"]),
    PageRoute("/e/{slug}/grid/room", save_room, methods=["POST"]),
    PageRoute("/e/{slug}/grid/room/remove", remove_room, methods=["POST"]),
    PageRoute("/e/{slug}/grid/slot", save_slot, methods=["POST"]),
    PageRoute("/e/{slug}/grid/slot/remove", remove_slot, methods=["POST"]),
    PageRoute("/e/{slug}/grid/publish", publish, methods=["POST"]),
]
