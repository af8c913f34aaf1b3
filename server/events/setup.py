"""Setting up an event: its details, rooms, slots, links and who joins."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tortoise.transactions import in_transaction

from server.errors import Conflict, Invalid, NotFound
from server.events.access import Actor, Keys, Role
from server.events.changes import Receipt
from server.events.journal import Journal
from server.events.models import Attendee, Event, Room, Slot
from server.events.together import Together
from server.events.views import event_view, venue_view
from server.grid.releases import sessions_in
from server.language import N_, SOURCE, Nn_, held_in, languages

JOIN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread off a poster
RESERVED_SLUGS = {"new", "api", "static", "healthz"}
SLUG_LENGTH = 40  # as Event.slug stores it
JOIN_CODE_LENGTH = 12  # as Event.join_code stores it
ZERO = dt.timedelta(0)
_events: Together[Event | None] = Together()
_events_by_id: Together[Event | None] = Together()


async def find_event(slug: str) -> Event:
    # An address longer than any slug can be names no event; the database isn't asked.
    event = None
    if len(slug) <= SLUG_LENGTH:  # a storm's lookups of one event share their query
        event = await _events.get(slug, lambda: Event.get_or_none(slug=slug))
    if event is None:
        raise NotFound(
            N_("There is no event at /e/%(slug)s. Check the link you were given."),
            values={"slug": slug},
        )
    # Whatever is said from here on about this event is said in one of its own languages.
    held_in(event.languages)
    return event


async def fresh_event(event_id: int) -> Event:
    """The event as committed now, read once for every screen catching up at this moment."""
    event = await _events_by_id.get(event_id, lambda: Event.get_or_none(id=event_id))
    if event is None:
        raise NotFound(N_("This event has been deleted."))
    return event


def typed_join_code(typed: str) -> str:
    """A join code as people type it off a projector or poster: in capitals, with spaces or a
    dash between its halves. Bounded, so what reaches a redirect or the database is short."""
    return "".join(c for c in typed[: JOIN_CODE_LENGTH * 4] if c.isalnum()).lower()


async def find_by_join_code(code: str) -> Event:
    code = typed_join_code(code)
    event = await Event.get_or_none(join_code=code) if len(code) <= JOIN_CODE_LENGTH else None
    if event is None:
        raise NotFound(
            N_("No event has the join code %(code)s. Check it on the screen or poster."),
            values={"code": repr(code)},
        )
    return event


async def create_event(fields: dict[str, Any], keys: Keys) -> tuple[Event, str]:
    """Creates the event with its rooms and slots; returns it with the organiser's secret."""
    async with in_transaction():
        return await _create_event(fields, keys)


# A new-event form sent twice (a double tap, a slow connection) within this long is one event.
ONCE_WITHIN = dt.timedelta(minutes=2)
NEW_EVENT_FORM = "new-event-form"  # whose receipt it is: the form's, as nobody has a role yet
_forms_in_flight: dict[str, asyncio.Lock] = {}


async def create_event_once(
    fields: dict[str, Any], keys: Keys, key: str, asked: str
) -> tuple[Event, str]:
    """``create_event`` for a form that may arrive twice with the same ``key``: the second
    copy finds the event the first made and answers it with a new organiser secret (the first
    answer went to a page the browser had already left), rather than making a second event.
    Copies arriving at once wait for each other in this process."""
    lock = _forms_in_flight.setdefault(key, asyncio.Lock())
    try:
        async with lock:
            since = dt.datetime.now(dt.UTC) - ONCE_WITHIN
            made = await Receipt.filter(
                actor=NEW_EVENT_FORM, key=key, fingerprint=asked, at__gte=since
            ).first()
            if made is not None:
                event = await Event.get(id=made.event_id)
                return event, await new_organiser_key_for(event, keys)
            async with in_transaction():
                event, secret = await _create_event(fields, keys)
                await Receipt.create(
                    event=event, actor=NEW_EVENT_FORM, key=key, fingerprint=asked, answer="{}"
                )
            return event, secret
    finally:
        if not lock.locked():
            _forms_in_flight.pop(key, None)


async def new_organiser_key_for(event: Event, keys: Keys) -> str:
    """A fresh organiser secret; the one before stops working."""
    return await _rekeyed(event, keys, "organiser_key")


async def _create_event(fields: dict[str, Any], keys: Keys) -> tuple[Event, str]:
    zone = _zone(fields["timezone"])
    slug = await _free_slug(fields.get("slug") or fields["name"], explicit="slug" in fields)
    secret, digest = keys.new()
    event = await Event.create(
        slug=slug,
        join_code=await free_join_code(),
        name=fields["name"].strip(),
        date=dt.date.fromisoformat(fields["date"]),
        timezone=zone,
        venue=fields.get("venue", "").strip(),
        organiser_key=digest,
        dots_per_attendee=fields.get("dots_per_attendee", 3),
        dots_stack=fields.get("dots_stack", False),
        languages=event_languages(fields.get("languages", [SOURCE])),
    )
    await put_rooms(event, fields.get("rooms", []))
    await put_slots(event, fields.get("slots", []))
    return event, secret


async def edit_event(journal: Journal, fields: dict[str, Any], public_url: str) -> dict[str, Any]:
    journal.actor.require(Role.organiser)
    event = journal.event
    if "timezone" in fields:
        # The slots' wall-clock times are read in the new zone from now on.
        slots = await Slot.filter(event=event).values("starts_at", "ends_at")
        fields["timezone"] = check_times(fields["timezone"], slots)
    if "date" in fields:
        fields["date"] = dt.date.fromisoformat(fields["date"])
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    if "languages" in fields:
        fields["languages"] = event_languages(fields["languages"])
    event.update_from_dict(fields)
    await event.save(update_fields=list(fields))
    view = event_view(event, public_url)
    await journal.record("event.updated", {"event": view})
    return view


def event_languages(chosen: list[str]) -> list[str]:
    """The languages an event is held in, each one Snug speaks, in the order its toggle offers
    them (Welsh first)."""
    spoken = languages()
    for code in chosen:
        if code not in spoken:
            raise Invalid(
                N_("Snug doesn't speak %(code)s yet. Choose from: %(spoken)s."),
                values={"code": repr(code), "spoken": ", ".join(spoken)},
            )
    return [code for code in spoken if code in chosen]


async def replace_rooms(
    journal: Journal, rooms: list[dict[str, Any]], unplace: bool = False
) -> dict[str, Any]:
    """``unplace``: the organiser has seen which sessions removing a room takes off the grid."""
    journal.actor.require(Role.organiser)
    if not unplace:
        await unplaced_by(journal.event, "room", {r["id"] for r in rooms if "id" in r})
    await put_rooms(journal.event, rooms)
    return await record_venue(journal)


async def replace_slots(
    journal: Journal, slots: list[dict[str, Any]], unplace: bool = False
) -> dict[str, Any]:
    journal.actor.require(Role.organiser)
    if not unplace:
        await unplaced_by(journal.event, "slot", {s["id"] for s in slots if "id" in s})
    await put_slots(journal.event, slots)
    return await record_venue(journal)


async def new_facilitator_key_for(event: Event, keys: Keys) -> str:
    """A fresh facilitator secret; any earlier one stops working."""
    return await _rekeyed(event, keys, "facilitator_key")


async def _rekeyed(event: Event, keys: Keys, role_key: str) -> str:
    secret, digest = keys.new()
    setattr(event, role_key, digest)
    await event.save(update_fields=[role_key])
    return secret


# The answers to "Is this your first unconference?", asked (optionally) when someone joins.
FIRST_TIME = {"yes": N_("Yes"), "no": N_("No"), "unsaid": N_("I'd rather not say")}


async def join(
    event: Event, name: str, keys: Keys, first_time: str | None = None
) -> tuple[Attendee, str]:
    """``first_time``: their answer to "Is this your first unconference?", if they gave one."""
    secret, digest = keys.new()
    attendee = await Attendee.create(
        event=event, token=digest, name=name.strip(), first_time=first_time
    )
    return attendee, secret


async def reissue(event: Event, attendee_id: int, keys: Keys) -> str:
    """A new token for someone who joined (their join form arrived twice): the one the first
    answer carried, which no browser kept, stops working."""
    secret, digest = keys.new()
    await Attendee.filter(id=attendee_id, event=event).update(token=digest)
    return secret


async def rename(actor: Actor, name: str) -> Attendee:
    attendee = actor.as_attendee()
    attendee.name = name.strip()
    await attendee.save(update_fields=["name"])
    return attendee


async def unplaced_by(event: Event, kind: str, kept: set[int]) -> None:
    """Refuses to remove a room or slot that holds sessions, naming them, until asked again
    with ``unplace``: removing it takes them off the draft and the published grid at once."""
    model = Room if kind == "room" else Slot
    ids = await model.filter(event=event).values_list("id", flat=True)
    gone = {int(str(i)) for i in ids} - kept
    sessions = await sessions_in(event, kind, gone)
    if sessions:
        titles = ", ".join(f"“{s['title']}”" for s in sessions[:5])  # their own words
        more = len(sessions) > 5
        raise Conflict(
            REMOVING[kind == "room", more],
            values={"count": len(sessions), "titles": titles, "more": len(sessions) - 5},
            n=len(sessions),
            sessions=sessions,
        )


# Removing a room (True) or a time slot (False) that holds sessions, naming up to five of them
# (True: more than five).
REMOVING = {
    (True, False): Nn_(
        "Removing that room would take %(count)s session off the grid: %(titles)s. "
        "Move them first, or confirm to remove it anyway.",
        "Removing that room would take %(count)s sessions off the grid: %(titles)s. "
        "Move them first, or confirm to remove it anyway.",
    ),
    (True, True): Nn_(
        "Removing that room would take %(count)s session off the grid: %(titles)s and "
        "%(more)s more. Move them first, or confirm to remove it anyway.",
        "Removing that room would take %(count)s sessions off the grid: %(titles)s and "
        "%(more)s more. Move them first, or confirm to remove it anyway.",
    ),
    (False, False): Nn_(
        "Removing that time slot would take %(count)s session off the grid: %(titles)s. "
        "Move them first, or confirm to remove it anyway.",
        "Removing that time slot would take %(count)s sessions off the grid: %(titles)s. "
        "Move them first, or confirm to remove it anyway.",
    ),
    (False, True): Nn_(
        "Removing that time slot would take %(count)s session off the grid: %(titles)s and "
        "%(more)s more. Move them first, or confirm to remove it anyway.",
        "Removing that time slot would take %(count)s sessions off the grid: %(titles)s and "
        "%(more)s more. Move them first, or confirm to remove it anyway.",
    ),
}


async def record_venue(journal: Journal) -> dict[str, Any]:
    venue = await venue_view(journal.event)
    await journal.record("venue.updated", venue)
    return venue


ROOM_NAME_LENGTH = 80  # as Room.name stores it


async def put_rooms(event: Event, rooms: list[dict[str, Any]], *, returning: bool = False) -> None:
    """``returning``: a room whose id the event no longer has comes back under it (undo)."""
    names = [room["name"].strip().casefold() for room in rooms]
    if len(set(names)) != len(names):
        raise Invalid(N_("Two rooms have the same name; give each room its own name."))
    for room in rooms:
        await known_slots(event, room.get("unavailable", []))
    await _replace(
        Room,
        event,
        rooms,
        lambda i, r: {
            "name": r["name"].strip(),
            "capacity": r["capacity"],
            "features": sorted(set(r.get("features", []))),
            "unavailable": sorted(r.get("unavailable", [])),
            "position": i,
        },
        returning=returning,
    )


async def put_slots(event: Event, slots: list[dict[str, Any]], *, returning: bool = False) -> None:
    _on_the_clock(event.timezone, slots)
    for slot in slots:
        # Every time names one instant, so wall-clock order is the order of the instants.
        if slot["ends_at"] <= slot["starts_at"]:
            raise Invalid(
                N_("The slot starting %(starts)s must end after it starts."),
                values={"starts": slot["starts_at"]},
            )
    await _replace(
        Slot,
        event,
        slots,
        lambda _i, s: {
            "starts_at": s["starts_at"],
            "ends_at": s["ends_at"],
            "label": s.get("label", "").strip(),
            "kind": s.get("kind", "session"),
        },
        returning=returning,
    )


def check_times(zone_name: str, slots: Iterable[Mapping[str, str]]) -> str:
    """The zone's name, if Snug knows the zone and every slot time names one instant in it."""
    _zone(zone_name)
    _on_the_clock(zone_name, slots)
    return zone_name


def _on_the_clock(zone_name: str, slots: Iterable[Mapping[str, str]]) -> None:
    for slot in slots:
        for moment in (slot["starts_at"], slot["ends_at"]):
            _one_instant(moment, zone_name)


def _one_instant(moment: str, zone_name: str) -> None:
    """Refuses a wall-clock time the zone skips or shows twice: a calendar can only guess
    which instant such a time means, and guesses differ from app to app."""
    try:
        local = dt.datetime.fromisoformat(moment)
    except ValueError:
        raise Invalid(
            N_("The time %(moment)s isn't a real date and time."), values={"moment": moment}
        ) from None
    zone = ZoneInfo(zone_name)
    earlier, later = local.replace(tzinfo=zone), local.replace(tzinfo=zone, fold=1)
    shift = (later.utcoffset() or ZERO) - (earlier.utcoffset() or ZERO)
    if not shift:
        return
    minutes = int(abs(shift).total_seconds()) // 60
    forward = shift > ZERO
    if minutes == 60:
        said: str | tuple[str, str] = CLOCKS_HOUR[forward]
    else:
        said = CLOCKS_MINUTES[forward]
    day, _, clock = moment.partition("T")
    values = {"day": day, "time": clock, "zone": zone_name, "minutes": minutes}
    raise Invalid(said, values=values, n=minutes)


# A wall-clock time the clocks skip (True: they go forward) or show twice, as most zones
# shift (an hour) and as a few do (Lord Howe Island: half an hour).
CLOCKS_HOUR = {
    True: N_(
        "The time %(day)s at %(time)s doesn't exist in %(zone)s: the clocks go forward an hour "
        "that night and skip it. Choose a time before or after the change."
    ),
    False: N_(
        "The time %(day)s at %(time)s happens twice in %(zone)s: the clocks go back an hour "
        "that night and show it twice. Choose a time before or after the change, so every "
        "calendar shows the same moment."
    ),
}
CLOCKS_MINUTES = {
    True: Nn_(
        "The time %(day)s at %(time)s doesn't exist in %(zone)s: the clocks go forward "
        "%(minutes)s minute that night and skip it. Choose a time before or after the change.",
        "The time %(day)s at %(time)s doesn't exist in %(zone)s: the clocks go forward "
        "%(minutes)s minutes that night and skip it. Choose a time before or after the change.",
    ),
    False: Nn_(
        "The time %(day)s at %(time)s happens twice in %(zone)s: the clocks go back "
        "%(minutes)s minute that night and show it twice. Choose a time before or after the "
        "change, so every calendar shows the same moment.",
        "The time %(day)s at %(time)s happens twice in %(zone)s: the clocks go back "
        "%(minutes)s minutes that night and show it twice. Choose a time before or after the "
        "change, so every calendar shows the same moment.",
    ),
}


async def known_slots(event: Event, slot_ids: list[int]) -> list[int]:
    """The slot ids, if every one is a slot of this event."""
    known = set(await Slot.filter(event=event).values_list("id", flat=True))
    unknown = sorted(set(slot_ids) - known)
    if unknown:
        raise Invalid(
            N_("This event has no slot %(slot)s; choose from its time slots."),
            values={"slot": unknown[0]},
        )
    return sorted(set(slot_ids))


# As schemas/defs.json bounds the lists of rooms and of slots an organiser sends at once.
MOST_ROOMS_OR_SLOTS = 200


async def _replace(
    model: Any, event: Event, items: list[dict[str, Any]], values: Any, *, returning: bool
) -> None:
    """Makes the event's rows match the list: ids update, new items create, the rest go.
    ``returning``: an id the event doesn't have is an item undo brings back under it."""
    if len(items) > MOST_ROOMS_OR_SLOTS:  # the grid editor adds them one at a time
        most = (
            N_("An event can have at most %(most)s rooms.")
            if model is Room
            else N_("An event can have at most %(most)s time slots.")
        )
        raise Invalid(most, values={"most": MOST_ROOMS_OR_SLOTS})
    existing = {row.id: row for row in await model.filter(event=event)}
    keep = set()
    for i, item in enumerate(items):
        if "id" in item:
            row = existing.get(item["id"])
            if row is None and returning:
                await model.create(event=event, id=item["id"], **values(i, item))
                keep.add(item["id"])
                continue
            if row is None:
                raise Invalid(
                    N_("There is no room %(id)s in this event.")
                    if model is Room
                    else N_("There is no slot %(id)s in this event."),
                    values={"id": item["id"]},
                )
            row.update_from_dict(values(i, item))
            await row.save()
            keep.add(row.id)
        else:
            await model.create(event=event, **values(i, item))
    gone = set(existing) - keep
    if gone:
        await model.filter(id__in=gone).delete()


UNKNOWN_ZONE = N_("%(name)s isn't a time zone Snug knows. Use a name such as Europe/London.")


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(UNKNOWN_ZONE, values={"name": repr(name)}) from None
    if name not in available_timezones():
        raise Invalid(UNKNOWN_ZONE, values={"name": repr(name)})
    return name


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


async def _free_slug(wanted: str, explicit: bool) -> str:
    base = slugify(wanted) or "event"
    if explicit and base != wanted:
        raise Invalid(N_("The web address may use only lower-case letters, digits and hyphens."))
    if base in RESERVED_SLUGS:
        if explicit:
            raise Invalid(
                N_("The address /e/%(slug)s is reserved; choose another."), values={"slug": base}
            )
        base = f"{base}-event"
    if not await Event.exists(slug=base):
        return base
    if explicit:
        raise Conflict(
            N_("The address /e/%(slug)s is taken; choose another."), values={"slug": base}
        )
    for n in range(2, 1000):
        candidate = f"{base[:35]}-{n}"
        if not await Event.exists(slug=candidate):
            return candidate
    return f"{base[:30]}-{secrets.token_hex(4)}"


async def free_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))
        if not await Event.exists(join_code=code):
            return code
