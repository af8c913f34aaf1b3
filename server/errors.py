"""Refusals the domain raises; transports turn them into problem+json or an error message.

Titles and sentences are written in English and marked for the catalogue; the transport says
them in the asker's language (server/http/problems.py), since the domain may run where no
request's language is known (a batch of writes).
"""

from __future__ import annotations

from typing import Any

from server.language import N_


class Refused(Exception):
    """A request that breaks a rule. The message is a sentence for a person."""

    status = 422
    title = N_("That can't be done")

    def __init__(self, message: str, **extensions: Any) -> None:
        """``extensions``: more for a program to act on, sent as members of the problem."""
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class Invalid(Refused):
    status = 422
    title = N_("Some of what was sent isn't valid")


class BadRequest(Refused):
    """The address itself is wrong: a query parameter out of its range, or of no known kind."""

    status = 400
    title = N_("Something in the address isn't valid")


class NotFound(Refused):
    status = 404
    title = N_("Not found")


class Unauthorised(Refused):
    status = 401
    title = N_("Link not recognised")


class Forbidden(Refused):
    status = 403
    title = N_("Not allowed")


class Conflict(Refused):
    status = 409
    title = N_("Not possible right now")


class Unavailable(Refused):
    """Something Snug depends on (the database) is out of reach for the moment."""

    status = 503
    title = N_("Try again in a moment")


DATABASE_AWAY = Unavailable(
    N_(
        "Snug can't reach its database just now, so nothing was changed. "
        "Try again in a few seconds."
    )
)
