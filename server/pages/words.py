"""The words the pages put around an event's data, the same sentences the live pages use
(web/static/js/ui.js and event.js), so a page reads alike with or without JavaScript."""

from __future__ import annotations

from typing import Any

from server.language import gettext as _
from server.language import ngettext
from server.marketplace.models import FORMAT_NAMES

FORMATS = FORMAT_NAMES


def format_name(code: str) -> str:
    """A session format's name in the page's language (an unknown one as stored)."""
    return _(FORMATS[code]) if code in FORMATS else code


def clock(local: str) -> str:
    """The time of a slot's local "YYYY-MM-DDTHH:MM"."""
    return local[11:16]


def slot_words(slot: dict[str, Any]) -> str:
    starts, ends = clock(slot["starts_at"]), clock(slot["ends_at"])
    if slot.get("label"):  # the organiser's own words, never translated
        return _("%(starts)s to %(ends)s, %(label)s") % {
            "starts": starts,
            "ends": ends,
            "label": slot["label"],
        }
    return _("%(starts)s to %(ends)s") % {"starts": starts, "ends": ends}


def places_words(going: int | None, capacity: int, counts: dict[str, int] | None = None) -> str:
    """How full a session is: from its seat claims when its places are counted, otherwise from
    how many have it on their agenda (``going``: None while the organiser keeps the totals
    back, when only the room's size is told). Each a whole sentence counted on the room's
    places, so a language with more plural forms than English says each rightly."""
    if counts:
        figures = {k: counts[k] for k in ("seated", "capacity", "waiting")}
        if counts["waiting"]:
            return (
                ngettext(
                    "%(seated)s of %(capacity)s place taken, %(waiting)s on the list",
                    "%(seated)s of %(capacity)s places taken, %(waiting)s on the list",
                    counts["capacity"],
                )
                % figures
            )
        return (
            ngettext(
                "%(seated)s of %(capacity)s place taken",
                "%(seated)s of %(capacity)s places taken",
                counts["capacity"],
            )
            % figures
        )
    if going is None:
        return ngettext("%(capacity)s place", "%(capacity)s places", capacity) % {
            "capacity": capacity
        }
    figures = {"going": going, "capacity": capacity}
    if going > capacity:
        return (
            ngettext(
                "%(going)s going, %(capacity)s place: it may be full",
                "%(going)s going, %(capacity)s places: it may be full",
                capacity,
            )
            % figures
        )
    return (
        ngettext("%(going)s of %(capacity)s place", "%(going)s of %(capacity)s places", capacity)
        % figures
    )


def standing_words(mine: dict[str, Any]) -> str:
    """Where a person stands in a session (server/grid/seats.py ``standing``)."""
    if mine["status"] == "seated":
        if mine["promoted"]:
            return _("A place came free: you have a place.")
        return _("You have a place.")
    return _("You're number %(position)s on the list.") % {"position": mine["position"]}


def seat_words(mine: dict[str, Any] | None, counts: dict[str, int] | None) -> str:
    if mine:
        return standing_words(mine)
    if not counts:
        return _("Small room: claim a place to be sure of one.")
    free = max(0, counts["capacity"] - counts["seated"])
    if not free:
        return _("Full: you can join the list.")
    return ngettext("%(free)s place free.", "%(free)s places free.", free) % {"free": free}
