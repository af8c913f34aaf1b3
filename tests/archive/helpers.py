"""Comparing two archives of the same event made on different servers, where ids differ.

Each id becomes its table's name and its rank among that table's ids, everywhere it appears:
in the row itself, in columns that refer to other rows, and inside JSON fields (slots a room
or host can't use, undo steps, the photos in notes). This knows the references on its own,
rather than asking the archive code, so that a reference the import forgot shows up here.
"""

from __future__ import annotations

import base64
from typing import Any

from server.notes import document

REFS: dict[str, dict[str, str]] = {
    "slots": {},
    "rooms": {},
    "attendees": {},
    "pitches": {"author_id": "attendees", "merged_into_id": "pitches"},
    "dots": {"attendee_id": "attendees", "pitch_id": "pitches"},
    "placements": {"pitch_id": "pitches", "room_id": "rooms", "slot_id": "slots"},
    "published_placements": {"pitch_id": "pitches", "room_id": "rooms", "slot_id": "slots"},
    "grid_steps": {},
    "grid_releases": {},
    "agenda_choices": {"attendee_id": "attendees", "pitch_id": "pitches", "slot_id": "slots"},
    "seat_claims": {"attendee_id": "attendees", "pitch_id": "pitches"},
    "feedback": {"pitch_id": "pitches"},
    "changes": {},
    "notes": {"pitch_id": "pitches"},
    "photos": {"attendee_id": "attendees", "notes_id": "notes"},
    "notes_versions": {"notes_id": "notes"},
    "contributors": {"attendee_id": "attendees", "notes_id": "notes"},
    "actions": {"attendee_id": "attendees", "pitch_id": "pitches"},
}
# What an import changes on purpose: a new organiser link, no facilitator link, and a change
# number moved on.
REPLACED = ("id", "organiser_key", "facilitator_key", "seq")


class Ranks:
    def __init__(self, archive: dict[str, Any]) -> None:
        self.ranks = {
            table: {row_id: i for i, row_id in enumerate(sorted(r["id"] for r in archive[table]))}
            for table in REFS
        }

    def __call__(self, table: str, row_id: int | None) -> tuple[str, int] | None:
        # A KeyError here is a reference to a row the archive doesn't hold.
        return None if row_id is None else (table, self.ranks[table][row_id])


def comparable(archive: dict[str, Any]) -> dict[str, Any]:
    rank = Ranks(archive)
    found: dict[str, Any] = {
        "event": {k: v for k, v in archive["event"].items() if k not in REPLACED}
    }
    for table, refs in REFS.items():
        found[table] = [
            {**row, "id": rank(table, row["id"]), **{c: rank(t, row[c]) for c, t in refs.items()}}
            for row in archive[table]
        ]
    for row in found["rooms"] + found["pitches"]:
        row["unavailable"] = [rank("slots", s) for s in row["unavailable"]]
    for row in found["grid_steps"] + found["grid_releases"]:
        row["placements"] = [
            {
                "pitch_id": rank("pitches", c["pitch_id"]),
                "room_id": rank("rooms", c["room_id"]),
                "slot_id": rank("slots", c["slot_id"]),
                "locked": c["locked"],
            }
            for c in row["placements"]
        ]
    for row in found["notes"] + found["notes_versions"]:
        row["content"] = _content(row["content"], rank)
    for row in found["notes"]:
        doc = document.load(base64.b64decode(row["state"]))
        row["state"] = _content(document.read(doc).as_json(), rank)
    return found


def _content(content: dict[str, Any], rank: Ranks) -> dict[str, Any]:
    photos = [{**p, "id": rank("photos", p["id"])} for p in content.get("photos", [])]
    return {**content, "photos": photos}


def assert_same_event(first: dict[str, Any], second: dict[str, Any]) -> None:
    """Equal field by field, ids mapped; table by table, so a failure names its table."""
    one, two = comparable(first), comparable(second)
    assert one.keys() == two.keys()
    for table in one:
        assert one[table] == two[table], table
