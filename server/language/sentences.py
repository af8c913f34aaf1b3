"""Sentences said later: written in English and marked for the catalogue where they are made
(N_, or Nn_ for one that counts), said in a language only where it is known.

Code that runs where no request's language is known (the allocator in a worker process, a
batch of writes) makes ``Sentence`` values instead of strings: a template with named
placeholders, its plural and count if it counts, and the values to fill in after translation,
so a translator sees each sentence whole and can move what varies. A value may itself be a
sentence (said in the same language as the one around it) or a tuple of names, listed as the
language lists them ("“Te”, “Bara” and “Caws”").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from server.language import N_, gettext, ngettext

Value: TypeAlias = "str | int | float | Sentence | tuple[str | Sentence, ...]"


@dataclass(frozen=True)
class Sentence:
    """``Sentence.of(N_("There is no pitch %(pitch)s."), pitch=12)``, or for a sentence that
    counts, ``Sentence.of(Nn_("%(n)s vote.", "%(n)s votes."), n=3)``. Picklable, so it can
    cross back from a worker process and still be said in any language."""

    template: str
    plural: str | None = None
    n: int = 1
    values: Mapping[str, Value] = field(default_factory=dict)

    @classmethod
    def of(cls, message: str | tuple[str, str], n: int = 1, /, **values: Value) -> Sentence:
        """``message`` as N_ or Nn_ marked it; ``n`` the count, also filling ``%(n)s``."""
        singular, plural = (message, None) if isinstance(message, str) else message
        return cls(singular, plural, n, values)

    def english(self) -> str:
        """As written, for logs, the command line and tests."""
        return self._filled(self.plural if self.plural is not None and self.n != 1 else None)

    def said(self) -> str:
        """In the language being spoken (server.language.current())."""
        if self.plural is not None:
            return self._filled(ngettext(self.template, self.plural, self.n), said=True)
        return self._filled(gettext(self.template), said=True)

    def _filled(self, text: str | None, *, said: bool = False) -> str:
        text = self.template if text is None else text
        values = {"n": self.n, **self.values} if self.plural is not None else self.values
        if not values:
            return text
        return text % {key: _value(value, said) for key, value in values.items()}


def _value(value: Value, said: bool) -> Any:
    if isinstance(value, Sentence):
        return value.said() if said else value.english()
    if isinstance(value, tuple):
        return _listed([str(_value(item, said)) for item in value], said)
    return value


def _listed(items: list[str], said: bool) -> str:
    if len(items) < 2:
        return "".join(items)
    # Translators: a list of names, the last joined by "and": “Te”, “Bara” and “Caws”.
    last = N_("%(items)s and %(last)s")
    return (gettext(last) if said else last) % {"items": ", ".join(items[:-1]), "last": items[-1]}


def english(sentences: Iterable[Sentence]) -> str:
    """Several sentences, one after another, as written."""
    return " ".join(sentence.english() for sentence in sentences)


def said(sentences: Iterable[Sentence]) -> str:
    """Several sentences, one after another, in the language being spoken."""
    return " ".join(sentence.said() for sentence in sentences)
