"""Where the pages (web/), the schemas (schemas/) and the translations (locales/) are.

A checkout keeps them as top-level folders beside the package; the wheel carries them inside it
(server/web, server/schemas, server/locales, mapped by setup.py), so an installed Snug runs
without the checkout.

SNUG_LOCALES_DIR, when set, names another translations folder in place of locales/: the
tests' pseudo-language (tests/language/pseudo.py) is served from a copy with one more
language in it. Read once, as Snug starts; unset, as in production, it changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


WEB_DIR = _folder("web")
SCHEMA_DIR = _folder("schemas")
LOCALES_DIR = Path(os.environ.get("SNUG_LOCALES_DIR") or _folder("locales"))
