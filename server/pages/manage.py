"""The organiser's and facilitator's page: who is signed in, pitching and voting opened or
closed and the dots set as plain forms, and the way to the grid; the rest is made live by
web/static/js/manage.js."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.events.access import Actor, Role
from server.events.models import Event
from server.language import N_, languages, ngettext
from server.language import gettext as _
from server.language.formats import number
from server.live.state import snapshot
from server.marketplace import dots
from server.pages.actions_view import carried
from server.pages.attendee_view import session_language_choices
from server.pages.forms import FormError, event_of
from server.pages.rendering import PageRoute, page
from server.pages.series import suggested
from server.pages.staff import Command, act, sign_in_form, staff, staff_day
from server.validation import validate

DONE = {
    "signed-in": N_("You're signed in on this browser."),
    "signed-out": N_("This browser has forgotten your key."),
    "settings": N_("Saved."),
    "again": N_(
        "This is the next event of the series. Your links open it too; share its join link "
        "when you're ready."
    ),
}
SWITCHES = {"pitching_open", "voting_open"}


async def organise(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await staff(request, event), "organise")


async def facilitate(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await staff(request, event), "facilitate")


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    which: str,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    return page(
        "manage.html",
        f"{event.name} - {which}",
        status=status,
        private=True,
        state=state,
        role=actor.role.name if actor.is_staff else None,
        organiser=actor.role == Role.organiser,
        again=suggested(event),
        in_series=event.series_id is not None,
        session_languages=session_language_choices(event),
        grid_summary=_grid_summary(state) if actor.is_staff else "",
        **await staff_day(request, event, actor, state),
        **(await carried(event, actor) if actor.is_staff else {"carried": None}),
        errors=errors or [],
        done=_(DONE[done]) if (done := request.query_params.get("done")) in DONE else None,
        **sign_in_form(event, f"/e/{event.slug}/{which}"),
    )


def _grid_summary(state: dict[str, Any]) -> str:
    draft = state["draft"]
    shown = sum(1 for p in state["pitches"] if not p["hidden"])
    placed = len(draft["placements"])
    live = (
        _("Published; grid edits stay in a draft until you publish them.")
        if draft["live"]
        else _("Draft, not published.")
    )
    counted = ngettext(
        "%(n)s session on the grid, %(unplaced)s not placed.",
        "%(n)s sessions on the grid, %(unplaced)s not placed.",
        placed,
    ) % {"n": number(placed), "unplaced": number(shown - placed)}
    return f"{live} {counted}"


def languages_of(value: str, field: str = "event-languages") -> list[str]:
    """An event's languages from a form's one choice ("en", "cy" or "cy en")."""
    chosen = value.split()
    if not chosen or len(chosen) > len(set(chosen)) or set(chosen) - set(languages()):
        raise FormError([(field, _("Choose English, Welsh or both."))])
    return chosen


def settings_of(fields: dict[str, str]) -> dict[str, Any]:
    """The event settings a form changes: one switch, hiding or showing the totals, the dots
    (with the box for stacking, which a browser leaves out when it is not ticked), or the
    event's languages (one choice of "en", "cy" or "cy en", so a plain form sends one value)."""
    body: dict[str, Any] = {
        name: fields[name] == "open" for name in SWITCHES if fields.get(name) in {"open", "closed"}
    }
    if fields.get("totals") in {"hidden", "shown"}:
        body["totals_hidden"] = fields["totals"] == "hidden"
    if "dots" in fields:
        dots = fields["dots"].strip()
        if not (dots.isascii() and dots.isdigit() and len(dots) <= 2 and 1 <= int(dots) <= 20):
            raise FormError(
                [("dots-count", _("Dots for each attendee must be a whole number from 1 to 20."))]
            )
        body["dots_per_attendee"] = int(dots)
        body["dots_stack"] = "stack" in fields
    if "languages" in fields:
        body["languages"] = languages_of(fields["languages"])
    if not body:
        raise FormError([("", _("Choose from the page again; that change wasn't one it offers."))])
    validate("event-edit", body)
    return body


async def save_settings(request: Request) -> Response:
    public_url = request.app.state.settings.public_url

    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], status: int
    ) -> Response:
        return await _show(request, event, actor, "organise", errors, status)

    def build(fields: dict[str, str]) -> Command:
        body = settings_of(fields)
        return lambda j: dots.edit_event(j, body, public_url)

    slug = request.path_params["slug"]
    to = f"/e/{slug}/organise?done=settings#marketplace-heading"
    return await act(request, build, redraw, lambda _f: to, Role.organiser)


routes = [
    PageRoute("/e/{slug}/organise", organise),
    PageRoute("/e/{slug}/facilitate", facilitate),
    PageRoute("/e/{slug}/settings", save_settings, methods=["POST"]),
]
