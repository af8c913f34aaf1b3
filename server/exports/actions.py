"""The action board as files: CSV for a spreadsheet, JSON for a program (schemas/actions.json),
and iCalendar to-dos (VTODO, RFC 5545) for a calendar or task app, the event's or one owner's.

Pure functions over the board's items (server/actions/board.py): no database, no secret. The
calendar's own words are said in one language, as the schedule's are (exports/calendar.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import icalendar

from server.actions.board import Item
from server.exports.calendar import PRODID
from server.language import gettext as _
from server.language import speaking

COLUMNS = (
    "id",
    "session_id",
    "session",
    "what",
    "owner",
    "due",
    "status",
    "removed",
    "status_changed_at",
)
# What a spreadsheet would run as a formula if a cell started with it (CSV injection).
FORMULA = ("=", "+", "-", "@", "\t", "\r")
TODO_STATUS = {
    "open": "NEEDS-ACTION",
    "started": "IN-PROCESS",
    "done": "COMPLETED",
    "dropped": "CANCELLED",
}


def actions_json(name: str, board_url: str, items: Sequence[Item]) -> bytes:
    document = {
        "$schema": "urn:snug:actions",
        "event": {"name": name, "url": board_url},
        "actions": [item.as_json() for item in items],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def actions_csv(items: Sequence[Item]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        row = item.as_json()
        writer.writerow(
            [
                item.id,
                item.pitch,
                cell(item.session),
                cell(item.what),
                cell(item.owner),
                row["due"] or "",
                item.status,
                "yes" if item.removed else "no",
                row["status_changed_at"] or "",
            ]
        )
    # With a byte order mark, so a spreadsheet opens accented names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def cell(text: str) -> str:
    """Typed text as a spreadsheet shows it, never runs it: a leading formula character is
    escaped with an apostrophe, as OWASP advises."""
    return "'" + text if text.startswith(FORMULA) else text


def todos(
    title: str, event_id: int, items: Sequence[Item], *, language: str, board_url: str, held: date
) -> bytes:
    """The actions as to-dos, each with a UID that never changes, so a task app updates its
    copy as the status moves. ``held``: the event's date, when a to-do with no change since
    was made."""
    with speaking(language):
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        name = " ".join(title.split())
        cal.add("name", icalendar.vText(name))
        cal.add("x-wr-calname", icalendar.vText(name))
        made = datetime.combine(held, time(), UTC)
        for item in items:
            cal.add_component(_todo(item, event_id, board_url, made))
        body: bytes = cal.to_ical()
    return body


def _todo(item: Item, event_id: int, board_url: str, made: datetime) -> icalendar.Todo:
    todo = icalendar.Todo()
    todo.add("uid", f"snug-action-{event_id}-{item.id}")
    stamp = item.status_at or made
    todo.add("dtstamp", stamp)
    todo.add("last-modified", stamp)
    todo.add("summary", item.what)
    lines = [_("From the session: %(session)s") % {"session": item.session}]
    if item.owner:
        lines.append(_("Owner: %(owner)s") % {"owner": item.owner})
    todo.add("description", "\n".join(lines))
    if item.due is not None:
        todo.add("due", item.due)
    todo.add("status", TODO_STATUS[item.status])
    if item.status == "done" and item.status_at is not None:
        todo.add("completed", item.status_at.astimezone(UTC))
    todo.add("url", f"{board_url}#action-{item.id}")
    return todo
