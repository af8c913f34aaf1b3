"""Session notes on phones, in Chromium: two people writing the same paragraph, one offline,
final notes, history, photos, the links to the page, and the page's accessibility."""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import (
    HOLD_LIVE_MESSAGES,
    PHONE,
    RESULTS,
    bearer,
    check_axe,
    fail_on_dialogs,
    make_event,
    no_sideways_scroll,
    sign_in,
)

SAVED = "Saved"
OFFLINE = "Offline: your changes are kept on this phone and will merge when you\u2019re back"


@dataclass
class Session:
    """A placed session with its host (Ana) and another attendee (Ben) joined."""

    server: LiveServer
    slug: str
    key: str
    pitch: int
    ana: str
    ben: str

    @property
    def api(self) -> str:
        return f"{self.server.url}/api/e/{self.slug}"

    @property
    def page(self) -> str:
        return f"{self.server.url}/e/{self.slug}/notes/{self.pitch}"

    def notes(self) -> dict[str, Any]:
        answer = httpx.get(f"{self.api}/pitches/{self.pitch}/notes", headers=bearer(self.key))
        answer.raise_for_status()
        content: dict[str, Any] = answer.json()
        return content


def placed_session(server: LiveServer, name: str) -> Session:
    event = make_event(server, name, rooms=[{"name": "Long room", "capacity": 40, "features": []}])
    api = f"{server.url}/api/e/{event.slug}"
    ana, ben = (
        httpx.post(f"{api}/attendees", json={"name": n}).json()["token"] for n in ("Ana", "Ben")
    )
    made = httpx.post(
        f"{api}/pitches",
        json={"title": "Open data in councils", "host": "Ana"},
        headers=bearer(ana),
    )
    made.raise_for_status()
    pitch = made.json()["id"]
    state = httpx.get(api, headers=event.auth()).json()
    move = {"version": 0, "pitch": pitch, "room": state["rooms"][0]["id"]}
    move["slot"] = state["slots"][0]["id"]
    httpx.post(f"{api}/grid/move", json=move, headers=event.auth()).raise_for_status()
    httpx.post(f"{api}/grid/publish", json={"version": 1}, headers=event.auth()).raise_for_status()
    return Session(server, event.slug, event.key, pitch, ana, ben)


@dataclass
class Phone:
    context: Any
    page: Any
    dialogs: list[str]

    def field(self, part: str) -> Any:
        return self.page.locator(f"#part-{part}")

    def status(self) -> Any:
        return self.page.locator("#save-status")

    def settled(self) -> None:
        """Everything typed here is acknowledged: the status line says so, not just "Saved",
        which stays a moment after typing before it turns to "Saving…"."""
        expect(self.page.locator('#save-status[data-unsaved="false"]')).to_have_text(SAVED)


@pytest.fixture
def phones(browser: Any) -> Iterator[list[Phone]]:
    opened: list[Phone] = []
    yield opened
    for phone in opened:
        assert phone.dialogs == [], "typed text ran as script"
        phone.context.close()


def open_notes(browser: Any, phones: list[Phone], session: Session, secret: str | None) -> Phone:
    context = browser.new_context(**PHONE)
    if secret:
        sign_in(context, session.server, session.slug, secret)
    page = context.new_page()
    phone = Phone(context, page, [])
    fail_on_dialogs(page, phone.dialogs)
    phones.append(phone)
    page.goto(session.page)
    return phone


def type_at_end(phone: Phone, part: str, text: str) -> None:
    field = phone.field(part)
    expect(field).to_be_editable()  # read-only until the notes are in
    field.focus()
    phone.page.keyboard.press("Control+End")
    phone.page.keyboard.type(text)


def test_two_phones_write_the_same_notes_one_of_them_offline(
    server: LiveServer, browser: Any, phones: list[Phone], results_dir: Any
) -> None:
    session = placed_session(server, "Notes camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    for phone in (ana, ben):
        expect(phone.page.locator("h1")).to_have_text("Open data in councils")
        expect(phone.page.locator("#session-meta")).to_contain_text("Long room, 10:00 to 11:00")
        phone.settled()

    # The same paragraph, each sees the other's words.
    type_at_end(ana, "summary", "Councils publish too little.")
    expect(ben.field("summary")).to_have_value("Councils publish too little.")
    type_at_end(ben, "summary", " We should ask why.")
    both = "Councils publish too little. We should ask why."
    expect(ana.field("summary")).to_have_value(both)
    expect(ben.field("summary")).to_have_value(both)

    # Ben goes offline and keeps writing; Ana writes in the same paragraph meanwhile.
    type_at_end(ana, "discussion", "Licences.")
    expect(ben.field("discussion")).to_have_value("Licences.")
    ben.context.set_offline(True)
    expect(ben.status()).to_have_text(OFFLINE)
    type_at_end(ben, "discussion", " Ben: budgets, offline.")
    ana.field("discussion").focus()
    ana.page.keyboard.press("Control+Home")
    ana.page.keyboard.type("Ana, online: ")
    ana.settled()
    assert "budgets" not in session.notes()["content"]["discussion"]
    ben.page.screenshot(path=str(results_dir / "notes-offline.png"))
    ben.page.screenshot(path=str(RESULTS / "notes-offline.png"))

    ben.context.set_offline(False)
    merged = "Ana, online: Licences. Ben: budgets, offline."
    expect(ben.field("discussion")).to_have_value(merged, timeout=15000)
    expect(ana.field("discussion")).to_have_value(merged)
    ben.settled()
    stored = session.notes()
    assert stored["content"]["summary"] == both
    assert stored["content"]["discussion"] == merged

    # An action, added on one phone, is there on the other to finish.
    ana.page.get_by_role("button", name="Add an action").click()
    ana.page.keyboard.type("Ask for the licence register")
    owner = ben.page.get_by_role("group", name="Action 1").get_by_label("Who will do it")
    owner.fill("Ben")
    ben.page.get_by_role("group", name="Action 1").get_by_label("By when").fill("2027-01-31")
    expect(
        ana.page.get_by_role("group", name="Action 1").get_by_label("Who will do it")
    ).to_have_value("Ben")
    expect(ana.page.get_by_role("group", name="Action 1").get_by_label("By when")).to_have_value(
        "2027-01-31"
    )
    ana.settled()
    ben.settled()
    (action,) = session.notes()["content"]["actions"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", action.pop("id")), action
    assert action == {"what": "Ask for the licence register", "owner": "Ben", "due": "2027-01-31"}

    for name, phone in (("ana", ana), ("ben", ben)):
        check_axe(phone.page)
        no_sideways_scroll(phone.page)
        phone.page.screenshot(path=str(RESULTS / f"notes-{name}.png"), full_page=True)
        phone.page.screenshot(path=str(results_dir / f"notes-{name}.png"), full_page=True)


def test_caret_stays_beside_the_same_words_when_others_type(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Caret camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    type_at_end(ana, "summary", "world peace")
    expect(ben.field("summary")).to_have_value("world peace")
    ana.page.keyboard.press("Control+Home")
    for _ in "world":
        ana.page.keyboard.press("ArrowRight")
    ben.field("summary").focus()
    ben.page.keyboard.press("Control+Home")
    ben.page.keyboard.type("Hello ")
    expect(ana.field("summary")).to_have_value("Hello world peace")
    ana.page.keyboard.type(",")
    expect(ben.field("summary")).to_have_value("Hello world, peace")


COUNT_UPDATES_HEARD = """
(() => {
  window.__heard = 0;
  const Original = window.WebSocket;
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (JSON.parse(event.data).type === "update") window.__heard += 1;
      });
    }
  };
})();
"""


def test_others_words_wait_while_a_phone_keyboard_composes_a_word(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Keyboard camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    ana.page.add_init_script(COUNT_UPDATES_HEARD)
    ana.page.reload()
    ana.settled()  # the fields take typing once the notes are in
    type_at_end(ana, "summary", "Hello")
    expect(ben.field("summary")).to_have_value("Hello")
    ana.settled()

    # Ana's keyboard composes a word, as Android keyboards do; Ben writes meanwhile.
    ime = ana.context.new_cdp_session(ana.page)
    ime.send("Input.imeSetComposition", {"text": " wo", "selectionStart": 3, "selectionEnd": 3})
    ben.field("summary").focus()
    ben.page.keyboard.press("Control+Home")
    ben.page.keyboard.type("Ben: ")
    ben.settled()
    ana.page.wait_for_function("window.__heard >= 1")
    expect(ana.field("summary")).to_have_value("Hello wo")  # the word isn't broken up
    assert session.notes()["content"]["summary"] == "Ben: Hello"  # nor sent half made
    ime.send("Input.imeSetComposition", {"text": " wor", "selectionStart": 4, "selectionEnd": 4})
    ime.send("Input.insertText", {"text": " world"})

    for phone in (ana, ben):
        expect(phone.field("summary")).to_have_value("Ben: Hello world")
    assert ana.field("summary").evaluate("f => [f.selectionStart, f.selectionEnd]") == [16, 16]
    ana.page.keyboard.type("!")
    expect(ben.field("summary")).to_have_value("Ben: Hello world!")
    ana.settled()
    assert session.notes()["content"]["summary"] == "Ben: Hello world!"


COUNT_UPDATES_SENT = """
(() => {
  window.__updates = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (JSON.parse(data).type === "update") window.__updates += 1;
    return send.call(this, data);
  };
})();
"""


def test_a_fast_typist_sends_one_update_per_round_trip(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Fast camp")
    ana = open_notes(browser, phones, session, session.ana)
    ana.settled()
    ana.page.add_init_script(HOLD_LIVE_MESSAGES + COUNT_UPDATES_SENT)
    ana.page.reload()
    ana.settled()
    ana.page.evaluate("window.__freeze = true")  # acknowledgements wait
    type_at_end(ana, "summary", "Twenty-six letters, typed")
    assert ana.page.evaluate("window.__updates") == 1
    expect(ana.status()).to_have_text("Saving…")
    ana.page.evaluate("window.__release()")
    ana.settled()
    assert ana.page.evaluate("window.__updates") == 2
    assert session.notes()["content"]["summary"] == "Twenty-six letters, typed"


# Answers, on the phone, the next messages of a type with a made-up "database away" error:
# window.__busy = ["update"] makes the next update fail with a 503. window.__sent lists the
# types of the messages that reached the server.
DATABASE_AWAY = """
(() => {
  window.__busy = window.__busy || [];
  window.__sent = [];
  const Original = window.WebSocket;
  window.WebSocket = class extends Original {
    send(data) {
      const message = JSON.parse(data);
      const at = window.__busy.indexOf(message.type);
      if (at < 0) {
        window.__sent.push(message.type);
        return super.send(data);
      }
      window.__busy.splice(at, 1);
      const error = { type: "error", status: 503, message: "The database is away just now." };
      if (message.type === "update") error.id = message.id;
      const answer = new MessageEvent("message", { data: JSON.stringify(error) });
      setTimeout(() => this.dispatchEvent(answer), 50);
    }
  };
})();
"""


def test_a_join_refused_while_the_database_is_away_is_tried_again(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Away camp")
    ana = open_notes(browser, phones, session, session.ana)
    ana.settled()
    ana.page.add_init_script('window.__busy = ["join"];' + DATABASE_AWAY)
    ana.page.reload()
    problem = ana.page.get_by_role("alert").filter(has_text="database is away")
    expect(problem).to_be_visible()
    expect(ana.field("summary")).not_to_be_editable()  # until the notes are in

    # Pings keep the socket open, so only asking again a few seconds later gets the notes.
    expect(ana.status()).to_have_text(SAVED, timeout=15000)
    expect(problem).to_be_hidden()
    assert ana.page.evaluate("window.__sent.filter((type) => type === 'join').length") == 1
    type_at_end(ana, "summary", "Written once the database was back.")
    ana.settled()
    assert session.notes()["content"]["summary"] == "Written once the database was back."


def test_a_save_refused_while_the_database_is_away_is_sent_again(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Busy camp")
    ana = open_notes(browser, phones, session, session.ana)
    ana.settled()
    ana.page.add_init_script(DATABASE_AWAY)
    ana.page.reload()
    ana.settled()
    ana.page.evaluate("window.__busy.push('update')")
    type_at_end(ana, "summary", "Kept while busy.")
    problem = ana.page.get_by_role("alert").filter(has_text="database is away")
    expect(problem).to_be_visible()
    expect(ana.status()).to_have_text("Saving…")
    assert session.notes()["content"]["summary"] == ""
    ana.page.screenshot(path=str(RESULTS / "notes-busy.png"))

    # Sent again a few seconds later on the same connection: the acknowledgement ends the alert.
    expect(ana.status()).to_have_text(SAVED, timeout=15000)
    expect(problem).to_be_hidden()
    assert ana.page.evaluate("window.__sent.filter((type) => type === 'join').length") == 1
    assert session.notes()["content"]["summary"] == "Kept while busy."


def test_host_marks_final_and_history_restores(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Final camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    ana.field("outcomes").fill("A shared register of licences.")
    expect(ben.field("outcomes")).to_have_value("A shared register of licences.")
    expect(ben.page.get_by_role("button", name="Mark final")).to_be_hidden()

    ana.page.get_by_role("button", name="Mark final").click()
    expect(ben.page.locator("#final-notice")).to_be_visible()
    for part in ("summary", "discussion", "outcomes"):
        expect(ben.field(part)).not_to_be_editable()
    expect(ben.page.get_by_role("button", name="Add an action")).to_be_hidden()
    check_axe(ben.page)
    ben.page.screenshot(path=str(RESULTS / "notes-final.png"), full_page=True)

    ana.page.get_by_role("button", name="Reopen").click()
    expect(ben.field("outcomes")).to_be_editable()
    ben.field("outcomes").fill("Nothing agreed.")
    expect(ana.field("outcomes")).to_have_value("Nothing agreed.")
    ben.settled()

    # The version kept when the notes were marked final brings the outcome back.
    ben.page.locator("#history summary").click()
    kept = ben.page.locator("#version-list li", has_text="Marked final")
    kept.get_by_role("button", name="View").click()
    view = ben.page.locator("#version-view")
    expect(view).to_be_focused()
    expect(view).to_contain_text("A shared register of licences.")
    check_axe(ben.page)
    view.get_by_role("button", name="Restore this version").click()
    for phone in (ana, ben):
        expect(phone.field("outcomes")).to_have_value("A shared register of licences.")
    assert session.notes()["content"]["outcomes"] == "A shared register of licences."
    ben.page.screenshot(path=str(RESULTS / "notes-history.png"), full_page=True)


def test_offline_words_survive_closing_the_page(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Battery camp")
    ben = open_notes(browser, phones, session, session.ben)
    ben.settled()
    ben.context.set_offline(True)
    expect(ben.status()).to_have_text(OFFLINE)
    type_at_end(ben, "summary", "Written on the train.")
    ben.page.close()  # the phone's tab is gone before it was back online
    ben.context.set_offline(False)
    assert session.notes()["content"]["summary"] == ""

    ben.page = ben.context.new_page()
    ben.page.goto(session.page)
    ben.settled()
    expect(ben.field("summary")).to_have_value("Written on the train.")
    assert session.notes()["content"]["summary"] == "Written on the train."
    kept = ben.page.evaluate(f"localStorage.getItem('snug:{session.slug}:notes:{session.pitch}')")
    assert kept is None


def test_words_refused_after_the_notes_went_final_are_offered_back(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Late camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    type_at_end(ana, "summary", "Ana's summary.")
    expect(ben.field("summary")).to_have_value("Ana's summary.")
    ben.context.set_offline(True)
    expect(ben.status()).to_have_text(OFFLINE)
    type_at_end(ben, "discussion", "Too late to save.")
    final = httpx.put(
        f"{session.api}/pitches/{session.pitch}/notes/final",
        json={"final": True},
        headers=bearer(session.ana),
    )
    final.raise_for_status()
    ben.context.set_offline(False)

    lost = ben.page.locator("#lost")
    expect(lost).to_contain_text("marked final")
    expect(ben.field("discussion")).to_have_value("")
    expect(ben.field("discussion")).not_to_be_editable()
    lost.locator("summary").click()
    expect(lost.get_by_label("Discussion")).to_have_value("Too late to save.")
    expect(lost).to_contain_text("Only the parts that differ from the saved notes")
    # Ana's summary is saved as Ben's phone had it, so it isn't offered back as his.
    expect(lost.locator("textarea")).to_have_count(1)
    assert session.notes()["content"]["discussion"] == ""
    check_axe(ben.page)
    ben.page.screenshot(path=str(RESULTS / "notes-lost.png"), full_page=True)


def test_notes_past_the_limit_are_refused_on_the_phone(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Long camp")
    ana = open_notes(browser, phones, session, session.ana)
    ana.settled()
    almost = "word " * 19_998  # 99,990 characters
    ana.field("discussion").fill(almost)
    expect(ana.page.locator("#char-count")).to_have_text("99,990 of 100,000 characters used.")
    expect(ana.page.locator("#announce")).to_contain_text("near their limit")
    type_at_end(ana, "summary", "This sentence is too long.")
    count = ana.page.locator("#char-count")
    expect(count).to_contain_text("reached the limit of 100,000 characters")
    expect(ana.field("summary")).to_have_value("This sente")
    ana.settled()
    assert session.notes()["chars"] == 100_000


def test_keyboard_alone_writes_notes_and_an_action(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Keys camp")
    ana = open_notes(browser, phones, session, session.ana)
    ana.settled()
    page = ana.page
    tab_to(page, "#part-summary")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    expect(ana.field("discussion")).to_be_focused()
    tab_to(page, "#add-action")
    page.keyboard.press("Enter")
    page.keyboard.type("Share the notes")
    page.keyboard.press("Tab")
    page.keyboard.type("Ana")
    page.keyboard.press("Tab")
    expect(page.get_by_role("group", name="Action 1").get_by_label("By when")).to_be_focused()
    tab_to(page, "li.action fieldset > button")  # past the date's day, month and year
    expect(page.get_by_role("button", name="Remove action 1")).to_be_focused()
    ana.settled()
    content = session.notes()["content"]
    assert content["summary"] == "Typed without a mouse."
    assert [(a["what"], a["owner"], a["due"]) for a in content["actions"]] == [
        ("Share the notes", "Ana", "")
    ]
    page.keyboard.press("Enter")  # remove it again: focus goes somewhere sensible
    expect(page.get_by_role("button", name="Add an action")).to_be_focused()
    expect(page.locator("#announce")).to_have_text("Action 1 removed.")


def test_photo_upload_shows_on_both_phones(
    server: LiveServer, browser: Any, phones: list[Phone], tmp_path: Any
) -> None:
    session = placed_session(server, "Photo camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    picture = tmp_path / "flipchart.png"
    picture.write_bytes(png(400, 300))

    ana.page.get_by_label("Add a photo of a flipchart or whiteboard").set_input_files(str(picture))
    ana.page.get_by_label("Caption (optional)").fill("<img src=x onerror=alert(1)> ideas")
    ana.page.get_by_role("button", name="Upload photo").click()
    expect(ana.page.locator("#photo-form [role=status]")).to_have_text("Photo added to the notes.")
    for phone in (ana, ben):
        image = phone.page.locator(".photo img")
        expect(image).to_have_attribute("alt", "<img src=x onerror=alert(1)> ideas")
        expect(phone.page.locator(".photo figcaption")).to_have_text(
            "<img src=x onerror=alert(1)> ideas"
        )
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") == 400

    # Not an image: the phone says so before sending anything.
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    ana.page.get_by_label("Add a photo of a flipchart or whiteboard").set_input_files(str(text))
    ana.page.get_by_role("button", name="Upload photo").click()
    expect(ana.page.locator(".error-summary")).to_contain_text("JPEG, PNG or WebP")
    check_axe(ana.page)
    ana.page.screenshot(path=str(RESULTS / "notes-photo.png"), full_page=True)

    ben.page.get_by_role("button", name="Remove from the notes (photo 1)").click()
    expect(ana.page.locator(".photo")).to_have_count(0)
    ben.settled()
    assert session.notes()["content"]["photos"] == []


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1d70b8").save(buffer, "PNG")
    return buffer.getvalue()


def upload_photo(session: Session, secret: str, caption: str) -> None:
    answer = httpx.post(
        f"{session.api}/pitches/{session.pitch}/notes/photos",
        params={"caption": caption},
        content=png(40, 30),
        headers={**bearer(secret), "Content-Type": "image/png"},
    )
    answer.raise_for_status()


def test_focus_stays_on_a_photo_while_others_change_the_photos(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Focus camp")
    ana = open_notes(browser, phones, session, session.ana)
    ben = open_notes(browser, phones, session, session.ben)
    upload_photo(session, session.ana, "Flipchart one")
    remove_first = ana.page.get_by_role("button", name="Remove from the notes (photo 1)")
    remove_first.focus()
    first_image = ana.page.locator(".photo img").first
    expect(first_image).to_have_attribute("alt", "Flipchart one")
    first_image.evaluate("img => { img.dataset.seen = 'yes'; }")

    upload_photo(session, session.ben, "Flipchart two")
    expect(ana.page.locator(".photo img")).to_have_count(2)  # asked for, though just asked
    expect(remove_first).to_be_focused()
    expect(first_image).to_have_attribute("data-seen", "yes")  # the same image, not redrawn
    check_axe(ana.page)
    ana.page.screenshot(path=str(RESULTS / "notes-photo-focus.png"), full_page=True)
    ben.page.get_by_role("button", name="Remove from the notes (photo 2)").click()
    expect(ana.page.locator(".photo")).to_have_count(1)
    expect(remove_first).to_be_focused()

    ana.page.keyboard.press("Enter")
    expect(ana.page.locator(".photo")).to_have_count(0)
    expect(ana.page.get_by_label("Add a photo of a flipchart or whiteboard")).to_be_focused()
    ana.settled()
    assert session.notes()["content"]["photos"] == []


def test_someone_who_has_not_joined_is_sent_to_join(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Stranger camp")
    stranger = open_notes(browser, phones, session, None)
    problem = stranger.page.locator("#problem")
    expect(problem).to_contain_text("Join the event")
    link = problem.get_by_role("link", name="Go to the event page to join")
    expect(link).to_have_attribute("href", f"/e/{session.slug}")
    expect(stranger.page.locator("#notes-body")).to_be_hidden()
    check_axe(stranger.page)
    no_sideways_scroll(stranger.page)
    stranger.page.screenshot(path=str(RESULTS / "notes-stranger.png"))


def test_agenda_grid_and_facilitator_grid_link_to_the_notes(
    server: LiveServer, browser: Any, phones: list[Phone]
) -> None:
    session = placed_session(server, "Links camp")
    href = f"/e/{session.slug}/notes/{session.pitch}"
    ben = open_notes(browser, phones, session, session.ben)
    ben.page.goto(f"{server.url}/e/{session.slug}")
    agenda = ben.page.locator("#agenda")
    expect(agenda.get_by_role("link")).to_have_count(1)
    check_axe(ben.page)
    expect(agenda.get_by_role("link", name="Notes for “Open data in councils”")).to_have_attribute(
        "href", href
    )
    grid = ben.page.locator("#grid-list")
    grid.get_by_role("link", name="Notes for “Open data in councils”").click()
    expect(ben.page).to_have_url(session.page)
    ben.settled()

    laptop = open_notes(browser, phones, session, session.key)
    laptop.page.goto(f"{server.url}/e/{session.slug}/grid")
    link = laptop.page.locator("#grid").get_by_role(
        "link", name="Notes for “Open data in councils”"
    )
    expect(link).to_have_attribute("href", href)
    link.click()
    laptop.settled()
    # Staff may finish any session's notes, and aren't asked about credit.
    expect(laptop.page.get_by_role("button", name="Mark final")).to_be_visible()
    expect(laptop.page.get_by_label("Credit me by name")).to_be_hidden()


def test_notes_page_is_light(server: LiveServer, browser: Any, phones: list[Phone]) -> None:
    session = placed_session(server, "Light camp")
    urls: list[str] = []
    context = browser.new_context(**PHONE)
    sign_in(context, server, session.slug, session.ben)
    phones.append(Phone(context, context.new_page(), []))
    page = phones[-1].page
    page.on("requestfinished", lambda request: urls.append(request.url))
    page.goto(session.page, wait_until="networkidle")
    sizes = {}
    for url in urls:
        body = httpx.get(url, headers=bearer(session.ben)).content
        sizes[url] = len(gzip.compress(body, 9)) if len(body) > 500 else len(body)
    assert any(url.endswith("yjs.mjs") for url in sizes)
    assert sum(sizes.values()) <= 100 * 1024, sizes


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_each_phone_sees_who_else_is_writing(
    server: LiveServer, browser: Any, phones: list[Phone], results_dir: Any
) -> None:
    session = placed_session(server, "Presence camp")
    ana = open_notes(browser, phones, session, session.ana)
    ana.settled()
    expect(ana.page.locator("#presence")).to_be_hidden()
    ben = open_notes(browser, phones, session, session.ben)
    ben.settled()
    # Each hears of the other: the newcomer from the one already writing, and back.
    expect(ana.page.locator("#presence")).to_have_text("Ben is writing here too.")
    expect(ben.page.locator("#presence")).to_have_text("Ana is writing here too.")
    # Someone anonymous makes it a count, with no names.
    api = f"{server.url}/api/e/{session.slug}"
    anonymous = httpx.post(f"{api}/attendees", json={}).json()["token"]
    open_notes(browser, phones, session, anonymous).settled()
    expect(ana.page.locator("#presence")).to_have_text("2 others are writing here too.")
    check_axe(ana.page)
    no_sideways_scroll(ana.page)
    ana.page.screenshot(path=str(results_dir / "notes-presence-360.png"), full_page=True)
    # Leaving is heard too.
    ben.context.close()
    phones.remove(ben)
    expect(ana.page.locator("#presence")).to_have_text("1 other person is writing here too.")
