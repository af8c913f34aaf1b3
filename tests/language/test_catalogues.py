"""The catalogues: every message the source says is in each language's .po, translated, not
fuzzy, and with the same placeholders; what the build compiles is what Snug reads."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from server.language import SOURCE, languages
from server.language.catalogues import SCRIPTS, catalogue, for_scripts, po_path
from server.language.extraction import extract

TRANSLATED = [code for code in languages() if code != SOURCE]
HOW = "Run tools/catalogues, translate in locales/{0}/LC_MESSAGES/messages.po, run it again."


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Every message in the source as it is now."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    extract(pot)
    with pot.open("rb") as extracted:
        return read_po(extracted)


def test_welsh_has_a_catalogue() -> None:
    assert "cy" in TRANSLATED


def test_extraction_finds_the_pages_python_and_scripts(source: Catalog) -> None:
    """Babel reads each kind of source: a template's words, a problem's title, a script's."""
    places = {path for message in source for path, _line in message.locations}
    assert "web/templates/layout.html" in places
    assert "server/errors.py" in places
    assert any(path.startswith("web/static/js/") for path in places)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_in_the_source_is_in_the_catalogue(source: Catalog, code: str) -> None:
    known = {message.id for message in catalogue(code)}
    missing = [message.id for message in source if message.id and message.id not in known]
    assert not missing, f"Not in {code}: {missing[:10]}. {HOW.format(code)}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code: str) -> None:
    untranslated = [
        message.id
        for message in catalogue(code)
        if message.id and (message.fuzzy or not message.string or not all(_forms(message.string)))
    ]
    assert not untranslated, f"Untranslated or fuzzy in {code}: {untranslated[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders(code: str) -> None:
    with po_path(code).open("rb") as po:
        problems = [(message.id, errors) for message, errors in read_po(po).check() if errors]
    assert not problems


def test_the_scripts_get_their_translations_and_no_more() -> None:
    welsh = for_scripts("cy")
    theirs = [m for m in catalogue("cy") if any(p.startswith(SCRIPTS) for p, _ in m.locations)]
    said = next(m for m in theirs if isinstance(m.id, str))
    assert welsh[said.id] == said.string
    plural = next(m for m in theirs if isinstance(m.id, tuple))
    assert welsh[plural.id[0]] == list(plural.string)
    assert len(welsh) == len(theirs)
    assert "Skip to main content" not in welsh  # the layout's: drawn by the server
    assert for_scripts(SOURCE) == {}


def _forms(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)
