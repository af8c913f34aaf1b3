"""The event, its venue (rooms and slots) and the people who join it."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Event(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=40, unique=True)
    join_code = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=120)
    date = fields.DateField()
    timezone = fields.CharField(max_length=64)
    venue = fields.CharField(max_length=120, default="")
    organiser_key = fields.CharField(max_length=64)
    facilitator_key = fields.CharField(max_length=64, null=True)
    pitching_open = fields.BooleanField(default=True)
    voting_open = fields.BooleanField(default=False)
    dots_per_attendee = fields.IntField(default=3)
    dots_stack = fields.BooleanField(default=False)
    # The number of the last Change recorded for this event; bumped inside each change's
    # transaction, so the row lock orders concurrent writers and seq has no gaps.
    seq = fields.IntField(default=0)
    # Fields added after the first release carry a database default too, so that migrating
    # a database with rows in it can fill them in.
    # Each grid edit says which version it was made against; a stale one is refused.
    grid_version = fields.IntField(default=0, db_default=0)
    # Once the grid is first published, every edit goes live at once.
    grid_live = fields.BooleanField(default=False, db_default=False)
    # Proceedings are private until the organiser publishes them at their public link.
    proceedings_published = fields.BooleanField(default=False, db_default=False)
    # The organiser may keep running totals from everyone but staff while voting runs, so
    # early counts don't sway later votes (a bandwagon), and reveal them when they choose.
    totals_hidden = fields.BooleanField(default=False, db_default=False)
    # The languages the event is held in, Welsh before English as Welsh public bodies order
    # them: what its shared screens and posters show, and what its people choose between.
    # The database's own default is [] because Tortoise writes a list with a string in it as
    # a default PostgreSQL can't read; events made before this field are set to ["en"] by
    # migration 0011, and every event made since gets the default here.
    languages: fields.Field[list[str]] = fields.JSONField(default=lambda: ["en"], db_default=[])
    # Set once the organiser has erased attendees' names, tokens and devices after the event.
    personal_data_erased_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The events run again one from another (server/series/); none until the first is.
    series: fields.ForeignKeyNullableRelation[Series] = fields.ForeignKeyField(
        "snug.Series", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    series_id: int | None

    rooms: fields.ReverseRelation[Room]
    slots: fields.ReverseRelation[Slot]

    class Meta:
        table = "event"


class Series(Model):
    """Events run again one from another, which the series page lists by date.

    A row of its own, so that deleting one event leaves the others of its series together."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    events: fields.ReverseRelation[Event]

    class Meta:
        table = "series"


class Room(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="rooms", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=80)
    capacity = fields.IntField()
    features: fields.Field[list[str]] = fields.JSONField(default=list)
    position = fields.IntField(default=0)
    # Slot ids in which the room can't be used (the auditorium during the opening plenary).
    unavailable: fields.Field[list[int]] = fields.JSONField(default=list, db_default=[])

    class Meta:
        table = "room"
        indexes = (("event_id",),)
        ordering = ["position", "id"]


class Slot(Model):
    """A block of time. Times are wall-clock in the event's time zone ("2026-11-23T09:30"),
    which keeps what the organiser typed exact across daylight-saving changes."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="slots", on_delete=fields.CASCADE
    )
    starts_at = fields.CharField(max_length=16)
    ends_at = fields.CharField(max_length=16)
    label = fields.CharField(max_length=80, default="")
    kind = fields.CharField(
        max_length=10, default="session", db_default="session"
    )  # session, break or plenary

    class Meta:
        table = "slot"
        indexes = (("event_id",),)
        ordering = ["starts_at", "id"]


class Attendee(Model):
    """Someone who joined from a phone. No account: a device token is the identity."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "snug.Event", related_name="attendees", on_delete=fields.CASCADE
    )
    token = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=60, default="")
    joined_at = fields.DatetimeField(auto_now_add=True)
    # The personal calendar feed has a read-only secret of its own, worked out again from the
    # attendee's token and this salt whenever they ask for it, so it is stored nowhere; the
    # keyed hash finds them when their calendar app asks. No salt: no feed.
    feed_salt = fields.CharField(max_length=32, null=True)
    feed_key = fields.CharField(max_length=64, null=True, unique=True)
    # The language their pages were last drawn in (a code; "" until then), so their calendar
    # feed, which their calendar app fetches without their cookie, speaks it too.
    language = fields.CharField(max_length=9, default="", db_default="")
    # Their answer to "Is this your first unconference?" when they joined: "yes", "no" or
    # "unsaid" (rather not say); None when they left it, for the organiser's report.
    first_time = fields.CharField(max_length=6, null=True)

    class Meta:
        table = "attendee"
        indexes = (("event_id",),)
