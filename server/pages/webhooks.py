"""The organiser's webhooks page: the event's endpoints, adding one (its secret shown once, on
the page that answers the form, as the new-event form shows the organiser's link), removing
one, and each one's delivery log. Plain forms calling the same commands as the API
(server/http/webhooks.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from server.errors import Refused
from server.events.access import Actor, Role
from server.events.models import Event
from server.language import N_
from server.language import gettext as _
from server.pages.forms import FormError, event_of, read_form, receipt_key
from server.pages.releases_view import when
from server.pages.rendering import PageRoute, page
from server.pages.staff import Command, act, sign_in_form, staff
from server.webhooks import announce, endpoints
from server.webhooks.addresses import MAX_URL
from server.webhooks.news import FORMATS, KINDS
from server.webhooks.signing import secret_of

DONE = {
    "removed": N_("Removed. Snug sends nothing more to that address."),
    "tested": N_("A test message is on its way. Its delivery log shows whether it arrived."),
}
# What went wrong with an attempt, as the log stores it (server/webhooks/delivery.py).
ERRORS = {
    "timeout": N_("No answer in time"),
    "unreachable": N_("Couldn't connect"),
    "refused": N_("Not sent: the address is on a private network"),
    "redirect": N_("Answered with a redirect, which Snug doesn't follow"),
    "status": N_("Answered with an error"),
}
STATES = {
    "pending": N_("Waiting to try again"),
    "delivered": N_("Delivered"),
    "failed": N_("Given up"),
}


async def webhooks_page(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await staff(request, event))


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    *,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
    added: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    organiser = actor.role == Role.organiser
    return page(
        "webhooks.html",
        _("%(event)s - webhooks") % {"event": event.name},
        status=status,
        private=True,
        staff=actor.is_staff,
        organiser=organiser,
        event_name=event.name,
        hooks=await endpoints.listed(event) if organiser else [],
        kinds=KINDS,
        hook_formats=FORMATS,
        added=added,
        form=form or {},
        max_url=MAX_URL,
        done=_(DONE[done]) if (done := request.query_params.get("done")) in DONE else None,
        errors=errors or [],
        **sign_in_form(event, f"/e/{event.slug}/webhooks"),
    )


def _chosen(fields: dict[str, str]) -> tuple[str, list[str], str]:
    url = fields.get("url", "").strip()
    kinds = [kind for kind in KINDS if fields.get(f"kind-{kind}") == "yes"]
    form = fields.get("format", "snug")
    problems = []
    if not url:
        problems.append(("webhook-url", _("Give the address to post to.")))
    if not kinds:
        problems.append(("webhook-kind-grid.published", _("Choose at least one kind of news.")))
    if form not in FORMATS:
        problems.append(("webhook-format-snug", _("Choose a format from the list.")))
    if problems:
        raise FormError(problems)
    return url, kinds, form


async def add_webhook(request: Request) -> Response:
    """Adds the endpoint and answers with the page showing its secret, once: not a redirect,
    so the secret is never in an address (a form sent twice adds one endpoint, by its key)."""
    event = await event_of(request)
    actor = await staff(request, event)
    fields: dict[str, str] = {}
    private = request.app.state.settings.webhook_private
    try:
        actor.require(Role.organiser)
        fields = await read_form(request)
        url, kinds, form = _chosen(fields)
        key, asked = receipt_key(request, fields)

        def command(journal: Any) -> Any:
            return endpoints.add(journal, url, kinds, form, private=private)

        made = await request.app.state.writes.run(event, actor, command, key=key, fingerprint=asked)
    except FormError as exc:
        return await _show(request, event, actor, errors=exc.errors, status=exc.status, form=fields)
    except Refused as exc:
        field = "webhook-url" if exc.status == 422 else ""
        return await _show(
            request, event, actor, errors=[(field, exc.said())], status=exc.status, form=fields
        )
    found = await endpoints.find(event, made["id"])
    secret = secret_of(request.app.state.settings.secret_key, found.nonce)
    shown = await _show(request, event, actor, added={**made, "secret": secret})
    shown.headers["Cache-Control"] = "no-store"  # the secret stays in no cache, nor history
    return shown


async def remove_webhook(request: Request) -> Response:
    hook = int(request.path_params["webhook"])

    def build(_fields: dict[str, str]) -> Command:
        return lambda j: endpoints.remove(j, hook)

    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], status: int
    ) -> Response:
        return await _show(request, event, actor, errors=errors, status=status)

    slug = request.path_params["slug"]
    to = f"/e/{slug}/webhooks?done=removed"
    return await act(request, build, redraw, lambda _f: to, Role.organiser)


async def test_webhook(request: Request) -> Response:
    hook = int(request.path_params["webhook"])
    public_url = request.app.state.settings.public_url

    def build(_fields: dict[str, str]) -> Command:
        return lambda j: announce.test(j, hook, public_url)

    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], status: int
    ) -> Response:
        return await _show(request, event, actor, errors=errors, status=status)

    slug = request.path_params["slug"]
    to = f"/e/{slug}/webhooks?done=tested"
    answer = await act(request, build, redraw, lambda _f: to, Role.organiser)
    request.app.state.deliverer.wake()
    return answer


async def deliveries_page(request: Request) -> Response:
    event = await event_of(request)
    actor = await staff(request, event)
    if actor.role < Role.organiser:
        return await _show(request, event, actor)
    found = await endpoints.find(event, int(request.path_params["webhook"]))
    return page(
        "webhook-log.html",
        _("%(event)s - webhook deliveries") % {"event": event.name},
        private=True,
        event_name=event.name,
        hook=endpoints.view(found),
        kinds=KINDS,
        deliveries=await endpoints.deliveries(found),
        errors_said=ERRORS,
        states=STATES,
        when=lambda at: when(at, event.timezone),
        clock=lambda at: _clock(at, event.timezone),
        **sign_in_form(event, f"/e/{event.slug}/webhooks"),
    )


def _clock(at: str, zone: str) -> str:
    """When a try was made, to the second, on the event's clock (tries come seconds apart)."""
    return datetime.fromisoformat(at).astimezone(ZoneInfo(zone)).strftime("%H:%M:%S")


routes = [
    PageRoute("/e/{slug}/webhooks", webhooks_page),
    PageRoute("/e/{slug}/webhooks", add_webhook, methods=["POST"]),
    PageRoute("/e/{slug}/webhooks/{webhook:int}", deliveries_page),
    PageRoute("/e/{slug}/webhooks/{webhook:int}/remove", remove_webhook, methods=["POST"]),
    PageRoute("/e/{slug}/webhooks/{webhook:int}/test", test_webhook, methods=["POST"]),
]
