"""The per-event change log that keeps every screen in step."""

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
