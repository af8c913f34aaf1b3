"""Erasing attendees' personal data over a real database: names, tokens and links go; the
write-ups, votes as counts and the grid stay."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

import pytest
from tortoise import Tortoise

from server.errors import Forbidden, Invalid, Unauthorised
from server.events.changes import Change
from server.events.erasure import (
    PSEUDONYM,
    erase_personal_data,
    personal_data,
    reclaim_space,
)
from server.events.models import Event
from server.events.setup import edit_event
from server.grid.views import published_view
from server.limits import SNAPSHOT_JUMP
from server.marketplace.pitches import create_pitch
from server.marketplace.views import vote_counts
from server.notes import document, editing, store
from server.notes.document import Action, NotesContent, PhotoRef
from server.notes.models import Contributor, Notes, NotesUpdate, NotesVersion, Photo
from tests.archive.rich import HOST, NAMES, SUMMARY, Rich, png, rich_event
from tests.conftest import Domain


async def every_row(domain: Domain, event: Event) -> str:
    """Every stored row of the event as text, binary data included, to search for names."""
    rows: dict[str, Any] = await domain.rows(event)
    notes = await Notes.filter(event_id=event.id).values_list("id", flat=True)
    rows["Notes"] = await Notes.filter(event_id=event.id).order_by("id").values()
    for model in (NotesUpdate, NotesVersion, Contributor, Photo):
        rows[model.__name__] = await model.filter(notes_id__in=notes).order_by("id").values()
    return json.dumps(
        rows, default=lambda v: v.decode("latin-1") if isinstance(v, bytes) else str(v)
    )


async def erase(domain: Domain, rich: Rich, actor: Any = None, confirm: str | None = None) -> Any:
    actor = actor or rich.people["organiser"]
    slug = rich.event.slug if confirm is None else confirm
    return await domain.run(rich.event, actor, erase_personal_data, slug, "https://snug.test")


async def test_erasure_leaves_no_name_and_keeps_the_write_ups(domain: Domain) -> None:
    rich = await rich_event(domain)
    event = rich.event
    before = await every_row(domain, event)
    assert all(name in before for name in (*NAMES, HOST)), "the search can find names"
    votes, grid = await vote_counts(event), await published_view(event)
    notes_before = await Notes.filter(event_id=event.id).order_by("id").values("content")
    summary = await personal_data(event)
    assert (summary.attendees, summary.named, summary.hosts) == (3, 2, 1)

    erased = await erase(domain, rich)

    after = await every_row(domain, event)
    for name in (*NAMES, HOST):
        assert name not in after
    assert (erased.attendees, erased.named, erased.hosts) == (3, 0, 0)
    assert erased.erased_at is not None
    # The write-ups, their history, the votes as counts and the grid are all still there.
    assert await Notes.filter(event_id=event.id).order_by("id").values("content") == notes_before
    assert SUMMARY in after and await NotesVersion.filter(notes__event_id=event.id).exists()
    assert await vote_counts(event) == votes and await published_view(event) == grid
    notes = await Notes.filter(event_id=event.id)
    credits = [await editing.credits(n) for n in notes]
    assert sum(c.anonymous for c in credits) == 3 and not any(c.named for c in credits)
    # No device is recognised; the organiser still is.
    for token in rich.tokens.values():
        with pytest.raises(Unauthorised):
            await domain.keys.identify(event, token)
    event = await domain.refresh(event)
    assert (await domain.organiser(event)).role.name == "organiser"
    # The journal starts again past the replay window, with the erasure as its one change.
    (change,) = await Change.filter(event_id=event.id)
    assert change.kind == "event.updated" and change.seq == event.seq
    assert event.seq == rich.event.seq + SNAPSHOT_JUMP + 1


async def test_erasing_again_is_harmless(domain: Domain) -> None:
    rich = await rich_event(domain)
    await erase(domain, rich)
    rows = await every_row(domain, rich.event)
    again = await erase(domain, rich)
    assert again.attendees == 3 and again.named == 0
    # Only the journal and the erasure time moved on; nothing else changed.
    first, second = json.loads(rows), json.loads(await every_row(domain, rich.event))
    for table in first:
        if table not in ("event", "Change"):
            assert first[table] == second[table], table


@pytest.mark.parametrize("who", ["staff", NAMES[0]])
async def test_only_the_organiser_may_erase(domain: Domain, who: str) -> None:
    rich = await rich_event(domain)
    rows = await every_row(domain, rich.event)
    with pytest.raises(Forbidden, match="organisers"):
        await erase(domain, rich, rich.people[who])
    assert await every_row(domain, rich.event) == rows


async def test_a_wrong_confirmation_erases_nothing(domain: Domain) -> None:
    rich = await rich_event(domain)
    rows = await every_row(domain, rich.event)
    with pytest.raises(Invalid, match=f"type this event's address, {rich.event.slug}"):
        await erase(domain, rich, confirm="yes")
    assert await every_row(domain, rich.event) == rows


async def every_table() -> str:
    """Every row of every table in the database, binary columns included, as one text."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        listing = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        listing = "SELECT table_name AS name FROM information_schema.tables "
        listing += "WHERE table_schema = 'public'"
    _count, tables = await connection.execute_query(listing)
    dump = []
    for table in tables:
        _count, rows = await connection.execute_query(f'SELECT * FROM "{table["name"]}"')
        dump += [json.dumps(dict(row), default=_as_text) for row in rows]
    return "\n".join(dump)


def _as_text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)


def _someone() -> str:
    """A first name no other test uses, so finding it anywhere means it wasn't erased."""
    return "Q" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(9))


async def test_erasure_takes_names_out_of_the_notes_their_history_and_everything_else(
    domain: Domain,
) -> None:
    first, host_first = _someone(), _someone()
    name, host = f"{first} Vellum", f"{host_first} Nightingale"
    event = await domain.event()
    organiser, person = await domain.organiser(event), await domain.attendee(event, name)
    await domain.run(event, organiser, edit_event, {"pitching_open": True}, "")
    pitch = await domain.run(
        event, person, create_pitch, {"title": "Open maps", "pitch": f"With {name}", "host": host}
    )
    session = await editing.open_notes(event, pitch["id"], person)
    phone = document.load()  # the person's own copy, sending edits as a phone does
    said = NotesContent(
        summary=f"{name} opened. We agreed to publish open data by default.",
        discussion=f"{host.upper()} asked about licences.",
        actions=(Action("Write it up", first), Action("Ask the council", "the team")),
    )
    await editing.edit(session, person, document.write(phone, said))
    caption = f"{name} at the flipchart"
    photo = await Photo.create(
        notes_id=session.notes.id,
        key="k" * 22,
        data=png(),
        media_type="image/png",
        width=4,
        height=3,
        caption=caption,
        attendee=person.attendee,
    )
    await editing.edit(session, person, document.add_photo(phone, PhotoRef(photo.id, caption)))
    # Saved as a version before a later edit: the old text is in the history too.
    later = NotesContent(
        summary=said.summary,
        discussion="Licences matter.",
        actions=said.actions,
        photos=(PhotoRef(photo.id, caption),),
    )
    await store.write(
        session.notes, person, lambda doc: document.write(doc, later), keep_as="saved"
    )
    before = await every_table()
    assert first in before and host_first in before
    assert await NotesUpdate.filter(notes_id=session.notes.id).exists()

    await domain.run(event, organiser, erase_personal_data, event.slug, "https://snug.test")
    await reclaim_space()

    after = (await every_table()).casefold()
    assert first.casefold() not in after and host_first.casefold() not in after
    notes = await Notes.get(id=session.notes.id)
    kept = NotesContent.from_json(notes.content)
    assert kept.summary == f"{PSEUDONYM} opened. We agreed to publish open data by default."
    assert kept.actions == (Action("Write it up", PSEUDONYM), Action("Ask the council", "the team"))
    assert [p.caption for p in kept.photos] == [f"{PSEUDONYM} at the flipchart"]
    assert document.read(await store.document_now(notes)) == kept  # the CRDT says the same
    assert not await NotesUpdate.filter(notes_id=notes.id).exists(), "the history is compacted"
    (version,) = await NotesVersion.filter(notes_id=notes.id)
    assert version.content["discussion"] == f"{PSEUDONYM} asked about licences."
