"""Dates and numbers in each language's own forms."""

from __future__ import annotations

import datetime as dt

from server import language
from server.language import formats


def _in(code: str) -> language.Asked:
    return language.Asked(code)


def test_a_day_is_written_as_each_language_writes_it() -> None:
    saturday = dt.date(2026, 12, 5)
    assert formats.day(saturday) == "Saturday 5 December"
    token = language.asked.set(_in("cy"))
    try:
        assert formats.day(saturday) == "Dydd Sadwrn 5 Rhagfyr"
        assert formats.full_date(saturday) == "5 Rhagfyr 2026"
        assert formats.time(dt.time(9, 30)) == "09:30"
    finally:
        language.asked.reset(token)


def test_numbers_follow_the_language() -> None:
    assert formats.number(1234.5) == "1,234.5"
