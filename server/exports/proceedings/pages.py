"""The proceedings and each session's write-up as HTML pages, with link-preview metadata.

Templates autoescape everything; notes Markdown comes in already made safe by
server/notes/markdown.py. The served page links its stylesheet (the site's CSP allows no inline
style); the standalone file carries its stylesheet and images inside, and its own CSP.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from server.bundled import WEB_DIR
from server.exports.proceedings import words
from server.exports.proceedings.readmodel import Entry, PhotoInfo, Proceedings
from server.language import gettext as _
from server.language import speaking
from server.language.surfaces import both, both_text, spoken
from server.notes.markdown import one_line, without_controls
from server.templates import render

STYLESHEET = WEB_DIR / "static" / "css" / "proceedings.css"
CARD_SIZE = (1200, 630)
# The downloaded file has no server behind it: only its own styles and images, nothing runs.
STANDALONE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)


@dataclass(frozen=True)
class Preview:
    """What a link preview shows (Open Graph and Twitter card)."""

    title: str
    description: str
    url: str
    image: str
    image_alt: str
    image_size: tuple[int, int]


def _render(template: str, doc: Proceedings, **context: Any) -> bytes:
    """Drawn in the event's languages, not the viewer's: the page is marked with the first,
    and ``{% call both() %}`` says a fixed word in each (server/language/surfaces.py)."""
    codes = spoken(doc.languages)
    with speaking(codes[0]):
        page = render(
            template,
            words=words,
            doc=doc,
            both=both(codes),
            lang=codes[0],
            plain=without_controls,
            **context,
        )
    return page.encode("utf-8")


def proceedings_preview(doc: Proceedings) -> Preview:
    codes = spoken(doc.languages)

    def named() -> str:
        return _("%(event)s: proceedings") % {"event": doc.name}

    with speaking(codes[0]):
        return Preview(
            title=one_line(both_text(codes, named)),
            description=words.summary_of(doc),
            url=doc.url,
            image=doc.card_url,
            image_alt=one_line(named() + ". " + ", ".join(words.figures(doc)) + "."),
            image_size=CARD_SIZE,
        )


def session_preview(doc: Proceedings, entry: Entry) -> Preview:
    with speaking(spoken(doc.languages)[0]):
        return _session_preview(doc, entry)


def _session_preview(doc: Proceedings, entry: Entry) -> Preview:
    photo = entry.notes.photos[0] if entry.notes.photos else None
    if photo is not None:
        image, size = photo.url, (photo.width, photo.height)
        alt = photo.caption or _("A photo from the session %(title)s") % {"title": entry.title}
    else:
        image, size = f"{entry.url}/card.png", CARD_SIZE
        alt = _("%(title)s: a session at %(event)s") % {"title": entry.title, "event": doc.name}
    return Preview(
        title=one_line(f"{entry.title} - {doc.name}"),
        description=words.summary_of_session(doc, entry),
        url=entry.url,
        image=image,
        image_alt=one_line(alt),
        image_size=size,
    )


def _served_photo(photo: PhotoInfo) -> str:
    return photo.path


def _inline_photo(photo: PhotoInfo) -> str:
    if photo.data is None:
        raise ValueError("The standalone proceedings need the photos loaded with their images.")
    return f"data:{photo.media_type};base64,{base64.b64encode(photo.data).decode('ascii')}"


def proceedings_page(doc: Proceedings) -> bytes:
    """The page served at /e/{slug}/proceedings."""
    return _proceedings(doc, standalone=False, photo=_served_photo)


def standalone(doc: Proceedings) -> bytes:
    """One HTML file with everything inside it, to keep or send on (and to make the PDF)."""
    return _proceedings(doc, standalone=True, photo=_inline_photo)


def _proceedings(doc: Proceedings, *, standalone: bool, photo: Callable[[PhotoInfo], str]) -> bytes:
    return _render(
        "proceedings.html",
        doc,
        preview=proceedings_preview(doc),
        standalone=standalone,
        stylesheet=Markup(STYLESHEET.read_text()) if standalone else None,
        policy=STANDALONE_POLICY,
        photo=photo,
    )


def write_up(doc: Proceedings, entry: Entry) -> bytes:
    """The page of one session's write-up, at /e/{slug}/proceedings/{pitch}."""
    return _render(
        "writeup.html",
        doc,
        entry=entry,
        preview=session_preview(doc, entry),
        standalone=False,
        stylesheet=None,
        policy=STANDALONE_POLICY,
        photo=_served_photo,
    )
