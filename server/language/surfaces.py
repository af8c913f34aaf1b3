"""The languages a shared surface speaks (the projector's screens, posters, proceedings): the
event's, not its viewer's. A bilingual event's surface says every fixed word in Welsh first,
then English, as Welsh public bodies do, each marked with its language so a screen reader
changes voice; an event held in one language says it plainly. People's own words are never
translated."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from markupsafe import Markup

from server.language import SOURCE, current, languages, speaking

# Between the languages: a slash to the eye, a space to a screen reader. The wrapper keeps the
# spaces where its parent lays its children out as a row (a flex button).
BETWEEN = Markup(' <span class="both-sep" aria-hidden="true">/</span> ')
TEXT_BETWEEN = " / "


def spoken(codes: Iterable[str]) -> list[str]:
    """The event's languages that Snug speaks, Welsh first (the toggle's order), else English."""
    order = languages()
    return sorted({code for code in codes if code in order}, key=order.index) or [SOURCE]


def both(codes: list[str]) -> Callable[..., Markup]:
    """For ``{% call both() %}{{ _("Sessions") }}{% endcall %}``: what the block says in each
    language in turn, each in a span marked with its language; with one language, just what it
    says (the page is marked with that language)."""

    def said(caller: Callable[[], str]) -> Markup:
        if len(codes) < 2:
            return Markup(caller())
        parts = []
        for code in codes:
            with speaking(code):
                parts.append(Markup('<span lang="{}">{}</span>').format(code, caller()))
        return Markup('<span class="both">{}</span>').format(BETWEEN.join(parts))

    return said


def both_text(codes: list[str], say: Callable[[], str]) -> str:
    """``say()`` in each language, "Cymraeg / English", for plain text and Markdown; once
    where the languages say the same (a number, a name)."""
    return TEXT_BETWEEN.join(dict.fromkeys(in_each(codes, say).values()))


def own(said: Mapping[str, str]) -> str:
    """Of words said in each of the event's languages (``in_each``), those in the language
    being spoken, else the first."""
    return said.get(current()) or next(iter(said.values()), "")


def in_each(codes: Iterable[str], say: Callable[[], str]) -> dict[str, str]:
    """``say()`` in each language, by its code, for each reader to pick their own."""
    said: dict[str, str] = {}
    for code in codes:
        with speaking(code):
            said[code] = say()
    return said
