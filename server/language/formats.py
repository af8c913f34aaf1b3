"""Dates, times and numbers in the forms of the language being spoken, from Babel's CLDR data:
"Saturday 5 December" in English is "Dydd Sadwrn 5 Rhagfyr" in Welsh."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from server.language import current

# A day as a British page writes it, with no year: the event's own date is known.
DAY = "EEEE d MMMM"


def day(date: dt.date) -> str:
    return format_date(date, DAY, locale=current())


def full_date(date: dt.date) -> str:
    """A day with its year, for a date that may be another year's (a statement's)."""
    return format_date(date, "d MMMM y", locale=current())


def short_day(date: dt.date) -> str:
    """A day and a short month ("18 Mar"), as a chart's label on a phone has room for."""
    return format_date(date, "d MMM", locale=current())


def time(at: dt.time) -> str:
    return format_time(at, "HH:mm", locale=current())


def number(n: float) -> str:
    return format_decimal(n, locale=current())
