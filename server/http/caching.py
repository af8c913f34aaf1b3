"""Conditional requests (RFC 9110 section 13): answering 304 to whoever already has the file.

Calendar apps poll feeds, link previews fetch cards again and again, and phones reload photos;
an unchanged answer costs them and Snug almost nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from starlette.requests import Request


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str, modified: datetime | None = None) -> bool:
    """If-None-Match wins; If-Modified-Since counts only without it, and only where there is
    a time to compare with."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if modified is None or not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= since
