"""The demo event shows feedback on its sessions, given as the rules allow: by people who went,
never by a session's host, once each."""

from __future__ import annotations

from server.demo import load_demo
from server.feedback import sessions
from server.feedback.models import Feedback, FeedbackGiven
from server.grid.published import published_cells
from tests.conftest import Domain


async def test_the_demo_has_feedback_on_its_sessions(domain: Domain) -> None:
    event = await load_demo(domain.keys, "https://snug.example")
    counts = await sessions.counts(event)
    cells = await published_cells(event)
    assert len(counts) > len(cells) // 2 and set(counts) <= set(cells)
    assert sum(c["useful"] for c in counts.values()) > sum(c["not_for_me"] for c in counts.values())
    assert any(c["comments"] for c in counts.values())
    assert (
        await FeedbackGiven.filter(event=event).count()
        == await Feedback.filter(event=event).count()
    )
    # What a person's export reads back: a host never gave feedback on their own session.
    for pitch_id in cells:
        pitch = await event.pitches.filter(id=pitch_id).first()
        assert pitch is not None and pitch.author_id is not None
        assert pitch_id not in await sessions.gave_on(event, domain.keys, pitch.author_id)
