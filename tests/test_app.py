"""The route table (server/app.py): its order puts a vote storm's routes first, which is safe
only while no route stands in front of another that a request for it should reach."""

from __future__ import annotations

import re

from starlette.routing import Match, Route, WebSocketRoute

from server.app import routes

SAMPLE = {"int": "7", "path": "a/b", "str": "x"}  # a value for each kind of path parameter


def _sample(path: str) -> str:
    return re.sub(r"{\w+(?::(\w+))?}", lambda m: SAMPLE[m.group(1) or "str"], path)


def test_every_route_is_reached_by_a_request_for_it_whatever_stands_before_it() -> None:
    shadowed = []
    for route in routes:
        if not isinstance(route, Route | WebSocketRoute):
            continue
        kind = "websocket" if isinstance(route, WebSocketRoute) else "http"
        for method in sorted(getattr(route, "methods", None) or {"GET"}):
            scope = {"type": kind, "path": _sample(route.path), "method": method}
            first = next(r for r in routes if r.matches(scope)[0] == Match.FULL)
            if first is not route:
                shadowed.append(f"{method} {route.path} is taken by {first.path}")
    assert shadowed == []
    assert routes[0].path == "/api/e/{slug}/dots", "a vote's route is tried first"
