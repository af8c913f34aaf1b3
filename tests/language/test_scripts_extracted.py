"""Every message a script says through t() or tn() reaches the catalogue. Babel's JavaScript
extractor reads neither template literals (`${t("...")}`) nor a call inside another call's
arguments (t("...", {x: t("...")})): a message written there would stay English in every
language without a word from tests/language/test_catalogues.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from server.language.extraction import ROOT, extract

SCRIPTS = ROOT / "web" / "static" / "js"
CALL = re.compile(r"\btn?\(\"((?:[^\"\\]|\\.)*)\"")
COMMENT = re.compile(r"^\s*(//|/?\*)")


def said(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [m.group(1) for line in lines if not COMMENT.match(line) for m in CALL.finditer(line)]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pot = tmp_path_factory.mktemp("scripts") / "messages.pot"
    extract(pot)
    with pot.open("rb") as read:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(read) if m.id}


def test_every_message_a_script_says_is_extracted(extracted: set[str]) -> None:
    missing = {
        f"{path.relative_to(ROOT)}: {message}"
        for path in sorted(SCRIPTS.rglob("*.js"))
        if "vendor" not in path.parts
        for message in said(path)
        if message not in extracted
    }
    assert not missing, sorted(missing)


def test_the_check_finds_a_message_babel_misses(tmp_path: Path) -> None:
    script = tmp_path / "hidden.js"
    script.write_text('const a = `${t("Hidden in a template")}`;\n// t("In a comment")\n')
    assert said(script) == ["Hidden in a template"]
