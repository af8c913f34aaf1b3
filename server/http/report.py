"""The organiser's report as files: a PDF made from the same content as the page (through the
PDF worker, as the proceedings' is) and every figure as CSV. Organisers only, by the staff
cookie their browser keeps or an API client's bearer secret."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.events.access import Role
from server.exports import report as document
from server.exports.pdf import pdf_soon
from server.pages.actions import viewer
from server.pages.forms import event_of
from server.report.figures import Report, draw

CSV = "text/csv; charset=utf-8"


async def _report(request: Request) -> Report:
    event = await event_of(request)
    (await viewer(request, event)).require(Role.organiser)
    return await draw(event, datetime.now(UTC))


def _headers(report: Report, suffix: str) -> dict[str, str]:
    return {
        "Cache-Control": "private, no-cache",
        "Content-Disposition": f'inline; filename="{report.event.slug}-report.{suffix}"',
    }


async def report_csv(request: Request) -> Response:
    report = await _report(request)
    return Response(document.report_csv(report), media_type=CSV, headers=_headers(report, "csv"))


async def report_pdf(request: Request) -> Response:
    report = await _report(request)
    body = await pdf_soon(document.standalone(report))
    return Response(body, media_type="application/pdf", headers=_headers(report, "pdf"))


routes = [
    Route("/e/{slug}/report.csv", report_csv),
    Route("/e/{slug}/report.pdf", report_pdf),
]
