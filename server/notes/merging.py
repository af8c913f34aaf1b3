"""Merging text written without the live editor: a page's whole text, sent with the text the
page was drawn from, becomes the smallest change to the notes as they stand now.

Someone typing live meanwhile has changed the notes since the page was drawn; a three-way
merge (as diff3 does) keeps both people's changes where they touch different lines, then
different words. Where both changed the same words, both versions are kept, theirs first, so
nothing anyone wrote is lost and the person who sent the page is told to tidy up.

Texts are compared by lines first and then, only within lines that differ, by words, which keeps
the work small for long notes. Everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# Words, runs of spaces and single marks: the units a change is reported in within a line.
_WORD = re.compile(r"\s+|\w+|[^\w\s]")
# Beyond this many words in one changed stretch, it is compared as a whole: matching words
# costs the square of their number.
MAX_WORDS = 4000


@dataclass(frozen=True)
class Merged:
    text: str
    # Others changed the text since the page was drawn, and the page should say so; not when
    # all they changed was what this page says (the same page sent a second time).
    others_changed: bool = False
    kept_both: int = 0  # stretches both sides changed differently, kept one after the other


@dataclass(frozen=True)
class Edit:
    """Replace ``old[start:end]`` with ``text`` (indices into the old text, in characters)."""

    start: int
    end: int
    text: str


def merge(base: str, mine: str, theirs: str) -> Merged:
    """``mine`` and ``theirs`` both started from ``base``: the text with both sides' changes."""
    if theirs == base:
        return Merged(mine)
    if mine == theirs:
        return Merged(theirs)  # the same page sent twice: nothing to add, nothing to say
    if mine == base:
        return Merged(theirs, others_changed=True)
    return _merge_lines(_lines(base), _lines(mine), _lines(theirs))


def edits(old: str, new: str) -> list[Edit]:
    """The changes that turn ``old`` into ``new``, each as small as the words allow, in order."""
    old_lines, new_lines = _lines(old), _lines(new)
    at = _offsets(old_lines)
    found: list[Edit] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines):
        now = "".join(new_lines[j1:j2])
        if tag == "replace":
            found += _word_edits("".join(old_lines[i1:i2]), now, at[i1])
        elif tag != "equal":
            found.append(Edit(at[i1], at[i2], now))
    trimmed = (_trimmed(edit, old) for edit in found)
    return [edit for edit in trimmed if edit is not None]


def _word_edits(was: str, now: str, offset: int) -> list[Edit]:
    old_words, new_words = _words(was), _words(now)
    if len(old_words) + len(new_words) > MAX_WORDS:
        return [Edit(offset, offset + len(was), now)]
    at = _offsets(old_words)
    return [
        Edit(offset + at[i1], offset + at[i2], "".join(new_words[j1:j2]))
        for tag, i1, i2, j1, j2 in _opcodes(old_words, new_words)
        if tag != "equal"
    ]


def _trimmed(edit: Edit, old: str) -> Edit | None:
    """The edit without the characters it would delete and put back alike at either end."""
    was = old[edit.start : edit.end]
    if was == edit.text:
        return None
    head = 0
    limit = min(len(was), len(edit.text))
    while head < limit and was[head] == edit.text[head]:
        head += 1
    tail = 0
    while tail < limit - head and was[-1 - tail] == edit.text[-1 - tail]:
        tail += 1
    return Edit(edit.start + head, edit.end - tail, edit.text[head : len(edit.text) - tail])


def _merge_lines(base: list[str], mine: list[str], theirs: list[str]) -> Merged:
    out: list[str] = []
    kept_both = 0
    for o, a, b in _chunks(base, mine, theirs):
        taken = _settled(o, a, b)
        if taken is None:
            words = _merge_words("".join(o), "".join(a), "".join(b))
            if words is None:
                kept_both += 1
                taken = [*b, *([] if not b or b[-1].endswith("\n") or not a else ["\n"]), *a]
            else:
                taken = [words]
        out += taken
    text = "".join(out)
    # Nothing of mine added means it was all there already: the same page sent twice.
    return Merged(text, text != "".join(theirs), kept_both)


def _merge_words(base: str, mine: str, theirs: str) -> str | None:
    """Lines both sides changed, merged word by word; None if both changed the same words."""
    o, a, b = _words(base), _words(mine), _words(theirs)
    if len(o) + len(a) + len(b) > MAX_WORDS:
        return None
    out: list[str] = []
    for chunk in _chunks(o, a, b):
        taken = _settled(*chunk)
        if taken is None:
            return None
        out += taken
    return "".join(out)


def _settled(o: Sequence[str], a: Sequence[str], b: Sequence[str]) -> list[str] | None:
    """What a stretch becomes when at most one side changed it, or both alike; also when what
    I wrote is already in theirs whole (the same page sent twice after a merge)."""
    if list(a) == list(o) or list(a) == list(b):
        return list(b)
    if list(b) == list(o):
        return list(a)
    if a and "".join(a) in "".join(b):
        return list(b)
    return None


def _chunks(
    base: list[str], mine: list[str], theirs: list[str]
) -> list[tuple[list[str], list[str], list[str]]]:
    """The three texts cut where all three agree (stable stretches, the same on each side) and
    between (a stretch each side may have changed)."""
    to_mine = _matches(base, mine)
    to_theirs = _matches(base, theirs)
    chunks = []
    o = a = b = 0
    while True:
        n = 0
        while to_mine.get(o + n) == a + n and to_theirs.get(o + n) == b + n:
            n += 1
        if n:
            chunks.append((base[o : o + n], mine[a : a + n], theirs[b : b + n]))
            o, a, b = o + n, a + n, b + n
            continue
        j = o
        while j < len(base) and not (j in to_mine and j in to_theirs):
            j += 1
        if j == len(base):
            if o < len(base) or a < len(mine) or b < len(theirs):
                chunks.append((base[o:], mine[a:], theirs[b:]))
            return chunks
        chunks.append((base[o:j], mine[a : to_mine[j]], theirs[b : to_theirs[j]]))
        o, a, b = j, to_mine[j], to_theirs[j]


def _matches(a: list[str], b: list[str]) -> dict[int, int]:
    """Each item of ``a`` that stays in ``b``, with its place there."""
    matcher = SequenceMatcher(None, a, b, autojunk=_long(a, b))
    return {i + k: j + k for i, j, size in matcher.get_matching_blocks() for k in range(size)}


def _opcodes(a: list[str], b: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    return SequenceMatcher(None, a, b, autojunk=_long(a, b)).get_opcodes()


def _long(a: list[str], b: list[str]) -> bool:
    """Whether to let difflib pass over items that recur often (blank lines, spaces): it then
    matches around them, in time that grows with the text rather than its square."""
    return len(a) + len(b) > MAX_WORDS


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _offsets(pieces: list[str]) -> list[int]:
    """Where each piece starts in their joined text, and where the text ends."""
    at = [0]
    for piece in pieces:
        at.append(at[-1] + len(piece))
    return at
