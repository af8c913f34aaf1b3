"""Every page a person reaches, in each state of the day, drawn by the real app in the
pseudo-language (tests/language/pseudo.py), must have no English left in it: with people's own
words (the event's name, rooms, titles, names) and the markup taken away, any run of two or
more plain English words is a message that never reached gettext. The test lists every run it
finds, and the pages it found each on, so that one run shows all that is left to wrap."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from server.pages import grid_editor, grid_releases, manage, notes, webhooks
from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.language.pseudo import CLOSE, CODE, OPEN, locales_with_pseudo, pseudo

# People's own words, never translated: each is distinctive, and taken out before looking.
EVENT = "Qorvath Gathering Zed"
VENUE = "Hollowfen Yard Qix"
ROOMS = [
    {"name": "Zarkun Hall", "capacity": 40, "features": ["projector", "step-free"]},
    {"name": "Velloq Room", "capacity": 8, "features": ["quiet"]},
]
SLOTS = [
    {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "Morning Qebble"},
    {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Midday Qebble"},
]
TITLES = ["Wandering Xylo Paths", "Quiet Brambleqix Maps"]
PEOPLE = ["Anwen Qarrow", "Bryn Zolloway"]
ACTION = "Qorvath Zimble Mapping"
THEIRS = [EVENT, VENUE, *(str(r["name"]) for r in ROOMS), *(s["label"] for s in SLOTS)]
THEIRS += [*TITLES, *PEOPLE, ACTION]

WORD = re.compile(r"^[A-Za-z]+(?:['\u2019-][A-Za-z]+)*$")
PUNCTUATION = "\"'\u2018\u2019\u201c\u201d()[]{}.,:;!?\u2026\u2013\u2014*\u00b7/"
SEEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}


class Said(HTMLParser):
    """What a page says to a person: its text and its attributes read aloud or shown, each
    piece apart (a tag ends a piece), leaving out scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        found = dict(attrs)
        for name, value in attrs:
            if value and name in SEEN_ATTRIBUTES:
                self.pieces.append(value)
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.pieces.append(found["value"] or "")
        if tag == "meta" and found.get("name") == "description" and found.get("content"):
            self.pieces.append(found["content"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.pieces.append(data)


def english_left(pieces: list[str]) -> list[str]:
    """Each run of two or more plain English words in the pieces, once people's own words
    and everything translated (between ⟦ and ⟧) are taken out."""
    runs: list[str] = []
    for piece in pieces:
        for theirs in THEIRS:
            piece = piece.replace(theirs, " | ")
        piece = re.sub(f"{OPEN}[^{CLOSE}]*{CLOSE}", " | ", piece)
        run: list[str] = []
        for token in [*piece.split(), "|"]:
            word = token.strip(PUNCTUATION)
            if WORD.match(word) and token == token.strip("|"):
                run.append(token)
                if token[-1] not in ".:;!?":
                    continue
            if len(run) >= 2:
                runs.append(" ".join(run))
            run = []
    return runs


def test_the_finder_sees_english_and_nothing_else() -> None:
    said = Said()
    said.feed(
        f'<p>{pseudo("Close pitching")} {TITLES[0]}</p><p aria-label="Open voting">x</p>'
        f"<script>let a = 'plain words here';</script><p>{pseudo('%(n)s of %(m)s')}</p>"
        "<p>Not yet <b>wrapped</b>: 3 of 5 places</p>"
    )
    assert english_left(said.pieces) == ["Open voting", "Not yet"]


@pytest.fixture(scope="module")
def pseudo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own, reading the translations from a copy with the pseudo-language."""
    folder = tmp_path_factory.mktemp("pseudo")
    locales = locales_with_pseudo(folder)
    data = folder / "data"
    live = start_server(data, {"SNUG_LOCALES_DIR": str(locales)})
    yield live
    stop_server(live)


class Reader:
    """Reads pages in the pseudo-language, as a browser without script would, and keeps what
    English each had left."""

    def __init__(self, server: LiveServer) -> None:
        self.client = httpx.Client(base_url=server.url, timeout=20)
        self.left: dict[str, list[str]] = defaultdict(list)
        self.read: list[str] = []

    def page(self, path: str, cookies: dict[str, str] | None = None, status: int = 200) -> str:
        jar = {"snug_language": CODE, **(cookies or {})}
        answer = self.client.get(
            path,
            headers={
                "Accept": "text/html",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            },
        )
        assert answer.status_code == status, (path, answer.status_code, answer.text[:500])
        assert f'lang="{CODE}"' in answer.text, f"{path} not drawn in the pseudo-language"
        said = Said()
        said.feed(answer.text)
        self.look(path, said.pieces)
        return answer.text

    def problem(self, answer: httpx.Response, what: str) -> None:
        assert answer.headers["content-type"].startswith("application/problem+json"), answer
        body: dict[str, Any] = answer.json()
        self.look(what, [str(body.get("title", "")), str(body.get("detail", ""))])
        assert OPEN in str(body.get("title", "")), body

    def look(self, where: str, pieces: list[str]) -> None:
        where = where.split("?")[0]
        self.read.append(where)
        for run in english_left(pieces):
            self.left[run].append(where)


def make_event(client: httpx.Client, **overrides: Any) -> ApiEvent:
    body = event_body(
        name=EVENT,
        venue=VENUE,
        rooms=[dict(r) for r in ROOMS],
        slots=[dict(s) for s in SLOTS],
        languages=[CODE],  # held in the pseudo-language alone: every page and screen speaks it
        **overrides,
    )
    made = client.post("/api/events", json=body)
    assert made.status_code == 201, made.text
    found = made.json()
    return ApiEvent(client, found["slug"], found["organiser_key"], found["links"])


@pytest.fixture
def reader(pseudo_server: LiveServer) -> Iterator[Reader]:
    found = Reader(pseudo_server)
    yield found
    found.client.close()


@pytest.fixture
def api(pseudo_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=pseudo_server.url, timeout=20) as client:
        yield client


def test_no_english_is_left_on_any_page(reader: Reader, api: httpx.Client) -> None:
    ev = make_event(api)
    staff = {"snug_staff": ev.organiser}
    e = f"/e/{ev.slug}"

    # Before the day: Snug's own pages, and the event as a stranger and its organiser see it.
    for path in ("/", "/new", "/accessibility", "/privacy"):
        reader.page(path)
    reader.page("/e/no-such-event-here", status=404)
    reader.page(e)
    reader.page(f"{e}/organise")  # the sign-in form
    reader.page(f"{e}/organise", staff)
    fac = ev.facilitator()
    reader.page(f"{e}/facilitate", {"snug_staff": fac})

    # Pitching: two people join, each pitches.
    ev.edit(pitching_open=True)
    ana = ev.join(PEOPLE[0])["token"]
    bryn = ev.join(PEOPLE[1])["token"]
    pitches = [
        ev.pitch(who, title, host=name)["id"]
        for who, title, name in zip((ana, bryn), TITLES, PEOPLE, strict=True)
    ]
    joined = {"snug_attendee": ana}
    reader.page(e, joined)
    reader.page(f"{e}/pitches/{pitches[0]}/edit", joined)
    reader.page(f"{e}/notes/{pitches[0]}")
    reader.page(f"{e}/notes/{pitches[0]}", joined)
    reader.page(f"{e}/organise", staff)

    # Voting: dots placed; the grid drafted.
    ev.edit(voting_open=True)
    for who in (ana, bryn):
        ev.ok("POST", "/dots", who, json={"pitch": pitches[0]}, status=201)
    reader.page(e, joined)
    reader.page(e)
    reader.page(f"{e}/organise", staff)
    version = int(ev.state(fac)["draft"]["version"])
    ev.ok("POST", "/grid/allocate", fac, json={"version": version})
    reader.page(f"{e}/grid", staff)
    for screen in ("screen", "now", "board"):
        reader.page(f"{e}/{screen}")

    # The grid published: the day itself.
    version = int(ev.state(fac)["draft"]["version"])
    ev.ok("POST", "/grid/publish", fac, json={"version": version})
    reader.page(e, joined)
    reader.page(e)
    reader.page(f"{e}/organise", staff)
    reader.page(f"{e}/grid", staff)
    reader.page(f"{e}/grid/releases", staff)
    reader.page(f"{e}/webhooks")  # the sign-in form
    reader.page(f"{e}/webhooks", staff)
    hook = {"url": "https://hooks.example.org/in", "kinds": ["grid.published"]}
    hook_id = ev.ok("POST", "/webhooks", ev.organiser, json=hook, status=201)["id"]
    reader.page(f"{e}/webhooks", staff)
    reader.page(f"{e}/webhooks/{hook_id}", staff)
    reader.page(f"{e}/notes/{pitches[0]}", joined)
    for screen in ("screen", "now", "board"):
        reader.page(f"{e}/{screen}")
    # A place claimed: its holder's page offers to give it up, the other's to claim one.
    ev.ok("POST", f"/me/seats/{pitches[0]}", ana)
    reader.page(e, joined)
    reader.page(e, {"snug_attendee": bryn})
    # After the day: an action on the board, its owner's page, feedback and the series.
    added = reader.client.post(
        f"{e}/notes/{pitches[0]}/actions",
        data={"key": "k" * 22, "what": ACTION, "owner": PEOPLE[0], "due": "2026-12-01"},
        headers={"Cookie": f"snug_attendee={ana}"},
    )
    assert added.status_code == 303, added.text
    board = reader.page(f"{e}/actions", staff)
    reader.page(f"{e}/actions?by=owner", staff)
    link = re.search(r'/action/([A-Za-z0-9_-]+)"', board)
    assert link is not None, "the board offers no owner's link"
    reader.page(f"{e}/action/{link.group(1)}")
    (slot,) = [p["slot"] for p in ev.state(fac)["grid"]["placements"] if p["pitch"] == pitches[0]]
    ev.ok("PUT", "/me/agenda", bryn, json={"slot": slot, "pitch": pitches[0]})
    ev.ok("POST", f"/pitches/{pitches[0]}/feedback", bryn, json={"answer": "useful"}, status=201)
    reader.page(f"{e}/feedback", staff)
    reader.page(f"{e}/feedback/{pitches[0]}", joined)
    reader.page(f"{e}/series")
    # What each staff page and the notes say once a form is done.
    for done, path, who in (
        (manage.DONE, f"{e}/organise", staff),
        (grid_editor.DONE, f"{e}/grid", staff),
        (grid_releases.DONE, f"{e}/grid/releases", staff),
        (webhooks.DONE, f"{e}/webhooks", staff),
        (notes.DONE, f"{e}/notes/{pitches[0]}", joined),
    ):
        for code in done:
            reader.page(f"{path}?done={code}", who)

    # Refusals, as problem details: no key, and a stranger's key.
    reader.problem(
        api.post(f"/api/e/{ev.slug}/pitches", json={"title": "x"}, headers=_speaks()),
        "POST pitches without a key",
    )
    reader.problem(
        api.get("/api/e/no-such-event-here", headers=_speaks()), "GET a missing event (API)"
    )

    left = "\n".join(
        f"  {run!r} on {', '.join(sorted(set(where)))}"
        for run, where in sorted(reader.left.items())
    )
    assert not reader.left, (
        f"English left on {len({w for ws in reader.left.values() for w in ws})} of "
        f"{len(set(reader.read))} pages read in the pseudo-language (never reached gettext):\n"
        f"{left}"
    )


def _speaks() -> dict[str, str]:
    return {"Cookie": f"snug_language={CODE}", "Accept": "application/json"}


def test_the_pseudo_language_is_only_in_the_tests_copy() -> None:
    """The seam is read only when set: Snug's own locales/ holds no pseudo-language."""
    from server.bundled import LOCALES_DIR

    assert not (LOCALES_DIR / CODE).exists()
