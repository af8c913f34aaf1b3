"""An event's archive over a real database: export, import where the event isn't, export again."""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any

import pytest

from server.archive.dump import dump
from server.archive.load import load, read
from server.errors import Conflict, Invalid, Unauthorised
from server.events.models import Event
from server.events.setup import new_facilitator_key_for
from server.limits import SNAPSHOT_JUMP
from server.notes import document, store
from server.notes.models import Notes, Photo
from tests.archive.helpers import REFS, assert_same_event
from tests.archive.rich import NAMES, SUMMARY, rich_event
from tests.conftest import Domain
from tests.notes.test_budget import WRITERS_BOMB


async def exported_and_removed(domain: Domain) -> dict[str, Any]:
    """A rich event's archive, with the event gone from the database, as on a fresh server."""
    rich = await rich_event(domain)
    archive = await dump(rich.event)
    await Event.filter(id=rich.event.id).delete()
    return archive


async def test_round_trip_loses_nothing(domain: Domain) -> None:
    archive = await exported_and_removed(domain)
    for table in REFS:
        assert archive[table], f"the rich event has no {table}, so the test proves nothing there"
    imported = await load(json.dumps(archive), domain.keys)
    again = await dump(imported.event)
    assert_same_event(archive, again)
    assert again["event"]["seq"] == archive["event"]["seq"] + SNAPSHOT_JUMP
    assert again["event"]["organiser_key"] != archive["event"]["organiser_key"]
    assert again["event"]["facilitator_key"] is None and archive["event"]["facilitator_key"]
    assert imported.join_code_kept and again["event"]["join_code"] == archive["event"]["join_code"]
    # Ids really are new, so the comparison above had references to map.
    assert {p["id"] for p in again["pitches"]}.isdisjoint(p["id"] for p in archive["pitches"])


async def test_imported_event_works(domain: Domain) -> None:
    rich = await rich_event(domain)
    staff = await new_facilitator_key_for(rich.event, domain.keys)
    archive = await dump(await domain.refresh(rich.event))
    await Event.filter(id=rich.event.id).delete()
    imported = await load(json.dumps(archive), domain.keys)
    event = imported.event
    organiser = await domain.keys.identify(event, imported.organiser_secret)
    assert organiser.role.name == "organiser"
    # Whoever imports it owns it: no link from the archive opens it as staff; attendees'
    # links carry on, since the server has the same SECRET_KEY.
    for secret in (domain.secrets[rich.event.id], staff):
        with pytest.raises(Unauthorised):
            await domain.keys.identify(event, secret)
    attendee = await domain.keys.identify(event, rich.tokens[NAMES[0]])
    assert attendee.role.name == "attendee"
    # The notes document names the photo by its new id, and the photo is there.
    (notes,) = [n for n in await Notes.filter(event_id=event.id) if n.content["photos"]]
    doc = await store.document_now(notes)
    (ref,) = document.read(doc).photos
    photo = await Photo.get(id=ref.id)
    assert photo.notes_id == notes.id and photo.caption == ref.caption == "The flipchart"
    assert document.read(doc).summary == SUMMARY


async def test_an_archive_from_before_a_column_existed_imports_with_its_default(
    domain: Domain,
) -> None:
    """Archives made before the languages came (issue 14) name no pitch's, attendee's or
    event's language; they import as an English event, and every column without a default is
    still required."""
    archive = await exported_and_removed(domain)
    del archive["event"]["languages"]
    for row in archive["pitches"] + archive["attendees"]:
        del row["language"]
    for row in archive["attendees"]:
        del row["first_time"]  # from before the first-timer question (issue 15)
    imported = await load(json.dumps(archive), domain.keys)
    again = await dump(imported.event)
    assert again["event"]["languages"] == ["en"]
    assert {row["language"] for row in again["pitches"] + again["attendees"]} == {""}
    assert {row["first_time"] for row in again["attendees"]} == {None}
    assert len(again["pitches"]) == len(archive["pitches"])
    await Event.filter(id=imported.event.id).delete()
    del archive["pitches"][0]["title"]
    with pytest.raises(Invalid, match=re.escape("'pitches.0' needs 'title'")):
        await load(json.dumps(archive), domain.keys)


async def test_a_server_holding_the_event_refuses_it(domain: Domain) -> None:
    rich = await rich_event(domain)
    archive = await dump(rich.event)
    with pytest.raises(Conflict, match=f"/e/{rich.event.slug}"):
        await load(json.dumps(archive), domain.keys)
    with pytest.raises(Conflict, match="imported into a server once"):
        await load(json.dumps(archive), domain.keys, "a-new-address")
    assert not await Event.exists(slug="a-new-address")


async def test_slot_ids_that_lead_nowhere_are_dropped(domain: Domain) -> None:
    archive = await exported_and_removed(domain)
    gone = max(s["id"] for s in archive["slots"]) + 1000
    archive["pitches"][0]["unavailable"].append(gone)
    imported = await load(json.dumps(archive), domain.keys)
    again = await dump(imported.event)
    assert again["pitches"][0]["unavailable"] == [again["slots"][0]["id"]]


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda a: a.update(format="zip"), "isn't a Snug event archive"),
        (lambda a: a.update(version=2), "made by a newer Snug"),
        (lambda a: a["dots"][0].update(pitch_id=999_999), "refers to pitches[id=999999]"),
        (lambda a: a["pitches"].append(a["pitches"][0]), "lists pitches[id="),
        (lambda a: a["attendees"][0].pop("token"), "'attendees.0' needs 'token'"),
        (lambda a: a["notes"][0].update(state="!!"), "isn't in the expected form"),
        (lambda a: a["notes"][0].update(state="Z2FyYmFnZQ=="), "holds notes Snug can't read"),
        (lambda a: a["dots"][0].update(placed_at="yesterday"), "ISO 8601"),
    ],
)
async def test_damaged_archives_are_refused_and_nothing_is_made(
    domain: Domain, damage: Any, says: str
) -> None:
    archive = await exported_and_removed(domain)
    events = await Event.all().count()
    damage(archive)
    with pytest.raises(Invalid, match=re.escape(says)):
        await load(json.dumps(archive), domain.keys)
    assert await Event.all().count() == events


async def test_checking_an_archive_has_a_time_limit(domain: Domain) -> None:
    """An archive that takes too long to check is refused in words, not checked for ever."""
    archive = json.dumps(await exported_and_removed(domain))
    assert read(archive)["format"] == "snug-event-archive"
    with pytest.raises(Invalid, match="took more than 0 seconds to check") as refused:
        read(archive, seconds=0)
    assert "snug import-event" in refused.value.message


async def test_notes_claiming_millions_of_writers_are_refused_unread(domain: Domain) -> None:
    archive = await exported_and_removed(domain)
    events = await Event.all().count()
    archive["notes"][0]["state"] = base64.b64encode(WRITERS_BOMB).decode("ascii")
    started = time.process_time()
    with pytest.raises(Invalid, match="holds notes Snug can't read"):
        await load(json.dumps(archive), domain.keys)
    took = time.process_time() - started
    # CPU time, this process's threads included: other work on the machine can't add to it.
    assert took < 0.2, f"{took:.2f} s CPU"  # pycrdt alone takes 0.3 to 1.4 s, and 538 MB
    assert await Event.all().count() == events
