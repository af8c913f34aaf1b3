"""Reading feedback on sessions: a host reads their own session's from their phone, the
organisers every session's on a staff page. Anyone else is told there is nothing here (404),
so the pages don't say whose session has feedback."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.errors import Forbidden, NotFound
from server.events.access import Actor, Role
from server.feedback import sessions
from server.language import N_, gettext
from server.marketplace.models import Pitch
from server.pages.forms import event_of, visitor
from server.pages.rendering import PageRoute, page

NOTHING_HERE = N_("There is no feedback here for you to read.")


async def session_feedback(request: Request) -> Response:
    """One session's feedback, for its host (their phone) or an organiser (signed in)."""
    event = await event_of(request)
    for role in ("attendee", "staff"):
        actor = await visitor(request, event, role)
        try:
            pitch = await sessions.readable(event, actor, request.path_params["pitch"])
        except Forbidden:
            continue
        said = (await sessions.said_about(event, [pitch.id]))[pitch.id]
        return _shown(
            event.slug,
            gettext("Feedback on “%(title)s”") % {"title": pitch.title},
            [(pitch, said)],
            actor,
        )
    raise NotFound(NOTHING_HERE)


async def all_feedback(request: Request) -> Response:
    """Every published session's feedback, for the organisers."""
    event = await event_of(request)
    actor = await visitor(request, event, "staff")
    if actor.role < Role.organiser:
        raise NotFound(NOTHING_HERE)
    found = await sessions.everything(event, actor)
    return _shown(event.slug, gettext("Feedback on every session"), found, actor)


def _shown(
    slug: str, heading: str, found: list[tuple[Pitch, sessions.Said]], actor: Actor
) -> Response:
    return page(
        "feedback.html",
        f"{heading} - Snug",
        private=True,
        heading=heading,
        slug=slug,
        sessions=found,
        staff=actor.is_staff,
    )


routes = [
    PageRoute("/e/{slug}/feedback", all_feedback),
    PageRoute("/e/{slug}/feedback/{pitch:int}", session_feedback),
]
