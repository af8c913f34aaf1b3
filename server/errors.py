"""Refusals the domain raises; transports turn them into problem+json or an error message.

Titles and sentences are written in English and marked for the catalogue (N_, or Nn_ for a
sentence that counts), with named placeholders for what varies: ``NotFound(N_("There is no
pitch %(pitch)s in this event."), values={"pitch": 12})``. The transport says them in the
asker's language (``said()``: problem+json, pages, sockets), filling the values in after
translation, since the domain may run where no request's language is known (a batch of
writes); ``message`` keeps the English, for logs and the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.language import N_, gettext
from server.language.sentences import Sentence


class Refused(Exception):
    """A request that breaks a rule. The message is a sentence for a person."""

    status = 422
    title = N_("That can't be done")

    def __init__(
        self,
        message: str | tuple[str, str],
        values: Mapping[str, Any] | None = None,
        *,
        n: int = 1,
        **extensions: Any,
    ) -> None:
        """``message``: English, marked with N_ where it is written; its ``values`` fill its
        named placeholders ("There is no pitch %(pitch)s") after it is translated, so a
        translator can move them. A sentence that counts is both its English forms, marked
        with Nn_, and its count ``n``, so that each language says its own plural form. A value
        that is itself a refusal or a ``Sentence`` is said in the same language.
        ``extensions``: more for a program to act on, sent as members of the problem."""
        inner = {
            key: value.sentence if isinstance(value, Refused) else value
            for key, value in (values or {}).items()
        }
        self.sentence: Sentence = Sentence.of(message, n, **inner)
        self.message = self.sentence.english()  # for logs and the CLI
        super().__init__(self.message)
        self.extensions = extensions

    def said(self) -> str:
        """The sentence in the asker's language (server.language.current())."""
        return self.sentence.said()

    def __reduce__(self) -> tuple[Any, ...]:
        # A refusal raised in a worker process crosses back pickled; by default only its
        # English would, and it could no longer be said in the asker's language.
        return _revived, (type(self), self.__dict__)

    def titled(self) -> str:
        """The title in the asker's language."""
        return gettext(self.title)


def _revived(kind: type[Refused], state: dict[str, Any]) -> Refused:
    refusal = kind.__new__(kind)
    Exception.__init__(refusal, state["message"])
    refusal.__dict__.update(state)
    return refusal


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


class Failed(Refused):
    """Snug's own fault: a bug, not the request. What it was goes to the log, not the asker."""

    status = 500
    title = N_("Something went wrong")


FAILED = Failed(N_("Snug hit an error; nothing was changed. Try again."))

DATABASE_AWAY = Unavailable(
    N_(
        "Snug can't reach its database just now, so nothing was changed. "
        "Try again in a few seconds."
    )
)
