"""Importing an archive: every row made again with a new id and every reference rewritten to
match, in one transaction, so an import either brings the whole event or changes nothing.

Ids inside JSON fields are rewritten by name: the slots a room or a host can't use, the cells
of each undo step, and the photos a notes document shows. A notes document is rewritten with
an ordinary edit that swaps the photo ids, so it stays one CRDT history rather than a copy.
Such an id that leads nowhere (a slot removed after it was marked) is dropped, as it already
pointed at nothing. The change journal is kept as it was recorded, numbering and all: the
import moves the event's change number on, so no screen ever replays it.

An import makes a new event and nothing else: it never changes an event already here, and
whoever imports it owns it. The archive carries the keyed hashes of the links handed out;
attendees' links keep working if the new server has the same SECRET_KEY, so phones carry on,
but no link from the archive opens the event as staff: the importer gets a new organiser link
and hands out facilitator links anew.

Reading the archive (parsing, checking) takes seconds of pure Python for a large one, so it
runs in a process of its own; building rows runs in worker threads and only the database
writes run on the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from server.actions import links
from server.archive.tables import (
    FORMAT,
    TABLES,
    VERSION,
    Table,
    auto_now,
    decode,
    encode,
    place,
    with_later_columns,
)
from server.errors import Conflict, Invalid, Refused
from server.events.access import Keys
from server.events.models import Attendee, Event
from server.events.setup import RESERVED_SLUGS, check_times, free_join_code, slugify
from server.language import N_
from server.limits import SNAPSHOT_JUMP
from server.notes import document
from server.notes.document import NotesContent, PhotoRef
from server.notes.models import Notes, Photo
from server.notes.photos import cleaned
from server.validation import TooSlow, load_json, time_limit, validate
from server.workers import Busy, Processes

Ids = dict[str, dict[int, int]]  # table key -> archive id -> new id
TOKEN_BATCH = 500  # well under every database's limit on query parameters
# Checking an archive takes about 0.8 s a megabyte of pure Python. A small one is read on a
# thread, taking turns with the event loop for a few tens of milliseconds; a larger one in a
# process of its own.
READ_HERE = 100_000
# Rows sent back from the reading process at a time: unpickling is one call that holds the GIL
# throughout, so the tables come in pieces of a few milliseconds each.
PIECE = 500
# One archive at a time; the process is replaced after each, since reading a large archive
# leaves it holding hundreds of megabytes.
_readers = Processes(
    "archive",
    processes=1,
    waiting=1,
    busy=N_("Snug is reading another archive just now. Try again in a minute."),
    jobs_each=1,
)


@dataclass(frozen=True)
class Imported:
    event: Event
    organiser_secret: str
    join_code_kept: bool  # printed join QR codes still work


async def load(
    raw: bytes | str, keys: Keys, slug: str | None = None, *, seconds: float | None = None
) -> Imported:
    """Makes the archived event on this server as a new event, at ``slug`` if given, else at
    its own; reading the archive is refused after ``seconds``, if given."""
    archive = await _read(raw, seconds)
    address = _check_slug(slug) if slug else archive["event"]["slug"]
    archive = {**archive, "photos": [await _clean_photo(row) for row in archive["photos"]]}
    try:
        async with in_transaction():
            await _refuse_clashes(archive, address)
            return await _load(archive, keys, address)
    except IntegrityError:
        raise Conflict(
            N_(
                "The archive couldn't be imported: some of its rows clash with each other or "
                "with this server's data. Nothing was imported. The archive may be damaged or "
                "edited by hand."
            )
        ) from None


def read(raw: bytes | str, seconds: float | None = None) -> dict[str, Any]:
    """The archive, parsed and checked against schemas/archive.json."""
    archive: dict[str, Any] = load_json(raw)
    _check_format(archive)
    archive = with_later_columns(archive)
    try:
        with time_limit(seconds):
            validate("archive", archive)
    except TooSlow:
        raise Invalid(
            N_(
                "The archive took more than %(seconds)s seconds to check, so it wasn't "
                "imported. Import it with snug import-event on the server, which takes the "
                "time it needs."
            ),
            values={"seconds": f"{seconds:g}"},
        ) from None
    except Invalid as exc:
        raise Invalid(
            N_(
                "The archive doesn't hold what Snug expects: %(problem)s The archive may be "
                "damaged or edited by hand."
            ),
            values={"problem": exc},
        ) from None
    return archive


async def _read(raw: bytes | str, seconds: float | None) -> dict[str, Any]:
    if len(raw) < READ_HERE:
        return await asyncio.to_thread(read, raw, seconds)
    return await asyncio.to_thread(_unpacked, await _readers.run(read_packed, raw, seconds))


def read_packed(raw: bytes | str, seconds: float | None) -> dict[str, Any]:
    """``read`` in the reading process, each table's rows pickled PIECE at a time."""
    return {
        key: [pickle.dumps(value[i : i + PIECE]) for i in range(0, len(value), PIECE)]
        if isinstance(value, list)
        else value
        for key, value in read(raw, seconds).items()
    }


def _unpacked(packed: dict[str, Any]) -> dict[str, Any]:
    # The pieces come from the reading process, not from the archive's sender.
    return {
        key: [row for piece in value for row in pickle.loads(piece)]
        if isinstance(value, list)
        else value
        for key, value in packed.items()
    }


async def _clean_photo(row: dict[str, Any]) -> dict[str, Any]:
    """The archived photo as an upload would have kept it, or a refusal naming it, before
    anything is made: the file is the archive's word only, and may be anything."""
    where = place("photos", row["id"])
    data = decode(Photo, {"data": row["data"]}, where)["data"]
    try:
        photo = await cleaned(data, row["media_type"])
    except Busy:
        raise
    except Refused as exc:
        raise Invalid(
            N_(
                "The archive's %(row)s (captioned “%(caption)s”) isn't a photo Snug can keep: "
                "%(problem)s Nothing was imported."
            ),
            values={"row": where, "caption": row["caption"], "problem": exc},
        ) from None
    return {
        **row,
        "data": encode(Photo, {"data": photo.data})["data"],
        "media_type": photo.media_type,
        "width": photo.width,
        "height": photo.height,
    }


def _check_format(archive: Any) -> None:
    """Refuses anything but an archive this server reads, before any detail is checked."""
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise Invalid(
            N_(
                "This isn't a Snug event archive (its “format” should be “%(format)s”). "
                "Download the archive from the event's organiser page and import that file."
            ),
            values={"format": FORMAT},
        )
    version = archive.get("version")
    if version != VERSION:
        values = {"version": repr(version), "ours": VERSION}
        if isinstance(version, int) and version > VERSION:
            raise Invalid(
                N_(
                    "This archive is version %(version)s, made by a newer Snug; this server "
                    "reads version %(ours)s. Upgrade this server, then import it again."
                ),
                values=values,
            )
        raise Invalid(
            N_("This archive is version %(version)s; this server reads version %(ours)s."),
            values=values,
        )


def _check_slug(slug: str) -> str:
    if slugify(slug) != slug or not 3 <= len(slug) <= 40 or slug in RESERVED_SLUGS:
        reserved = ", ".join(sorted(RESERVED_SLUGS))
        raise Invalid(
            N_(
                "“%(slug)s” can't be an event's address: use 3 to 40 lower-case letters, "
                "digits and hyphens, not starting or ending with a hyphen, and not %(reserved)s."
            ),
            values={"slug": slug, "reserved": reserved},
        )
    return slug


async def _refuse_clashes(archive: dict[str, Any], slug: str) -> None:
    if await Event.exists(slug=slug):
        raise Conflict(
            N_(
                "This server already has an event at /e/%(slug)s. Import the archive at a new "
                "address: add ?slug=new-address to the import, or --slug on the command line."
            ),
            values={"slug": slug},
        )
    tokens = [a["token"] for a in archive["attendees"]]
    for start in range(0, len(tokens), TOKEN_BATCH):
        if await Attendee.exists(token__in=tokens[start : start + TOKEN_BATCH]):
            raise Conflict(
                N_(
                    "This server already holds the people of this archive: it has the event the "
                    "archive was made from, or an earlier import of it. An event can be imported "
                    "into a server once."
                )
            )


async def _load(archive: dict[str, Any], keys: Keys, slug: str) -> Imported:
    fields = decode(Event, _without_id(archive["event"]), "event")
    check_times(fields["timezone"], archive["slots"])  # the feeds read every slot in the zone
    secret, digest = keys.new()
    kept = not await Event.exists(join_code=fields["join_code"])
    fields.update(
        slug=slug,
        organiser_key=digest,
        facilitator_key=None,
        seq=fields["seq"] + SNAPSHOT_JUMP,
        series_id=None,  # an archive holds one event, not its series
    )
    if not kept:
        fields["join_code"] = await free_join_code()
    event = await Event.create(**fields)
    ids: Ids = {}
    for table in TABLES:
        # Releases came after the archive's first version; older archives have none.
        await _rows(table, archive.get(table.key, []), event, ids)
    await _photos_in_notes(archive["notes"], ids)
    await links.renew_all(event, keys)
    return Imported(event, secret, kept)


async def _rows(table: Table, rows: list[dict[str, Any]], event: Event, ids: Ids) -> None:
    made = ids.setdefault(table.key, {})
    owner = {} if table.through_notes else {"event_id": event.id}
    built, within = await asyncio.to_thread(_build, table, rows, ids)
    if table.bulk:
        batch = await asyncio.to_thread(lambda: [table.model(**owner, **v) for _, v in built])
        await table.model.bulk_create(batch, batch_size=500)
        made.update(dict.fromkeys((old for old, _ in built), 0))  # nothing refers to these
    else:
        for old, values in built:
            made[old] = await _create(table.model, {**owner, **values})
    for old, column, points_to in within:
        new = _new_id(ids, table.key, points_to, place(table.key, old))
        await table.model.filter(id=made[old]).update(**{column: new})


Within = list[tuple[int, str, int]]  # references inside a table, set once all its rows exist


def _build(
    table: Table, rows: list[dict[str, Any]], ids: Ids
) -> tuple[list[tuple[int, dict[str, Any]]], Within]:
    """Each row's values as its model takes them, referring to rows by their new ids."""
    built: list[tuple[int, dict[str, Any]]] = []
    seen: set[int] = set()
    within: Within = []
    for row in rows:
        old, where = row["id"], place(table.key, row["id"])
        if old in seen:
            raise Invalid(
                N_(
                    "The archive lists %(row)s twice. The archive may be damaged or edited by hand."
                ),
                values={"row": where},
            )
        seen.add(old)
        values = decode(table.model, _without_id(row), where)
        for column, target in table.refs.items():
            if values[column] is not None and target == table.key:
                within.append((old, column, values.pop(column)))
            elif values[column] is not None:
                values[column] = _new_id(ids, target, values[column], where)
        built.append((old, FIXES.get(table.key, _as_is)(values, ids)))
    return built, within


async def _create(model: type[Model], values: dict[str, Any]) -> int:
    row = await model.create(**values)
    restored = {name: values[name] for name in auto_now(model) if name in values}
    if restored:
        await model.filter(id=row.pk).update(**restored)
    return int(row.pk)


def _new_id(ids: Ids, table: str, old: int, where: str) -> int:
    try:
        return ids[table][old]
    except KeyError:
        raise Invalid(
            N_(
                "The archive's %(row)s refers to %(other)s, which the archive doesn't hold. The "
                "archive may be damaged or edited by hand."
            ),
            values={"row": where, "other": place(table, old)},
        ) from None


def _without_id(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}


def _as_is(values: dict[str, Any], _ids: Ids) -> dict[str, Any]:
    return values


def _known(ids: Ids, table: str, old: list[int]) -> list[int]:
    """The new ids of those that exist; the rest pointed at nothing before either."""
    return sorted(ids[table][i] for i in old if i in ids[table])


def _unavailable(values: dict[str, Any], ids: Ids) -> dict[str, Any]:
    return {**values, "unavailable": _known(ids, "slots", values["unavailable"])}


STEP_REFS = {"pitch_id": "pitches", "room_id": "rooms", "slot_id": "slots"}


def _step(values: dict[str, Any], ids: Ids) -> dict[str, Any]:
    cells = [
        {**cell, **{k: ids[t][cell[k]] for k, t in STEP_REFS.items()}}
        for cell in values["placements"]
        if all(cell[k] in ids[t] for k, t in STEP_REFS.items())
    ]
    return {**values, "placements": cells}


def _photo_refs(ids: Ids, photos: tuple[PhotoRef, ...]) -> tuple[PhotoRef, ...]:
    new = ids["photos"]
    return tuple(PhotoRef(new[p.id], p.caption) for p in photos if p.id in new)


def _content(content: dict[str, Any], ids: Ids) -> dict[str, Any]:
    if not content.get("photos"):
        return content
    read = NotesContent.from_json(content)
    photos = _photo_refs(ids, read.photos)
    return {**content, "photos": [{"id": p.id, "caption": p.caption} for p in photos]}


def _version(values: dict[str, Any], ids: Ids) -> dict[str, Any]:
    return {**values, "content": _content(values["content"], ids)}


def _unlinked(values: dict[str, Any], _ids: Ids) -> dict[str, Any]:
    """An action with no link yet: each is given a new one once the event is in."""
    return {**values, "link_salt": "", "link_key": ""}


FIXES: dict[str, Callable[[dict[str, Any], Ids], dict[str, Any]]] = {
    "actions": _unlinked,
    "rooms": _unavailable,
    "pitches": _unavailable,
    "grid_steps": _step,
    "grid_releases": _step,
    "notes_versions": _version,
}


async def _photos_in_notes(rows: list[dict[str, Any]], ids: Ids) -> None:
    """Photos are made after their notes, so the notes learn the photos' new ids last."""
    for row in rows:
        where = place("notes", row["id"])
        state = decode(Notes, {"state": row["state"]}, where)["state"]
        try:
            doc = document.load_sent(state)
            now = document.read(doc)
        except Invalid:
            raise Invalid(
                N_(
                    "The archive's %(row)s holds notes Snug can't read. The archive may be "
                    "damaged or edited by hand."
                ),
                values={"row": where},
            ) from None
        if now.photos:
            now = dataclasses.replace(now, photos=_photo_refs(ids, now.photos))
            document.write(doc, now)
            state = document.diff(doc, None)
        # What write-ups read is made from the document itself, not taken from the archive.
        notes_id = ids["notes"][row["id"]]
        content = now.as_json()
        await Notes.filter(id=notes_id).update(state=state, content=content, chars=now.chars)
