"""Notes Markdown rendered safely, and made inert for the Markdown export."""

from __future__ import annotations

import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from server.notes.markdown import REL, TAGS, inert, literal, to_html, to_plain

# CommonMark with raw HTML on: what someone else's renderer might do with the exported file.
COMMONMARK = MarkdownIt("commonmark")
# The same, but trusting every link, as a careless renderer would.
CARELESS = MarkdownIt("commonmark")
CARELESS.validateLink = lambda _url: True

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<iframe src=https://evil.example></iframe>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#115;cript:alert(1))",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "[r]\n\n[r]: javascript:alert(1)",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg onload=alert(1)>",
    "]]></title><script>alert(1)</script>",
    # A comment ends an HTML block with no blank line, and what follows it is an indented code
    # block; once the comment is escaped, that line would join a paragraph as raw HTML.
    "<!-- x -->\n    <script>alert(1)</script>",
    "\\<script>alert(1)</script>",
    "`` ` `` <script>alert(1)</script>",
    "```\n<script>in a fence</script>\n```\n<script>alert(1)</script>",
    "> <img src=x onerror=alert(1)>\n> - <b onclick=alert(1)>x</b>",
    "text\x00\x07\x1b[31m<script>alert(1)</script>",
]


SAFE = ("http", "https", "mailto")


def dangerous(rendered: str) -> list[str]:
    """What in this HTML could run script or load something: the things the tests forbid."""
    if not rendered.strip():
        return []
    found = []
    for element in lxml.html.fragment_fromstring(rendered, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "img", "iframe", "svg", "object", "embed", "style"):
            found.append(element.tag)
        for name, value in element.attrib.items():
            if name.startswith("on"):
                found.append(f"{element.tag}@{name}")
            scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
            if name in ("href", "src") and scheme and scheme[1].lower() not in SAFE:
                found.append(f"{element.tag}@{name}={value}")
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_notes_render_as_text(text: str) -> None:
    rendered = to_html(text)
    assert dangerous(rendered) == []
    assert "\x00" not in rendered and "\x07" not in rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_the_markdown_export_is_inert_when_rendered_with_html_on(text: str) -> None:
    exported = inert(text)
    assert dangerous(COMMONMARK.render(exported)) == []
    assert dangerous(CARELESS.render(exported)) == []
    tokens = COMMONMARK.parse(exported)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline"}


def test_markdown_renders_with_links_marked_and_headings_below_the_page() -> None:
    rendered = to_html(
        "# Agreed\n\nWe **will** pilot [the form](https://example.org/form) and "
        "[mail us](mailto:team@example.org); see [here](/e/x) or "
        "[ftp](ftp://example.org/f).\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |",
        top=4,
    )
    page = lxml.html.fragment_fromstring(rendered, create_parent="div")
    assert page.findtext("h4") == "Agreed"
    assert page.findtext("p/strong") == "will"
    links = {a.text: a.attrib for a in page.iter("a")}
    assert links["the form"] == {"href": "https://example.org/form", "rel": REL}
    assert links["mail us"]["href"] == "mailto:team@example.org"
    # Relative and other-scheme links keep their words and lose their address.
    assert "href" not in links["here"] and "href" not in links["ftp"]
    assert [li.text for li in page.iter("li")] == ["one", "two"]
    assert page.find("table") is not None and "style" not in rendered
    assert {e.tag for e in page.iter()} - {"div"} <= TAGS


def test_images_stay_words_so_nothing_is_fetched() -> None:
    rendered = to_html("![a chart](https://tracker.example/pixel.png)")
    assert "<img" not in rendered and "tracker.example" in rendered


@pytest.mark.parametrize(
    "text",
    [
        "",
        "```\nnever closed",
        "[unclosed link(",
        "**bold",
        "> " * 500 + "deep",
        "- " * 500 + "nested",
        "\n".join(f"{'  ' * i}- level {i}" for i in range(200)),
        "<" * 5000,
        "*" * 10000 + "_" * 10000,
        "x" * 100_000,
    ],
)
def test_broken_markdown_never_raises(text: str) -> None:
    assert isinstance(to_html(text), str)
    assert isinstance(to_plain(text), str)
    assert dangerous(CARELESS.render(inert(text))) == []


def test_plain_words_for_previews() -> None:
    assert to_plain("## We agreed\n\nTo **pilot** it &amp; [see](https://x.org).") == (
        "We agreed To pilot it & see."
    )
    assert to_plain("<script>alert(1)</script>") == "<script>alert(1)</script>"


def test_code_keeps_its_angle_brackets_in_the_export() -> None:
    text = "Use `<details>` here.\n\n```html\n<details>open</details>\n```\n\n    <b>indented</b>"
    exported = inert(text)
    assert exported == text
    rendered = COMMONMARK.render(exported)
    assert "<code>&lt;details&gt;</code>" in rendered
    assert "&lt;details&gt;open&lt;/details&gt;" in rendered


def test_export_headings_move_down_below_the_documents_own() -> None:
    exported = inert("# Top\n\n> ## Quoted\n\n###### Deepest\n\nC# is not a heading", shift=3)
    assert exported.splitlines()[0] == "#### Top"
    assert "> ##### Quoted" in exported and "###### Deepest" in exported
    assert "C# is not a heading" in exported


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "1. not a list",
        "- not a list",
        "# not a heading",
        "[x](javascript:alert(1)) & &amp; *a* _b_ `c` ~~d~~ | e \\ f!",
        "line\nbreak\r\nand\ttab\x07",
    ],
)
def test_literal_text_shows_exactly_as_typed(text: str) -> None:
    rendered = COMMONMARK.render(literal(text))
    paragraph = lxml.html.fragment_fromstring(rendered)
    assert paragraph.tag == "p" and len(paragraph) == 0, rendered
    assert paragraph.text == " ".join(text.replace("\x07", "").split())


PIECES = [
    "<", ">", "/", "<script>", "</script>", "<img src=x onerror=alert(1)>", "<!-- ", " -->",
    "`", "``", "```", "\n", "\n\n", "    ", "[", "]", "](", "]: ", "(", ")", "javascript:",
    "java&#115;cript:", "https://x.org", "\\", "!", "> ", "- ", "1. ", "# ", "*", "x", " ",
]  # fmt: skip
MARKUP = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKUP)
def test_no_markdown_makes_html_or_unsafe_links(text: str) -> None:
    assert dangerous(to_html(text)) == []
    exported = inert(text, shift=1)
    assert dangerous(CARELESS.render(exported)) == []
