"""OpenAPI 3.1 description built from the API routes and the schemas they declare."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from server.events.receipts import KEY, LIFETIME
from server.http.api import ApiRoute
from server.validation import names, schema

PROBLEM = {"$ref": "#/components/schemas/problem"}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A random key made for this one change. Sent again with the same key "
    f"(by the same person, within {LIFETIME.days * 24} hours), the change is not made twice: "
    "the answer is the first one's. A key used for another change is refused.",
    "schema": {"type": "string", "pattern": f"^{KEY.pattern}$"},
}


def describe(routes: list[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if isinstance(route, ApiRoute):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
            for method in route.methods or ():
                if method != "HEAD":
                    paths.setdefault(path, {})[method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Snug",
            "version": "1",
            "description": "The API behind Snug's pages. Send secrets as Bearer tokens.",
        },
        "paths": paths,
        "components": {
            "schemas": {name: schema(name) for name in names()},
            "securitySchemes": {"link": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"link": []}],
    }


def _operation(route: ApiRoute) -> dict[str, Any]:
    params = [
        {
            "name": p,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if p.endswith("_id") else "string"},
        }
        for p in route.param_convertors
    ]
    params += [
        {
            "name": q.name,
            "in": "query",
            "required": False,
            "schema": q.schema,
            "description": q.description,
        }
        for q in route.query
    ]
    if route.replays:
        params.append(IDEMPOTENCY_KEY)
    op: dict[str, Any] = {
        "summary": route.summary,
        "operationId": route.name,
        "tags": [route.tag],
        "parameters": params,
        "responses": {
            str(route.ok_status): {"description": "Done"},
            "4XX": {
                "description": "Refused, with the reason",
                "content": {"application/problem+json": {"schema": PROBLEM}},
            },
        },
    }
    if route.body_schema:
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{route.body_schema}"}
                }
            },
        }
    return op


async def openapi(request: Request) -> Response:
    return JSONResponse(describe(request.app.routes))
