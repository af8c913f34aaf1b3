"""The organiser's report over HTTP: the page for organisers (anyone else is asked to sign in),
and its CSV (read back with csv) and PDF (read back with pypdf), refused to everyone else."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import lxml.html
from pypdf import PdfReader

from tests.conftest import ApiEvent
from tests.exports.helpers import figures_of_accessible_pdf
from tests.http.helpers import assert_problem
from tests.http.test_seats import published


def reported(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, dict[str, int]]:
    """Two sessions published in one slot; Ann (her first unconference) votes for the snug and
    claims its one seat, Bo (who doesn't answer) votes for both, one lost to the clash."""
    ev, staff, ids = published(make_event)
    ev.edit(voting_open=True)
    ann = ev.ok("POST", "/attendees", json={"name": "Ann", "first_time": "yes"}, status=201)
    assert ev.ok("GET", "/me", ann["token"])["first_time"] == "yes"
    bo = ev.join("Bo")["token"]
    for token, pitch in ((ann["token"], "snug"), (bo, "snug"), (bo, "hall")):
        ev.ok("POST", "/dots", token, json={"pitch": ids[pitch]}, status=201)
    ev.ok("POST", f"/me/seats/{ids['snug']}", ann["token"])
    return ev, staff, ids


def test_the_organiser_reads_the_report_and_others_are_asked_to_sign_in(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, staff, ids = reported(make_event)
    path = f"/e/{ev.slug}/report"
    ev.client.cookies.set("snug_staff", ev.organiser)
    drawn = ev.client.get(path)
    ev.client.cookies.clear()
    assert drawn.status_code == 200 and "private" in drawn.headers["cache-control"]
    html = lxml.html.fromstring(drawn.text)
    assert html.get_element_by_id("report-csv").get("href") == f"{path}.csv"
    svg = html.get_element_by_id("served-chart")
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "served-title served-desc"
    lead = " ".join(html.xpath("//section[@aria-labelledby='served-heading']/p")[0].text.split())
    assert lead == "2 of 3 votes served (67%)."
    row = html.get_element_by_id(f"session-{ids['snug']}")
    assert "1 seated, 0 on the list" in row.text_content()
    for who in (staff, None):
        if who:
            ev.client.cookies.set("snug_staff", who)
        refused = ev.client.get(path)
        ev.client.cookies.clear()
        assert refused.status_code == 200  # the page, asking them to sign in
        page = lxml.html.fromstring(refused.text)
        assert page.get_element_by_id("no-key") is not None
        assert not page.xpath("//svg") and "served" not in refused.text.lower()


def test_the_csv_has_every_figure_one_a_row(make_event: Callable[..., ApiEvent]) -> None:
    ev, staff, ids = reported(make_event)
    got = ev.client.get(
        f"/e/{ev.slug}/report.csv", headers={"Authorization": f"Bearer {ev.organiser}"}
    )
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    figures = {(r["figure"], r["session_id"]): r["value"] for r in rows}
    assert figures[("joined", "")] == "2" and figures[("voted", "")] == "2"
    assert figures[("votes_served", "")] == "2" and figures[("votes_total", "")] == "3"
    assert figures[("votes_lost_to_clashes", "")] == "1"
    assert figures[("first_time_yes", "")] == "1" and figures[("first_time_answered", "")] == "1"
    snug = str(ids["snug"])
    assert figures[("session_votes", snug)] == "2"
    assert figures[("session_seated", snug)] == "1"
    assert {r["session"] for r in rows if r["session_id"] == snug} == {"Small talk"}
    for token in (staff, ev.join("Cy")["token"], None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for suffix in ("csv", "pdf"):
            ev.client.cookies.clear()  # making the event kept the organiser's key in one
            assert_problem(ev.client.get(f"/e/{ev.slug}/report.{suffix}", headers=headers))


def test_the_pdf_is_the_report_with_its_charts_described(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, _staff, _ids = reported(make_event)
    ev.client.cookies.set("snug_staff", ev.organiser)
    got = ev.client.get(f"/e/{ev.slug}/report.pdf")
    ev.client.cookies.clear()
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(got.content)).pages
    )
    assert "Votes served by the published grid" in text and "Small talk" in text
    assert "2 of 3 votes served (67%)." in text
    figures = figures_of_accessible_pdf(got.content)
    assert "Votes served and lost" in " ".join(f or "" for f in figures)


def test_the_report_is_in_the_organisers_language(make_event: Callable[..., ApiEvent]) -> None:
    """A bilingual event's report is for one person, so it is in their language alone."""
    ev, _staff, _ids = reported(make_event)
    ev.edit(languages=["cy", "en"])
    ev.client.cookies.set("snug_staff", ev.organiser)
    ev.client.cookies.set("snug_language", "cy")
    drawn = ev.client.get(f"/e/{ev.slug}/report")
    csv_file = ev.client.get(f"/e/{ev.slug}/report.csv", headers={"Accept-Language": "cy"})
    ev.client.cookies.clear()
    html = lxml.html.fromstring(drawn.text)
    assert html.get("lang") == "cy" and "Votes served" not in drawn.text
    lead = " ".join(html.xpath("//section[@aria-labelledby='served-heading']/p")[0].text.split())
    assert lead == "2 o 3 pleidlais wedi\u2019u bodloni (67%)."
    assert html.get_element_by_id("people-title").text == (
        "Pobl a ymunodd, a gynigiodd ac a bleidleisiodd"
    )
    # The CSV's codes are for programs: the same in every language.
    assert csv_file.content.decode("utf-8-sig").startswith("figure,session_id,session,day,value")
