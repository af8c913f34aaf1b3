"""The shape of a notes document and how its content is read from, and written into, the CRDT.

A notes document is a Yjs document (pycrdt here, Yjs in the browser) with these roots:

- ``summary``, ``discussion``, ``outcomes``: text, Markdown as people type it;
- ``actions``: an array of maps, each with ``what`` and ``owner`` texts, ``due`` (a date as
  ``YYYY-MM-DD``, or empty) and ``id``, a short random string given once, so the action keeps
  who it is while its words are edited (its row on the action board, server/actions/);
- ``photos``: an array of maps with a photo's ``id`` and ``caption``.

Phones send their edits as CRDT updates, so two people typing in one paragraph, or one coming
back from a minute offline, merge instead of overwriting each other. Everything here is pure:
no database, no I/O.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pycrdt import Array, Doc, Map, Text

from server.errors import Invalid, Refused
from server.language import N_
from server.notes import budget, merging
from server.validation import NOT_TEXT

log = logging.getLogger("snug.notes")

PARTS = ("summary", "discussion", "outcomes")
Document = Doc[Any]
MAX_CHARS = 100_000  # about fifteen thousand words: far beyond an hour's notes, far below harm
MAX_ACTIONS = 200
MAX_PHOTOS = 40
# What one change may add to a document, encoded: as much as a notes message can carry
# (schemas/notes-client-update.json allows 1.5 million base64 characters).
MAX_UPDATE_BYTES = 2**20


class TooLong(Refused):
    status = 413
    title = N_("Notes too long")


ACTION_ID = re.compile(r"[A-Za-z0-9_-]{8,32}")
DUE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Action:
    what: str
    owner: str = ""
    due: str = ""  # YYYY-MM-DD, or empty: by when
    # Its identity in the document, empty until the server names it; not part of what the
    # notes say, so two lists with the same words are equal.
    id: str = field(default="", compare=False)

    @property
    def due_on(self) -> date | None:
        return due_date(self.due)

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "what": self.what, "owner": self.owner, "due": self.due}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Action:
        return cls(data["what"], data.get("owner", ""), data.get("due", ""), data.get("id", ""))


def due_date(text: str) -> date | None:
    """The date an action's ``due`` says, or None when it says none a calendar has."""
    if not DUE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class PhotoRef:
    id: int
    caption: str = ""


@dataclass(frozen=True)
class NotesContent:
    """What the notes say, as plain values."""

    summary: str = ""
    discussion: str = ""
    outcomes: str = ""
    actions: tuple[Action, ...] = field(default_factory=tuple)
    photos: tuple[PhotoRef, ...] = field(default_factory=tuple)

    @property
    def chars(self) -> int:
        texts = [self.summary, self.discussion, self.outcomes]
        texts += [a.what + a.owner for a in self.actions] + [p.caption for p in self.photos]
        return sum(len(t) for t in texts)

    @property
    def empty(self) -> bool:
        return self.chars == 0 and not self.photos

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "discussion": self.discussion,
            "outcomes": self.outcomes,
            "actions": [a.as_json() for a in self.actions],
            "photos": [{"id": p.id, "caption": p.caption} for p in self.photos],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NotesContent:
        return cls(
            summary=data.get("summary", ""),
            discussion=data.get("discussion", ""),
            outcomes=data.get("outcomes", ""),
            actions=tuple(Action.from_json(a) for a in data.get("actions", [])),
            photos=tuple(PhotoRef(p["id"], p.get("caption", "")) for p in data.get("photos", [])),
        )


@contextmanager
def _refusing(message: str) -> Iterator[None]:
    """pycrdt's errors as a refusal in words. Its Rust core reports its own bugs, which crafted
    updates reach, as pyo3's PanicException: a BaseException that no module exports, so
    everything but the interpreter's own signals is caught."""
    try:
        yield
    except (KeyboardInterrupt, SystemExit, asyncio.CancelledError):
        raise
    except (ValueError, RuntimeError, TypeError):
        raise Invalid(message) from None
    except BaseException as exc:
        log.warning("pycrdt failed on a notes document: %s", type(exc).__name__)
        raise Invalid(message) from None


def load(*updates: bytes) -> Document:
    """A document made of the given updates, in any order (merging is order-free)."""
    doc: Document = Doc()
    for update in updates:
        apply(doc, update)
    return doc


def load_sent(state: bytes) -> Document:
    """A document from a whole state someone sent (an archive), checked as a phone's change
    is, but whole: in as many pieces as a document may be written in."""
    budget.check(state, {}, pieces=budget.MAX_WRITTEN)
    return load(state)


def apply(doc: Document, update: bytes) -> None:
    with _refusing(budget.UNREADABLE):
        doc.apply_update(update)


def apply_sent(doc: Document, update: bytes) -> None:
    """Applies a change from outside, first refusing one that would cost more than notes may
    (see budget.py). Slow for a large change: call it off the event loop."""
    budget.check(update, budget.state_of(state_vector(doc)))
    apply(doc, update)


def state_vector(doc: Document) -> bytes:
    """The document's state vector: how far it has heard from each writer."""
    with _refusing(N_("The notes couldn't be read; the page will reload them.")):
        return bytes(doc.get_state())


def diff(doc: Document, state_vector: bytes | None) -> bytes:
    """What a peer that has seen ``state_vector`` is missing (everything, without one)."""
    if state_vector:
        budget.state_of(state_vector)
    with _refusing(N_("The notes state sent isn't one this server can read.")):
        return bytes(doc.get_update(state_vector) if state_vector else doc.get_update())


def read(doc: Document) -> NotesContent:
    """The content, with anything a misbehaving client put in the wrong shape left out."""
    with _refusing("That change would give the notes a shape they can't have."):
        texts = {part: str(doc.get(part, type=Text)) for part in PARTS}
        actions = tuple(_action(m) for m in _maps(doc.get("actions", type=Array)))
        photos = tuple(_photo(m) for m in _maps(doc.get("photos", type=Array)))
    typed = [*texts.values()]
    typed += [a.what + a.owner for a in actions if a is not None]
    typed += [p.caption for p in photos if p is not None]
    if any(NOT_TEXT.search(text) for text in typed):
        raise Invalid(N_("That change holds a character no text can (NUL, or broken Unicode)."))
    return NotesContent(
        **texts,
        actions=tuple(a for a in actions if a is not None),
        photos=tuple(p for p in photos if p is not None),
    )


def check(content: NotesContent) -> None:
    """Refuses content past the caps, saying which and how far."""
    if content.chars > MAX_CHARS:
        raise TooLong(
            N_(
                "These notes would be %(chars)s characters long; the limit is %(most)s. "
                "Nothing past the limit was saved: shorten them, or move long material to a "
                "linked document."
            ),
            values={"chars": f"{content.chars:,}", "most": f"{MAX_CHARS:,}"},
        )
    if len(content.actions) > MAX_ACTIONS:
        raise TooLong(
            N_("A session can list at most %(most)s actions."), values={"most": MAX_ACTIONS}
        )
    if len(content.photos) > MAX_PHOTOS:
        raise TooLong(
            N_("A session can have at most %(most)s photos."), values={"most": MAX_PHOTOS}
        )


def check_size(update: bytes) -> None:
    if len(update) > MAX_UPDATE_BYTES:
        raise TooLong(
            N_(
                "That change is %(size)s KB; one change can add at most %(most)s MB to the "
                "notes. Nothing of it was saved."
            ),
            values={"size": f"{len(update) // 1024:,}", "most": MAX_UPDATE_BYTES // 2**20},
        )


def write(doc: Document, content: NotesContent) -> bytes:
    """Makes the document say ``content`` and returns that change as an update.

    Used to restore an earlier version and to fill the demo: the change is an ordinary edit,
    so it merges with whatever anyone types at the same moment.
    """
    before = doc.get_state()
    with doc.transaction():
        for part in PARTS:
            _replace_text(doc.get(part, type=Text), getattr(content, part))
        current = read(doc)
        # Lists are rebuilt only when they differ, so rewriting the same ones adds no copies.
        if current.actions != content.actions:
            actions = doc.get("actions", type=Array)
            actions.clear()
            for action in content.actions:
                actions.append(_action_map(action))
        if current.photos != content.photos:
            photos = doc.get("photos", type=Array)
            photos.clear()
            for photo in content.photos:
                photos.append(_photo_map(photo))
    return bytes(doc.get_update(before))


def add_action(doc: Document, action: Action) -> None:
    doc.get("actions", type=Array).append(_action_map(action))


def name_actions(doc: Document) -> None:
    """Gives each action that has no identity yet one of its own (a live editor names those it
    adds; a page without script, an older client or a restore may not)."""
    for item in _maps(doc.get("actions", type=Array)):
        if not (isinstance(ident := item.get("id"), str) and ACTION_ID.fullmatch(ident)):
            item["id"] = new_action_id()


def new_action_id() -> str:
    return secrets.token_urlsafe(9)


def _action_map(action: Action) -> Map[Any]:
    fields = {"what": Text(action.what), "owner": Text(action.owner), "due": action.due}
    return Map({**fields, "id": action.id or new_action_id()})


def add_photo(doc: Document, photo: PhotoRef) -> bytes:
    """Appends a photo to the notes and returns that change as an update."""
    before = doc.get_state()
    doc.get("photos", type=Array).append(_photo_map(photo))
    return bytes(doc.get_update(before))


def _replace_text(text: Text, value: str) -> None:
    """Makes ``text`` say ``value`` by changing only what differs, word by word, so a
    concurrent edit elsewhere in the text survives."""
    current = str(text)
    # pycrdt places text by UTF-8 bytes; the edits are counted in characters.
    for edit in reversed(merging.edits(current, value)):
        start = len(current[: edit.start].encode())
        end = start + len(current[edit.start : edit.end].encode())
        if end > start:
            del text[start:end]
        if edit.text:
            text.insert(start, edit.text)


def write_texts(doc: Document, base: dict[str, str], sent: dict[str, str]) -> list[merging.Merged]:
    """Makes each text part say what was sent from a page drawn when it said ``base``, merged
    with whatever others changed since; returns what each part became."""
    results = []
    with doc.transaction():
        for part in PARTS:
            text = doc.get(part, type=Text)
            merged = merging.merge(base[part], sent[part], str(text))
            _replace_text(text, merged.text)
            results.append(merged)
    return results


def _photo_map(photo: PhotoRef) -> Map[Any]:
    return Map({"id": float(photo.id), "caption": photo.caption})


def _maps(array: Array[Any]) -> list[Map[Any]]:
    return [item for item in array if isinstance(item, Map)]


def _action(item: Map[Any]) -> Action | None:
    what, owner, due, ident = (item.get(key) for key in ("what", "owner", "due", "id"))
    what_text = str(what) if isinstance(what, Text | str) else ""
    owner_text = str(owner) if isinstance(owner, Text | str) else ""
    # A due date a calendar doesn't have, or an identity of another shape, is left out.
    due_text = due if isinstance(due, str) and due_date(due) else ""
    ident_text = ident if isinstance(ident, str) and ACTION_ID.fullmatch(ident) else ""
    if not (what_text or owner_text):
        return None
    return Action(what_text, owner_text, due_text, ident_text)


def _photo(item: Map[Any]) -> PhotoRef | None:
    ident, caption = item.get("id"), item.get("caption")
    if not isinstance(ident, int | float) or ident != int(ident) or ident < 1:
        return None
    return PhotoRef(int(ident), caption if isinstance(caption, str) else "")
