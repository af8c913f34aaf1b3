"""The proceedings as JSON data (/e/{slug}/export.json), described by schemas/proceedings.json.

Text is exactly as people typed it: whoever reads the data decides how to show it.
"""

from __future__ import annotations

import json
from typing import Any

from server.exports.proceedings.readmodel import Entry, PhotoInfo, Proceedings, WriteUp

SCHEMA = "urn:snug:proceedings"
VERSION = 1


def proceedings_json(doc: Proceedings) -> bytes:
    document = {
        "$schema": SCHEMA,
        "version": VERSION,
        "event": {
            "slug": doc.slug,
            "name": doc.name,
            "date": doc.date.isoformat(),
            "timezone": doc.timezone,
            "venue": doc.venue,
            "url": doc.event_url,
            "proceedings_url": doc.url,
            "published": doc.published,
            "updated_at": doc.last_modified.isoformat(),
        },
        "figures": {
            "sessions": len(doc.sessions),
            "attendees": doc.attendees,
            "dots": doc.dots,
            "actions": len(doc.actions),
            "written_up": doc.written_up,
        },
        "rooms": [{"id": r.id, "name": r.name, "capacity": r.capacity} for r in doc.rooms],
        "slots": [
            {
                "id": s.id,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "label": s.label,
                "kind": s.kind,
            }
            for s in doc.slots
        ],
        "sessions": [_session(entry) for entry in doc.sessions],
        "actions": [
            {
                "session": a.pitch_id,
                "what": a.what,
                "owner": a.owner,
                "due": a.due or None,
                "status": a.status,
            }
            for a in doc.actions
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _session(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pitch_id,
        "title": entry.title,
        "pitch": entry.pitch,
        "host": entry.host,
        "format": entry.format,
        "language": entry.language,
        "tags": list(entry.tags),
        "room": entry.room.id if entry.room else None,
        "slot": entry.slot.id if entry.slot else None,
        "votes": entry.votes,
        "planned_attendance": entry.planned,
        "url": entry.url,
        "notes": _notes(entry.notes),
    }


def _notes(notes: WriteUp) -> dict[str, Any]:
    return {
        "summary": notes.summary,
        "discussion": notes.discussion,
        "outcomes": notes.outcomes,
        "actions": [
            {"what": a.what, "owner": a.owner, "due": a.due or None, "status": notes.status_of(a)}
            for a in notes.actions
        ],
        "photos": [_photo(p) for p in notes.photos],
        "final": notes.final,
        "updated_at": notes.updated_at.isoformat() if notes.updated_at else None,
        "credits": {"named": list(notes.named), "anonymous": notes.anonymous},
    }


def _photo(photo: PhotoInfo) -> dict[str, Any]:
    return {
        "id": photo.id,
        "caption": photo.caption,
        "url": photo.url,
        "media_type": photo.media_type,
        "width": photo.width,
        "height": photo.height,
    }
