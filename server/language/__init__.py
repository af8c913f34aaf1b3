"""The languages Snug speaks: English, in which every message is written (the source), and
Welsh, from locales/cy/LC_MESSAGES/messages.po. A translator adds another by adding its .po.

Which language a request is answered in is chosen once, as it arrives (``server/http/
language.py``), and kept for the rest of its work in a context variable, so templates, problem
details and domain sentences all read the same choice without it being passed down to them.
Code that runs outside a request (a worker, a batch of writes) speaks English unless it sets
the choice itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cache

from babel import negotiate_locale

from server.language import catalogues
from server.language.catalogues import available, translations

SOURCE = "en"
# Each language named in its own words, as the toggle offers it; the order is the toggle's.
NAMES = {"cy": "Cymraeg", "en": "English"}
COOKIE = "snug_language"
# An Accept-Language header longer than this is cut here: a browser sends a few tags.
ACCEPT_LANGUAGE_LIMIT = 500


@cache
def languages() -> tuple[str, ...]:
    """English and every language with a catalogue, in the toggle's order: those named
    above first, as listed there, then any a translator added. Worked out once: every
    request and socket asks."""
    order = list(NAMES)
    found = {SOURCE, *available()}
    return tuple(
        sorted(found, key=lambda code: (order.index(code) if code in order else len(order), code))
    )


@dataclass(frozen=True)
class Asked:
    """The language a request is answered in, and the page the toggle returns to. What the
    person asked for is kept too, so that an event held in fewer languages than Snug speaks
    can choose again among its own (``held_in``)."""

    language: str = SOURCE
    page: str = "/"
    kept: str | None = None  # the toggle's cookie
    accept_language: str = ""
    offered: tuple[str, ...] = ()  # the languages this page offers; () for all Snug speaks


NOTHING_ASKED = Asked()  # outside any request: English
asked: ContextVar[Asked] = ContextVar("asked", default=NOTHING_ASKED)


def current() -> str:
    return asked.get().language


def accepted(header: str) -> list[str]:
    """The tags of an Accept-Language header, most wanted first; q=0 means "not this"."""
    weighed: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:ACCEPT_LANGUAGE_LIMIT].split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if tag and tag != "*" and weight > 0:
            weighed.append((-weight, position, tag))
    return [tag for _weight, _position, tag in sorted(weighed)]


def choose(kept: str | None, accept_language: str, offered: tuple[str, ...] = ()) -> str:
    """Among the languages offered (all Snug speaks, unless an event says fewer): the one
    someone chose and kept (the cookie), else the first their browser asks for, else English,
    else the first offered."""
    offered = offered or languages()
    if kept in offered:
        return kept
    found = negotiate_locale(accepted(accept_language), offered, sep="-")
    return found or (SOURCE if SOURCE in offered else offered[0])


def of_environment(environ: Mapping[str, str]) -> str:
    """The language a command run in a terminal speaks: the first Snug knows among LANGUAGE
    (a list, "cy:en"), LC_ALL, LC_MESSAGES and LANG ("cy_GB.UTF-8"), as gettext looks; else
    English."""
    wanted: list[str] = []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in environ.get(name, "").split(":"):
            code = tag.partition(".")[0].partition("@")[0]
            if code and code not in ("C", "POSIX"):
                wanted.append(code)
    return negotiate_locale(wanted, languages(), sep="_") or SOURCE


def held_in(codes: list[str]) -> None:
    """From here on, this request or socket speaks one of an event's languages (and its
    toggle offers only those): an event held in Welsh alone is Welsh to everyone."""
    now = asked.get()
    offered = tuple(code for code in languages() if code in codes) or (SOURCE,)
    chosen = choose(now.kept, now.accept_language, offered)
    asked.set(replace(now, language=chosen, offered=offered))


def offered() -> tuple[str, ...]:
    """The languages the toggle offers on this page."""
    return asked.get().offered or languages()


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def plural_forms(singular: str, plural: str) -> list[str]:
    """A counted message's forms in the asker's language, for a script to count (i18n.js)."""
    return catalogues.plural_forms(current(), singular, plural)


def pgettext(context: str, message: str) -> str:
    return str(translations(current()).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return str(translations(current()).npgettext(context, singular, plural, n))


def N_(message: str) -> str:  # the name gettext's tools look for
    """Marks a message for the catalogue where it is defined, to be translated where it is
    said (a class's title, a constant), since the language is known only then."""
    return message


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Say everything in ``language`` for a while, whatever the request chose: a shared
    screen speaks its event's languages, not its viewer's."""
    token = asked.set(Asked(language, asked.get().page))
    try:
        yield
    finally:
        asked.reset(token)


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted message's two English forms where it is defined, to be said with
    ``ngettext`` where the count and the language are known (see server.errors.Refused)."""
    return singular, plural
