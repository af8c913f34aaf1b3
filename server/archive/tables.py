"""What an archive holds: the event's tables in the order an import makes them, and how values
are written as JSON (times as ISO 8601 with their offset, binary data as base64).

The columns and the references between tables are read from the models, so a field added to a
model is archived without anyone remembering to; ids held inside JSON fields are the exception,
and the import rewrites those by name (see load.py).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise import fields
from tortoise.fields.relational import ForeignKeyFieldInstance
from tortoise.models import Model

from server.actions.models import ActionItem
from server.errors import Invalid
from server.events.changes import Change
from server.events.models import Attendee, Event, Room, Slot
from server.feedback.models import Feedback
from server.grid.models import (
    AgendaChoice,
    GridRelease,
    GridStep,
    Placement,
    PublishedPlacement,
    SeatClaim,
)
from server.language import N_
from server.marketplace.models import Dot, Pitch
from server.notes.models import Contributor, Notes, NotesVersion, Photo
from server.validation import schema

FORMAT = "snug-event-archive"
VERSION = 1
# Columns that mean nothing on another server: the event link is the archive itself, a notes
# row's compaction mark counts update rows that the archive merges into the notes' state, and an
# attendee's calendar feed link is theirs to make again (a copy would open it in two places).
IMPLIED = ("event_id", "compacted_to", "feed_salt", "feed_key")


@dataclass(frozen=True)
class Table:
    key: str  # the table's name in the archive
    model: type[Model]
    through_notes: bool = False  # its rows belong to the event through their notes
    # Rows nothing else refers to, and with no time the database sets itself, can be inserted
    # together: nobody needs their new ids.
    bulk: bool = False
    # Columns of this table left out: an undo step's rooms and slots as they were may name
    # rooms gone before the archive was made, which would have no new id (undoing such a step
    # after an import restores its placements alone).
    leaves_out: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        """The filter that finds the event's rows."""
        return "notes__event_id" if self.through_notes else "event_id"

    @property
    def columns(self) -> list[str]:
        projection = self.model._meta.fields_db_projection
        return [
            c for c in projection if c != "id" and c not in IMPLIED and c not in self.leaves_out
        ]

    @property
    def refs(self) -> dict[str, str]:
        """Each column that holds another row's id, with the key of that row's table."""
        meta = self.model._meta
        found = {}
        for name in sorted(meta.fk_fields | meta.o2o_fields):
            relation = meta.fields_map[name]
            assert isinstance(relation, ForeignKeyFieldInstance)  # one-to-one ones are too
            if relation.source_field not in IMPLIED:
                found[str(relation.source_field)] = key_of(relation.related_model)
        return found


TABLES = (
    Table("slots", Slot),
    Table("rooms", Room),
    Table("attendees", Attendee),
    Table("pitches", Pitch),
    Table("dots", Dot, bulk=True),
    Table("placements", Placement, bulk=True),
    Table("published_placements", PublishedPlacement),
    Table("grid_steps", GridStep, bulk=True, leaves_out=("venue",)),
    Table("grid_releases", GridRelease, bulk=True),
    Table("agenda_choices", AgendaChoice, bulk=True),
    Table("seat_claims", SeatClaim, bulk=True),
    Table("feedback", Feedback, bulk=True),
    Table("changes", Change, bulk=True),
    Table("notes", Notes),
    Table("photos", Photo, through_notes=True),
    Table("notes_versions", NotesVersion, through_notes=True, bulk=True),
    Table("contributors", Contributor, through_notes=True, bulk=True),
    # An action's private link is its owner's to be given again: a copy would open it in two
    # places (server/archive/load.py makes each a new one). The address an owner gave for a
    # reminder was given to this server alone, so it stays here (and its reminder with it).
    Table("actions", ActionItem, leaves_out=("link_salt", "link_key", "email", "reminded_due")),
)


# Columns added to Snug since archive version 1, which older archives leave out: they import
# with each column's default (an event from before the languages came is English).
LATER_COLUMNS = {
    "event": ("languages",),
    "pitches": ("language",),
    "attendees": ("language", "first_time"),
}


def with_later_columns(archive: dict[str, Any]) -> dict[str, Any]:
    """The archive, its rows given the LATER_COLUMNS they leave out, in place: only tables
    within their schema's length and rows that are objects, so that a hostile archive costs
    nothing more here than it does the schema, which refuses it next."""
    longest = schema("archive")["properties"]
    for key, columns in LATER_COLUMNS.items():
        model = Event if key == "event" else next(t.model for t in TABLES if t.key == key)
        found = archive.get(key)
        rows = [found] if key == "event" else found
        if not isinstance(rows, list) or len(rows) > longest[key].get("maxItems", 1):
            continue
        for row in rows:
            for column in columns if isinstance(row, dict) else ():
                if column not in row:
                    field = model._meta.fields_map[column]
                    value = field.default() if callable(field.default) else field.default
                    row[column] = _encode(field, value)
    return archive


def key_of(model: type[Model]) -> str:
    for table in TABLES:
        if table.model is model:
            return table.key
    raise LookupError(f"{model.__name__} is not archived")


def encode(model: type[Model], row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON values."""
    return {name: _encode(model._meta.fields_map[name], value) for name, value in row.items()}


def place(table: str, row_id: int) -> str:
    """Where a row is in the archive, as refusals name it: ``photos[id=3]``, written as the
    archive's JSON says it in every language."""
    return f"{table}[id={row_id}]"


def decode(model: type[Model], row: dict[str, Any], where: str) -> dict[str, Any]:
    """A row's values as the model takes them; ``where`` names the row in refusals."""
    return {
        name: _decode(model._meta.fields_map[name], value, f"{where}.{name}")
        for name, value in row.items()
    }


def auto_now(model: type[Model]) -> list[str]:
    """Times the database sets on every save, which an import puts back afterwards."""
    return [
        name
        for name, field in model._meta.fields_map.items()
        if isinstance(field, fields.DatetimeField) and field.auto_now
    ]


def _encode(field: fields.Field[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, fields.DatetimeField | fields.DateField):
        return value.isoformat()
    if isinstance(field, fields.BinaryField):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode(field: fields.Field[Any], value: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        if isinstance(field, fields.DatetimeField):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("no offset")
            return moment
        if isinstance(field, fields.DateField):
            return dt.date.fromisoformat(value)
        if isinstance(field, fields.BinaryField):
            return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise Invalid(
            N_(
                "The archive's %(field)s isn't readable: times must be ISO 8601 with their "
                "offset, binary data base64. The archive may be damaged."
            ),
            values={"field": where},
        ) from None
    return value
