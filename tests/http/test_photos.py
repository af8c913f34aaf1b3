"""Flipchart photos over HTTP: an attendee uploads, everyone at the event sees it listed and at
its address; outsiders, oversized files, non-images and final notes are refused, changing
nothing."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from PIL import ExifTags, Image

from server.notes.photos import MAX_BYTES
from server.validation import validate
from tests.conftest import ApiEvent
from tests.http.helpers import assert_problem


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSMapDatum] = "SNUG-HTTP-DATUM"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (30, 120, 60)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


class Notes:
    """One session's notes in a fresh event, with a host and another attendee."""

    def __init__(self, make_event: Callable[..., ApiEvent]) -> None:
        self.ev = make_event()
        self.host = self.ev.join("Host")["token"]
        self.other = self.ev.join()["token"]
        self.pitch = self.ev.pitch(self.host, "Flipcharts")["id"]
        self.path = f"/pitches/{self.pitch}/notes/photos"

    def upload(
        self, token: str | None, body: bytes | Iterator[bytes], media_type: str, **params: str
    ) -> httpx.Response:
        headers = {"Content-Type": media_type}
        return self.ev.call("POST", self.path, token, content=body, headers=headers, params=params)

    def listed(self) -> list[dict[str, Any]]:
        return list(self.ev.ok("GET", self.path, self.other))

    def content(self) -> dict[str, Any]:
        return dict(self.ev.ok("GET", f"/pitches/{self.pitch}/notes", self.host)["content"])


@pytest.fixture
def notes(make_event: Callable[..., ApiEvent]) -> Notes:
    return Notes(make_event)


def test_an_attendee_uploads_a_photo_that_everyone_there_sees(notes: Notes) -> None:
    response = notes.upload(notes.other, jpeg_with_gps(), "image/jpeg", caption="Our <b>wall</b>")
    assert response.status_code == 201, response.text
    made = response.json()
    validate("photo", made)
    assert (made["caption"], made["width"], made["height"]) == ("Our <b>wall</b>", 300, 200)
    assert made["url"].startswith(f"/e/{notes.ev.slug}/photos/{made['id']}/")
    assert notes.listed() == [made]
    assert notes.content()["photos"] == [{"id": made["id"], "caption": "Our <b>wall</b>"}]

    shown = notes.ev.client.get(made["url"])
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/jpeg"
    assert shown.headers["cache-control"] == "public, max-age=86400"
    # Opened on its own, whatever a browser made of it, it could run nothing on Snug's origin.
    assert shown.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-disposition"] == f'inline; filename="photo-{made["id"]}.jpg"'
    image = Image.open(io.BytesIO(shown.content))
    assert image.format == "JPEG" and image.size == (300, 200) and not image.getexif()
    assert b"SNUG-HTTP-DATUM" not in shown.content
    again = notes.ev.client.get(made["url"], headers={"If-None-Match": shown.headers["etag"]})
    assert again.status_code == 304 and not again.content

    png_made = notes.ev.ok(
        "POST",
        notes.path,
        notes.host,
        status=201,
        content=png(),
        headers={"Content-Type": "image/png"},
    )
    assert [p["id"] for p in notes.listed()] == [made["id"], png_made["id"]]
    png_shown = notes.ev.client.get(png_made["url"])
    assert png_shown.headers["content-type"] == "image/png"
    assert png_shown.headers["content-disposition"].endswith(f'photo-{png_made["id"]}.png"')


def test_the_public_and_wrong_keys_can_neither_upload_nor_list(notes: Notes) -> None:
    assert_problem(notes.upload(None, png(), "image/png"), 403)
    assert_problem(notes.upload("not-a-key", png(), "image/png"), 401)
    assert_problem(notes.ev.call("GET", notes.path), 403)
    assert_problem(notes.ev.call("GET", notes.path, "not-a-key"), 401)
    assert notes.listed() == []


def test_a_photo_address_with_a_wrong_key_or_event_shows_nothing(
    notes: Notes, make_event: Callable[..., ApiEvent]
) -> None:
    made = notes.ev.ok(
        "POST",
        notes.path,
        notes.host,
        status=201,
        content=png(),
        headers={"Content-Type": "image/png"},
    )
    client = notes.ev.client
    assert_problem(client.get(made["url"][: -len(made["url"].rsplit("/", 1)[1])] + "wrong"), 404)
    elsewhere = make_event()
    assert_problem(client.get(made["url"].replace(notes.ev.slug, elsewhere.slug, 1)), 404)
    assert client.get(made["url"]).status_code == 200


def assert_refused_unchanged(
    notes: Notes, response: httpx.Response, status: int, words: str
) -> None:
    problem = assert_problem(response, status)
    assert words in problem["detail"], problem
    assert notes.listed() == []
    assert notes.content()["photos"] == []


def test_an_oversized_upload_is_refused_and_changes_nothing(notes: Notes) -> None:
    too_big = b"\xff\xd8" + b"\x00" * (MAX_BYTES - 1)
    assert_refused_unchanged(
        notes, notes.upload(notes.host, too_big, "image/jpeg"), 413, "at most 10 MB"
    )

    def streamed() -> Iterator[bytes]:  # no Content-Length: the server counts as it reads
        for _ in range(11):
            yield b"\x00" * (1024 * 1024)

    assert_refused_unchanged(
        notes, notes.upload(notes.host, streamed(), "image/jpeg"), 413, "at most 10 MB"
    )


def test_a_non_image_is_refused_and_changes_nothing(notes: Notes) -> None:
    text = b"These are my notes, not a photo.\n"
    assert_refused_unchanged(
        notes, notes.upload(notes.host, text, "image/jpeg"), 415, "JPEG, PNG or WebP"
    )
    assert_refused_unchanged(
        notes, notes.upload(notes.host, png(), "text/plain"), 415, "JPEG, PNG or WebP"
    )
    long_caption = notes.upload(notes.host, png(), "image/png", caption="x" * 201)
    assert_refused_unchanged(notes, long_caption, 422, "at most 200 characters")


def test_final_notes_take_no_photo(notes: Notes) -> None:
    notes.ev.ok("PUT", f"/pitches/{notes.pitch}/notes/final", notes.host, json={"final": True})
    assert_refused_unchanged(
        notes, notes.upload(notes.other, png(), "image/png"), 409, "marked final"
    )


def test_the_upload_is_in_the_openapi_description(notes: Notes) -> None:
    described = notes.ev.client.get("/openapi.json").json()
    operations = described["paths"]["/api/e/{slug}/pitches/{pitch_id}/notes/photos"]
    assert {"get", "post"} <= set(operations)
    assert "10 MB" in operations["post"]["summary"]
