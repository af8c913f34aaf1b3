"""An undo step's words ("Undo: move “Te”"), kept as a sentence rather than as English, so each
screen says them in its own language.

The row keeps the sentence's template and values as JSON in ``GridStep.what``; a long title is
cut to fit the column. Steps kept before the words were sentences hold plain English, which is
said as it was written.
"""

from __future__ import annotations

import json

from server.events.models import Event
from server.language.sentences import Sentence
from server.language.surfaces import in_each, spoken

WHAT_LENGTH = 120  # as GridStep.what stores it


def stored(what: Sentence) -> str:
    values = {key: str(value) for key, value in what.values.items()}
    kept = _kept(what.template, values)
    while len(kept) > WHAT_LENGTH and values:
        longest = max(values, key=lambda key: len(values[key]))
        if len(values[longest]) <= 1:
            break
        over = len(kept) - WHAT_LENGTH
        values[longest] = values[longest][: max(1, len(values[longest]) - over - 1)] + "…"
        kept = _kept(what.template, values)
    return kept[:WHAT_LENGTH]


def _kept(template: str, values: dict[str, str]) -> str:
    return json.dumps({"said": template, "values": values}, ensure_ascii=False)


def words(kept: str) -> Sentence | str:
    try:
        found = json.loads(kept)
        return Sentence.of(str(found["said"]), **{k: str(v) for k, v in found["values"].items()})
    except (ValueError, KeyError, TypeError, AttributeError):
        return kept


def undo_said(event: Event, kept: str) -> dict[str, str]:
    """The step's words in each of the event's languages, for each screen to pick its own."""
    found = words(kept)
    return in_each(
        spoken(event.languages), lambda: found.said() if isinstance(found, Sentence) else found
    )
