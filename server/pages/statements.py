"""The statements a public body publishes about a service it runs: the accessibility statement,
in the form of the UK government's model statement, and the privacy notice. Each in the asker's
language, with the contact details of whoever runs this Snug (server/config.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.language import gettext
from server.pages.rendering import PageRoute, page

# When the statement was written and Snug last tested as it describes; moved on when it is
# reviewed or the tests change.
PREPARED = dt.date(2026, 12, 4)
TESTED = dt.date(2026, 12, 4)


def _contact(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {
        "operator": settings.operator_name,
        "email": settings.contact_email,
        "phone": settings.contact_phone,
        "reply_days": settings.contact_reply_days,
        "site": settings.public_url,
    }


async def accessibility(request: Request) -> Response:
    return page(
        "accessibility.html",
        gettext("Accessibility statement for Snug"),
        prepared=PREPARED,
        tested=TESTED,
        **_contact(request),
    )


async def privacy(request: Request) -> Response:
    return page("privacy.html", gettext("Privacy notice for Snug"), **_contact(request))


routes = [
    PageRoute("/accessibility", accessibility),
    PageRoute("/privacy", privacy),
]
