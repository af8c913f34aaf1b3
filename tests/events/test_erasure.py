"""Erasing attendees' personal data over a real database: names, tokens and links go; the
write-ups, votes as counts and the grid stay."""

from __future__ import annotations

import json
from typing import Any

import pytest

from server.errors import Forbidden, Invalid, Unauthorised
from server.events.erasure import SNAPSHOT_JUMP, erase_personal_data, personal_data
from server.events.models import Event
from server.grid.views import published_view
from server.live.models import Change
from server.marketplace.views import vote_counts
from server.notes import editing
from server.notes.models import Contributor, Notes, NotesUpdate, NotesVersion, Photo
from tests.archive.rich import HOST, NAMES, SUMMARY, Rich, rich_event
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
