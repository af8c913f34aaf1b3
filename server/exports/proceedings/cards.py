"""Link-preview images: 1200x630 PNG cards with the event or session and a few figures.

A card is drawn from a few lines of text only, so its ETag is known before any pixel is drawn,
and recently drawn cards are kept.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from server.exports.proceedings import words
from server.exports.proceedings.readmodel import Entry, Proceedings
from server.language import gettext as _
from server.language import speaking
from server.language.surfaces import both_text, spoken
from server.notes.markdown import one_line

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND, TEXT, MUTED, ACCENT = "#0b0c0c", "#ffffff", "#d5d6d6", "#ffdd00"
TITLE_SIZES = (76, 64, 54, 46)  # the largest that fits in TITLE_LINES
TITLE_LINES = 3
DESIGN = 1  # part of every ETag: change it when cards are drawn differently

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Card:
    kicker: str
    title: str
    subtitle: str
    figures: tuple[str, ...]

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(f"{DESIGN}{self!r}".encode()).hexdigest()[:32] + '"'


def proceedings_card(doc: Proceedings) -> Card:
    """In the event's first language; a bilingual event's kicker says both."""
    codes = spoken(doc.languages)
    with speaking(codes[0]):
        return Card(
            kicker=both_text(codes, lambda: _("Proceedings")),
            title=one_line(doc.name),
            subtitle=one_line(
                words.long_date(doc.date) + (f", {doc.venue}" if doc.venue.strip() else "")
            ),
            figures=tuple(
                figure
                for figure in (
                    words.sessions(len(doc.sessions)),
                    words.dots(doc.dots),
                    words.actions(len(doc.actions)),
                )
                if figure
            ),
        )


def session_card(doc: Proceedings, entry: Entry) -> Card:
    with speaking(spoken(doc.languages)[0]):
        figures = [words.dots(entry.votes)] if entry.votes is not None else []
        if entry.planned is not None:
            figures.append(words.planned_to_come(entry.planned))
        if entry.notes.actions:
            figures.append(words.actions(len(entry.notes.actions)))
        return Card(
            kicker=one_line(doc.name),
            title=one_line(entry.title),
            subtitle=one_line(
                _("%(where)s, %(date)s")
                % {"where": words.where(entry), "date": words.long_date(doc.date)}
            ),
            figures=tuple(figures),
        )


@lru_cache(maxsize=64)
def png(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    top = MARGIN - 10
    top = _write(draw, [_fit(draw, card.kicker, _font(34), 1)[0]], _font(34), ACCENT, top) + 24
    size, lines = _title_lines(draw, card.title)
    top = _write(draw, lines, _font(size), TEXT, top) + 20
    _write(draw, _fit(draw, card.subtitle, _font(36), 2), _font(36), MUTED, top)
    bottom = HEIGHT - MARGIN - 40
    draw.line((MARGIN, bottom - 28, WIDTH - MARGIN, bottom - 28), fill="#484949", width=2)
    figures = "   ·   ".join(card.figures)
    _write(draw, _fit(draw, figures, _font(34), 1), _font(34), TEXT, bottom)
    brand = _font(34)
    draw.text((WIDTH - MARGIN, bottom), "Snug", font=brand, fill=ACCENT, anchor="ra")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=8)
def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _title_lines(draw: ImageDraw.ImageDraw, title: str) -> tuple[int, list[str]]:
    for size in TITLE_SIZES:
        lines = _fit(draw, title, _font(size), TITLE_LINES)
        if " ".join(lines) == title:
            return size, lines
    return TITLE_SIZES[-1], lines


def _write(draw: ImageDraw.ImageDraw, lines: list[str], font: Font, fill: str, top: int) -> int:
    """Draws lines from ``top`` down; returns where the next text can start."""
    step = int(getattr(font, "size", 20) * 1.2)
    for line in lines:
        draw.text((MARGIN, top), line, font=font, fill=fill)
        top += step
    return top


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Font, most: int) -> list[str]:
    """The text wrapped to the card's width in at most ``most`` lines, the last cut with an
    ellipsis if it doesn't all fit. Words longer than a line are broken."""
    width = WIDTH - 2 * MARGIN - (140 if most == 1 else 0)  # one-liners leave room for the brand
    lines: list[str] = []
    current = ""
    for word in text.split():
        while draw.textlength(word, font=font) > width:
            cut = _longest(draw, word, font, width)
            lines += [current] if current else []
            lines.append(word[:cut])
            word, current = word[cut:], ""
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            current = trial
        else:
            lines.append(current)
            current = word
    lines += [current] if current else []
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    last = kept[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


def _longest(draw: ImageDraw.ImageDraw, word: str, font: Font, width: int) -> int:
    cut = len(word)
    while cut > 1 and draw.textlength(word[:cut], font=font) > width:
        cut -= 1
    return cut
