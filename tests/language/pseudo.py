"""A pseudo-language for the tests: every message in the source, extracted afresh, "translated"
into accented look-alikes of its own letters, about 40% longer and marked ⟦like this⟧, so a
page drawn in it shows at a glance (and to a test) any English that never reached gettext, and
any layout that breaks when a translation runs longer than the English.

Its code is one Babel knows (dates and numbers are drawn in the language being spoken, and
Babel refuses a code it has no data for), that the API's pattern for an event's languages
accepts (two or three small letters), and that Snug will never have a catalogue for: Coptic's,
a liturgical language, whose dates Babel draws in the Coptic alphabet, so they are never
mistaken for English left behind. Snug reads it from a copy of locales/ with the
pseudo-language added, named by SNUG_LOCALES_DIR (server/bundled.py).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from server.bundled import LOCALES_DIR
from server.language.catalogues import DOMAIN
from server.language.extraction import extract

CODE = "cop"
OPEN, CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧
# Each ASCII letter's accented look-alike; a vowel is also said twice, which makes a sentence
# about 40% longer, as German or Welsh often is.
LOOK_ALIKES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "áƀçđéƒĝĥíĵķĺɱñóþʠŕšŧúʋŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞɊŔŠŦÚṼŴẊÝŽ",
        strict=True,
    )
)
VOWELS = set("aeiouAEIOU")
# Left as they are: placeholders (%(name)s, %s, %%), HTML tags and entities, and {name}.
KEPT = re.compile(r"%\(\w+\)[sdfr]|%[sdfr%]|<[^>]*>|&[#\w]+;|\{\w+\}")


def pseudo(text: str) -> str:
    if not text:
        return text
    out: list[str] = []
    at = 0
    for kept in KEPT.finditer(text):
        out.append(_letters(text[at : kept.start()]))
        out.append(kept.group())
        at = kept.end()
    out.append(_letters(text[at:]))
    return f"{OPEN}{''.join(out)}{CLOSE}"


def _letters(text: str) -> str:
    return "".join(LOOK_ALIKES.get(c, c) * (2 if c in VOWELS else 1) for c in text)


def catalogue() -> Catalog:
    """Every message in the source, each with its pseudo-translation; a plural has two forms,
    as English does, each translated."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / f"{DOMAIN}.pot"
        extract(fresh)
        template = read_po(BytesIO(fresh.read_bytes()))
    found = Catalog(locale=CODE, domain=DOMAIN)
    # Two plural forms, as English has, whatever Babel knows of the code's own.
    found._num_plurals = 2  # type: ignore[assignment]
    found._plural_expr = "(n != 1)"  # type: ignore[assignment]
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string: str | tuple[str, ...] = tuple(pseudo(form) for form in message.id)
        else:
            string = pseudo(str(message.id))
        found.add(message.id, string, locations=message.locations, context=message.context)
    return found


def locales_with_pseudo(folder: Path) -> Path:
    """A copy of locales/ in ``folder`` with the pseudo-language added (its .po, for
    ``available()``, and its compiled .mo, newer than it); for SNUG_LOCALES_DIR."""
    copy = folder / "locales"
    shutil.copytree(LOCALES_DIR, copy, dirs_exist_ok=True)
    messages = copy / CODE / "LC_MESSAGES"
    messages.mkdir(parents=True, exist_ok=True)
    made = catalogue()
    with (messages / f"{DOMAIN}.po").open("wb") as po:
        write_po(po, made)
    with (messages / f"{DOMAIN}.mo").open("wb") as mo:
        write_mo(mo, made)
    return copy
