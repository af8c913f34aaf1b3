"""What a session's notes page shows: the session, where and when it is, and the notes as they
stand, in the words the live page uses (web/static/js/notes.js)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from server.language import gettext as _
from server.language import ngettext
from server.language.formats import number
from server.notes.document import PARTS, Action, NotesContent, due_date
from server.notes.markdown import without_controls
from server.pages import words
from server.pages.forms import FormError

ACTION_WHAT_MOST = 500  # characters: an action is a line, not a paragraph
ACTION_OWNER_MOST = 120


@dataclass(frozen=True)
class Drawn:
    """The text parts a form was drawn with, as the browser sends them back, and their version:
    the page sends both, so the server can tell whether the notes changed since, and merge."""

    texts: dict[str, str]

    @property
    def version(self) -> str:
        return hashlib.sha256(json.dumps(self.texts, sort_keys=True).encode()).hexdigest()[:32]

    @classmethod
    def of(cls, content: NotesContent) -> Drawn:
        return cls.sent({part: getattr(content, part) for part in PARTS})

    @classmethod
    def sent(cls, texts: dict[str, str]) -> Drawn:
        # A page carries no control characters (server/templates.py), and a browser sends
        # every line break as CRLF.
        return cls({part: without_controls(texts[part]) for part in PARTS})


def session_meta(state: dict[str, Any], pitch_id: int) -> tuple[str, str]:
    """The session's title, and where, when and by whom, from the event's snapshot."""
    pitch = next((p for p in state["pitches"] if p["id"] == pitch_id), None)
    if pitch is None:
        return _("Session notes"), ""
    grid = state["grid"] if state["grid"] and state["grid"]["live"] else state.get("draft")
    placed = next((p for p in grid["placements"] if p["pitch"] == pitch_id), None) if grid else None
    room = placed and next((r for r in state["rooms"] if r["id"] == placed["room"]), None)
    slot = placed and next((s for s in state["slots"] if s["id"] == placed["slot"]), None)
    where = (
        f"{room['name']}, {words.slot_words(slot)}" if room and slot else _("Not on the grid yet")
    )
    host = _("Hosted by %(host)s") % {"host": pitch["host"]} if pitch["host"] else ""
    return str(pitch["title"]), " · ".join(filter(None, [where, host]))


def credit_words(named: tuple[str, ...], anonymous: int) -> str:
    if not named and not anonymous:
        return _("No one has written here yet.")
    if not named:
        return ngettext("Written by %(n)s person.", "Written by %(n)s people.", anonymous) % {
            "n": number(anonymous)
        }
    names = [*named]
    if anonymous:
        names.append(ngettext("%(n)s other", "%(n)s others", anonymous) % {"n": number(anonymous)})
    last = names.pop()
    together = _("%(names)s and %(last)s") % {"names": ", ".join(names), "last": last}
    return _("Written by %(names)s.") % {"names": together if names else last}


def action_of(fields: dict[str, str]) -> Action:
    """An action from the notes page's form without script: what, who and by when."""
    what = without_controls(fields.get("what", "")).strip()
    owner = without_controls(fields.get("owner", "")).strip()
    due = fields.get("due", "").strip()
    errors = []
    if not what:
        errors.append(("action-what", _("Enter what will be done")))
    elif len(what) > ACTION_WHAT_MOST:
        errors.append(
            (
                "action-what",
                _("What will be done can be at most %(most)s characters long")
                % {"most": number(ACTION_WHAT_MOST)},
            )
        )
    if len(owner) > ACTION_OWNER_MOST:
        errors.append(
            (
                "action-owner",
                _("Who will do it can be at most %(most)s characters long")
                % {"most": number(ACTION_OWNER_MOST)},
            )
        )
    if due and due_date(due) is None:
        errors.append(
            ("action-due", _("Enter the date it is due by as a real date, or leave it blank"))
        )
    if errors:
        raise FormError(errors)
    return Action(what, owner, due)
