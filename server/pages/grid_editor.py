"""The grid editor drawn on the server: place, move and take sessions off the draft grid,
add, change and remove rooms and time slots (asking first before one that holds sessions
goes), allocate, undo and publish (reviewed first on the releases page, grid_releases.py), all as
plain forms calling the same commands as the grid API
(server/http/grid.py). Each form carries the draft's version, so a form drawn before someone
else's change is refused, not applied over it."""

from __future__ import annotations

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
from server.language import gettext
from server.live.state import snapshot
from server.pages.forms import FormError, event_of, form_key, whole_number
from server.pages.grid_view import grid_editor
from server.pages.rendering import PageRoute, page
from server.pages.staff import Command, act, sign_in_form, staff, staff_day
from server.pages.words import slot_words

DONE = {
    "signed-in": "You're signed in on this browser.",
    "moved": "Saved: the session is in its new place.",
    "unplaced": "The session is off the grid.",
    "allocated": "The grid is filled from the votes.",
    "undone": "The last change is undone.",
    "room-saved": "Saved: the rooms are as you see them.",
    "room-removed": "The room is removed.",
    "slot-saved": "Saved: the time slots are as you see them.",
    "slot-removed": "The time slot is removed.",
    "published": "Published. Attendees see this release now; your next edits stay in the draft "
    "until you publish again.",
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
        f"{event.name} - the grid",
        status=status,
        private=True,
        editor=grid_editor(state) if actor.is_staff else None,
        **await staff_day(request, event, actor, state),
        slot_words=slot_words,
        event_name=event.name,
        back="organise" if actor.role == Role.organiser else "facilitate",
        done=DONE.get(request.query_params.get("done", "")),
        errors=errors or [],
        **sign_in_form(event, f"/e/{event.slug}/grid"),
    )


async def _edit(
    request: Request,
    build: Callable[[dict[str, str]], Command],
    done: str,
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
        return f"/e/{slug}/grid?done={done}{anchor}"

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

VENUE = "#rooms-and-slots"
NAME_LENGTH = 80  # as Room.name and Slot.label store them
MOST_SEATS = 100_000
# What a time input sends: hours and minutes, and seconds when its step asks for them.
CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SLOT_KINDS = ("session", "break", "plenary")


def _text(fields: dict[str, str], name: str, field_id: str, needed: str | None) -> str:
    """A name or label as typed; ``needed``: what to say when it is left empty."""
    text = fields.get(name, "").strip()
    if len(text) > NAME_LENGTH:
        raise FormError([(field_id, f"Keep it to {NAME_LENGTH} characters.")])
    if needed and not text:
        raise FormError([(field_id, needed)])
    return text


def _seats(fields: dict[str, str], field_id: str) -> int:
    raw = fields.get("capacity", "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not 1 <= int(raw) <= MOST_SEATS:
        raise FormError([(field_id, "Enter the seats as a whole number, such as 30.")])
    return int(raw)


def _at(event: Event, fields: dict[str, str], name: str, field_id: str) -> str:
    """A time of day on the slot's date (drawn into its form), or else the event's, as slots
    keep their times."""
    raw = fields.get(name, "").strip()
    if not CLOCK.fullmatch(raw):
        raise FormError([(field_id, "Enter the time as hours and minutes, such as 10:30.")])
    date = fields.get("date", "")
    return f"{date if DATE.fullmatch(date) else event.date.isoformat()}T{raw[:5]}"


def _optional_id(fields: dict[str, str], name: str) -> int | None:
    return whole_number(fields, name) if fields.get(name) else None


def _save_room(fields: dict[str, str]) -> Command:
    version, room = whole_number(fields, "version"), _optional_id(fields, "room")
    prefix = f"room-{room}" if room is not None else "new-room"
    name = _text(fields, "name", f"{prefix}-name", "Enter a name for the room.")
    capacity = _seats(fields, f"{prefix}-capacity")
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


def _save_slot(event: Event) -> Callable[[dict[str, str]], Command]:
    def build(fields: dict[str, str]) -> Command:
        version, slot = whole_number(fields, "version"), _optional_id(fields, "slot")
        prefix = f"slot-{slot}" if slot is not None else "new-slot"
        starts = _at(event, fields, "starts", f"{prefix}-starts")
        ends = _at(event, fields, "ends", f"{prefix}-ends")
        label = _text(fields, "label", f"{prefix}-label", None)
        kind = fields.get("kind", "session")
        if kind not in SLOT_KINDS:
            raise FormError([(f"{prefix}-kind", "Choose what the slot is for from the list.")])
        if slot is None:
            return lambda j: editing.add_slot(j, version, starts, ends, label, kind)
        return lambda j: editing.change_slot(j, version, slot, starts, ends, label, kind)

    return build


async def save_room(request: Request) -> Response:
    return await _edit(request, _save_room, "room-saved", VENUE)


async def remove_room(request: Request) -> Response:
    async def asks(event: Event, fields: dict[str, str], refused: Refused) -> Response | None:
        return await _confirm_removal("room", event, fields, refused)

    return await _edit(request, _removal("room"), "room-removed", VENUE, asks)


async def save_slot(request: Request) -> Response:
    return await _edit(request, _save_slot(await event_of(request)), "slot-saved", VENUE)


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
    return await _edit(request, _versioned(editing.undo), "undone")


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
