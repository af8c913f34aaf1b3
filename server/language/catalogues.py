"""The translations, read from locales/: a language's compiled messages.mo as the package
build made it, or, in a checkout where it is missing or older than its .po (a translator's
edit, a fresh clone), compiled from the .po in memory. Fuzzy messages are left out, as
gettext's own tools leave them, so a guess is never shown as a translation.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from server.bundled import LOCALES_DIR

DOMAIN = "messages"


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def available() -> tuple[str, ...]:
    """The languages with a catalogue, as Snug started: asked on every request."""
    return tuple(
        sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    )


@cache
def catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


@cache
def translations(language: str) -> NullTranslations:
    """English is the source: its messages are said as written."""
    po = po_path(language)
    if not po.is_file():
        return NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return Translations(compiled, domain=DOMAIN)
    compiled_now = BytesIO()
    write_mo(compiled_now, catalogue(language))
    compiled_now.seek(0)
    return Translations(compiled_now, domain=DOMAIN)


def plural_forms(language: str, singular: str, plural: str) -> list[str]:
    """A counted message's forms in a language, in the order gettext numbers them (as
    for_scripts gives them); the English two where it has no translation."""
    found = catalogue(language).get(singular) if po_path(language).is_file() else None
    forms = found.string if found is not None and not found.fuzzy else None
    if not isinstance(forms, tuple | list) or not all(forms):
        return [singular, plural]
    return [str(form) for form in forms]


SCRIPTS = "web/static/js/"


@cache
def for_scripts(language: str) -> dict[str, str | list[str]]:
    """Every translated message the pages' scripts say (found in web/static/js/), for them: a
    message to its translation, or a plural's singular to the language's plural forms. Only
    theirs: every phone fetches this, and the pages' own words arrive drawn."""
    if not po_path(language).is_file():
        return {}
    found: dict[str, str | list[str]] = {}
    for message in catalogue(language):
        if not message.id or message.fuzzy or not message.string:
            continue
        if not any(path.startswith(SCRIPTS) for path, _line in message.locations):
            continue
        if isinstance(message.id, tuple):
            found[str(message.id[0])] = [str(form) for form in message.string]
        else:
            found[str(message.id)] = str(message.string)
    return found
