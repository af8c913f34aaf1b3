"""Merging a page's whole text with what was typed live since it was drawn, and the smallest
edits between two texts, with nothing from a database."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from server.notes.merging import MAX_WORDS, Edit, edits, merge

# Texts made of a few words and line breaks, so that random pairs share much and differ some.
texts = st.lists(
    st.sampled_from(["alpha", "beta", " ", "\n", "\n\n", "é", "😀", "**b**", "- x\n"]), max_size=30
).map("".join)


def applied(old: str, changes: list[Edit]) -> str:
    for edit in reversed(changes):
        old = old[: edit.start] + edit.text + old[edit.end :]
    return old


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_edits_turn_one_text_into_the_other_in_order(old: str, new: str) -> None:
    changes = edits(old, new)
    assert applied(old, changes) == new
    assert all(a.end <= b.start for a, b in pairwise(changes))
    assert (changes == []) == (old == new)


def test_edits_are_as_small_as_the_words() -> None:
    assert edits("café au lait", "café au laid") == [Edit(11, 12, "d")]
    assert edits("one\ntwo\nthree\n", "one\nTWO\nthree\nfour\n") == [
        Edit(4, 7, "TWO"),
        Edit(14, 14, "four\n"),
    ]


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_a_side_that_changed_nothing_gives_way(base: str, other: str) -> None:
    assert merge(base, other, base).text == other  # nobody typed live: the page's text
    assert merge(base, base, other).text == other  # the page changed nothing: theirs
    assert merge(base, other, other).text == other  # the same page sent twice
    assert not merge(base, other, base).others_changed
    assert not merge(base, other, other).others_changed  # the second of a double tap
    assert merge(base, base, other).others_changed == (other != base)
    assert merge(base, other, other).kept_both == 0


def test_changes_to_different_lines_and_words_both_stay() -> None:
    merged = merge("Benches\nBins\nLamps", "Benches (12)\nBins\nLamps", "Benches\nBins\nLamps!")
    assert (merged.text, merged.others_changed, merged.kept_both) == (
        "Benches (12)\nBins\nLamps!",
        True,
        0,
    )
    words = merge("alpha beta gamma", "alpha BETA gamma", "alpha beta gamma delta")
    assert (words.text, words.kept_both) == ("alpha BETA gamma delta", 0)
    # One side deleting a line while the other changes another.
    assert merge("a\nb\nc\n", "a\nc\n", "a\nb\nc!\n").text == "a\nc!\n"


def test_changes_to_the_same_words_are_both_kept_theirs_first() -> None:
    merged = merge("Meet at ten", "Meet at eleven", "Meet at noon")
    assert (merged.text, merged.kept_both) == ("Meet at noon\nMeet at eleven", 1)
    lines = merge("a\nten\nb\n", "a\neleven\nb\n", "a\nnoon\nb\n")
    assert lines.text == "a\nnoon\neleven\nb\n"
    # Sent again after that merge, what was written is already there: nothing is added.
    again = merge("a\nten\nb\n", "a\neleven\nb\n", lines.text)
    assert (again.text, again.others_changed, again.kept_both) == (lines.text, False, 0)


def test_long_notes_merge_quickly_and_a_huge_paragraph_is_kept_whole() -> None:
    lines = [f"Line {i} says something about benches and bins." for i in range(1500)]
    base = "\n".join(lines)
    mine = base.replace("Line 10 says", "Line ten says")
    theirs = base.replace("Line 1400 says", "Line 1400 now says")
    merged = merge(base, mine, theirs)
    assert "Line ten says" in merged.text and "Line 1400 now says" in merged.text
    assert merged.kept_both == 0
    paragraph = " word" * MAX_WORDS
    both = merge(paragraph, "mine" + paragraph, paragraph + " theirs")
    assert both.kept_both == 1 and both.text.startswith(paragraph + " theirs")
