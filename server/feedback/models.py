"""Feedback on sessions: what was said, and, apart from it, who has said something.

The two tables share nothing a join could use: a feedback row names its session and what was
said, never a person nor a time; a marker is a keyed hash of the person and the session (made
with the server's secret key, so a copy of the database alone can't tell whose it is), with no
session, answer or time beside it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.events.models import Event
from server.marketplace.models import Pitch

USEFUL, NOT_FOR_ME = "useful", "not_for_me"
ANSWERS = (USEFUL, NOT_FOR_ME)
COMMENT_LIMIT = 280  # as schemas/feedback-give.json says


class Feedback(Model):
    """One person's word on a session they went to, with no trace of who."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="feedback", on_delete=fields.CASCADE
    )
    pitch: fields.ForeignKeyRelation[Pitch] = fields.ForeignKeyField(
        "snug.Pitch", related_name="feedback", on_delete=fields.CASCADE
    )
    answer = fields.CharField(max_length=12)  # useful or not_for_me
    comment = fields.CharField(max_length=COMMENT_LIMIT, default="")

    pitch_id: int

    class Meta:
        table = "feedback"
        indexes = (("event_id",),)


class FeedbackGiven(Model):
    """That someone gave feedback on a session, so they give it once: a keyed hash of the two."""

    # The marker is the key: a running number would put markers and feedback rows, made
    # together, in the same order, and so pair them up.
    marker = fields.CharField(max_length=64, primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="feedback_given", on_delete=fields.CASCADE
    )

    class Meta:
        table = "feedback_given"
        indexes = (("event_id",),)
