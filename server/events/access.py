"""Who is asking: organiser, facilitator, attendee or the public.

Every link handed out carries a random secret; the database keeps only a keyed hash of it, so
a copy of the database alone opens nothing.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from server.errors import Conflict, Forbidden, Unauthorised
from server.events.models import Attendee, Event
from server.events.together import Gathered
from server.language import N_

GATHER_MOST = 400  # keys in one lookup of attendees, well inside every database's parameters


class Role(enum.IntEnum):
    """Ordered so that a role can do whatever the roles below it can."""

    public = 0
    attendee = 1
    facilitator = 2
    organiser = 3


@dataclass(frozen=True)
class Actor:
    role: Role
    attendee: Attendee | None = None
    snug: bool = False  # Snug itself, following up on what people did

    @property
    def label(self) -> str:
        """How the change log names who did something, without naming a person."""
        if self.attendee is not None:
            return f"attendee:{self.attendee.id}"
        return "snug" if self.snug else self.role.name

    def require(self, role: Role) -> None:
        if self.role < role:
            raise Forbidden(_NEEDS[role])

    def as_attendee(self) -> Attendee:
        """The attendee behind this actor; organisers and facilitators have none."""
        self.require(Role.attendee)
        if self.attendee is None:
            raise Conflict(
                N_(
                    "Only attendees have a name, dots and an agenda here; "
                    "open the join link on your phone to take part yourself."
                )
            )
        return self.attendee

    @property
    def is_staff(self) -> bool:
        return self.role >= Role.facilitator


_NEEDS = {
    Role.attendee: N_("Join the event first: open the join link on this device."),
    Role.facilitator: N_("Only the event's facilitators and organisers can do that."),
    Role.organiser: N_("Only the event's organisers can do that."),
}

PUBLIC = Actor(Role.public)
SNUG = Actor(Role.organiser, snug=True)  # the follow-ups Snug records after people's changes


class Keys:
    """Makes secrets and the keyed hashes that are stored in their place."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()
        self._attendees = Gathered(_attendees_by_key, most=GATHER_MOST)

    def new(self) -> tuple[str, str]:
        """A fresh secret for a link, and the digest to store."""
        secret = secrets.token_urlsafe(24)
        return secret, self.digest(secret)

    def digest(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).hexdigest()

    def feed_secret(self, token: str, salt: str) -> str:
        """A calendar feed's secret, made from the attendee's token and the feed's salt: only
        the attendee's device can work it out, and a new salt makes a different one."""
        mac = hmac.new(self._key, f"feed\0{salt}\0{token}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:24]).decode()

    def marker(self, purpose: str, *parts: int) -> str:
        """A keyed hash of ``parts`` for ``purpose``: the same parts always make the same
        marker, which can't be worked back to them without the server's key."""
        said = "\0".join([purpose, *map(str, parts)])
        return hmac.new(self._key, said.encode(), hashlib.sha256).hexdigest()

    def link_secret(self, purpose: str, salt: str) -> str:
        """A private link's secret, worked out from a salt kept on its row (an action's update
        link): the page can show it again, yet the database alone, without this key, opens
        nothing; only the secret's keyed hash is stored to find the row."""
        mac = hmac.new(self._key, f"{purpose}\0{salt}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:24]).decode()

    async def identify(self, event: Event, secret: str | None) -> Actor:
        """The actor a secret stands for at this event; no secret means the public."""
        if not secret:
            return PUBLIC
        digest = self.digest(secret)
        if hmac.compare_digest(digest, event.organiser_key):
            return Actor(Role.organiser)
        if event.facilitator_key and hmac.compare_digest(digest, event.facilitator_key):
            return Actor(Role.facilitator)
        attendee = await self._attendees.get((event.id, digest))
        if attendee is None:
            raise Unauthorised(NOT_RECOGNISED)
        return Actor(Role.attendee, attendee)


NOT_RECOGNISED = N_(
    "This link or device isn't recognised for this event. "
    "Open the event's join link again to take part."
)


async def _attendees_by_key(keys: list[tuple[int, str]]) -> dict[tuple[int, str], Attendee]:
    """The attendees with these (event id, key digest) pairs: one query per event."""
    by_event: dict[int, list[str]] = {}
    for event_id, digest in keys:
        by_event.setdefault(event_id, []).append(digest)
    found = {}
    for event_id, digests in by_event.items():
        for attendee in await Attendee.filter(event_id=event_id, token__in=digests):
            found[event_id, attendee.token] = attendee
    return found
