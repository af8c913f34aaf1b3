"""Refusals the domain raises; transports turn them into problem+json or an error message."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A request that breaks a rule. The message is a sentence for a person."""

    status = 422
    title = "That can't be done"

    def __init__(self, message: str, **extensions: Any) -> None:
        """``extensions``: more for a program to act on, sent as members of the problem."""
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class Invalid(Refused):
    status = 422
    title = "Some of what was sent isn't valid"


class BadRequest(Refused):
    """The address itself is wrong: a query parameter out of its range, or of no known kind."""

    status = 400
    title = "Something in the address isn't valid"


class NotFound(Refused):
    status = 404
    title = "Not found"


class Unauthorised(Refused):
    status = 401
    title = "Link not recognised"


class Forbidden(Refused):
    status = 403
    title = "Not allowed"


class Conflict(Refused):
    status = 409
    title = "Not possible right now"


class Unavailable(Refused):
    """Something Snug depends on (the database) is out of reach for the moment."""

    status = 503
    title = "Try again in a moment"


DATABASE_AWAY = Unavailable(
    "Snug can't reach its database just now, so nothing was changed. Try again in a few seconds."
)
