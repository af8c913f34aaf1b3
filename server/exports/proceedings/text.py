"""The proceedings as one Markdown file.

Whatever renders the file later, perhaps with raw HTML allowed, what people typed stays text:
titles and names are escaped as literal text, and notes go through ``markdown.inert``.
"""

from __future__ import annotations

from server.exports.proceedings import words
from server.exports.proceedings.readmodel import Entry, Proceedings
from server.notes.markdown import inert, literal

PART_LEVEL = 4  # "#### Summary" under "### A session"


def proceedings_markdown(doc: Proceedings) -> bytes:
    lines = [f"# {literal(doc.name)}: proceedings", ""]
    when = words.long_date(doc.date) + (f", {literal(doc.venue)}" if doc.venue.strip() else "")
    lines += [when, "", *(f"- {figure}" for figure in words.figures(doc)), ""]
    lines += [f"Read online: <{doc.url}>", ""]
    if doc.placed:
        lines += ["## Programme", ""]
        for slot, entries in doc.programme():
            lines += [f"### {literal(words.slot_words(slot))}", ""]
            kind = words.SLOT_KINDS.get(slot.kind, "No sessions")
            lines += [_programme_line(e) for e in entries] or [kind]
            lines.append("")
    lines += ["## Sessions", ""]
    for entry in doc.placed:
        lines += _session(entry, 3)
    if doc.unplaced:
        lines += ["## Pitches not placed on the grid" if doc.placed else "## Pitches", ""]
        for entry in doc.unplaced:
            lines += _session(entry, 3)
    lines += ["## Actions", ""]
    for action in doc.actions:
        owner = f" Owner: {literal(action.owner)}." if action.owner.strip() else ""
        lines.append(f"- {literal(action.what)}.{owner} From: {literal(action.session)}.")
    if not doc.actions:
        lines.append("No actions were recorded.")
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _programme_line(entry: Entry) -> str:
    room = literal(entry.room.name) if entry.room else ""
    return f"- **{room}:** {literal(entry.title)}"


def _session(entry: Entry, level: int) -> list[str]:
    notes = entry.notes
    lines = [f"{'#' * level} {literal(entry.title)}", ""]
    if entry.pitch.strip():
        lines += [literal(entry.pitch), ""]
    facts = [
        ("Host", literal(entry.host) or "Not named"),
        ("Format", words.FORMATS.get(entry.format, literal(entry.format))),
        ("When and where", literal(words.where(entry))),
        ("Dots", words.dots(entry.votes)),
        ("Planned attendance", words.planned(entry)),
        ("Tags", ", ".join(literal(t) for t in entry.tags)),
        ("Write-up", f"<{entry.url}>"),
    ]
    lines += [f"- **{name}:** {value}" for name, value in facts if value] + [""]
    if notes.empty:
        return [*lines, "_No notes were written for this session._", ""]
    heading = "#" * (level + 1)
    for part, title in words.PARTS:
        text = getattr(notes, part)
        if text.strip():
            lines += [f"{heading} {title}", "", inert(text, shift=level + 1), ""]
    if notes.actions:
        lines += [f"{heading} Actions", ""]
        for action in notes.actions:
            owner = f" (owner: {literal(action.owner)})" if action.owner.strip() else ""
            lines.append(f"- {literal(action.what)}{owner}")
        lines.append("")
    if notes.photos:
        lines += [f"{heading} Photos", ""]
        for n, photo in enumerate(notes.photos, start=1):
            lines += [f"![Photo {n}]({photo.url})", ""]
            if photo.caption.strip():
                lines += [literal(photo.caption), ""]
    credit = words.credits(notes)
    lines += [
        f"_{literal(credit)}. {words.status(notes)}._" if credit else f"_{words.status(notes)}._"
    ]
    return [*lines, ""]
