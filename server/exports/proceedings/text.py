"""The proceedings as one Markdown file.

Whatever renders the file later, perhaps with raw HTML allowed, what people typed stays text:
titles and names are escaped as literal text, and notes go through ``markdown.inert``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from server.exports.proceedings import words
from server.exports.proceedings.readmodel import Entry, Proceedings
from server.language import gettext as _
from server.language.surfaces import both_text, spoken
from server.notes.markdown import inert, literal

PART_LEVEL = 4  # "#### Summary" under "### A session"

Say = Callable[..., str]


def _figure(doc: Proceedings, i: int) -> str:
    return words.figures(doc)[i]


def _kind(kind: str) -> str:
    return words.slot_kind(kind) or _("No sessions")


def _owner(name: str) -> str:
    return _("Owner: %(name)s.") % {"name": name}


def _from(session: str) -> str:
    return _("From: %(session)s.") % {"session": session}


def _owner_of(name: str) -> str:
    return _("owner: %(name)s") % {"name": name}


def _photo(n: int) -> str:
    return _("Photo %(num)s") % {"num": n}


def proceedings_markdown(doc: Proceedings) -> bytes:
    """In the event's languages: with two, every fixed word as "Cymraeg / English"."""
    codes = spoken(doc.languages)

    def say(what: Callable[..., str], *args: Any) -> str:
        return both_text(codes, partial(what, *args))

    title = say(lambda: _("%(event)s: proceedings") % {"event": literal(doc.name)})
    lines = [f"# {title}", ""]
    venue = f", {literal(doc.venue)}" if doc.venue.strip() else ""
    when = say(lambda: words.long_date(doc.date)) + venue
    figures = [say(_figure, doc, i) for i in range(len(words.figures(doc)))]
    lines += [when, "", *(f"- {figure}" for figure in figures), ""]
    lines += [say(lambda: _("Read online: %(url)s") % {"url": f"<{doc.url}>"}), ""]
    if doc.placed:
        lines += [f"## {say(lambda: _('Programme'))}", ""]
        for slot, entries in doc.programme():
            lines += [f"### {literal(say(words.slot_words, slot))}", ""]
            kind = say(_kind, slot.kind)
            lines += [_programme_line(e) for e in entries] or [kind]
            lines.append("")
    lines += [f"## {say(lambda: _('Sessions'))}", ""]
    for entry in doc.placed:
        lines += _session(entry, 3, say)
    if doc.unplaced:
        heading = (
            say(lambda: _("Pitches not placed on the grid"))
            if doc.placed
            else say(lambda: _("Pitches"))
        )
        lines += [f"## {heading}", ""]
        for entry in doc.unplaced:
            lines += _session(entry, 3, say)
    lines += [f"## {say(lambda: _('Actions'))}", ""]
    for action in doc.actions:
        owner = " " + say(_owner, literal(action.owner)) if action.owner.strip() else ""
        source = say(_from, literal(action.session))
        follow = say(words.follow_up, action.status, action.due)
        lines.append(f"- {literal(action.what)}.{owner} {source} {follow}")
    if not doc.actions:
        lines.append(say(lambda: _("No actions were recorded.")))
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _programme_line(entry: Entry) -> str:
    room = literal(entry.room.name) if entry.room else ""
    return f"- **{room}:** {literal(entry.title)}"


def _session(entry: Entry, level: int, say: Say) -> list[str]:
    notes = entry.notes
    lines = [f"{'#' * level} {literal(entry.title)}", ""]
    if entry.pitch.strip():
        lines += [literal(entry.pitch), ""]
    facts = [
        (lambda: _("Host"), literal(entry.host) or say(lambda: _("Not named"))),
        (
            lambda: _("Format"),
            say(lambda: words.format_name(entry.format))
            if entry.format in words.FORMATS
            else literal(entry.format),
        ),
        (lambda: _("When and where"), literal(say(lambda: words.where(entry)))),
        (lambda: _("Dots"), say(lambda: words.dots(entry.votes))),
        (lambda: _("Planned attendance"), say(lambda: words.planned(entry))),
        (lambda: _("Tags"), ", ".join(literal(t) for t in entry.tags)),
        (lambda: _("Write-up"), f"<{entry.url}>"),
    ]
    lines += [f"- **{say(name)}:** {value}" for name, value in facts if value] + [""]
    if notes.empty:
        return [*lines, f"_{say(lambda: _('No notes were written for this session.'))}_", ""]
    heading = "#" * (level + 1)
    for part, title in words.PARTS:
        text = getattr(notes, part)
        if text.strip():
            lines += [
                f"{heading} {say(_, title)}",
                "",
                inert(text, shift=level + 1),
                "",
            ]
    if notes.actions:
        lines += [f"{heading} {say(lambda: _('Actions'))}", ""]
        for action in notes.actions:
            owner = (
                " (" + say(_owner_of, literal(action.owner)) + ")" if action.owner.strip() else ""
            )
            follow = say(words.follow_up, notes.status_of(action), action.due)
            lines.append(f"- {literal(action.what)}{owner}. {follow}")
        lines.append("")
    if notes.photos:
        lines += [f"{heading} {say(lambda: _('Photos'))}", ""]
        for n, photo in enumerate(notes.photos, start=1):
            alt = say(_photo, n)
            lines += [f"![{alt}]({photo.url})", ""]
            if photo.caption.strip():
                lines += [literal(photo.caption), ""]
    credit = words.credits(notes)
    status = say(lambda: words.status(notes))
    lines += [
        f"_{say(lambda: literal(words.credits(notes)))}. {status}._" if credit else f"_{status}._"
    ]
    return [*lines, ""]
