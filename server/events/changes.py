"""The event's write log: every change, numbered per event, and the receipts of keyed writes.

Every screen, export and undo reads the same log, so it sits below every domain that writes."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.events.models import Event


class Change(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="changes", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    kind = fields.CharField(max_length=40)
    data: fields.Field[dict[str, Any]] = fields.JSONField()
    actor = fields.CharField(max_length=40)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "change"
        unique_together = (("event", "seq"),)
        ordering = ["seq"]

    def message(self) -> dict[str, Any]:
        return {"type": "change", "seq": self.seq, "kind": self.kind, "data": self.data}


class Receipt(Model):
    """The answer a keyed write got, so that sending it again doesn't do it twice.

    A double tap, or a retry after the wifi dropped, gets this answer back instead."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="receipts", on_delete=fields.CASCADE
    )
    actor = fields.CharField(max_length=40)
    key = fields.CharField(max_length=64)
    # Which request the key came with, so a key sent again with another change is caught.
    fingerprint = fields.CharField(max_length=64)
    # As text, not a JSON column: PostgreSQL's jsonb would reorder the keys of the answer.
    answer = fields.TextField()
    at = fields.DatetimeField(auto_now_add=True)

    event_id: int

    class Meta:
        table = "receipt"
        unique_together = (("event", "actor", "key"),)
        # A batch looks up its keys alone; the unique index, led by the actor, can't find them.
        indexes = (("event_id", "key"),)
