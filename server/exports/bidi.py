"""Text people typed, isolated in the HTML pages: a title or name written right to left then
keeps to itself instead of pulling the words and punctuation around it into its own direction
(an Arabic title followed by "Host:" would otherwise swap places with it)."""

from __future__ import annotations

from markupsafe import Markup

from server.notes.markdown import without_controls


def isolate(text: str) -> Markup:
    """``text`` escaped, in a ``<bdi>``: its direction is its own first strong letter's."""
    return Markup("<bdi>%s</bdi>") % without_controls(text)
