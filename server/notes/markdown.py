"""Notes are Markdown as people type it. This renders it to HTML that is safe to show anyone,
and turns it, and plain text, into Markdown that stays inert in whatever renders it next.

HTML goes through markdown-it's "js-default" preset (no raw HTML), with images switched off
(a remote image in a write-up would track its readers, and would make the PDF renderer fetch
arbitrary addresses), then through nh3 with an explicit allow-list. Nothing here raises on
broken Markdown: every string is some Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# C0 and C1 control characters other than tab and newline: invisible, invalid in XML and
# useless in a write-up, so they never leave this module.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)

TAGS = {
    "p", "br", "hr", "strong", "em", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
REL = "nofollow noopener ugc"

_html = MarkdownIt("js-default").disable("image")


class _Trusting(MarkdownIt):
    """Keeps every link, as a careless renderer would, so that unsafe ones can be found."""

    def validateLink(self, url: str) -> bool:
        return True


# The proof parser for the Markdown export: CommonMark with raw HTML on and every link kept,
# so that whatever another renderer might make of the text shows up here first.
_proof = _Trusting("commonmark")
_ENTITY = {"<": "&lt;", "[": "&#91;"}


def without_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """Text for a single line: no control characters, any run of whitespace one space."""
    return " ".join(without_controls(text).split())


def _allowed(url: str) -> bool:
    scheme = _SCHEME.match(url)
    return scheme is not None and scheme.group(1).lower() in SCHEMES


def _link_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if _allowed(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_link_filter,
    url_schemes=set(SCHEMES),
    link_rel=REL,
)
_text_only = nh3.Cleaner(tags=set(), attributes={})


def _tokens(text: str, top: int) -> list[Token]:
    tokens = _html.parse(without_controls(text))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + top - 1)}"
    return tokens


def to_html(text: str, *, top: int = 3) -> str:
    """Safe HTML for notes Markdown; a "# heading" becomes ``h{top}`` so that headings people
    type sit below the page's own (never above h2)."""
    top = max(2, top)
    rendered = _html.renderer.render(_tokens(text, top), _html.options, {})
    return str(_cleaner.clean(rendered))


def to_plain(text: str) -> str:
    """The words of notes Markdown on one line, for link previews and cards."""
    rendered = _html.renderer.render(_tokens(text, 2), _html.options, {})
    return " ".join(html.unescape(str(_text_only.clean(rendered))).split())


# --- Markdown that stays inert ------------------------------------------------------------


def literal(text: str) -> str:
    """Plain text (a title, a name) as Markdown that shows exactly these words, on one line.

    Every character that could start Markdown or HTML syntax inline is backslash-escaped, and
    what could start a block at the beginning of a line too.
    """
    escaped = re.sub(r"([\\`*_\[\]<>!|~&#])", r"\\\1", one_line(text))
    escaped = re.sub(r"^([-+=])", r"\\\1", escaped)
    return re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", escaped)


def inert(text: str, *, shift: int = 0) -> str:
    """Notes Markdown for the Markdown export: the same text, with raw HTML and links to
    anything but the web or mail made into plain text, however the file is rendered later.

    ``<`` is written ``&lt;`` outside code. Any block that a CommonMark parser with HTML on
    still reads as HTML, or as a link elsewhere, then has every ``<`` (HTML, autolinks) or
    ``[`` (links, images) written as an entity; each round removes at least one, so it ends,
    with nothing left that makes HTML or a link to an unsafe address. ATX headings move
    ``shift`` levels down, and a code fence left open is closed, so that whatever follows the
    text in a document is not taken into it.
    """
    lines = without_controls(text).split("\n")
    tokens = _proof.parse("\n".join(lines))
    code = _lines_of(tokens, ("fence", "code_block"))
    lines = [line if i in code else _escaped_outside_spans(line) for i, line in enumerate(lines)]
    while True:
        tokens = _proof.parse("\n".join(lines))
        unsafe = _unsafe_lines(tokens)
        if not unsafe:
            break
        for i, opener in unsafe:
            lines[i] = lines[i].replace(opener, _ENTITY[opener])
    return "\n".join(_shifted(lines, tokens, shift) + _closing_fence(lines, tokens))


def _lines_of(tokens: Sequence[Token], kinds: tuple[str, ...]) -> set[int]:
    return {i for t in tokens if t.type in kinds and t.map for i in range(*t.map)}


def _escaped_outside_spans(line: str) -> str:
    """``<`` as an entity, except in code spans and after a backslash (already literal)."""
    out: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\":
            out.append(line[i : i + 2])
            i += 2
        elif char == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            fence = "`" * run
            end = _closing(line, i + run, fence)
            out.append(line[i:end] if end else fence)
            i = end or i + run
        else:
            out.append("&lt;" if char == "<" else char)
            i += 1
    return "".join(out)


def _closing(line: str, start: int, fence: str) -> int | None:
    """Where a code span opened by ``fence`` ends (just past its closing run), if it does."""
    for match in re.finditer("`+", line[start:]):
        if match.group() == fence:
            return start + match.end()
    return None


def _unsafe_lines(tokens: Sequence[Token]) -> set[tuple[int, str]]:
    """Lines of blocks still read as HTML or as unsafe links, each with the character that
    opens that syntax: HTML and autolinks start with ``<``, other links and images with ``[``."""
    unsafe = {(i, "<") for i in _lines_of(tokens, ("html_block",))}
    for token in tokens:
        if token.type == "inline" and token.map:
            for opener in {_opener(child) for child in token.children or []} - {None}:
                unsafe.update((i, str(opener)) for i in range(*token.map))
    return unsafe


def _opener(token: Token) -> str | None:
    if token.type == "html_inline":
        return "<"
    target = token.attrGet("src") if token.type == "image" else token.attrGet("href")
    if token.type not in ("link_open", "image") or target is None:
        return None
    # Relative addresses are harmless; only a scheme other than the web's or mail's is not.
    if _SCHEME.match(str(target)) is None or _allowed(str(target)):
        return None
    return "<" if token.markup == "autolink" else "["


def _closing_fence(lines: list[str], tokens: Sequence[Token]) -> list[str]:
    last = next((t for t in reversed(tokens) if t.map and t.level == 0), None)
    if last is None or last.type != "fence" or last.map is None or last.map[1] < len(lines):
        return []
    end = lines[last.map[1] - 1].strip()
    closed = (
        last.map[1] - 1 > last.map[0]
        and end.startswith(last.markup)
        and not end.strip(last.markup[0])
    )
    return [] if closed else [last.markup]


def _shifted(lines: list[str], tokens: Sequence[Token], shift: int) -> list[str]:
    if shift <= 0:
        return lines
    for token in tokens:
        if token.type == "heading_open" and token.markup.startswith("#") and token.map:
            i = token.map[0]
            level = min(6, len(token.markup) + shift)
            lines[i] = lines[i].replace(token.markup, "#" * level, 1)
    return lines
