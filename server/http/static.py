"""Snug's own files (web/static/). Pages name each with its content's fingerprint
(``bundled.static_url``): asked for by that name, a file may be kept for a year, so a phone
that comes back loads the page without asking for its scripts again. Asked for by any other
name (a script's own imports, an old page's fingerprint), it is checked with Snug each time
(``no-cache``, answered 304 when unchanged), so no browser's guess at freshness ever shows an
old script against a new server after an upgrade."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from server.bundled import fingerprint

KEPT = "public, max-age=31536000, immutable"
CHECKED = "no-cache"


class Static(StaticFiles):
    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        current = fingerprint(str(full_path), stat_result.st_mtime_ns, stat_result.st_size)
        response.headers["Cache-Control"] = KEPT if asked == current else CHECKED
        return response
