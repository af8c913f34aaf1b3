"""The attendee's pages in Welsh, through the real server: once someone chooses Cymraeg (the
toggle's /language/cy), the event page before and after joining, the new-event page and a
pitch's own page say their words in Welsh, and none of the English sentences they wrap is
left; the same pages in English still say them, so each check can fail."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import ApiEvent, LiveServer
from tests.pages.test_staff_pages import PAGE, _room_form, staff

BILINGUAL = ["cy", "en"]  # an event held in Welsh and English: its pages speak either


class Phone:
    """A browser without script that keeps its cookies (the language among them)."""

    def __init__(self, server: LiveServer, slug: str, language: str) -> None:
        self.client = httpx.Client(
            base_url=server.url, headers={"accept": "text/html", "accept-language": "en"}
        )
        self.origin, self.slug = server.url, slug
        chosen = self.client.get(f"/language/{language}", params={"back": f"/e/{slug}"})
        assert chosen.status_code == 303 and chosen.headers["location"] == f"/e/{slug}"

    def get(self, path: str) -> str:
        answer = self.client.get(path)
        assert answer.status_code == 200, answer.text
        return answer.text

    def page(self, path: str = "") -> str:
        return self.get(f"/e/{self.slug}{path}")

    def send(self, path: str, fields: dict[str, str]) -> httpx.Response:
        key = re.search(r'name="key" value="([^"]+)"', self.page())
        assert key is not None
        return self.client.post(
            f"/e/{self.slug}{path}",
            data={**fields, "key": key.group(1)},
            headers={"origin": self.origin},
        )


@pytest.fixture
def event(make_event: Callable[..., ApiEvent]) -> ApiEvent:
    made = make_event(languages=BILINGUAL)
    made.edit(pitching_open=True, voting_open=True)
    return made


@pytest.fixture
def phones(server: LiveServer, event: ApiEvent) -> Iterator[dict[str, Phone]]:
    made = {code: Phone(server, event.slug, code) for code in ("cy", "en")}
    yield made
    for phone in made.values():
        phone.client.close()


def _pitched(phone: Phone) -> str:
    """Joins, pitches a session and places a dot on it; the pitch's id."""
    assert phone.send("/join", {"name": "Ana", "next": ""}).status_code == 303
    sent = phone.send("/pitches", {"title": "Coed a chaeau", "format": "discussion"})
    assert sent.status_code == 303, sent.text
    found = re.search(r'id="p-(\d+)"', phone.page())
    assert found is not None
    assert phone.send("/dots", {"pitch": found.group(1)}).status_code == 303
    return found.group(1)


def _says(page: str, present: list[str], absent: list[str]) -> None:
    wrong = _unsaid(page, present, absent)
    assert not wrong, wrong


# Each page's English sentences, and the Welsh said in their place.
NOT_JOINED = {
    "Monday 23 November 2026": "Dydd Llun 23 Tachwedd 2026",
    "Join this event": "Ymuno â\u2019r digwyddiad hwn",
    "No account or password. Your phone remembers you": "Dim cyfrif na chyfrinair.",
    "Your name (optional)": "Eich enw (dewisol)",
    "Leave blank to stay anonymous.": "Gadewch yn wag i aros yn ddienw.",
    "Sessions pitched": "Sesiynau a gynigiwyd",
    "No sessions pitched yet.": "Does neb wedi cynnig sesiwn eto.",
    "Pitching open": "Cynnig ar agor",
    "Voting open": "Pleidleisio ar agor",
    'aria-label="What is open now"': 'aria-label="Beth sydd ar agor nawr"',
    "Not live: reload the page to see the latest": "Ddim yn fyw: ail-lwythwch y dudalen",
}
JOINED = {
    "joined. Pitch a session or place your dots below.": "Rydych chi wedi ymuno.",
    "Pitch a session": "Cynnig sesiwn",
    "Your pitch in one line (optional)": "Eich cynnig mewn un llinell (dewisol)",
    "You can enter up to 120 characters.": "Gallwch roi hyd at 120 nod.",
    "Name shown with your pitches": "Yr enw a ddangosir gyda\u2019ch cynigion",
    "Save name": "Cadw\u2019r enw",
    "My agenda": "Fy agenda",
    "Make my calendar link": "Gwneud fy nolen calendr",
    "(1 yours)": "(1 gennych chi)",
    "Remove a dot": "Tynnu dot",
    "Edit or withdraw": "Golygu neu dynnu\u2019n ôl",
    "Newest first": "Y mwyaf newydd yn gyntaf",
    'aria-label="Find a session"': 'aria-label="Dod o hyd i sesiwn"',
}
NEW_EVENT = {
    "<title>Create an event - Snug</title>": "<title>Creu digwyddiad - Snug</title>",
    "Create an event": "Creu digwyddiad",
    "Event name": "Enw\u2019r digwyddiad",
    "Dots for each attendee": "Dotiau i bob mynychwr",
    "Time slots": "Slotiau amser",
    "Keep it secret: it is how you organise this event.": "Cadwch hi\u2019n gyfrinach",
    "Open this on the laptop plugged into the projector.": "Agorwch hon ar y gliniadur",
}
PITCH = {
    "Change your pitch": "Newid eich cynnig",
    "Back to the event": "Yn ôl i\u2019r digwyddiad",
    "Withdraw my pitch": "Tynnu fy nghynnig yn ôl",
    "Save changes": "Cadw\u2019r newidiadau",
    "Tags (optional)": "Tagiau (dewisol)",
    "Up to 5, separated by commas": "Hyd at 5, wedi\u2019u gwahanu gan atalnodau",
}


def _unsaid(page: str, present: list[str], absent: list[str]) -> list[str]:
    """What the page should say and doesn't, and what it says and shouldn't."""
    return [f"missing {w!r}" for w in present if w not in page] + [
        f"still there {w!r}" for w in absent if w in page
    ]


def _both(words: dict[str, str], welsh: str, english: str) -> list[str]:
    """Each page's wrong words: English left on the Welsh one, Welsh on the English one."""
    return _unsaid(welsh, list(words.values()), list(words)) + _unsaid(
        english, list(words), list(words.values())
    )


def test_the_event_page_before_joining_is_in_welsh(phones: dict[str, Phone]) -> None:
    wrong = _both(NOT_JOINED, phones["cy"].page(), phones["en"].page())
    assert not wrong, wrong


def test_the_event_page_once_joined_is_in_welsh(phones: dict[str, Phone]) -> None:
    pitched = {code: _pitched(phone) for code, phone in phones.items()}
    pages = {code: phone.page("?done=joined") for code, phone in phones.items()}
    wrong = _both(JOINED, pages["cy"], pages["en"])
    assert not wrong, wrong
    # Counted words go through ngettext: a second dot on the English phone's pitch is counted
    # in Welsh's own form for two ("dau ddot").
    cy = phones["cy"]
    assert cy.send("/dots", {"pitch": pitched["en"]}).status_code == 303
    _says(cy.page(), ["2 ddot<"], ["2 dots", "(1 yours)"])


def test_the_new_event_page_is_in_welsh(phones: dict[str, Phone]) -> None:
    wrong = _both(NEW_EVENT, phones["cy"].get("/new"), phones["en"].get("/new"))
    assert not wrong, wrong


def test_a_pitch_s_own_page_is_in_welsh(phones: dict[str, Phone]) -> None:
    pages = {}
    for code, phone in phones.items():
        pitch = _pitched(phone)
        pages[code] = phone.page(f"/pitches/{pitch}/edit")
    wrong = _both(PITCH, pages["cy"], pages["en"])
    assert not wrong, wrong
    assert "<title>Newid eich cynnig - " in pages["cy"]


def test_the_question_before_removing_a_room_and_signing_in_are_in_welsh(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event(languages=BILINGUAL)
    pitch = ev.pitch(ev.organiser, "Kept in the hall")["id"]
    state = ev.state(ev.organiser)
    hall, slot = state["rooms"][0], state["slots"][0]["id"]
    body = {"version": 0, "pitch": pitch, "room": hall["id"], "slot": slot}
    ev.ok("POST", "/grid/move", ev.organiser, json=body)
    pages = {}
    for code in ("cy", "en"):
        with httpx.Client(base_url=server.url, headers=PAGE, timeout=20) as browser:
            assert browser.get(f"/language/{code}").status_code == 303
            signed_in = {"Cookie": f"{staff(ev.organiser)['Cookie']}; snug_language={code}"}
            grid = browser.get(f"/e/{ev.slug}/grid", headers=signed_in)
            asked = browser.post(
                f"/e/{ev.slug}/grid/room/remove",
                data=_room_form(grid, hall["id"]),
                headers=signed_in,
            )
            assert asked.status_code == 200, asked.text
            refused = browser.post(
                f"/e/{ev.slug}/sign-in", data={"key": "k", "link": "not a link", "next": ""}
            )
            assert refused.status_code == 422, refused.text
            pages[code] = asked.text + refused.text
    words = {
        f"Remove {hall['name']} and take 1 session off the grid?": (
            f"Tynnu {hall['name']} a mynd \u00e2 1 sesiwn oddi ar y grid?"
        ),
        "You can undo it from the grid straight after.": "Gallwch ei ddadwneud o\u2019r grid",
        "Remove it and take these off the grid": "Ei dynnu a mynd \u00e2\u2019r rhain",
        ">Keep it</a>": ">Ei gadw</a>",
        "Your organiser or facilitator link": "Eich dolen trefnydd neu hwylusydd",
        "It is kept on this browser, not in the address.": "Caiff ei chadw ar y porwr hwn",
        ">Sign in</button>": ">Mewngofnodi</button>",
    }
    wrong = _both(words, pages["cy"], pages["en"])
    assert not wrong, wrong


def test_a_title_inside_a_translated_sentence_keeps_no_control_characters(
    phones: dict[str, Phone],
) -> None:
    """A placeholder skips what the page does to everything it prints; typed() puts it back."""
    cy = phones["cy"]
    assert cy.send("/join", {"name": "Ana", "next": ""}).status_code == 303
    sent = cy.send("/pitches", {"title": "Clych\x07 <b>a</b>", "format": "discussion"})
    assert sent.status_code == 303, sent.text
    page = cy.page()
    assert "\x07" not in page
    hidden = '<span class="visually-hidden"> at Clych &lt;b&gt;a&lt;/b&gt;</span>'
    assert f"Ychwanegu dot{hidden}" in page


def test_the_forms_errors_are_in_welsh(phones: dict[str, Phone]) -> None:
    """What the pitch and join forms refuse, drawn on the server for a phone without script."""
    cy = phones["cy"]
    long_name = cy.send("/join", {"name": "A" * 61, "next": ""})
    assert long_name.status_code == 422
    assert "Gall eich enw fod yn 60 nod ar y mwyaf." in long_name.text
    assert cy.send("/join", {"name": "Ana", "next": ""}).status_code == 303
    untitled = cy.send("/pitches", {"title": " ", "format": "discussion"})
    assert "Rhowch deitl i’ch sesiwn." in untitled.text  # noqa: RUF001
    too_long = cy.send("/pitches", {"title": "T" * 121, "format": "discussion"})
    assert (
        "Gall y teitl fod yn 120 nod ar y mwyaf; mae ganddo 121, felly tynnwch 1 nod allan."
        in too_long.text
    )
    wrong_kind = cy.send("/pitches", {"title": "Te", "format": "a party"})
    assert wrong_kind.status_code == 422
    english = ("can be at most", "Enter a title", "The title", "The format")
    assert [w for w in english if w in untitled.text + too_long.text + wrong_kind.text] == []
