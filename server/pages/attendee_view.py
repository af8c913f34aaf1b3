"""What the attendee's page shows, worked out from the same snapshot the live page starts from
(server/live/state.py), so the page drawn on the server and the page kept live by script agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.events.models import Event
from server.language import N_, NAMES, current, gettext, ngettext
from server.marketplace import pitches
from server.marketplace.models import BILINGUAL
from server.pages import words

# A session's language as the page says it, in the page's language: the badge on a card and
# the list's choice of language (web/static/js/event.js and finder.js say the same).
LANGUAGE_WORDS = {"cy": N_("Welsh"), "en": N_("English"), BILINGUAL: N_("Bilingual")}


@dataclass
class Card:
    """One pitch in the list, with what this person may do to it."""

    pitch: dict[str, Any]
    mine: bool
    my_dots: int
    can_add: bool
    voting: bool

    @property
    def language(self) -> str:
        """The badge's word for the session's language, in the page's language; "" unsaid."""
        code = str(self.pitch.get("language") or "")
        return gettext(LANGUAGE_WORDS[code]) if code in LANGUAGE_WORDS else code

    @property
    def meta(self) -> str:
        host = self.pitch["host"]
        said = [
            gettext("Hosted by %(host)s") % {"host": host} if host else gettext("Host not named"),
            words.format_name(self.pitch["format"]),
            *([gettext("You pitched this")] if self.mine else []),
        ]
        return " · ".join(said)


@dataclass
class Session:
    """A session placed in a slot of the published grid."""

    pitch: int
    title: str
    room: str
    places: str
    seat: str | None  # the seat sentence, when a seat needs claiming in a small room
    seat_action: str
    claimed: bool
    chosen: bool


@dataclass
class SlotRow:
    slot: dict[str, Any]
    words: str
    sessions: list[Session] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.slot.get("kind") or "session")


# How the list may be put in order, as the form's choices say it; "dots" only while everyone
# can see the counts.
SORTS = {"newest": N_("Newest first"), "dots": N_("Most dots"), "mine": N_("Mine first")}
PIPS = 10  # dots shown as marks in the bar, at most
MAX_SEARCH = 100  # characters of a search kept; longer asks for nothing a title could hold


@dataclass
class Listing:
    """How this person asked to see the list: its order, the words to look for and the
    language the sessions are to be held in (one of the event's, with the bilingual ones)."""

    sort: str = "newest"
    words: str = ""
    language: str = ""

    @classmethod
    def asked(
        cls,
        sort: str | None,
        text: str | None,
        language: str | None = None,
        held_in: list[str] | None = None,
    ) -> Listing:
        searched = " ".join((text or "").split())[:MAX_SEARCH]
        # A choice of language only where the event is held in more than one.
        choosable = held_in if held_in and len(held_in) > 1 else []
        chosen = language if language in choosable and language in LANGUAGE_WORDS else ""
        return cls(sort if sort in SORTS else "newest", searched, chosen)


@dataclass
class AttendeePage:
    state: dict[str, Any]
    cards: list[Card]
    grid: list[SlotRow]
    listing: Listing = field(default_factory=Listing)
    total: int = 0  # pitches in the list before searching

    @property
    def me(self) -> dict[str, Any] | None:
        return self.state.get("me")

    @property
    def event(self) -> dict[str, Any]:
        return dict(self.state["event"])

    @property
    def dots_left(self) -> int:
        used = len(self.me["dots"]) if self.me else 0
        return int(self.event["dots_per_attendee"]) - used

    @property
    def dots_words(self) -> str:
        total = int(self.event["dots_per_attendee"])
        if self.dots_left <= 0:
            return ngettext("You have used your dot.", "You have used all %(n)s dots.", total) % {
                "n": total
            }
        left = ngettext(
            "You have %(left)s of %(n)s dot left.", "You have %(left)s of %(n)s dots left.", total
        )
        return left % {"left": self.dots_left, "n": total}

    @property
    def pips(self) -> list[bool]:
        """A mark for each dot, filled while it is left; past ten the words say it better."""
        total = int(self.event["dots_per_attendee"])
        return [i < self.dots_left for i in range(total)] if self.me and total <= PIPS else []

    @property
    def grid_live(self) -> bool:
        return bool(self.state["grid"] and self.state["grid"]["live"])

    @property
    def grid_taken_down(self) -> bool:
        return bool(self.state["grid"] and self.state["grid"].get("taken_down"))

    @property
    def totals_hidden(self) -> bool:
        return bool(self.event["totals_hidden"])

    @property
    def sorts(self) -> dict[str, str]:
        """The orders on offer: most dots says nothing while the counts are kept back."""
        return {k: v for k, v in SORTS.items() if k != "dots" or not self.totals_hidden}

    @property
    def languages(self) -> dict[str, str]:
        """The languages the list can be narrowed to, in the page's language: only for an
        event held in more than one."""
        held = list(self.event.get("languages") or [])
        if len(held) < 2:
            return {}
        return {code: gettext(LANGUAGE_WORDS[code]) for code in held if code in LANGUAGE_WORDS}

    @property
    def shown_words(self) -> str:
        """What the list holds after a search, in words (empty when nothing was searched)."""
        if self.listing.language:
            return _in_language(self.listing, len(self.cards), self.total)
        if not self.listing.words:
            return ""
        showing = ngettext(
            "Showing %(showing)s of %(n)s session for “%(text)s”.",
            "Showing %(showing)s of %(n)s sessions for “%(text)s”.",
            self.total,
        )  # as finder.js says it
        return showing % {"showing": len(self.cards), "n": self.total, "text": self.listing.words}


def attendee_page(state: dict[str, Any], listing: Listing | None = None) -> AttendeePage:
    page = AttendeePage(state, [], [], listing or Listing())
    cards = [_card(page, p) for p in state["pitches"]]
    page.total = len(cards)
    page.cards = _listed(cards, page.listing, page.totals_hidden)
    if page.grid_live:
        page.grid = _grid(state)
    return page


def _in_language(listing: Listing, shown: int, total: int) -> str:
    """The "Showing n of m" line of a list narrowed to a language (and perhaps searched):
    a sentence for each language, as finder.js has them, since Welsh mutates a name."""
    said = {
        ("cy", True): ngettext(
            "Showing %(showing)s of %(n)s session for “%(text)s”, in Welsh or bilingual.",
            "Showing %(showing)s of %(n)s sessions for “%(text)s”, in Welsh or bilingual.",
            total,
        ),
        ("cy", False): ngettext(
            "Showing %(showing)s of %(n)s session in Welsh or bilingual.",
            "Showing %(showing)s of %(n)s sessions in Welsh or bilingual.",
            total,
        ),
        ("en", True): ngettext(
            "Showing %(showing)s of %(n)s session for “%(text)s”, in English or bilingual.",
            "Showing %(showing)s of %(n)s sessions for “%(text)s”, in English or bilingual.",
            total,
        ),
        ("en", False): ngettext(
            "Showing %(showing)s of %(n)s session in English or bilingual.",
            "Showing %(showing)s of %(n)s sessions in English or bilingual.",
            total,
        ),
    }
    sentence = said[listing.language, bool(listing.words)]
    return sentence % {"showing": shown, "n": total, "text": listing.words}


def _listed(cards: list[Card], listing: Listing, totals_hidden: bool) -> list[Card]:
    """The cards in the order asked, newest first within it, keeping those holding every word
    searched for (in the title, pitch, host or tags, in any case) and, when a language was
    chosen, those held in it or bilingually: as event.js does it."""
    wanted = listing.words.casefold().split()
    held = {listing.language, BILINGUAL} if listing.language else None
    found = [
        c
        for c in cards
        if all(w in _haystack(c.pitch) for w in wanted)
        and (held is None or c.pitch.get("language") in held)
    ]
    found.sort(key=lambda c: -int(c.pitch["id"]))
    if listing.sort == "dots" and not totals_hidden:
        found.sort(key=lambda c: -int(c.pitch["votes"] or 0))
    elif listing.sort == "mine":
        found.sort(key=lambda c: not (c.mine or c.my_dots))
    return found


def _haystack(pitch: dict[str, Any]) -> str:
    return " ".join([pitch["title"], pitch["pitch"], pitch["host"], *pitch["tags"]]).casefold()


def _card(page: AttendeePage, pitch: dict[str, Any]) -> Card:
    me, event = page.me, page.event
    mine = bool(me and pitch["id"] in me["pitches"])
    my_dots = sum(1 for d in me["dots"] if d["pitch"] == pitch["id"]) if me else 0
    can_add = page.dots_left > 0 and (event["dots_stack"] or my_dots == 0)
    voting = bool(me and event["voting_open"])
    return Card(pitch, mine, my_dots, can_add, voting)


def _grid(state: dict[str, Any]) -> list[SlotRow]:
    rooms = {r["id"]: (i, r) for i, r in enumerate(state["rooms"])}
    titles = {p["id"]: p["title"] for p in state["pitches"]}
    grid, me = state["grid"], state.get("me")
    rows = []
    for slot in sorted(state["slots"], key=lambda s: (s["starts_at"], s["id"])):
        row = SlotRow(slot, words.slot_words(slot))
        here = [p for p in grid["placements"] if p["slot"] == slot["id"] and p["room"] in rooms]
        for placed in sorted(here, key=lambda p: rooms[p["room"]][0]):
            row.sessions.append(_session(placed, rooms[placed["room"]][1], titles, grid, me))
        rows.append(row)
    return rows


def _session(
    placed: dict[str, int],
    room: dict[str, Any],
    titles: dict[int, str],
    grid: dict[str, Any],
    me: dict[str, Any] | None,
) -> Session:
    pitch = placed["pitch"]
    key = str(pitch)
    # No headcount while the totals are kept back (server/grid/views.py published_view).
    going = int(grid["headcounts"].get(key, 0)) if grid.get("headcounts") else None
    counts = grid.get("seats", {}).get(key)
    mine = me["seats"].get(key) if me else None
    needed = bool(counts or mine or (going is not None and going >= room["capacity"] - 1))
    action = (
        gettext("Claim a place")
        if not mine
        else gettext("Give up my place")
        if mine["status"] == "seated"
        else gettext("Leave the list")
    )
    return Session(
        pitch=pitch,
        title=titles.get(pitch) or gettext("A session"),
        room=room["name"],
        places=words.places_words(going, room["capacity"], counts),
        seat=words.seat_words(mine, counts) if me and needed else None,
        seat_action=action,
        claimed=mine is not None,
        chosen=bool(me and me["agenda"].get(str(placed["slot"])) == pitch),
    )


def session_language_choices(event: Event) -> list[tuple[str, str, str | None]]:
    """The pitch forms' choices of the session's language: (value, words, the words' language
    when it is not the page's), offered only where the event is held in more than one. Each
    language is named in its own words, as the toggle names it."""
    held = pitches.session_languages(event)
    if len(held) < 2:
        return []
    page_language = current()
    choices: list[tuple[str, str, str | None]] = [("", gettext("Not said"), None)]
    for code in held:
        if code == BILINGUAL:
            choices.append((code, gettext(LANGUAGE_WORDS[BILINGUAL]), None))
        else:
            choices.append((code, NAMES.get(code, code), None if code == page_language else code))
    return choices
