"""A session with notes to write actions in, as the domain tests of actions need."""

from __future__ import annotations

from typing import Any

from server.actions.sync import follow_notes
from server.marketplace import pitches
from server.notes import document, editing
from server.notes.document import Action, NotesContent
from server.notes.editing import Session
from server.notes.store import Edited
from tests.conftest import Domain


async def session_of(domain: Domain, title: str = "Open data") -> tuple[Any, Any, Session]:
    event = await domain.event()
    host = await domain.attendee(event, "Ana")
    view = await domain.run(event, host, pitches.create_pitch, {"title": title})
    return event, host, await editing.open_notes(event, view["id"], host)


async def write_actions(
    domain: Domain, event: Any, actor: Any, session: Session, *actions: Action
) -> Edited:
    """Makes the notes list these actions, as a restore or a whole rewrite does, and lets the
    board follow, as every transport does after a change to the notes."""
    content = NotesContent(summary="We met.", actions=actions)
    edited = await editing.store.write(
        session.notes, actor, lambda doc: document.write(doc, content)
    )
    await follow_notes(domain.writes, event, edited, domain.keys)
    return edited
