"""VTIMEZONE components (RFC 5545, 3.6.5) built from the zone's own transitions.

Each onset is found as a UTC instant and then written, as the RFC asks, in the local time of
the offset in use before it (TZOFFSETFROM): Europe/London springs forward at 01:00 UTC, which is
written 01:00 with TZOFFSETFROM +0000. Walking the wall clock instead (as icalendar's
``Timezone.from_tzinfo`` does) lands on the first local time after a gap, 02:00, an hour late.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import icalendar

_STEP = timedelta(days=1)  # zones change offset weeks apart at the least, never twice a day
_LOOK_BACK = timedelta(days=400)


class Observance(NamedTuple):
    offset: timedelta
    name: str
    standard: bool


class Onset(NamedTuple):
    at: datetime  # naive UTC
    before: Observance
    after: Observance


def vtimezone(zone_name: str, first: date, last: date) -> icalendar.Timezone:
    """The zone as it is between midnight UTC on ``first`` and on ``last``."""
    component = icalendar.Timezone()
    component.add("tzid", zone_name)
    # Changes to the same observance share one sub-component: DTSTART, then RDATEs.
    starts: dict[tuple[Observance, Observance], list[datetime]] = defaultdict(list)
    for onset in _onsets(zone_name, first, last):
        starts[(onset.before, onset.after)].append(onset.at + onset.before.offset)
    for (before, after), moments in starts.items():
        part = icalendar.TimezoneStandard() if after.standard else icalendar.TimezoneDaylight()
        part.add("dtstart", moments[0])
        if moments[1:]:
            part.add("rdate", moments[1:])
        part.add("tzoffsetfrom", before.offset)
        part.add("tzoffsetto", after.offset)
        part.add("tzname", after.name)
        component.add_component(part)
    return component


@lru_cache(maxsize=256)
def _onsets(zone_name: str, first: date, last: date) -> tuple[Onset, ...]:
    """The changes from the last one before ``first`` (so the observance in force then is
    described with the offset it came from, which readers such as dateutil rely on) up to
    ``last``; a zone that didn't change in the 400 days before starts with itself then."""
    zone = ZoneInfo(zone_name)
    start = datetime.combine(first, datetime.min.time(), UTC)
    moment = start - _LOOK_BACK
    end = datetime.combine(last, datetime.min.time(), UTC)
    current = _observance(zone, moment)
    onsets = [Onset(moment.replace(tzinfo=None), current, current)]
    while moment < end:
        following = _observance(zone, moment + _STEP)
        if following != current:
            onsets.append(Onset(_change_after(zone, moment), current, following))
            current = following
        moment += _STEP
    naive_start = start.replace(tzinfo=None)
    earlier = [onset for onset in onsets if onset.at <= naive_start]
    return (earlier[-1], *onsets[len(earlier) :])


def _observance(zone: ZoneInfo, moment: datetime) -> Observance:
    local = moment.astimezone(zone)
    offset, name = local.utcoffset(), local.tzname()
    assert offset is not None and name is not None  # always so for an aware datetime
    return Observance(offset, name, not local.dst())


def _change_after(zone: ZoneInfo, moment: datetime) -> datetime:
    """The first second after ``moment`` (within a step) with another observance."""
    was = _observance(zone, moment)
    low, high = 0, int(_STEP.total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if _observance(zone, moment + timedelta(seconds=middle)) == was:
            low = middle
        else:
            high = middle
    return (moment + timedelta(seconds=high)).replace(tzinfo=None)
