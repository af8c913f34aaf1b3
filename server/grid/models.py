"""The grid: sessions placed in rooms and slots, as drafted and as published."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.events.models import Attendee, Event, Room, Slot
from server.marketplace.models import Pitch


class Placement(Model):
    """A session in a cell of the working grid that facilitators edit."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="placements", on_delete=fields.CASCADE
    )
    pitch: fields.OneToOneRelation[Pitch] = fields.OneToOneField(
        "snug.Pitch", related_name="placement", on_delete=fields.CASCADE
    )
    room: fields.ForeignKeyRelation[Room] = fields.ForeignKeyField(
        "snug.Room", related_name="placements", on_delete=fields.CASCADE
    )
    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "snug.Slot", related_name="placements", on_delete=fields.CASCADE
    )
    locked = fields.BooleanField(default=False)

    pitch_id: int
    room_id: int
    slot_id: int

    class Meta:
        table = "placement"
        indexes = (("event_id",),)
        unique_together = (("room", "slot"),)


class PublishedPlacement(Model):
    """Where attendees are told a session is. Kept when a session is dropped (room and slot
    empty, cancelled), so calendar feeds can say it was cancelled. The sequence counts its moves."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="published", on_delete=fields.CASCADE
    )
    pitch: fields.OneToOneRelation[Pitch] = fields.OneToOneField(
        "snug.Pitch", related_name="published", on_delete=fields.CASCADE
    )
    room: fields.ForeignKeyNullableRelation[Room] = fields.ForeignKeyField(
        "snug.Room", related_name="published", null=True, on_delete=fields.SET_NULL
    )
    slot: fields.ForeignKeyNullableRelation[Slot] = fields.ForeignKeyField(
        "snug.Slot", related_name="published", null=True, on_delete=fields.SET_NULL
    )
    sequence = fields.IntField(default=0)
    modified_at = fields.DatetimeField(auto_now=True)

    pitch_id: int
    room_id: int | None
    slot_id: int | None

    class Meta:
        table = "published_placement"
        indexes = (("event_id",),)


class GridStep(Model):
    """The working grid as it was before one edit, so facilitators can undo."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="grid_steps", on_delete=fields.CASCADE
    )
    what = fields.CharField(max_length=120)
    placements: fields.Field[list[dict[str, Any]]] = fields.JSONField()
    # An edit of the rooms or slots keeps those it changed as they were, ids and all, so
    # undoing a removal brings the room back with its sessions (server/grid/venue.py).
    venue: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "grid_step"
        indexes = (("event_id",),)
        ordering = ["id"]


class GridRelease(Model):
    """One numbered release of the grid, kept for its history, comparing and rolling back.

    It holds what attendees were shown from then on. An unpublish is a release too, holding
    the grid as it was when it was taken down."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="grid_releases", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    kind = fields.CharField(max_length=20)  # publish, rollback or unpublish
    source = fields.IntField(null=True)  # the release a rollback went back to
    placements: fields.Field[list[dict[str, Any]]] = fields.JSONField()
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "grid_release"
        unique_together = (("event", "number"),)
        ordering = ["number"]


class AgendaChoice(Model):
    """The choice an attendee made for a slot. Without one, the agenda is filled from votes.

    (Model docstrings become SQL table comments, and Tortoise splits SQLite scripts at
    semicolons and does not escape quotes, so these docstrings avoid both.)"""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="agenda_choices", on_delete=fields.CASCADE
    )
    attendee: fields.ForeignKeyRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="agenda", on_delete=fields.CASCADE
    )
    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "snug.Slot", related_name="choices", on_delete=fields.CASCADE
    )
    pitch: fields.ForeignKeyNullableRelation[Pitch] = fields.ForeignKeyField(
        "snug.Pitch", related_name="choices", null=True, on_delete=fields.CASCADE
    )

    attendee_id: int
    slot_id: int
    pitch_id: int | None

    class Meta:
        table = "agenda_choice"
        indexes = (("event_id",),)
        unique_together = (("attendee", "slot"),)


class SeatClaim(Model):
    """An attendee asking for a seat in a session whose room is small. Seated claims hold a
    seat, the others wait in the order they were made. At most one claim per attendee per slot,
    and the session claimed is the one on their agenda for that slot."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="seat_claims", on_delete=fields.CASCADE
    )
    attendee: fields.ForeignKeyRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="seat_claims", on_delete=fields.CASCADE
    )
    pitch: fields.ForeignKeyRelation[Pitch] = fields.ForeignKeyField(
        "snug.Pitch", related_name="seat_claims", on_delete=fields.CASCADE
    )
    claimed_at = fields.DatetimeField(auto_now_add=True)
    seated = fields.BooleanField(default=False, db_default=False)
    # Seated from the waiting list when a place came free: their page tells them so.
    promoted = fields.BooleanField(default=False, db_default=False)

    attendee_id: int
    pitch_id: int

    class Meta:
        table = "seat_claim"
        indexes = (("event_id",),)
        unique_together = (("attendee", "pitch"),)
