"""The one template environment: the pages people open (web/templates/) and the documents
Snug exports (server/exports/templates/), rendered alike.

Autoescaping is on everywhere, an undefined name is an error rather than an empty string, and
no control character from typed text reaches a page or a document (safe HTML from the Markdown
renderer has none left), since some of them reorder or hide what is shown around them.

Words are said through gettext (``{% trans %}`` and ``_()``, new-style: ``_("{n} dots", n=3)``)
in the language the request was answered in (server/language/), so one environment serves
every language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from server import language
from server.bundled import WEB_DIR, static_url
from server.events.day import words as day_words
from server.exports.bidi import isolate
from server.language import formats
from server.language.surfaces import own
from server.notes.markdown import to_html, without_controls
from server.reach import loopback_warning

FOLDERS = (WEB_DIR / "templates", Path(__file__).resolve().parent / "exports" / "templates")


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return without_controls(value)
    return value


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(FOLDERS),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=language.gettext,
        ngettext=language.ngettext,
        pgettext=language.pgettext,
        npgettext=language.npgettext,
        newstyle=True,
    )
    env.globals["language"] = language.current
    env.globals["static"] = static_url
    env.globals["asked"] = language.asked.get
    env.globals["language_names"] = language.NAMES
    env.globals["languages"] = language.offered
    env.globals["day_words"] = day_words
    env.filters["day"] = formats.day
    env.filters["full_date"] = formats.full_date
    env.filters["number"] = formats.number
    env.filters["markdown"] = lambda text, top: Markup(to_html(text, top=top))
    env.filters["bdi"] = isolate
    env.globals["bdi"] = isolate
    env.globals["own"] = own
    env.globals["loopback_warning"] = loopback_warning
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
