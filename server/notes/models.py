"""The notes of each session: the CRDT document, the updates it is made of, versions, photos.

Model docstrings become SQL table comments, so they avoid semicolons and apostrophes.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.events.models import Attendee, Event
from server.marketplace.models import Pitch


class Notes(Model):
    """The notes of one session. The document is the merge of state and every later update."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="notes", on_delete=fields.CASCADE
    )
    pitch: fields.OneToOneRelation[Pitch] = fields.OneToOneField(
        "snug.Pitch", related_name="notes", on_delete=fields.CASCADE
    )
    # Every update up to and including this id is merged into `state` and no longer stored alone.
    state = fields.BinaryField()
    compacted_to = fields.IntField(default=0)
    # The plain text of each part as of the last update, so that write-ups, proceedings and
    # exports read notes without decoding the CRDT document.
    content: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    chars = fields.IntField(default=0)
    final = fields.BooleanField(default=False)
    final_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    event_id: int
    pitch_id: int

    class Meta:
        table = "notes"
        indexes = (("event_id",),)


class NotesUpdate(Model):
    """One acknowledged change to a notes document, as the CRDT encodes it."""

    id = fields.IntField(primary_key=True)
    notes: fields.ForeignKeyRelation[Notes] = fields.ForeignKeyField(
        "snug.Notes", related_name="updates", on_delete=fields.CASCADE
    )
    data = fields.BinaryField()
    attendee: fields.ForeignKeyNullableRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="notes_updates", null=True, on_delete=fields.SET_NULL
    )
    at = fields.DatetimeField(auto_now_add=True)

    notes_id: int

    class Meta:
        table = "notes_update"
        indexes = (("notes_id",),)
        ordering = ["id"]


class NotesVersion(Model):
    """A saved earlier version that people can look at and restore."""

    id = fields.IntField(primary_key=True)
    notes: fields.ForeignKeyRelation[Notes] = fields.ForeignKeyField(
        "snug.Notes", related_name="versions", on_delete=fields.CASCADE
    )
    content: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    chars = fields.IntField(default=0)
    reason = fields.CharField(
        max_length=20, default="saved"
    )  # saved (after a pause), final, before restore
    at = fields.DatetimeField(auto_now_add=True)

    notes_id: int

    class Meta:
        table = "notes_version"
        indexes = (("notes_id",),)
        ordering = ["-id"]


class Contributor(Model):
    """Someone who wrote in the notes, or said before writing whether to show their name."""

    id = fields.IntField(primary_key=True)
    notes: fields.ForeignKeyRelation[Notes] = fields.ForeignKeyField(
        "snug.Notes", related_name="contributors", on_delete=fields.CASCADE
    )
    attendee: fields.ForeignKeyRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="contributions", on_delete=fields.CASCADE
    )
    named = fields.BooleanField(default=False)
    wrote = fields.BooleanField(default=True)
    first_at = fields.DatetimeField(auto_now_add=True)

    notes_id: int
    attendee_id: int

    class Meta:
        table = "notes_contributor"
        unique_together = (("notes", "attendee"),)
        ordering = ["id"]


class Photo(Model):
    """A photo of a flipchart, re-encoded without its metadata before it was stored."""

    id = fields.IntField(primary_key=True)
    notes: fields.ForeignKeyRelation[Notes] = fields.ForeignKeyField(
        "snug.Notes", related_name="photos", on_delete=fields.CASCADE
    )
    # Part of the photo address, so that a photo can be shown by an img tag and still not be
    # found by counting.
    key = fields.CharField(max_length=32)
    data = fields.BinaryField()
    media_type = fields.CharField(max_length=20)
    width = fields.IntField()
    height = fields.IntField()
    caption = fields.CharField(max_length=200, default="")
    attendee: fields.ForeignKeyNullableRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="photos", null=True, on_delete=fields.SET_NULL
    )
    at = fields.DatetimeField(auto_now_add=True)

    notes_id: int

    class Meta:
        table = "notes_photo"
        indexes = (("notes_id",),)
        ordering = ["id"]
