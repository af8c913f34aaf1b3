"""Webhook endpoints an organiser adds to an event, and the deliveries Snug owes them.

Pending deliveries live in the database, not in memory, so a restart (or another process)
carries on where the last one stopped (server/webhooks/delivery.py)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.events.models import Event


class WebhookEndpoint(Model):
    """Where to tell another tool of an event's news, and which news it wants.

    No secret is stored: the signing secret is worked out from SECRET_KEY and ``nonce``
    (server/webhooks/signing.py), so a copy of the database signs nothing."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="webhook_endpoints", on_delete=fields.CASCADE
    )
    url = fields.CharField(max_length=2000)
    kinds: fields.Field[list[str]] = fields.JSONField()
    format = fields.CharField(max_length=10)  # snug, slack, teams or matrix
    nonce = fields.CharField(max_length=32)
    # The last change of the event this endpoint has been considered for, and whether the
    # proceedings were published as of it (so publishing them is told once, not every edit).
    seen_seq = fields.IntField()
    proceedings_seen = fields.BooleanField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_endpoint"
        indexes = (("event_id",),)


class WebhookDelivery(Model):
    """One message owed to one endpoint, with its body as it will be sent every attempt."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="webhook_deliveries", on_delete=fields.CASCADE
    )
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "snug.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    delivery_id = fields.CharField(max_length=36, unique=True)  # told to the receiver
    kind = fields.CharField(max_length=40)
    body = fields.TextField()
    state = fields.CharField(max_length=10, default="pending")  # pending, delivered, failed
    attempts = fields.IntField(default=0)
    next_at = fields.DatetimeField()
    # A process sending it holds it until then, so two processes never send it at once.
    leased_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_delivery"
        indexes = (("state", "next_at"), ("event_id",))


class WebhookAttempt(Model):
    """One try at a delivery, for the organiser's delivery log: never the secret or the URL."""

    id = fields.IntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "snug.WebhookDelivery", related_name="tries", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    status = fields.IntField(null=True)  # the HTTP status, if an answer came
    error = fields.CharField(max_length=200, default="")
    took_ms = fields.IntField()

    class Meta:
        table = "webhook_attempt"
        ordering = ["id"]
