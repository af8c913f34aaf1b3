"""Keeping the catalogue in step with the source, for translators and the tests: extract every
message (the mappings in pyproject.toml) into locales/messages.pot, bring each language's .po
up to date with it (a new message arrives untranslated, a changed one fuzzy), and compile the
.mo files a checkout runs from. Babel's own commands (pybabel) do each step.

    python -m server.language.extraction            extract, update, compile
    python -m server.language.extraction --compile  compile only
"""

from __future__ import annotations

import sys
from contextlib import chdir
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from server.bundled import LOCALES_DIR
from server.language.catalogues import DOMAIN

ROOT = Path(__file__).resolve().parents[2]


def extract(pot: Path) -> None:
    """Every message in the source, into ``pot``. Run from a checkout: the mappings name its
    folders, and each message's place is said from there."""
    with chdir(ROOT):
        _pybabel(
            "extract",
            "--mapping-file=pyproject.toml",
            f"--output-file={pot.resolve()}",
            "--add-location=file",
            "--sort-output",
            "--project=Snug",
            "--copyright-holder=Snug's contributors",
            "--add-comments=Translators:",
            ".",
        )


def update() -> None:
    _pybabel(
        "update",
        f"--input-file={LOCALES_DIR / f'{DOMAIN}.pot'}",
        f"--output-dir={LOCALES_DIR}",
        f"--domain={DOMAIN}",
        "--ignore-obsolete",
    )


def compile_all() -> None:
    _pybabel("compile", f"--directory={LOCALES_DIR}", f"--domain={DOMAIN}")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call]


def main(args: list[str]) -> None:
    if "--compile" not in args:
        extract(LOCALES_DIR / f"{DOMAIN}.pot")
        update()
    compile_all()


if __name__ == "__main__":
    main(sys.argv[1:])
