"""The proceedings read model over a real database (SQLite and PostgreSQL): sessions in grid
order then unplaced pitches, votes and planned attendance, notes, credits and photos."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from server.events.models import Event, Room, Slot
from server.exports.proceedings.readmodel import load_proceedings
from server.grid import editing as grid
from server.marketplace import dots, pitches
from server.notes import document, editing, photos, store
from server.notes.document import Action, NotesContent
from tests.conftest import Domain

BASE = "https://snug.example.org/"


async def _version(event: Event) -> int:
    return (await Event.get(id=event.id)).grid_version


async def _pitch(domain: Domain, event: Event, actor: Any, title: str, **fields: Any) -> int:
    view = await domain.run(event, actor, pitches.create_pitch, {"title": title, **fields})
    return int(view["id"])


async def _write(event: Event, pitch_id: int, actor: Any, content: NotesContent) -> None:
    session = await editing.open_notes(event, pitch_id, actor)
    await store.write(session.notes, actor, lambda doc: document.write(doc, content))


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, "PNG")
    return out.getvalue()


async def test_sessions_in_grid_order_then_unplaced_with_figures_and_notes(
    domain: Domain,
) -> None:
    event = await domain.event(venue="The Library")
    staff = await domain.facilitator(event)
    ana = await domain.attendee(event, "Ana")
    ben = await domain.attendee(event, "Ben")
    rooms = [r.id for r in await Room.filter(event=event).order_by("position")]
    slots = [s.id for s in await Slot.filter(event=event).order_by("starts_at")]
    late = await _pitch(domain, event, staff, "Late, big room", host="Cy", tags=["data"])
    early_small = await _pitch(domain, event, staff, "Early, small room")
    early_big = await _pitch(domain, event, staff, "Early, big room")
    unplaced = await _pitch(domain, event, ana, "Never placed", pitch="Maybe next time")
    hidden = await _pitch(domain, event, staff, "Spam")
    for pitch_id, cell in (
        (late, (rooms[0], slots[1])),
        (early_small, (rooms[1], slots[0])),
        (early_big, (rooms[0], slots[0])),
    ):
        await domain.run(event, staff, grid.move, await _version(event), pitch_id, cell)
    await domain.run(event, staff, grid.publish, await _version(event))
    await Event.filter(id=event.id).update(voting_open=True)
    for voter in (ana, ben):
        await domain.run(event, voter, dots.place_dot, early_big)
    await domain.run(event, ben, dots.place_dot, unplaced)
    await domain.run(event, staff, pitches.edit_pitch, hidden, {"hidden": True})

    content = NotesContent(
        summary="We **agreed**.",
        actions=(Action("Write it up", "Ana"), Action("Share it", "")),
    )
    await _write(event, early_big, ana, content)
    content = NotesContent(summary=content.summary, discussion="Long talk", actions=content.actions)
    await _write(event, early_big, ben, content)
    session = await editing.open_notes(event, early_big, ana)
    await editing.set_credit(session, ana, True)
    await photos.add(session, ana, _png(), "image/png", "The flipchart")
    await _write(event, late, ana, NotesContent())  # opened, nothing written
    await editing.mark_final(session, staff, True)

    doc = await load_proceedings(await Event.get(id=event.id), BASE, images=True)
    assert [s.title for s in doc.sessions] == [
        "Early, big room",
        "Early, small room",
        "Late, big room",
        "Never placed",
    ]
    assert [s.title for s in doc.placed] == [
        "Early, big room",
        "Early, small room",
        "Late, big room",
    ]
    first, _small, later, left_out = doc.sessions
    assert (first.room and first.room.id, first.slot and first.slot.id) == (rooms[0], slots[0])
    assert (first.votes, first.planned) == (2, 2)
    assert (left_out.votes, left_out.planned, left_out.room, left_out.slot) == (1, None, None, None)
    assert later.tags == ("data",) and later.host == "Cy" and later.notes.empty
    assert left_out.pitch == "Maybe next time"
    notes = first.notes
    assert (notes.summary, notes.discussion) == ("We **agreed**.", "Long talk")
    assert notes.actions == content.actions and notes.final
    assert (notes.named, notes.anonymous) == (("Ana",), 1)
    (photo,) = notes.photos
    assert photo.caption == "The flipchart" and (photo.width, photo.height) == (40, 30)
    assert photo.url == f"https://snug.example.org{photo.path}"
    assert photo.path.startswith(f"/e/{event.slug}/photos/{photo.id}/")
    assert photo.media_type == "image/png" and photo.data and photo.data.startswith(b"\x89PNG")
    assert first.url == f"https://snug.example.org/e/{event.slug}/proceedings/{early_big}"
    assert [(a.session, a.what, a.owner) for a in doc.actions] == [
        ("Early, big room", "Write it up", "Ana"),
        ("Early, big room", "Share it", ""),
    ]
    assert (doc.attendees, doc.dots, doc.written_up) == (2, 3, 1)
    assert doc.venue == "The Library" and not doc.published
    assert [slot for slot, entries in doc.programme() if entries] == list(doc.slots[:2])
    without_images = await load_proceedings(event, BASE)
    assert without_images.sessions[0].notes.photos[0].data is None


async def test_an_event_with_no_grid_lists_its_pitches(domain: Domain) -> None:
    event = await domain.event()
    ana = await domain.attendee(event, "Ana")
    await _pitch(domain, event, ana, "Only a pitch")
    doc = await load_proceedings(event, BASE)
    assert [s.title for s in doc.sessions] == ["Only a pitch"]
    assert doc.placed == () and doc.actions == () and doc.written_up == 0
    assert doc.url == f"https://snug.example.org/e/{event.slug}/proceedings"
