"""Actions written in session notes, kept as rows so they can be followed up after the day.

Model docstrings become SQL table comments, so they avoid semicolons and apostrophes.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.events.models import Attendee, Event
from server.marketplace.models import Pitch

STATUSES = ("open", "started", "done", "dropped")


class ActionItem(Model):
    """One action from a session notes, with its status and the keyed hash of its update link."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="actions", on_delete=fields.CASCADE
    )
    pitch: fields.ForeignKeyRelation[Pitch] = fields.ForeignKeyField(
        "snug.Pitch", related_name="actions", on_delete=fields.CASCADE
    )
    # The action's identity in the notes document (server/notes/document.py), so editing its
    # words changes this row rather than making another.
    key = fields.CharField(max_length=32)
    what = fields.TextField()
    owner = fields.CharField(max_length=200, default="")
    due = fields.DateField(null=True)
    status = fields.CharField(max_length=10, default="open")
    status_at = fields.DatetimeField(null=True)  # when its status last changed, if ever
    # Taken out of the notes after its status changed: kept, and shown as taken out.
    removed = fields.BooleanField(default=False)
    # The owner's update link: its secret is worked out from this salt (Keys.action_secret),
    # so the board can show it again to organisers; only its keyed hash finds the row.
    # The person who took it onto their own event page from its private link (and may update
    # it there); none until someone does, and none again once personal data is erased.
    attendee: fields.ForeignKeyNullableRelation[Attendee] = fields.ForeignKeyField(
        "snug.Attendee", related_name="actions_taken", null=True, on_delete=fields.SET_NULL
    )
    link_salt = fields.CharField(max_length=32)
    link_key = fields.CharField(max_length=64, db_index=True)
    # The owner's address for a reminder before the due date, given on their action's page
    # (server/actions/reminders.py), and the due date the reminder was sent for: once each.
    email = fields.CharField(max_length=254, default="")
    reminded_due = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    event_id: int
    pitch_id: int
    attendee_id: int | None

    class Meta:
        table = "action_item"
        indexes = (("event_id",),)
        unique_together = (("pitch", "key"),)
        ordering = ["id"]
