"""Where the pages (web/), the schemas (schemas/) and the translations (locales/) are.

A checkout keeps them as top-level folders beside the package; the wheel carries them inside it
(server/web, server/schemas, server/locales, mapped by setup.py), so an installed Snug runs
without the checkout.

SNUG_LOCALES_DIR, when set, names another translations folder in place of locales/: the
tests' pseudo-language (tests/language/pseudo.py) is served from a copy with one more
language in it. Read once, as Snug starts; unset, as in production, it changes nothing.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


WEB_DIR = _folder("web")
SCHEMA_DIR = _folder("schemas")
LOCALES_DIR = Path(os.environ.get("SNUG_LOCALES_DIR") or _folder("locales"))
STATIC_DIR = WEB_DIR / "static"


def static_url(name: str) -> str:
    """The address of a file of web/static/ as pages name it: with its content's fingerprint,
    so a browser may keep it for good (server/http/static.py) and a new Snug's file, with a
    new fingerprint, is never hidden behind an old copy."""
    path = STATIC_DIR / name
    found = path.stat()
    return f"/static/{name}?v={fingerprint(str(path), found.st_mtime_ns, found.st_size)}"


@cache
def fingerprint(path: str, _mtime_ns: int, _size: int) -> str:
    """The file's fingerprint; its time and size in the key, so a file edited in a checkout
    while Snug runs gets a new one."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
