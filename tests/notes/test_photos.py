"""Flipchart photos: kept as pixels only (no EXIF, GPS, XMP, text or profile), upright, shrunk;
anything else refused with a sentence; stored with the notes or not at all."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile
from PIL.PngImagePlugin import PngInfo

from server.errors import Conflict, Forbidden, Invalid, Refused
from server.events.access import PUBLIC
from server.marketplace import pitches
from server.notes import document, editing, photos, store
from server.notes.document import PhotoRef
from server.notes.editing import Session
from server.notes.models import Notes, Photo
from server.notes.photos import MAX_BYTES, NotAPhoto, PhotoTooLarge, clean
from tests.conftest import Domain

DATUM = "SNUG-TEST-DATUM"  # a GPS value that can be searched for in the bytes
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>SNUG-XMP-SECRET</rdf:RDF></x:xmpmeta>'


def encoded(image: Image.Image, kind: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def halves(size: tuple[int, int] = (400, 200)) -> Image.Image:
    """Red on the left half, blue on the right."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SNUG-CAMERA"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    gps[ExifTags.GPS.GPSMapDatum] = DATUM
    return exif


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims these dimensions: a few dozen bytes that would unpack enormously."""

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def test_a_jpeg_loses_its_exif_gps_xmp_and_profile() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    sent = encoded(
        halves(), "JPEG", exif=exif_with_gps(), xmp=XMP, icc_profile=profile, comment=b"SNUG-NOTE"
    )
    assert DATUM.encode() in sent and b"SNUG-XMP-SECRET" in sent  # the test image has them
    assert opened(sent).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    kept = clean(sent, "image/jpeg")
    image = opened(kept.data)
    assert (kept.media_type, image.format) == ("image/jpeg", "JPEG")
    assert (kept.width, kept.height) == image.size == (400, 200)
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    for trace in (DATUM.encode(), b"SNUG-CAMERA", b"SNUG-XMP-SECRET", b"SNUG-NOTE"):
        assert trace not in kept.data
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"ICC_PROFILE"):
        assert marker not in kept.data


def test_a_phone_photo_saved_as_mpo_is_kept_as_a_plain_jpeg() -> None:
    data = encoded(
        halves(), "MPO", save_all=True, append_images=[halves((100, 50))], exif=exif_with_gps()
    )
    assert opened(data).format == "MPO", "the test photo is an MPO, as many phones save"
    photo = clean(data, "image/jpeg")
    assert photo.media_type == "image/jpeg" and (photo.width, photo.height) == (400, 200)
    kept = opened(photo.data)
    assert kept.format == "JPEG" and not kept.getexif()
    assert b"SNUG-CAMERA" not in photo.data


def test_the_exif_orientation_is_applied() -> None:
    # Orientation 6: the camera was turned, so the picture must turn a quarter clockwise.
    sent = encoded(halves(), "JPEG", exif=exif_with_gps(orientation=6), quality=95)
    kept = clean(sent, "image/jpeg")
    image = opened(kept.data).convert("RGB")
    assert image.size == (200, 400)
    top, bottom = image.getpixel((100, 50)), image.getpixel((100, 350))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 150 > top[2], top  # the left half, red, is now on top
    assert bottom[2] > 150 > bottom[0], bottom


def test_a_large_photo_is_shrunk_to_2048_pixels_on_its_long_side() -> None:
    kept = clean(encoded(halves((6000, 4000)), "JPEG"), "image/jpeg")
    assert kept.width == 2048 and kept.height in (1365, 1366)
    assert opened(kept.data).size == (kept.width, kept.height)


def test_a_small_photo_keeps_its_size() -> None:
    kept = clean(encoded(halves((640, 480)), "PNG"), "image/png")
    assert (kept.width, kept.height) == (640, 480)


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency() -> None:
    info = PngInfo()
    info.add_text("Author", "SNUG-AUTHOR-NAME")
    info.add_itxt("Location", "SNUG-PLACE", zip=False)
    image = Image.new("RGBA", (120, 80), (10, 20, 30, 0))
    image.paste((200, 100, 0, 255), (0, 0, 60, 80))
    sent = encoded(image, "PNG", pnginfo=info, exif=exif_with_gps())
    assert b"SNUG-AUTHOR-NAME" in sent

    kept = clean(sent, "image/png")
    back = opened(kept.data)
    assert (kept.media_type, back.format, back.mode) == ("image/png", "PNG", "RGBA")
    assert not {"Author", "Location", "exif"} & set(back.info)
    assert not back.getexif()
    for trace in (b"SNUG-AUTHOR-NAME", b"SNUG-PLACE", DATUM.encode(), b"tEXt", b"iTXt", b"eXIf"):
        assert trace not in kept.data
    assert back.getpixel((10, 10)) == (200, 100, 0, 255)
    transparent = back.getpixel((100, 10))
    assert isinstance(transparent, tuple) and transparent[3] == 0


def test_a_webp_stays_webp_without_its_exif() -> None:
    kept = clean(encoded(halves(), "WEBP", exif=exif_with_gps()), "image/webp")
    image = opened(kept.data)
    assert (kept.media_type, image.format) == ("image/webp", "WEBP")
    assert not image.getexif() and DATUM.encode() not in kept.data


def test_the_content_decides_the_kind_not_the_label() -> None:
    kept = clean(encoded(halves(), "JPEG"), "image/png")
    assert kept.media_type == "image/jpeg" and opened(kept.data).format == "JPEG"


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"Minutes of the meeting\nNot a photo at all.\n", "image/jpeg"),  # a text file
        (encoded(halves(), "GIF"), "image/png"),  # an image, but not one of the three
        (encoded(halves(), "PNG"), "text/plain"),
        (encoded(halves(), "GIF"), "image/gif"),
    ],
    ids=["text-as-jpeg", "gif-as-png", "png-as-text", "gif"],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(data: bytes, media_type: str) -> None:
    with pytest.raises(NotAPhoto, match="JPEG, PNG or WebP") as refused:
        clean(data, media_type)
    assert refused.value.status == 415


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
@pytest.mark.parametrize("lenient", [False, True], ids=["pillow-default", "after-weasyprint"])
def test_a_photo_cut_short_is_refused(
    kind: str, lenient: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Importing WeasyPrint (for any PDF) switches Pillow to filling in cut-short files.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    whole = encoded(Image.effect_noise((800, 600), 60).convert("RGB"), kind)
    with pytest.raises(Invalid, match="couldn't be read in full"):
        clean(whole[: len(whole) // 2], f"image/{kind.lower()}")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is lenient  # as it was, for WeasyPrint


def test_more_than_10_mb_is_refused_before_decoding() -> None:
    with pytest.raises(PhotoTooLarge, match="at most 10 MB") as refused:
        clean(b"\xff" * (MAX_BYTES + 1), "image/jpeg")
    assert refused.value.status == 413


@pytest.mark.parametrize(
    "size",
    [(8000, 8000), (7000, 6000), (20_000, 20_000), (50_000, 50_000)],
    ids=["8000-square", "over-snugs-limit", "over-pillows-warning", "over-pillows-error"],
)
def test_a_decompression_bomb_is_refused_from_its_header(size: tuple[int, int]) -> None:
    bomb = png_header_only(*size)
    assert len(bomb) < 200
    # Too large, not cut short: the refusal comes from the header, before any decoding.
    with pytest.raises(PhotoTooLarge, match="more than 40 million pixels"):
        clean(bomb, "image/png")


def test_a_photo_at_the_pixel_limit_is_decoded() -> None:
    kept = clean(encoded(halves((8000, 5000)), "JPEG"), "image/jpeg")
    assert (kept.width, kept.height) == (2048, 1280)


def black_png(width: int, height: int) -> bytes:
    """A whole PNG of that size, made row by row: a few hundred KB that decode to much more."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)  # no filter, then black RGB pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def test_refusing_an_8000_pixel_square_takes_no_memory_to_speak_of(tmp_path: Path) -> None:
    # Decoding it would take 192 MB and more to shrink it; measured in a process of its own.
    bomb = tmp_path / "flipchart.png"
    bomb.write_bytes(black_png(8000, 8000))
    assert bomb.stat().st_size < 1_000_000
    script = (
        "import resource, sys\n"
        "from server.errors import Refused\n"
        "from server.notes import photos\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    photos.clean(data, 'image/png')\n"
        "except Refused as refused:\n"
        "    print(refused.message)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    run = [sys.executable, "-W", "ignore", "-c", script, str(bomb)]
    said, grew = subprocess.run(run, capture_output=True, text=True, check=True).stdout.splitlines()
    assert "more than 40 million pixels" in said
    assert int(grew) < 20_000, f"{grew} KB"  # KB on Linux


def test_captions_are_one_line_and_capped() -> None:
    assert photos.caption_of("  The  wall\nof ideas ") == "The wall of ideas"
    assert photos.caption_of("x" * 200) == "x" * 200
    with pytest.raises(Invalid, match="at most 200"):
        photos.caption_of("x" * 201)


# --- Stored with the notes -------------------------------------------------------------------


async def _session(domain: Domain) -> tuple[Session, Any, Any]:
    event = await domain.event()
    host = await domain.attendee(event, "Ana")
    view = await domain.run(event, host, pitches.create_pitch, {"title": "Flipcharts"})
    return await editing.open_notes(event, view["id"], host), host, event


async def _fresh(session: Session) -> Session:
    notes = await Notes.get(id=session.notes.id)
    return Session(session.event, session.pitch, notes)


PNG = encoded(halves((64, 32)), "PNG")


async def test_a_photo_is_stored_cleaned_and_added_to_the_notes(domain: Domain) -> None:
    session, host, _event = await _session(domain)
    added = await photos.add(
        session, host, encoded(halves(), "JPEG", exif=exif_with_gps()), "image/jpeg", " The  wall "
    )
    row = await Photo.get(id=added.shown.id)
    assert (row.media_type, row.width, row.height, row.caption) == (
        "image/jpeg",
        400,
        200,
        "The wall",
    )
    assert DATUM.encode() not in bytes(row.data) and row.attendee_id == host.attendee.id
    assert len(row.key) >= 20
    store.forget_cached()
    content = document.read(await store.document_now(session.notes))
    assert content.photos == (PhotoRef(row.id, "The wall"),)
    assert added.edited.update  # what open notes pages are sent
    shown = await photos.shown_in(await Notes.get(id=session.notes.id))
    assert [(s.id, s.caption, s.width) for s in shown] == [(row.id, "The wall", 400)]
    assert await photos.find(session.event, row.id, row.key) == row


async def test_the_list_follows_the_document(domain: Domain) -> None:
    session, host, _event = await _session(domain)
    first = await photos.add(session, host, PNG, "image/png", "first")
    second = await photos.add(session, host, PNG, "image/png", "second")
    # Someone removes the first photo and renames the second in the document itself.
    renamed = document.NotesContent(photos=(PhotoRef(second.shown.id, "renamed"),))
    await store.write(session.notes, host, lambda doc: document.write(doc, renamed))
    shown = await photos.shown_in(await Notes.get(id=session.notes.id))
    assert [(s.id, s.caption) for s in shown] == [(second.shown.id, "renamed")]
    assert await Photo.exists(id=first.shown.id)  # kept, so restoring a version brings it back


async def test_the_public_and_final_notes_get_no_photo_and_nothing_is_kept(
    domain: Domain,
) -> None:
    session, host, _event = await _session(domain)
    with pytest.raises(Forbidden):
        await photos.add(session, PUBLIC, PNG, "image/png", "")
    await editing.mark_final(session, host, True)
    with pytest.raises(Conflict, match="marked final"):
        await photos.add(await _fresh(session), host, PNG, "image/png", "")
    assert not await Photo.exists(notes_id=session.notes.id)


async def test_a_refused_write_leaves_no_photo_row(domain: Domain) -> None:
    session, host, _event = await _session(domain)
    for number in range(document.MAX_PHOTOS):
        await photos.add(session, host, PNG, "image/png", f"photo {number}")
    with pytest.raises(Refused, match=f"at most {document.MAX_PHOTOS} photos"):
        await photos.add(session, host, PNG, "image/png", "one too many")
    assert await Photo.filter(notes_id=session.notes.id).count() == document.MAX_PHOTOS
    assert not await Photo.exists(notes_id=session.notes.id, caption="one too many")


async def test_a_wrong_key_or_another_event_finds_no_photo(domain: Domain) -> None:
    session, host, _event = await _session(domain)
    added = await photos.add(session, host, PNG, "image/png", "")
    other, *_ = await _session(domain)
    with pytest.raises(Refused, match="no photo at this address"):
        await photos.find(session.event, added.shown.id, "0" * len(added.shown.key))
    with pytest.raises(Refused, match="no photo at this address"):
        await photos.find(other.event, added.shown.id, added.shown.key)
