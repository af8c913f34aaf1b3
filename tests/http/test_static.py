"""Snug's own files: kept for good when named by their fingerprint, checked each time else."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from server.bundled import STATIC_DIR, fingerprint


def test_pages_name_their_files_by_fingerprint_and_those_are_kept_for_good(
    http: httpx.Client,
) -> None:
    page = http.get("/").text
    named = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert named and all(re.fullmatch(r"/static/[\w/.-]+\?v=[0-9a-f]{12}", n) for n in named)
    for name in named:
        kept = http.get(name)
        assert kept.status_code == 200, name
        assert kept.headers["cache-control"] == "public, max-age=31536000, immutable"
        again = http.get(name, headers={"if-none-match": kept.headers["etag"]})
        assert again.status_code == 304
        assert again.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_file_asked_for_by_another_name_is_checked_each_time(http: httpx.Client) -> None:
    """A script's own imports carry no fingerprint; an old page's carries an old one."""
    for name in ("/static/css/snug.css", "/static/css/snug.css?v=000000000000"):
        answer = http.get(name)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-cache"
        assert "etag" in answer.headers


def test_the_fingerprint_is_the_contents_and_follows_an_edit(tmp_path: Path) -> None:
    file = tmp_path / "app.js"
    file.write_text("one")
    first = fingerprint(str(file), file.stat().st_mtime_ns, file.stat().st_size)
    file.write_text("two!")
    second = fingerprint(str(file), file.stat().st_mtime_ns, file.stat().st_size)
    assert first != second
    snug_css = STATIC_DIR / "css" / "snug.css"
    same = fingerprint(str(snug_css), 0, 0)
    assert same == fingerprint(str(snug_css), 1, 1)  # the same bytes, the same fingerprint
