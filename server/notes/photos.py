"""Photos of flipcharts in session notes: cleaned of everything but their pixels, then kept.

A phone's photo carries EXIF (often where it was taken), XMP and colour profiles. Nothing is
kept as sent: the image is decoded, turned upright, brought to sRGB, shrunk to a size that
reads well on a screen and encoded afresh from its pixels alone. ``clean`` does that and is
pure; ``cleaned`` runs it on the photo threads, for uploads and archive imports alike. The
rest stores a cleaned photo and adds it to the notes document.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import threading
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from server.errors import Invalid, NotFound, Refused
from server.events.access import Actor
from server.events.models import Event
from server.language import N_, Nn_
from server.notes import document, editing, store
from server.notes.document import NotesContent, PhotoRef
from server.notes.editing import Session
from server.notes.models import Notes, Photo
from server.notes.store import Edited
from server.validation import NOT_TEXT
from server.workers import Workers

MAX_BYTES = 10 * 1024 * 1024
# Room for a 40-megapixel phone photo, read from the file's header: a small file that would
# unpack into gigabytes is refused before any pixel is decoded. Pillow is told the same, so
# nothing in this process decodes a larger image unawares.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
LONG_SIDE = 2048  # sharp on a laptop screen and in print, a few hundred KB to a phone
MAX_CAPTION = 200
JPEG_QUALITY = 85
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# A decoded photo takes up to 160 MB: two cleaned at once, four more waiting, and past that
# people are asked to send theirs again in a moment.
_cleaners = Workers(
    "photo",
    threads=2,
    waiting=4,
    busy=N_("Snug is busy with other photos just now. Send this one again in a few seconds."),
)
# Guards the switch of Pillow's process-wide setting below between the two threads.
_decoding = threading.Lock()


class PhotoTooLarge(Refused):
    status = 413
    title = N_("Photo too large")


class NotAPhoto(Refused):
    status = 415
    title = N_("Not a photo Snug can take")


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    media_type: str
    width: int
    height: int


def check_type(media_type: str) -> None:
    """Refuses, from its declared type alone, an upload that can't be a photo."""
    if media_type.partition(";")[0].strip().lower() not in MEDIA_TYPES.values():
        raise NotAPhoto(
            N_(
                "Send the photo as a JPEG, PNG or WebP image, with its Content-Type "
                "(image/jpeg, image/png or image/webp)."
            )
        )


def check_size(length: int) -> None:
    if length > MAX_BYTES:
        raise PhotoTooLarge(
            N_(
                "Photos can be at most %(most)s MB; this one is larger. "
                "Send it at a lower resolution or as a JPEG."
            ),
            values={"most": MAX_BYTES // (1024 * 1024)},
        )


async def cleaned(data: bytes, media_type: str) -> CleanPhoto:
    """``clean`` on the photo threads."""
    return await _cleaners.run(clean, data, media_type)


def clean(data: bytes, media_type: str) -> CleanPhoto:
    """The photo re-encoded from its pixels, upright, at most LONG_SIDE pixels long.

    The declared type must be one of the three, but the file's content decides what it is,
    since phones and browsers sometimes label one kind as another.
    """
    check_type(media_type)
    check_size(len(data))
    with _opened(data) as image:
        kind = _kind(image)
        pixels = _upright(_in_srgb(_decoded(image)))
        pixels.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        # A new image holds the pixels and nothing else: no EXIF, GPS, XMP, text or profile.
        bare = Image.new(_mode(pixels, kind), pixels.size)
        bare.paste(pixels.convert(bare.mode))
    return CleanPhoto(_encoded(bare, kind), MEDIA_TYPES[kind], bare.width, bare.height)


def _kind(image: Image.Image) -> str:
    # Many phones save photos as MPO: a JPEG with more JPEGs after it (depth, previews).
    # Pillow names it apart; its first picture is the photo, and it is kept as a JPEG.
    return "JPEG" if image.format == "MPO" else str(image.format)


def _too_many_pixels() -> PhotoTooLarge:
    return PhotoTooLarge(
        N_(
            "This image has more than %(most)s million pixels, far more than "
            "a photo of a flipchart needs. Send it at a lower resolution."
        ),
        values={"most": MAX_PIXELS // 1_000_000},
    )


def _opened(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=list(MEDIA_TYPES))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit, past ours: a warning (an error where warnings are errors).
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAPhoto(
            N_(
                "This file isn't a JPEG, PNG or WebP image that Snug can read. "
                "Take the photo again or export it as a JPEG."
            )
        ) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise _too_many_pixels()
    return image


def _decoded(image: Image.Image) -> Image.Image:
    if _kind(image) == "JPEG":
        # JPEG can be decoded straight at 1/2, 1/4 or 1/8 scale: far less memory and time.
        scale = LONG_SIDE / max(image.size)
        if scale < 1:
            image.draft(None, (round(image.width * scale), round(image.height * scale)))
    try:
        _load_whole(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:  # Pillow's decoders raise many kinds of error on a damaged file
        raise Invalid(
            N_(
                "This image couldn't be read in full: it may be damaged or cut short. "
                "Try sending it again."
            )
        ) from None
    return image


def _load_whole(image: Image.Image) -> None:
    """Decodes the image, failing if the file is cut short. WeasyPrint, once imported, tells
    Pillow to fill in what is missing instead, which suits a web page's images but would keep
    half a photo here."""
    with _decoding:
        allowed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = allowed


def _in_srgb(image: Image.Image) -> Image.Image:
    """The colours as they look, so that no profile needs to be kept."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the colours are near enough without it
    return converted if converted is not None else image


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # unreadable EXIF: keep the photo as it was taken
        return image


def _mode(image: Image.Image, kind: str) -> str:
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    return "RGBA" if alpha and kind != "JPEG" else "RGB"


def _encoded(image: Image.Image, kind: str) -> bytes:
    # Into a real file Pillow encodes with the GIL let go; into memory it keeps the GIL for
    # the whole of a progressive JPEG (a quarter of a second), and every socket waits.
    with tempfile.TemporaryFile() as file:
        if kind == "JPEG":
            image.save(file, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        elif kind == "WEBP":
            image.save(file, "WEBP", quality=JPEG_QUALITY)
        else:
            image.save(file, "PNG")
        file.seek(0)
        return file.read()


def caption_of(text: str) -> str:
    if NOT_TEXT.search(text):
        raise Invalid(N_("The caption holds a character no text can (NUL, or broken Unicode)."))
    caption = " ".join(text.split())
    if len(caption) > MAX_CAPTION:
        raise Invalid(
            Nn_(
                "A caption can be at most %(n)s character; this one has %(has)s.",
                "A caption can be at most %(n)s characters; this one has %(has)s.",
            ),
            values={"has": len(caption)},
            n=MAX_CAPTION,
        )
    return caption


def address(slug: str, photo_id: int, key: str) -> str:
    """Where a photo is shown: the key makes the address unguessable, so an img tag needs no
    secret."""
    return f"/e/{slug}/photos/{photo_id}/{key}"


@dataclass(frozen=True)
class Shown:
    """A photo as the notes show it: the caption is the one in the document now."""

    id: int
    key: str
    caption: str
    width: int
    height: int


@dataclass(frozen=True)
class Added:
    shown: Shown
    edited: Edited


def may_add(session: Session, actor: Actor) -> None:
    editing.may_write(actor)
    editing.not_final(session.notes)


async def add(session: Session, actor: Actor, data: bytes, media_type: str, caption: str) -> Added:
    """Cleans the photo, stores it and appends it to the notes, or leaves no trace of it."""
    may_add(session, actor)
    caption = caption_of(caption)
    photo = await cleaned(data, media_type)
    row = await Photo.create(
        notes_id=session.notes.id,
        key=secrets.token_urlsafe(16),
        data=photo.data,
        media_type=photo.media_type,
        width=photo.width,
        height=photo.height,
        caption=caption,
        attendee=actor.attendee,
    )
    # The row comes first so the document can name it; a refused or cancelled write takes it
    # away again.
    try:
        edited = await store.write(
            session.notes,
            actor,
            lambda doc: document.add_photo(doc, PhotoRef(row.id, caption)),
            guard=editing.not_final,
        )
    except BaseException:
        await row.delete()
        raise
    return Added(Shown(row.id, row.key, caption, row.width, row.height), edited)


async def shown_in(notes: Notes) -> list[Shown]:
    """The photos the notes show now, in their order (without loading the images)."""
    refs = NotesContent.from_json(notes.content).photos
    rows = await Photo.filter(notes_id=notes.id, id__in=[r.id for r in refs]).values(
        "id", "key", "width", "height"
    )
    found = {row["id"]: row for row in rows}
    shown: dict[int, Shown] = {}
    for ref in refs:
        row = found.get(ref.id)
        if row is not None and ref.id not in shown:
            shown[ref.id] = Shown(ref.id, row["key"], ref.caption, row["width"], row["height"])
    return list(shown.values())


async def find(event: Event, photo_id: int, key: str) -> Photo:
    photo = await Photo.get_or_none(id=photo_id, notes__event_id=event.id)
    if photo is None or not secrets.compare_digest(photo.key.encode(), key.encode()):
        raise NotFound(N_("There's no photo at this address. Check the link you were given."))
    # A photo taken out of the notes is no longer shown, even to someone with its address.
    notes = await Notes.get(id=photo.notes_id)
    if photo.id not in {p.id for p in NotesContent.from_json(notes.content).photos}:
        raise NotFound(N_("This photo was taken out of the session's notes."))
    if photo.media_type not in EXTENSIONS:
        # Imports kept photos as sent before they were cleaned like uploads: such a file may
        # be anything, so it is never served.
        raise NotFound(N_("This photo can't be shown: it came in an archive as something else."))
    return photo


def file_name(photo: Photo) -> str:
    """A name for saving the photo that says what it is and nothing anyone typed."""
    return f"photo-{photo.id}.{EXTENSIONS[photo.media_type]}"
