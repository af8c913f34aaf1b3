"""The sentences built in Python (server/pages/words.py, server/events/day.py and the refusals)
are said in the asker's language: whole, with their figures filled in after translation, and
each count in that language's own plural form (Welsh has six)."""

# ruff: noqa: RUF001  (Welsh is written with its typographic apostrophe, as the .po has it)
from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from server import language
from server.allocation import Allocation, Instance, Room, Session, allocate, check
from server.errors import Conflict, Invalid, NotFound
from server.events.day import Audience, Moment, day_of
from server.events.setup import REMOVING
from server.grid import editing
from server.language import N_, Nn_
from server.language.sentences import english, said
from server.notes.photos import MAX_CAPTION, caption_of
from server.pages import words
from server.pages.attendee_view import AttendeePage, Listing
from server.validation import validate
from server.workers import Processes
from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem
from tests.live.helpers import Screen

WELSH = {"Cookie": f"{language.COOKIE}=cy"}
COUNTS = (0, 1, 2, 3, 6, 7)  # one of each of Welsh's six plural forms, and 7 ("other")


@pytest.fixture
def welsh() -> Iterator[None]:
    token = language.asked.set(language.Asked("cy"))
    try:
        yield
    finally:
        language.asked.reset(token)


# words.py


def test_places_are_counted_in_english() -> None:
    assert [words.places_words(None, n) for n in (0, 1, 2)] == ["0 places", "1 place", "2 places"]
    assert words.places_words(3, 1) == "3 going, 1 place: it may be full"
    assert words.places_words(1, 20) == "1 of 20 places"
    taken = {"seated": 1, "capacity": 1, "waiting": 0}
    assert words.places_words(0, 1, taken) == "1 of 1 place taken"
    assert words.places_words(0, 1, {**taken, "waiting": 2}) == "1 of 1 place taken, 2 on the list"
    assert words.seat_words(None, {"seated": 1, "capacity": 2, "waiting": 0}) == "1 place free."
    assert words.seat_words(None, {"seated": 0, "capacity": 7, "waiting": 0}) == "7 places free."
    assert words.seat_words(None, {"seated": 7, "capacity": 7, "waiting": 0}) == (
        "Full: you can join the list."
    )
    assert words.standing_words({"status": "waiting", "position": 3}) == (
        "You're number 3 on the list."
    )
    assert words.slot_words({"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45"}) == (
        "10:00 to 10:45"
    )


@pytest.mark.parametrize("n", COUNTS)
def test_places_are_counted_in_welsh(n: int, welsh: None) -> None:
    """After a numeral Welsh keeps the noun singular ("7 lle"), in every one of its forms."""
    assert words.places_words(None, n) == f"{n} lle"
    assert words.places_words(n + 1, n) == f"{n + 1} yn dod, {n} lle: efallai ei bod hi’n llawn"
    assert words.places_words(0, n) == f"0 o {n} lle"
    taken = {"seated": 0, "capacity": n, "waiting": 2}
    assert words.places_words(0, n, taken) == f"0 o {n} lle wedi’u cymryd, 2 ar y rhestr"
    free = {"seated": 0, "capacity": n, "waiting": 0}
    assert words.seat_words(None, free) == (
        f"{n} lle ar gael." if n else "Llawn: gallwch ymuno â’r rhestr."
    )


def test_a_seat_and_a_slot_are_said_in_welsh(welsh: None) -> None:
    assert words.standing_words({"status": "waiting", "position": 3}) == (
        "Chi yw rhif 3 ar y rhestr."
    )
    assert words.standing_words({"status": "seated", "promoted": False}) == "Mae gennych le."
    slot = {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "Bore"}
    assert words.slot_words(slot) == "10:00 i 10:45, Bore"  # the label is the organiser's own


@pytest.mark.parametrize(
    ("n", "move"),
    [(0, "nhw"), (1, "hi"), (2, "nhw"), (3, "nhw"), (6, "nhw"), (7, "nhw")],
)
def test_a_counted_refusal_takes_the_welsh_form_for_its_count(
    n: int, move: str, welsh: None
) -> None:
    """Removing a room that holds one session asks to move "hi" (it: a session); more, "nhw"."""
    refused = Conflict(REMOVING[True, False], values={"count": n, "titles": "“Te”", "more": 0}, n=n)
    assert refused.said() == (
        f"Byddai tynnu’r ystafell honno’n mynd â {n} sesiwn oddi ar y grid: “Te”. "
        f"Symudwch {move} yn gyntaf, neu cadarnhewch i’w thynnu beth bynnag."
    )
    english = "session" if n == 1 else "sessions"
    assert refused.message.startswith(f"Removing that room would take {n} {english} off")


def test_a_refusal_keeps_its_english_and_fills_its_values_after_translating(
    welsh: None,
) -> None:
    refused = NotFound(
        "There is no pitch %(pitch)s in this event; it may have been merged.",
        values={"pitch": 12},
    )
    assert refused.message == "There is no pitch 12 in this event; it may have been merged."
    assert refused.said() == "Does dim cynnig 12 yn y digwyddiad hwn; efallai ei fod wedi’i gyfuno."
    assert refused.titled() == "Heb ei ganfod"
    counted = Conflict(Nn_("%(n)s character left", "%(n)s characters left"), {"n": 2}, n=2)
    assert (counted.message, counted.said()) == ("2 characters left", "2 nod ar ôl")


def test_a_refusal_inside_a_refusal_is_said_in_the_same_language(welsh: None) -> None:
    with pytest.raises(Invalid) as inner:
        validate("pitch-create", {"title": 5})
    outer = Invalid(
        N_(
            "The archive doesn't hold what Snug expects: %(problem)s The archive may be "
            "damaged or edited by hand."
        ),
        values={"problem": inner.value},
    )
    assert outer.message.startswith("The archive doesn't hold what Snug expects: 'title' should")
    assert outer.said() == (
        "Nid yw’r archif yn dal yr hyn y mae Snug yn ei ddisgwyl: Dylai 'title' fod yn destun. "
        "Efallai fod yr archif wedi’i difrodi neu wedi’i golygu â llaw."
    )


def test_a_refusal_from_a_worker_process_can_still_be_said_in_welsh(welsh: None) -> None:
    """Refusals raised while reading an archive cross back from a process, pickled."""
    counted = Conflict(Nn_("%(n)s character left", "%(n)s characters left"), {"n": 2}, n=2)
    back = pickle.loads(pickle.dumps(counted))
    assert type(back) is Conflict and back.status == 409
    assert (back.message, back.said(), str(back)) == (
        "2 characters left",
        "2 nod ar ôl",
        "2 characters left",
    )


def test_a_search_of_the_sessions_is_counted_in_welsh(welsh: None) -> None:
    """As finder.js says it once the page is live."""
    page = AttendeePage({}, [], [], Listing(words="te"), total=6)
    assert page.shown_words == "Yn dangos 0 o 6 sesiwn ar gyfer “te”."
    with language.speaking("en"):
        assert page.shown_words == "Showing 0 of 6 sessions for “te”."


def test_a_caption_too_long_is_refused_in_welsh(welsh: None) -> None:
    with pytest.raises(Invalid) as refused:
        caption_of("x" * (MAX_CAPTION + 1))
    assert refused.value.said() == (
        f"Gall capsiwn fod yn {MAX_CAPTION} nod ar y mwyaf; mae gan hwn {MAX_CAPTION + 1}."
    )


# the allocator and the grid's rules

VOTES_IN_WELSH = {0: "pleidlais", 1: "bleidlais", 2: "bleidlais", 3: "pleidlais", 6: "phleidlais"}


@pytest.mark.parametrize("n", COUNTS)
def test_an_explanation_is_said_in_welsh_with_each_count_in_its_form(n: int, welsh: None) -> None:
    """One room, one slot: the session with n votes is left out for the one with n + 1."""
    votes = {a: frozenset({10, 11} if a < n else {10}) for a in range(n + 1)}
    names = {("session", 10): "“Te”", ("session", 11): "“Bara”", ("room", 1): "y Neuadd"}
    instance = Instance((Room(1, 50),), (1,), (Session(10), Session(11)), votes, names=names)
    [left] = allocate(instance).left_out
    assert left.session == 11
    assert english(left.reason).startswith(f"Left out, with {n} vote{'' if n == 1 else 's'}. ")
    word = VOTES_IN_WELSH.get(n, "pleidlais")
    assert said(left.reason).startswith(f"Wedi’i gadael allan, gyda {n} {word}. Byddai ei gosod ")
    assert "slot 1" in said(left.reason)  # a slot the instance doesn't name, in Welsh


def test_a_grid_rule_lists_its_sessions_as_the_language_lists_them(welsh: None) -> None:
    sessions = tuple(Session(s, frozenset({"ann"})) for s in (10, 11, 12))
    names = {("session", s): f"“{s}”" for s in (10, 11, 12)} | {("slot", 1): "y bore"}
    instance = Instance((Room(1, 9), Room(2, 9), Room(3, 9)), (1,), sessions, {}, names=names)
    [broken] = check(instance, {10: (1, 1), 11: (2, 1), 12: (3, 1)})
    assert (
        broken.english() == "The host “ann” would be in two places in y bore: “10”, “11” and “12”."
    )
    assert broken.said() == "Byddai’r gwesteiwr “ann” mewn dau le yn y bore: “10”, “11” a “12”."


async def test_a_draft_and_a_refusal_from_the_drafting_process_are_said_in_welsh(
    welsh: None,
) -> None:
    """The allocator runs in a process of its own: what it says crosses back pickled, and is
    said there in any language."""
    names = {("session", 10): "“Te”", ("room", 1): "y Neuadd", ("slot", 1): "y bore"}
    votes = {1: frozenset({10}), 2: frozenset({10})}
    instance = Instance((Room(1, 1, frozenset({1})),), (1,), (Session(10),), votes, names=names)
    drafting = Processes("test", processes=1, waiting=1, busy="Drafting; try again.")
    try:
        refused = await drafting.run(
            editing.allocation_of, replace(instance, locks={10: (1, 1)}), 0.1
        )
        drafted = await drafting.run(editing.allocation_of, instance, 0.1)
    finally:
        drafting.close()
    assert isinstance(refused, Conflict)
    assert refused.message == "The locked sessions break a rule: y Neuadd is unavailable in y bore."
    assert (
        refused.said()
        == "Mae’r sesiynau sydd wedi’u cloi yn torri rheol: Nid yw y Neuadd ar gael yn y bore."
    )
    assert isinstance(drafted, Allocation)
    [left] = drafted.left_out
    assert said(left.reason).startswith("Wedi’i gadael allan, gyda 2 bleidlais. Does dim cell")


# day.py

FRESH = Moment(
    pitching_open=False, voting_open=False, pitches=0, drafted=False, live=False, proceedings=False
)
SLOTS: list[dict[str, Any]] = [
    {"id": 1, "starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "Bore"},
    {"id": 2, "starts_at": "2026-11-23T10:45", "ends_at": "2026-11-23T11:00", "label": ""},
]
SLOTS[0]["kind"], SLOTS[1]["kind"] = "session", "break"


def test_the_day_is_said_in_welsh(welsh: None) -> None:
    before = day_of(FRESH, [], "2026-11-23T09:00", Audience.SCREEN)
    assert (before.now, before.next) == (
        "Croeso. Bydd y cynigion yn agor cyn bo hir.",
        "Meddyliwch am gwestiwn, arddangosiad neu sgwrs yr hoffech ei dechrau.",
    )
    both = replace(FRESH, pitching_open=True, voting_open=True, joined=9, voted=4)
    assert day_of(both, [], "2026-11-23T09:00", Audience.STAFF).now == (
        "Mae’r cynigion a’r pleidleisio ar agor: mae 4 o 9 wedi pleidleisio."
    )
    live = replace(FRESH, pitches=2, drafted=True, live=True)
    running = day_of(live, SLOTS, "2026-11-23T10:10", Audience.SCREEN)
    assert (running.now, running.next) == ("Bore, tan 10:45", "Nesaf: egwyl am 10:45")
    staff = day_of(live, SLOTS, "2026-11-23T10:10", Audience.STAFF)
    assert staff.now == "Bore: mae’r sesiynau’n rhedeg tan 10:45."
    assert staff.next == "Nesaf: egwyl am 10:45."
    assert day_of(live, SLOTS, "2026-11-23T10:50", Audience.ATTENDEE).now == "Egwyl tan 11:00."


@pytest.mark.parametrize("n", COUNTS)
def test_staff_are_told_the_pitches_so_far_in_each_language(n: int) -> None:
    pitching = replace(FRESH, pitching_open=True, pitches=n, joined=5)
    english = "pitch" if n == 1 else "pitches"
    said = day_of(pitching, [], "2026-11-23T09:00", Audience.STAFF).now
    assert said == f"Pitching is open: {n} {english} so far, 5 joined."
    token = language.asked.set(language.Asked("cy"))
    try:
        said = day_of(pitching, [], "2026-11-23T09:00", Audience.STAFF).now
    finally:
        language.asked.reset(token)
    assert said == f"Mae’r cyfnod cynnig ar agor: {n} cynnig hyd yma, 5 wedi ymuno."


# Over HTTP and the socket


def test_a_bad_request_is_answered_in_welsh(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(languages=["cy", "en"])
    path = f"/api/e/{ev.slug}/changes"
    body = assert_problem(http.get(path, params={"since": "abc"}, headers=WELSH), 400)
    assert body["title"] == "Nid yw rhywbeth yn y cyfeiriad yn ddilys"
    assert body["detail"] == (
        "'since' yw rhif y newid diwethaf a gymhwyswyd, o 0 i 2147483647; dydy 'abc' ddim yn un."
    )
    english = assert_problem(http.get(path, params={"since": "abc"}), 400)
    assert english["title"] == "Something in the address isn't valid"
    assert english["detail"].endswith("; 'abc' isn't one.")


def test_a_missing_event_is_answered_in_welsh_with_its_address(http: httpx.Client) -> None:
    body = assert_problem(http.get("/api/e/no-such-event", headers=WELSH), 404)
    assert body["title"] == "Heb ei ganfod"
    assert (
        body["detail"]
        == "Does dim digwyddiad yn /e/no-such-event. Gwiriwch y ddolen a gawsoch chi."
    )


def test_a_damaged_archive_is_refused_in_welsh(http: httpx.Client) -> None:
    body = assert_problem(
        http.post("/api/events/import", json={"format": "a spreadsheet"}, headers=WELSH), 422
    )
    assert body["detail"] == (
        "Nid archif digwyddiad Snug yw hon (dylai ei “format” fod yn “snug-event-archive”). "
        "Lawrlwythwch yr archif o dudalen trefnydd y digwyddiad a mewnforiwch y ffeil honno."
    )


async def test_a_socket_s_errors_are_in_the_language_it_was_opened_in(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    ev = make_event(languages=["cy", "en"])
    url = f"{server.ws_url}/e/{ev.slug}/live"
    async with connect(url, open_timeout=5, additional_headers=WELSH) as ws:
        s = Screen(ws)
        await s.send(b'{"type": "hello"}')
        said = (await s.expect("error"))["message"]
        assert said == "Anfonwch negeseuon fel testun, nid fel data deuaidd."
    async with connect(url, open_timeout=5) as ws:
        s = Screen(ws)
        await s.send(b'{"type": "hello"}')
        assert (await s.expect("error"))["message"] == "Send messages as text, not binary."


def test_what_the_schemas_refuse_is_said_in_welsh(welsh: None) -> None:
    with pytest.raises(Invalid) as refused:
        validate("pitch-create", {"title": 5})
    assert refused.value.message == "'title' should be text."
    assert refused.value.said() == "Dylai 'title' fod yn destun."
    with pytest.raises(Invalid) as whole:
        validate("pitch-create", {"title": "Te", "colour": "red"})
    assert whole.value.said() == "Mae gan y neges feysydd nad yw Snug yn eu derbyn: colour."
