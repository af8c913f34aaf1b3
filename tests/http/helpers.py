"""Checks shared by the HTTP tests."""

from __future__ import annotations

from typing import Any

import httpx

from server.validation import validate


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """An error must be problem+json with a 4xx status (or the 503 asked for) and a sentence a
    person can act on."""
    expected_503 = status == 503 == response.status_code
    assert 400 <= response.status_code < 500 or expected_503, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    validate("problem", body)
    assert body["status"] == response.status_code
    detail = body["detail"]
    assert len(detail.split()) >= 3, detail
    assert detail[0].isupper() or detail[0] in "'\"", detail
    for leak in ("Traceback", "Exception", "asyncpg", "tortoise", "sqlite", "KeyError"):
        assert leak not in detail, detail
    return dict(body)
