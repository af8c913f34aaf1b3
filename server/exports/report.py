"""The organiser's report as a page's content, a standalone document (for the PDF) and a CSV.

The page (server/pages/report.py) and the PDF draw the same template from the same figures
(server/report/); the words are the organiser's language, the one the request is answered in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from server.actions.board import STATUS_WORDS
from server.actions.models import STATUSES
from server.bundled import WEB_DIR
from server.events.setup import FIRST_TIME
from server.exports.actions import cell
from server.exports.proceedings.pages import STANDALONE_POLICY
from server.language import gettext as _
from server.language.formats import full_date, short_day, time
from server.report import charts
from server.report.figures import Report
from server.report.sessions import Session
from server.templates import render

STYLESHEET = WEB_DIR / "static" / "css" / "report.css"
COLUMNS = ("figure", "session_id", "session", "day", "value")
SESSION_FIGURES = (
    "votes",
    "seated",
    "waiting",
    "useful",
    "not_for_me",
    "comments",
    "notes_chars",
    "notes_final",
    "writers",
)


def drawn_words(report: Report) -> str:
    """When the report was drawn, on the event's clock."""
    at = report.drawn_at.astimezone(ZoneInfo(report.event.timezone))
    return _("%(date)s at %(time)s") % {"date": full_date(at.date()), "time": time(at.time())}


def session_time(session: Session) -> str:
    return _("%(starts)s to %(ends)s") % {
        "starts": session.starts_at[11:16],
        "ends": session.ends_at[11:16],
    }


def _charts(report: Report) -> dict[str, charts.Chart]:
    served = report.served
    return {
        "people": charts.stacked(
            [
                (_("Joined"), [report.joined]),
                (_("Pitched"), [report.pitched]),
                (_("Voted"), [report.voted]),
            ],
            [_("People")],
        ),
        "served": charts.stacked(
            [(_("Votes"), [served.served, served.lost_to_clashes, served.lost_to_seats])],
            [_("Served"), _("Lost to clashes"), _("Lost to seats")],
        ),
        "first_time": charts.stacked(
            [(_("Answers"), [report.first_time[a] for a in FIRST_TIME])],
            [_(words) for words in FIRST_TIME.values()],
        ),
        "actions": charts.stacked(
            [(short_day(d.day), [d.counts[s] for s in STATUSES]) for d in report.actions],
            [_(STATUS_WORDS[s]) for s in STATUSES],
        ),
    }


def context(report: Report) -> dict[str, Any]:
    """What report-content.html draws from."""
    return {
        "report": report,
        "charts": _charts(report),
        "drawn": drawn_words(report),
        "session_time": session_time,
        "short_day": short_day,
        "statuses": [(s, _(STATUS_WORDS[s])) for s in STATUSES],
        "first_time_answers": FIRST_TIME,
    }


def standalone(report: Report) -> bytes:
    """The report as one HTML file with its styles inside, for the PDF: nothing to fetch."""
    return render(
        "report-document.html",
        stylesheet=Markup(STYLESHEET.read_text()),
        policy=STANDALONE_POLICY,
        title=_("Report: %(event)s") % {"event": report.event.name},
        **context(report),
    ).encode()


def _rows(report: Report) -> Iterator[tuple[str, int | str, str, str, int | str]]:
    served = report.served
    for figure, value in (
        ("joined", report.joined),
        ("pitched", report.pitched),
        ("voted", report.voted),
        ("pitches", report.pitches),
        ("dots", report.dots),
        ("votes_served", served.served),
        ("votes_total", served.total),
        ("votes_lost_to_clashes", served.lost_to_clashes),
        ("votes_lost_to_seats", served.lost_to_seats),
        *((f"first_time_{answer}", n) for answer, n in report.first_time.items()),
        ("first_time_answered", report.answered),
    ):
        yield figure, "", "", "", value
    for s in report.sessions:
        for figure in SESSION_FIGURES:
            value = getattr(s, figure)
            yield f"session_{figure}", s.pitch, s.title, "", int(value)
        for status, n in s.actions.items():
            yield f"session_actions_{status}", s.pitch, s.title, "", n
    for day in report.actions:
        for status, n in day.counts.items():
            yield f"actions_{status}", "", "", day.day.isoformat(), n


def report_csv(report: Report) -> bytes:
    """Every figure of the report, one a row (a figure's code, the session or day it is
    about, its value), so a spreadsheet can sort and pivot them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for figure, pitch, title, day, value in _rows(report):
        writer.writerow([figure, pitch, cell(title), day, value])
    return ("\ufeff" + out.getvalue()).encode()
