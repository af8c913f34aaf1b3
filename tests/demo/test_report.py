"""The demo is a finished day: its report has something to show in every part."""

from __future__ import annotations

from datetime import UTC, datetime

from server.demo import load_demo
from server.report.figures import draw
from tests.conftest import Domain


async def test_the_demos_report_shows_a_finished_day(domain: Domain) -> None:
    event = await load_demo(domain.keys, "https://snug.example")
    report = await draw(event, datetime.now(UTC))
    assert report.joined >= report.voted > report.pitched > 0
    assert report.published and 0 < report.served.served < report.served.total
    assert report.answered > report.first_time["yes"] > 0
    assert report.sessions and all(s.votes for s in report.sessions)
    assert sum(s.has_notes for s in report.sessions) > len(report.sessions) // 2
    assert any(s.useful for s in report.sessions)
    # The snugs' seats were claimed; in some, people wait on the list.
    assert any(s.seated for s in report.sessions) and any(s.waiting for s in report.sessions)
    # The actions move over the days after the event: fewer open at the end than at the start.
    first, last = report.actions[0], report.actions[-1]
    assert first.day == event.date and len(report.actions) > 7
    assert first.total == last.total > 0
    assert last.counts["open"] < first.counts["open"] and last.counts["done"] > 0
