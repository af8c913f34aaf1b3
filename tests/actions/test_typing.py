"""The board follows the live editor a moment after the typing, not a write per key."""

from __future__ import annotations

import time

from server.actions.models import ActionItem
from server.actions.sync import TYPING, Typing
from server.events.changes import Change
from server.notes import document, editing
from server.notes.document import Action, NotesContent
from tests.actions.helpers import session_of
from tests.conftest import Domain


async def test_fifty_quick_edits_make_one_sync_and_the_board_ends_in_step(
    domain: Domain,
) -> None:
    event, host, session = await session_of(domain)
    typing = Typing(domain.writes, domain.keys)
    started = time.monotonic()
    words = "Publish the licence register as open data for every council"[:50]
    for typed in range(1, len(words) + 1):  # one change a keystroke, as the editor sends
        content = NotesContent(actions=(Action(words[:typed], "Priya", "2027-01-31"),))
        edited = await editing.store.write(
            session.notes, host, lambda doc, c=content: document.write(doc, c)
        )
        typing.typed(event, edited)
    await domain.writes.idle()
    took = time.monotonic() - started
    synced = await Change.filter(event_id=event.id, kind="actions.synced").count()
    # A sync a TYPING at most while the keys come, and one after the last: however slowly
    # this machine wrote the fifty changes, the board wrote fewer times than the notes.
    assert 1 <= synced <= 1 + took / TYPING and synced < 50, f"{synced} syncs in {took:.1f} s"
    (row,) = await ActionItem.filter(event_id=event.id)
    assert (row.what, row.owner) == (words, "Priya")


async def test_edits_that_leave_the_actions_alone_sync_nothing(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    typing = Typing(domain.writes, domain.keys, delay=0)
    for summary in ("We", "We met", "We met."):
        content = NotesContent(summary=summary)
        edited = await editing.store.write(
            session.notes, host, lambda doc, c=content: document.write(doc, c)
        )
        typing.typed(event, edited)
    await domain.writes.idle()
    assert not await Change.filter(event_id=event.id, kind="actions.synced").exists()


async def test_a_process_stopping_mid_typing_syncs_the_last_keystrokes_first(
    domain: Domain,
) -> None:
    event, host, session = await session_of(domain)
    typing = Typing(domain.writes, domain.keys, delay=3600)  # its moment would never come
    content = NotesContent(actions=(Action("Book the hall", "Priya"),))
    edited = await editing.store.write(
        session.notes, host, lambda doc, c=content: document.write(doc, c)
    )
    typing.typed(event, edited)
    assert not await ActionItem.filter(event_id=event.id).exists()
    await typing.flush()
    (row,) = await ActionItem.filter(event_id=event.id)
    assert row.what == "Book the hall"
    await typing.flush()  # nothing waits any more: no second write
    assert await Change.filter(event_id=event.id, kind="actions.synced").count() == 1
