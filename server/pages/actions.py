"""The action board (``/e/{slug}/actions``) and an owner's page behind their private link
(``/e/{slug}/action/{secret}``), drawn on the server with plain forms to change a status: the
staff's from the board, an owner's from their link. web/static/js/actions.js keeps the board
live.

Everyone at the event sees the board (the public too, once the proceedings are published):
following up is done in the open, as the write-ups are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.actions import board, links, mine, reminders, status
from server.actions.models import ActionItem
from server.errors import Forbidden, NotFound, Refused, Unauthorised
from server.events.access import PUBLIC, Actor, Role
from server.events.journal import Journal
from server.events.models import Event
from server.http.api import path_id
from server.http.security import FROM_ELSEWHERE, bearer, from_snug
from server.language import N_
from server.language import gettext as _
from server.pages import actions_view
from server.pages.forms import event_of, form_key, read_form, receipt_key, see_other, visitor
from server.pages.rendering import PageRoute, page
from server.pages.staff import act

DONE = {
    "status": N_("The status is saved. Everyone looking at the board sees it now."),
    "reminder": N_("Your email address is saved: a reminder goes to it before the due date."),
    "no-reminder": N_("No reminder will be sent, and the address you gave is forgotten."),
}
NOT_YET = N_(
    "The action board is for the people at the event until the organisers publish the "
    "proceedings. Join the event on this device to see it."
)
Command = Callable[[Journal], Awaitable[Any]]
UNKNOWN_LINK = N_(
    "This action link isn't recognised: the action may have been taken out of the notes. "
    "Ask the event's organisers for the board's address."
)


async def viewer(request: Request, event: Event) -> Actor:
    """Who is looking: an API client by its bearer secret, else a browser by its cookies, the
    staff's first (they may change statuses here); a secret the event doesn't know is nobody,
    as on every page."""
    given = bearer(request)
    if given:
        try:
            actor: Actor = await request.app.state.keys.identify(event, given)
            return actor
        except Unauthorised:
            return PUBLIC
    for role in ("staff", "attendee"):
        actor = await visitor(request, event, role)
        if actor is not PUBLIC:
            return actor
    return PUBLIC


def may_see(event: Event, actor: Actor) -> None:
    """Before the proceedings are out, the board is not there for anyone else, as they aren't."""
    if actor.role < Role.attendee and not event.proceedings_published:
        raise NotFound(NOT_YET)


async def board_page(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await viewer(request, event))


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    errors: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    may_see(event, actor)
    by = request.query_params.get("by", "session")
    by = by if by in actions_view.VIEWS else "session"
    rows = await ActionItem.filter(event_id=event.id)
    items = await board.items(event, rows=rows)
    today = board.today(event)
    settings = request.app.state.settings
    owner_links = (
        actions_view.owner_links(rows, request.app.state.keys, settings.public_url, event.slug)
        if actor.is_staff
        else {}
    )
    return page(
        "actions.html",
        _("Actions - %(event)s") % {"event": event.name},
        status=status_code,
        private=True,
        slug=event.slug,
        event_name=event.name,
        by=by,
        groups=actions_view.groups(items, by),
        count=len(items),
        overdue_count=sum(1 for i in items if i.overdue(today)),
        staff=actor.is_staff,
        owner_links=owner_links,
        key=form_key(),
        errors=errors or [],
        done=_(DONE[done]) if (done := request.query_params.get("done")) in DONE else None,
        **actions_view.helpers(today),
    )


async def set_status(request: Request) -> Response:
    """The staff's status form on the board."""
    action_id = path_id(request, "action")
    by = request.query_params.get("by", "session")
    view = "?by=owner&" if by == "owner" else "?"

    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], code: int
    ) -> Response:
        # Someone who may not change statuses is told so, not shown a board they may not see.
        actor.require(Role.facilitator)
        return await _show(request, event, actor, errors, code)

    return await act(
        request,
        lambda fields: status.set_status(action_id, fields.get("status", "")),
        redraw,
        lambda _f: f"/e/{request.path_params['slug']}/actions{view}done=status#action-{action_id}",
        Role.facilitator,
    )


async def _opened(request: Request, event: Event) -> ActionItem:
    row = await links.opened_by(event, request.path_params["link"], request.app.state.keys)
    if row is None:
        raise NotFound(UNKNOWN_LINK)
    return row


async def owner_page(request: Request) -> Response:
    event = await event_of(request)
    row = await _opened(request, event)
    return await _owner(request, event, row)


async def _owner(
    request: Request,
    event: Event,
    row: ActionItem,
    errors: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    (item,) = await board.items(event, rows=[row])
    today = board.today(event)
    attendee = (await visitor(request, event, "attendee")).attendee
    settings = request.app.state.settings
    return page(
        "action.html",
        _("Your action - %(event)s") % {"event": event.name},
        status=status_code,
        private=True,
        slug=event.slug,
        event_name=event.name,
        item=item,
        # Opened on the phone its owner joined with: offered onto their own event page.
        joined=attendee is not None,
        taken=attendee is not None and row.attendee_id == attendee.id,
        here=request.url.path.removesuffix("/take"),
        key=form_key(),
        errors=errors or [],
        done=_(DONE[done]) if (done := request.query_params.get("done")) in DONE else None,
        # Offered only where the operator configured email (server/config.py).
        reminder_days=settings.reminder_days if settings.mail else None,
        reminding=bool(row.email),
        email_most=reminders.EMAIL_MOST,
        **actions_view.helpers(today),
    )


async def owner_sets_status(request: Request) -> Response:
    """The owner's forms, behind their link: the status, or the address for a reminder (a
    form with an ``email`` field). No cookie, so only a form from Snug's own page counts, and
    the link itself is what lets them."""
    event = await event_of(request)
    if not from_snug(request.headers, request.app.state.settings.public_url):
        raise Forbidden(FROM_ELSEWHERE)
    row = await _opened(request, event)
    address = request.client.host if request.client else None
    await request.app.state.limiter.check("action", address, row.link_key)
    fields = await read_form(request)
    key, asked = receipt_key(request, fields)
    if "email" in fields:
        email = fields["email"]
        command: Command = reminders.set_email(row.id, email, link_key=row.link_key)
        field, done = "reminder-email", "reminder" if email.strip() else "no-reminder"
    else:
        command = status.set_status(row.id, fields.get("status", ""), link_key=row.link_key)
        field, done = "status-open", "status"
    try:
        await request.app.state.writes.run(event, PUBLIC, command, key=key, fingerprint=asked)
    except Refused as exc:
        return await _owner(request, event, row, [(field, exc.said())], exc.status)
    if done == "reminder" and request.app.state.reminders is not None:
        request.app.state.reminders.wake()
    return see_other(f"{request.url.path}?done={done}")


async def take_action(request: Request) -> Response:
    """Puts the action whose link this is on the event page of the person signed in on this
    phone: the link and their own sign-in together."""
    event = await event_of(request)
    if not from_snug(request.headers, request.app.state.settings.public_url):
        raise Forbidden(FROM_ELSEWHERE)
    row = await _opened(request, event)
    actor = await visitor(request, event, "attendee")
    actor.as_attendee()  # who is asking is settled before a byte of the form is read
    fields = await read_form(request)
    key, asked = receipt_key(request, fields)
    try:
        await request.app.state.writes.run(
            event, actor, mine.take(row.id, row.link_key), key=key, fingerprint=asked
        )
    except Refused as exc:
        return await _owner(request, event, row, [("take", exc.said())], exc.status)
    return see_other(f"/e/{event.slug}?done=action-taken#my-actions")


routes = [
    PageRoute("/e/{slug}/actions", board_page),
    PageRoute("/e/{slug}/actions/{action:int}", set_status, methods=["POST"]),
    PageRoute("/e/{slug}/action/{link}", owner_page),
    PageRoute("/e/{slug}/action/{link}", owner_sets_status, methods=["POST"]),
    PageRoute("/e/{slug}/action/{link}/take", take_action, methods=["POST"]),
]
