"""A session's notes page, drawn on the server: the notes as they stand, and a form that sends
their text whole. The live editor (web/static/js/notes.js) takes over the same page.

A saved form becomes an ordinary change to the notes' CRDT, the smallest that turns the text the
page was drawn with into the text sent, merged with whatever others typed since
(server/notes/merging.py); it passes the same checks and limits as typing in the live editor,
and reaches every open editor the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.actions.sync import follow_notes
from server.errors import Forbidden, Invalid, Refused
from server.events.access import PUBLIC, Actor, Role
from server.events.models import Event
from server.http.api import path_id
from server.http.security import page_secret
from server.language import N_
from server.language import gettext as _
from server.live.notes_channel import publish_credits, publish_update
from server.live.state import snapshot
from server.notes import editing, photos, store
from server.notes.document import MAX_CHARS, PARTS, NotesContent
from server.notes.editing import Session
from server.notes.models import Notes
from server.notes.store import Edited
from server.pages.forms import (
    MAX_FORM,
    FormError,
    event_of,
    form_key,
    read_form,
    see_other,
    visitor,
)
from server.pages.notes_view import Drawn, action_of, credit_words, session_meta
from server.pages.rendering import PageRoute, page

# The form carries the notes twice (as written, and as drawn), each character at most twelve
# bytes once percent-encoded (a four-byte character), and a few short fields.
MAX_NOTES_FORM = 2 * 12 * MAX_CHARS + 16 * 1024
DONE = {
    "saved": N_("Your notes are saved."),
    "merged": N_(
        "Someone changed these notes while you were writing. Your changes were merged "
        "with theirs: check the text below."
    ),
    "both": N_(
        "Someone changed the same words as you while you were writing, so both versions "
        "are kept, theirs first and then yours: tidy them up below."
    ),
    "joined": N_("You've joined. You can write in these notes now."),
    "action": N_("The action is added to the notes and to the event's action board."),
}
UNREADABLE_FORM = N_(
    "The page these notes were sent from was changed on the way, so nothing was saved. "
    "Your text is below: send it again."
)


async def _visitor(request: Request, event: Event) -> tuple[Actor, str | None]:
    """Who is writing, and the cookie that says so: an attendee first, as the live editor asks
    (server/http/security.py), then a facilitator's or organiser's laptop."""
    for role in ("attendee", "staff"):
        actor = await visitor(request, event, role)
        if actor is not PUBLIC:
            return actor, page_secret(request, role)
    return PUBLIC, None


async def notes_page(request: Request) -> Response:
    event = await event_of(request)
    actor, _secret = await _visitor(request, event)
    return await _show(request, event, actor)


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    *,
    errors: list[tuple[str, str]] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    pitch_id = path_id(request, "pitch")
    try:
        session: Session | None = await editing.open_notes(event, pitch_id, actor)
    except Forbidden:
        session = None  # the public before the proceedings: the page offers to join
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    title, meta = session_meta(state, pitch_id)
    notes = await Notes.get(id=session.notes.id) if session else None
    content = NotesContent.from_json(notes.content) if notes else NotesContent()
    drawn = Drawn.of(content)
    if form is not None:
        drawn = _drawn(form) or drawn
    view: dict[str, Any] = {
        "slug": event.slug,
        "event_name": event.name,
        "pitch_id": pitch_id,
        "session_title": title,
        "meta": meta,
        "readable": session is not None,
        "writable": actor.role >= Role.attendee and not (notes and notes.final),
        "final": bool(notes and notes.final),
        "joined": actor.role >= Role.attendee,
        "content": content,
        "texts": _texts_sent(form) or drawn.texts,
        "action_form": form if form and "what" in form else {},
        "drawn": drawn,
        "photos": await _photos(event, notes),
        "credits": await _credits(notes),
        "max_chars": MAX_CHARS,
    }
    return page(
        "notes.html",
        f"{title}: notes - {event.name}",
        status=status,
        private=True,
        key=form_key(),
        errors=errors or [],
        done=_(DONE[done]) if (done := request.query_params.get("done")) in DONE else None,
        here=f"/e/{event.slug}/notes/{pitch_id}",
        **view,
    )


def _texts_sent(form: dict[str, str] | None) -> dict[str, str] | None:
    """The texts a refused notes form sent, to show again; None for another form (an action)."""
    if not form or not any(part in form for part in PARTS):
        return None
    return {part: form.get(part, "") for part in PARTS}


def _drawn(form: dict[str, str]) -> Drawn | None:
    """The texts a sent form was drawn with, if it carries them intact."""
    try:
        drawn = Drawn.sent({part: form[f"base-{part}"] for part in PARTS})
    except KeyError:
        return None
    return drawn if drawn.version == form.get("version") else None


async def _photos(event: Event, notes: Notes | None) -> list[dict[str, Any]]:
    shown = await photos.shown_in(notes) if notes else []
    return [
        {
            "src": photos.address(event.slug, p.id, p.key),
            "caption": p.caption,
            "width": p.width,
            "height": p.height,
        }
        for p in shown
    ]


async def _credits(notes: Notes | None) -> str:
    if notes is None:
        return credit_words((), 0)
    credits = await editing.credits(notes)
    return credit_words(credits.named, credits.anonymous)


async def save_notes(request: Request) -> Response:
    """Saves the text parts sent whole, merged with what others typed since the page was drawn;
    a refusal shows the page again with the text as sent, and the notes unchanged."""

    async def save(session: Session, actor: Actor, fields: dict[str, str]) -> tuple[Edited, str]:
        saved = await editing.save_texts(session, actor, *_texts(fields))
        return saved.edited, "both" if saved.kept_both else "merged" if saved.merged else "saved"

    return await _written(request, save, MAX_NOTES_FORM)


async def add_action(request: Request) -> Response:
    """Adds an action (what, who, by when) from the page without script."""

    async def add(session: Session, actor: Actor, fields: dict[str, str]) -> tuple[Edited, str]:
        return await editing.add_action(session, actor, action_of(fields)), "action#actions-heading"

    return await _written(request, add)


Write = Callable[[Session, Actor, dict[str, str]], Awaitable[tuple[Edited, str]]]


async def _written(request: Request, write: Write, max_size: int = MAX_FORM) -> Response:
    """One of the page's forms that change the notes: who may write is settled before a byte
    of the form is read; a refusal shows the page again with what was sent, and the notes
    unchanged; else the change goes to every open copy and the action board follows."""
    event = await event_of(request)
    actor, secret = await _visitor(request, event)
    address = request.client.host if request.client else None
    await request.app.state.limiter.check("notes", address, secret)
    fields: dict[str, str] = {}
    try:
        session = await editing.open_notes(event, path_id(request, "pitch"), actor)
        editing.may_write(actor)
        fields = await read_form(request, max_size)
        edited, done = await write(session, actor, fields)
    except FormError as exc:
        return await _show(request, event, actor, errors=exc.errors, form=fields, status=422)
    except Refused as exc:
        errors = [(_field_of(exc, actor), exc.said())]
        return await _show(request, event, actor, errors=errors, form=fields, status=exc.status)
    await _pass_on(request, edited)
    await follow_notes(request.app.state.writes, event, edited, request.app.state.keys)
    return see_other(f"/e/{event.slug}/notes/{session.pitch.id}?done={done}")


def _texts(fields: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The texts as drawn and as sent; a form that lacks a part, or whose drawn texts don't
    match their version, isn't one this page sent, and saving it could undo others' words."""
    drawn = _drawn(fields)
    if drawn is None or any(part not in fields for part in PARTS):
        raise Invalid(UNREADABLE_FORM)
    return drawn.texts, Drawn.sent(fields).texts


def _field_of(exc: Refused, actor: Actor) -> str:
    """The field an error summary links to: the join form when joining would help, the first
    text for notes too long, none for notes marked final or a damaged form."""
    if actor.role < Role.attendee:
        return "join-name"
    return "part-summary" if exc.status == 413 else ""


async def _pass_on(request: Request, edited: Edited) -> None:
    """To every open live editor, as a typed change is (server/live/notes_socket.py)."""
    if edited.update == store.EMPTY_UPDATE:
        return
    await publish_update(request.app.state.hub, edited.notes.id, edited.update)
    if edited.new_contributor:
        await publish_credits(request.app.state.hub, edited.notes)


routes = [
    PageRoute("/e/{slug}/notes/{pitch:int}", notes_page),
    PageRoute("/e/{slug}/notes/{pitch:int}", save_notes, methods=["POST"]),
    PageRoute("/e/{slug}/notes/{pitch:int}/actions", add_action, methods=["POST"]),
]
