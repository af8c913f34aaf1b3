"""Pitches and the dots placed on them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.events.models import Attendee, Event
from server.language import N_

# The kinds of session a pitch can be, with the name people read for each.
# Said in the language being spoken where shown: gettext(FORMAT_NAMES[format]).
FORMAT_NAMES = {
    "discussion": N_("Discussion"),
    "workshop": N_("Workshop"),
    "demo": N_("Demo"),
    "talk": N_("Talk"),
    "question": N_("Question"),
    "other": N_("Other"),
}
FORMATS = tuple(FORMAT_NAMES)
BILINGUAL = "bilingual"


class Pitch(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="pitches", on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=120)
    pitch = fields.CharField(max_length=280, default="")
    host = fields.CharField(max_length=80, default="")
    format = fields.CharField(max_length=20, default="discussion")
    # The language the session will be held in: one of the event's, "bilingual", or "" when
    # the pitch doesn't say.
    language = fields.CharField(max_length=9, default="", db_default="")
    tags: fields.Field[list[str]] = fields.JSONField(default=list)
    author: fields.ForeignKeyNullableRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="pitches", null=True, on_delete=fields.SET_NULL
    )
    # Slot ids in which the host can't run the session.
    unavailable: fields.Field[list[int]] = fields.JSONField(default=list, db_default=[])
    hidden = fields.BooleanField(default=False)
    merged_into: fields.ForeignKeyNullableRelation[Pitch] = fields.ForeignKeyField(
        "snug.Pitch", related_name="merged", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    event_id: int
    author_id: int | None
    merged_into_id: int | None

    class Meta:
        table = "pitch"
        indexes = (("event_id",),)
        ordering = ["id"]


class Dot(Model):
    """One vote. It also says "I want to be there", which allocation works from."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="dots", on_delete=fields.CASCADE
    )
    attendee: fields.ForeignKeyRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="dots", on_delete=fields.CASCADE
    )
    pitch: fields.ForeignKeyRelation[Pitch] = fields.ForeignKeyField(
        "snug.Pitch", related_name="dots", on_delete=fields.CASCADE
    )
    placed_at = fields.DatetimeField(auto_now_add=True)

    event_id: int
    attendee_id: int
    pitch_id: int

    class Meta:
        table = "dot"
        ordering = ["id"]
        # A vote reads its voter's dots and counts its pitch's, neither by scanning every event's.
        indexes = (("event_id", "attendee_id"), ("event_id", "pitch_id"))
