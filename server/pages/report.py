"""The organiser's report (``/e/{slug}/report``): organisers only; anyone else is asked to
sign in with the organiser link, as on the other organiser pages. Its PDF and CSV are in
server/http/report.py."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from server.events.access import Role
from server.exports import report as document
from server.language import gettext as _
from server.pages.forms import event_of
from server.pages.rendering import PageRoute, page
from server.pages.staff import sign_in_form, staff
from server.report.figures import draw


async def report_page(request: Request) -> Response:
    event = await event_of(request)
    actor = await staff(request, event)
    shown = (
        document.context(await draw(event, datetime.now(UTC)))
        if actor.role == Role.organiser
        else {"report": None}
    )
    return page(
        "report.html",
        _("Report - %(event)s") % {"event": event.name},
        private=True,
        event_name=event.name,
        **shown,
        **sign_in_form(event, f"/e/{event.slug}/report"),
    )


routes = [PageRoute("/e/{slug}/report", report_page)]
