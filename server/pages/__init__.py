"""The pages people open, drawn on the server from web/templates/ so that each works as plain
HTML and forms on any browser; the scripts in web/static/js/ make them live.

Each page's handlers only read the form, find who is asking, call the domain and redirect;
what a page shows is worked out beside it (attendee_view.py, grid_view.py, screens_view.py)
from the same snapshot the live page starts from.
"""

from __future__ import annotations

from server.pages import (
    actions,
    attendee,
    feedback,
    grid_editor,
    grid_releases,
    home,
    manage,
    notes,
    report,
    screens,
    series,
    staff,
    statements,
    webhooks,
)

routes = [
    *home.routes,
    *attendee.routes,
    *notes.routes,
    *feedback.routes,
    *actions.routes,
    *staff.routes,
    *manage.routes,
    *grid_editor.routes,
    *grid_releases.routes,
    *screens.routes,
    *series.routes,
    *statements.routes,
    *webhooks.routes,
    *report.routes,
]
