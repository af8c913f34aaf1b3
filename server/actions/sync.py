"""Keeping the board's rows in step with the actions written in each session's notes.

The notes are the record: a row is made for each action the notes list, by its identity in
the document, and its words, owner and due date follow the notes. An action taken out of the
notes goes from the board too, unless its status has changed: then it is kept, marked as taken
out, so what someone did about it isn't silently lost. It runs as a write of the event
(server/events/writes.py) after a change to the notes has committed, and reconciles the whole
session, so a sync that never ran is made good by the next one. In the live editor every
keystroke is a change to the notes, so there the board follows a moment later, once for all
the keystrokes in between (``Typing``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from server.actions.links import PURPOSE
from server.actions.models import ActionItem
from server.events.access import SNUG, Keys
from server.events.batch import Command
from server.events.journal import Journal
from server.events.models import Event
from server.events.writes import Reaction, Writes
from server.notes import document, store
from server.notes.document import Action, due_date
from server.notes.models import Notes
from server.notes.store import Edited

log = logging.getLogger("snug.actions")
OWNER_MOST = 200  # characters of an owner kept on the board (the column's size)
TYPING = 1.0  # seconds between the board's syncs while someone types an action


def sync(
    pitch_id: int, actions: tuple[Action, ...], keys: Keys
) -> Callable[[Journal], Awaitable[bool]]:
    """The write that makes the session's rows say what its notes' actions say; records
    ``actions.synced`` and answers True when anything changed."""

    async def command(journal: Journal) -> bool:
        rows = {r.key: r for r in await ActionItem.filter(pitch_id=pitch_id)}
        listed = {a.id: a for a in actions if a.id}
        changed = False
        for key, action in listed.items():
            wanted = _fields(action)
            row = rows.get(key)
            if row is None:
                salt = secrets.token_urlsafe(16)
                link_key = keys.digest(keys.link_secret(PURPOSE, salt))
                await ActionItem.create(
                    event_id=journal.event.id,
                    pitch_id=pitch_id,
                    key=key,
                    link_salt=salt,
                    link_key=link_key,
                    **wanted,
                )
                changed = True
            elif any(getattr(row, name) != value for name, value in wanted.items()):
                await ActionItem.filter(id=row.id).update(**wanted)
                changed = True
        for key, row in rows.items():
            if key in listed:
                continue
            if row.status_at is None:
                await ActionItem.filter(id=row.id).delete()
                changed = True
            elif not row.removed:
                await ActionItem.filter(id=row.id).update(removed=True)
                changed = True
        if changed:
            await journal.record("actions.synced", {"pitch": pitch_id})
        return changed

    return command


def _fields(action: Action) -> dict[str, Any]:
    return {
        "what": action.what,
        "owner": action.owner.strip()[:OWNER_MOST],
        "due": due_date(action.due),
        "removed": False,
    }


async def follow_notes(writes: Writes, event: Event, edited: Edited, keys: Keys) -> None:
    """After a change to a session's notes has committed: the board follows, when the change
    touched its actions. The notes stand whatever happens here: a sync that fails is made good
    by the next, which reconciles the whole session."""
    if not edited.actions_changed:
        return
    try:
        await writes.run(event, SNUG, sync(edited.notes.pitch_id, edited.content.actions, keys))
    except Exception:
        log.exception("the action board of event %s didn't follow its notes", event.id)


class Typing:
    """The board following the live notes editor, one per process. The sessions whose actions
    changed are gathered per event, and a moment later synced in one write from their notes as
    committed then: a person typing makes a write a second rather than one a key, and the last
    sync reads the last keystroke, so the board ends in step with the notes."""

    def __init__(self, writes: Writes, keys: Keys, delay: float = TYPING) -> None:
        self._writes, self._keys = writes, keys
        self._waiting: dict[int, dict[int, Notes]] = {}  # event id: notes id: notes
        self._reaction = Reaction(frozenset(), self._syncs, SNUG, delay=delay)

    def typed(self, event: Event, edited: Edited) -> None:
        """After a change to a session's notes has committed: the board follows soon."""
        if edited.actions_changed:
            self._waiting.setdefault(event.id, {})[edited.notes.id] = edited.notes
            self._writes.soon(event.id, self._reaction)

    async def flush(self) -> None:
        """Syncs now what still waits for its moment (the process is stopping), so the board
        never misses the last keystrokes; each event's sync is one write, as ever."""
        for event_id in list(self._waiting):
            await self._writes.now(event_id, self._reaction)

    async def _syncs(self, event: Event) -> Command[bool] | None:
        waiting = self._waiting.pop(event.id, {})
        found = [
            (notes.pitch_id, document.read(await store.document_now(notes)).actions)
            for notes in waiting.values()
        ]
        if not found:
            return None

        async def command(journal: Journal) -> bool:
            changed = [await sync(pitch, actions, self._keys)(journal) for pitch, actions in found]
            return any(changed)

        return command
