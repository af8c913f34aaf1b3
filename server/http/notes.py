"""Session notes over HTTP: read them, their history, restore, mark final, be credited.

Typing itself goes over the notes websocket (server/live/notes_socket.py); what is done here
by HTTP that changes the document is passed on to open copies the same way.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.actions.sync import follow_notes
from server.events.access import Actor, Role
from server.http.api import ApiRoute, event_and_actor, path_id
from server.live.notes_channel import publish, publish_credits, publish_update
from server.notes import document, editing
from server.notes.document import NotesContent
from server.notes.editing import Session
from server.notes.models import Notes, NotesVersion

BASE = "/api/e/{slug}/pitches/{pitch_id:int}/notes"


async def _session(request: Request) -> tuple[Session, Actor]:
    event, actor = await event_and_actor(request)
    return await editing.open_notes(event, path_id(request, "pitch_id"), actor), actor


async def _view(notes: Notes) -> dict[str, Any]:
    return {
        "pitch": notes.pitch_id,
        "content": NotesContent.from_json(notes.content).as_json(),
        "chars": notes.chars,
        "max_chars": document.MAX_CHARS,
        "final": notes.final,
        "updated_at": notes.updated_at.isoformat(),
        "credits": (await editing.credits(notes)).as_json(),
    }


def _version_view(version: NotesVersion, *, content: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": version.id,
        "at": version.at.isoformat(),
        "reason": version.reason,
        "chars": version.chars,
    }
    if content:
        view["content"] = NotesContent.from_json(version.content).as_json()
    return view


async def read_notes(request: Request, _body: None) -> Response:
    session, _actor = await _session(request)
    return JSONResponse(await _view(await Notes.get(id=session.notes.id)))


async def list_versions(request: Request, _body: None) -> Response:
    session, _actor = await _session(request)
    return JSONResponse([_version_view(v) for v in await editing.versions(session)])


async def read_version(request: Request, _body: None) -> Response:
    session, _actor = await _session(request)
    version = await editing.version(session, path_id(request, "version_id"))
    return JSONResponse(_version_view(version, content=True))


async def restore_version(request: Request, _body: None) -> Response:
    session, actor = await _session(request)
    edited = await editing.restore(session, actor, path_id(request, "version_id"))
    await publish_update(request.app.state.hub, edited.notes.id, edited.update)
    state = request.app.state
    await follow_notes(state.writes, session.event, edited, state.keys)
    return JSONResponse(await _view(await Notes.get(id=edited.notes.id)))


async def mark_final(request: Request, body: dict[str, Any]) -> Response:
    session, actor = await _session(request)
    notes = await editing.mark_final(session, actor, body["final"])
    await publish(request.app.state.hub, notes.id, {"type": "final", "final": notes.final})
    return JSONResponse(await _view(notes))


async def credit(request: Request, body: dict[str, Any]) -> Response:
    session, actor = await _session(request)
    await editing.set_credit(session, actor, body["named"])
    notes = await Notes.get(id=session.notes.id)
    await publish_credits(request.app.state.hub, notes)
    return JSONResponse(await _view(notes))


routes = [
    ApiRoute("GET", BASE, read_notes, tag="notes", summary="A session's notes as they stand"),
    # Earlier versions may hold words their writers took out: for the people at the event,
    # not for readers of the published proceedings.
    ApiRoute(
        "GET",
        f"{BASE}/versions",
        list_versions,
        role=Role.attendee,
        tag="notes",
        summary="Earlier versions",
    ),
    ApiRoute(
        "GET",
        f"{BASE}/versions/{{version_id:int}}",
        read_version,
        role=Role.attendee,
        tag="notes",
        summary="One earlier version of the notes",
    ),
    ApiRoute(
        "POST",
        f"{BASE}/versions/{{version_id:int}}/restore",
        restore_version,
        role=Role.attendee,
        limit="notes",
        tag="notes",
        summary="Bring back an earlier version (what is there now stays in history)",
    ),
    ApiRoute(
        "PUT",
        f"{BASE}/final",
        mark_final,
        role=Role.attendee,
        body="notes-final",
        tag="notes",
        summary="Mark the notes final, or reopen them (host and facilitators)",
    ),
    ApiRoute(
        "PUT",
        f"{BASE}/credit",
        credit,
        role=Role.attendee,
        body="notes-credit",
        tag="notes",
        summary="Be named as a contributor, or stay anonymous",
    ),
]
