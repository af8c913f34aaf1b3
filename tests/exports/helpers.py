"""Shared by the export tests: a published grid across a daylight-saving change, parsers and
the published frab schemas, read in place from beside the project."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import icalendar
import jsonschema
import lxml.html
import pytest
from dateutil import tz
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from tests.conftest import IN_CI, ApiEvent

PDFUA_ID = "http://www.aiim.org/pdfua/ns/id/"
VOC_SCHEDULE = Path(__file__).resolve().parents[3] / "shared" / "external" / "voc-schedule"

# Europe/London goes from GMT to BST at 01:00 UTC on Sunday 29 March 2026.
DST_SLOTS = [
    {"starts_at": "2026-03-28T10:00", "ends_at": "2026-03-28T10:45", "label": "Saturday"},
    {"starts_at": "2026-03-29T00:30", "ends_at": "2026-03-29T02:30", "label": "Across"},
    {"starts_at": "2026-03-29T10:00", "ends_at": "2026-03-29T10:45", "label": "Sunday"},
]
DST_ROOMS = [{"name": "Great Hall", "capacity": 50}, {"name": "Loft", "capacity": 10}]
# Local wall-clock slot times and the instants they stand for.
UTC_TIMES = {
    "Saturday": (
        datetime(2026, 3, 28, 10, 0, tzinfo=UTC),
        datetime(2026, 3, 28, 10, 45, tzinfo=UTC),
    ),
    "Across": (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    "Sunday": (datetime(2026, 3, 29, 9, 0, tzinfo=UTC), datetime(2026, 3, 29, 9, 45, tzinfo=UTC)),
}


@dataclass
class Published:
    ev: ApiEvent
    fac: str
    rooms: dict[str, int]
    slots: dict[str, int]
    pitches: dict[str, int] = field(default_factory=dict)  # title -> id

    def version(self) -> int:
        return int(self.ev.state(self.fac)["draft"]["version"])

    def do(self, what: str, **body: Any) -> dict[str, Any]:
        body.setdefault("version", self.version())
        return dict(self.ev.ok("POST", f"/grid/{what}", self.fac, json=body))

    def move(self, title: str, room: str, slot: str) -> None:
        self.do("move", pitch=self.pitches[title], room=self.rooms[room], slot=self.slots[slot])

    def get(self, path: str, **headers: str) -> httpx.Response:
        return self.ev.client.get(f"/e/{self.ev.slug}{path}", headers=headers)


SESSIONS = {
    # title: (room, slot, pitch text, host)
    "Before the change": ("Great Hall", "Saturday", "Saturday morning, on GMT.", "Ann"),
    "Through the night": ("Loft", "Across", "Runs while the clocks go forward.", "Bo"),
    "After the change": ("Great Hall", "Sunday", "Sunday morning, on BST.", "Cy"),
}


def make_published(
    make_event: Callable[..., ApiEvent],
    sessions: dict[str, tuple[str, str, str, str]] | None = None,
    publish: bool = True,
) -> Published:
    ev = make_event(
        date="2026-03-28",
        timezone="Europe/London",
        rooms=[dict(r) for r in DST_ROOMS],
        slots=[dict(s) for s in DST_SLOTS],
    )
    fac = ev.facilitator()
    state = ev.state(fac)
    made = Published(
        ev,
        fac,
        {r["name"]: r["id"] for r in state["rooms"]},
        {s["label"]: s["id"] for s in state["slots"]},
    )
    for title, (room, slot, text, host) in (SESSIONS if sessions is None else sessions).items():
        made.pitches[title] = ev.pitch(fac, title, pitch=text, host=host)["id"]
        made.move(title, room, slot)
    if publish:
        made.do("publish")
    return made


# --- iCalendar, parsed twice --------------------------------------------------------------


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by SUMMARY, parsed by icalendar."""
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "lines must end in CRLF"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def independent_instants(body: bytes) -> dict[str, tuple[datetime, datetime]]:
    """UTC start and end of each event, read from the raw lines by hand, with the feed's own
    VTIMEZONE interpreted by dateutil's tzical (no icalendar involved)."""
    lines = unfold(body)
    begin, end = lines.index("BEGIN:VTIMEZONE"), lines.index("END:VTIMEZONE")
    zones = tz.tzical(io.StringIO("\r\n".join(lines[begin : end + 1])))
    found: dict[str, tuple[datetime, datetime]] = {}
    current: dict[str, datetime | str] = {}
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif match := re.fullmatch(r"(DTSTART|DTEND);TZID=([^:;]+):(\d{8}T\d{6})", line):
            name, tzid, stamp = match.groups()
            local = datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=zones.get(tzid))
            current[name] = local.astimezone(UTC)
        elif line.startswith("SUMMARY:"):
            current["SUMMARY"] = line.removeprefix("SUMMARY:").replace("\\,", ",")
        elif line == "END:VEVENT" and "DTSTART" in current:
            start, finish = current["DTSTART"], current["DTEND"]
            assert isinstance(start, datetime) and isinstance(finish, datetime)
            found[str(current["SUMMARY"])] = (start, finish)
    return found


# --- The published frab schemas, read in place -------------------------------------------


def voc_schedule_file(name: str) -> Path:
    path = VOC_SCHEDULE / name
    if not path.is_file():
        message = (
            f"The published c3voc schedule schema {path} is missing; it sits beside the project "
            "in ../shared/external/voc-schedule/ (see SOURCE.md there)."
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def validate_frab_xml(body: bytes) -> etree._Element:
    schema = etree.XMLSchema(etree.parse(str(voc_schedule_file("schedule.xml.xsd"))))
    document = etree.fromstring(body)
    assert schema.validate(document), schema.error_log
    return document


def validate_frab_json(body: bytes) -> dict[str, Any]:
    schema = json.loads(voc_schedule_file("schema.json").read_text())
    validator = jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )
    document = json.loads(body)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return dict(document)


# --- PDF/UA, read back with pypdf ------------------------------------------------------------


def figures_of_accessible_pdf(body: bytes) -> list[str | None]:
    """Checks what PDF/UA-1 asks of the document as a whole (marked content, a structure tree,
    a language, the identification in the XMP metadata) and returns each Figure structure
    element's alternative text, in reading order (None where one has none)."""
    reader = PdfReader(io.BytesIO(body))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert str(catalog.get("/Lang", "")).strip(), "the document has no language"
    xmp = etree.fromstring(catalog["/Metadata"].get_object().get_data())
    parts = xmp.xpath("//@pdfuaid:part", namespaces={"pdfuaid": PDFUA_ID})
    assert parts == ["1"], etree.tostring(xmp)
    figures: list[str | None] = []

    def walk(element: Any) -> None:
        element = element.get_object()
        if isinstance(element, list):
            for child in element:
                walk(child)
        elif isinstance(element, dict):
            if element.get("/S") == "/Figure":
                alt = element.get("/Alt")
                figures.append(str(alt) if alt is not None else None)
            if "/K" in element:
                walk(element["/K"])

    walk(catalog["/StructTreeRoot"])
    return figures


# --- Right-to-left text people typed, isolated in HTML ---------------------------------------

RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def unisolated_right_to_left(html: str | bytes) -> list[str]:
    """Each piece of the page's visible text with right-to-left letters that sits in no
    ``<bdi>`` and no ``dir="auto"`` element (an SVG's title is the PDF's alt text, not text)."""
    body = lxml.html.fromstring(html).find("body")
    assert body is not None
    loose = []
    for element in body.iter():
        owners = [(element, element.text)] if isinstance(element.tag, str) else []
        owners.append((element.getparent(), element.tail))
        for owner, text in owners:
            if owner is None or not text or not RIGHT_TO_LEFT.search(text):
                continue
            around = [owner, *owner.iterancestors()]
            if any(e.tag == "svg" for e in around):
                continue
            if not any(e.tag == "bdi" or e.get("dir") == "auto" for e in around):
                loose.append(text)
    return loose


def visible_text(html: str | bytes) -> str:
    body = lxml.html.fromstring(html).find("body")
    assert body is not None
    return " ".join(body.text_content().split())
