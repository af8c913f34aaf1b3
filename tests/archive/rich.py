"""An event with something in every table, made through the domain functions as the day would."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from server.actions.models import ActionItem
from server.actions.status import set_status
from server.actions.sync import follow_notes
from server.events import setup
from server.events.models import Event, Room, Slot
from server.feedback import sessions as feedback
from server.grid import editing, seats
from server.marketplace import dots, pitches
from server.notes import document, store
from server.notes import editing as notes
from server.notes.document import Action, NotesContent, PhotoRef
from server.notes.models import Photo
from tests.conftest import Domain

NAMES = ("Ann Archivist", "Bo Backupson")  # searched for after erasure, so nowhere else
HOST = "Cy Hostname"
SUMMARY = "We agreed to publish open data by default."


@dataclass
class Rich:
    event: Event
    people: dict[str, Any] = field(default_factory=dict)
    pitch: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


async def rich_event(domain: Domain) -> Rich:
    event = await domain.event(
        rooms=[
            {"name": "Hall", "capacity": 50, "features": ["projector"]},
            {"name": "Snug", "capacity": 1},
        ],
        slots=[
            {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "One"},
            {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Two"},
            {"starts_at": "2026-11-23T12:00", "ends_at": "2026-11-23T13:00", "kind": "break"},
        ],
    )
    rich = Rich(event)
    await _venue(domain, rich)
    await _marketplace(domain, rich)
    await _grid(domain, rich)
    await _notes(domain, rich)
    await domain.writes.idle()  # the headcounts and checks that follow the votes
    rich.event = await domain.refresh(event)
    return rich


async def _venue(domain: Domain, rich: Rich) -> None:
    event = rich.event
    organiser = await domain.organiser(event)
    one, two, _lunch = [s.id for s in await Slot.filter(event=event).order_by("starts_at")]
    rooms = [
        {"id": r.id, "name": r.name, "capacity": r.capacity, "features": r.features}
        for r in await Room.filter(event=event)
    ]
    rooms[0]["unavailable"] = [two]  # the hall is the plenary room in slot two
    await domain.run(event, organiser, setup.replace_rooms, rooms)
    rich.people["organiser"] = organiser
    rich.people["staff"] = await domain.facilitator(event)
    rich.people["slots"] = (one, two)


async def _marketplace(domain: Domain, rich: Rich) -> None:
    event, one = rich.event, rich.people["slots"][0]
    # Each answers the first-timer question differently, the anonymous one not at all.
    for name, first_time in zip((*NAMES, ""), ("yes", "unsaid", None), strict=True):
        _attendee, token = await setup.join(event, name, domain.keys, first_time)
        rich.tokens[name or "anonymous"] = token
        rich.people[name or "anonymous"] = await domain.keys.identify(event, token)
    ann, bo, anon = (rich.people[k] for k in (*NAMES, "anonymous"))
    made = [
        ("maps", ann, {"title": "Open maps", "host": HOST, "unavailable": [one]}),
        ("data", bo, {"title": "Data sharing", "tags": ["data"]}),
        ("copy", anon, {"title": "Data sharing again"}),
        ("spam", anon, {"title": "Buy things"}),
    ]
    for key, who, fields in made:
        rich.pitch[key] = (await domain.run(event, who, pitches.create_pitch, fields))["id"]
    staff = rich.people["staff"]
    await domain.run(event, rich.people["organiser"], setup.edit_event, {"voting_open": True}, "")
    for who, keys in ((ann, ("maps", "data")), (bo, ("maps", "copy")), (anon, ("spam",))):
        for key in keys:
            await domain.run(event, who, dots.place_dot, rich.pitch[key])
    await domain.run(event, staff, pitches.edit_pitch, rich.pitch["spam"], {"hidden": True})
    await domain.run(event, staff, pitches.merge_pitch, rich.pitch["copy"], rich.pitch["data"])


async def _grid(domain: Domain, rich: Rich) -> None:
    event, staff = rich.event, rich.people["staff"]
    hall, snug = [r.id for r in await Room.filter(event=event).order_by("position")]
    one, two = rich.people["slots"]
    moves = [("data", (hall, one)), ("maps", (snug, two)), ("data", (snug, one))]
    for key, cell in moves:
        version = (await domain.refresh(event)).grid_version
        await domain.run(event, staff, editing.move, version, rich.pitch[key], cell)
    version = (await domain.refresh(event)).grid_version
    await domain.run(event, staff, editing.lock, version, rich.pitch["maps"], True)
    version = (await domain.refresh(event)).grid_version
    await domain.run(event, staff, editing.publish, version)
    ann, bo = (rich.people[n] for n in NAMES)
    await domain.run(event, ann, seats.choose, one, rich.pitch["data"])
    await domain.run(event, ann, seats.claim, rich.pitch["data"])
    await domain.run(event, bo, seats.claim, rich.pitch["data"])  # waits: one seat
    said = f"Thanks {NAMES[1]}, very clear."  # a name typed in a comment, which erasure hides
    after = "2026-11-23T23:00"
    await domain.run(
        event, ann, feedback.give, domain.keys, rich.pitch["data"], "useful", said, after
    )


async def _notes(domain: Domain, rich: Rich) -> None:
    event, staff = rich.event, rich.people["staff"]
    ann, bo = (rich.people[n] for n in NAMES)
    session = await notes.open_notes(event, rich.pitch["data"], ann)
    first = NotesContent(summary=SUMMARY, actions=(Action("Write it up", "the team"),))
    written = await store.write(session.notes, ann, lambda doc: document.write(doc, first))
    await follow_notes(domain.writes, event, written, domain.keys)
    second = NotesContent(summary=SUMMARY, discussion="Licences matter.", actions=first.actions)
    await store.write(session.notes, bo, lambda doc: document.write(doc, second))
    (action,) = await ActionItem.filter(event_id=event.id)
    await domain.writes.run(event, staff, set_status(action.id, "started"))
    photo = await Photo.create(
        notes_id=session.notes.id,
        key="k" * 22,
        data=png(),
        media_type="image/png",
        width=4,
        height=3,
        caption="The flipchart",
        attendee=bo.attendee,
    )
    ref = PhotoRef(photo.id, "The flipchart")
    await store.write(session.notes, bo, lambda doc: document.add_photo(doc, ref))
    await notes.set_credit(session, ann, True)
    await notes.mark_final(session, staff, True)
    await notes.mark_final(session, staff, False)
    (version,) = await notes.versions(session)
    await notes.restore(session, bo, version.id)
    other = await notes.open_notes(event, rich.pitch["maps"], bo)
    await store.write(other.notes, bo, lambda doc: document.write(doc, NotesContent("Maps!")))
