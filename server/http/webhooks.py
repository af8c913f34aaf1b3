"""Webhooks through the API: an organiser lists, adds and removes an event's endpoints and
reads each one's delivery log (server/webhooks/)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events.access import Role
from server.http.api import ApiRoute, event_and_actor, path_id, perform
from server.webhooks import announce, endpoints
from server.webhooks.signing import secret_of


async def list_webhooks(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    return JSONResponse({"webhooks": await endpoints.listed(event)})


async def add_webhook(request: Request, body: dict[str, Any]) -> Response:
    private = request.app.state.settings.webhook_private
    made = await perform(
        request,
        lambda j: endpoints.add(
            j, body["url"], body["kinds"], body.get("format", "snug"), private=private
        ),
    )
    # The secret is told here, once, and kept nowhere: the receipt of this write holds only
    # the endpoint, and the secret is worked out from it (server/webhooks/signing.py).
    event, _actor = await event_and_actor(request)
    found = await endpoints.find(event, made["id"])
    secret = secret_of(request.app.state.settings.secret_key, found.nonce)
    return JSONResponse({**made, "secret": secret}, status_code=201)


async def remove_webhook(request: Request, _body: None) -> Response:
    webhook_id = path_id(request, "webhook_id")
    await perform(request, lambda j: endpoints.remove(j, webhook_id))
    return Response(status_code=204)


async def test_webhook(request: Request, _body: None) -> Response:
    webhook_id = path_id(request, "webhook_id")
    public_url = request.app.state.settings.public_url
    await perform(request, lambda j: announce.test(j, webhook_id, public_url))
    request.app.state.deliverer.wake()  # committed: send it now
    return Response(status_code=202)


async def webhook_deliveries(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    found = await endpoints.find(event, path_id(request, "webhook_id"))
    return JSONResponse(
        {"webhook": endpoints.view(found), "deliveries": await endpoints.deliveries(found)}
    )


HOOK = "/api/e/{slug}/webhooks/{webhook_id:int}"
routes = [
    ApiRoute(
        "GET",
        "/api/e/{slug}/webhooks",
        list_webhooks,
        role=Role.organiser,
        tag="webhooks",
        summary="The event's webhook endpoints (organisers)",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/webhooks",
        add_webhook,
        replays=True,
        role=Role.organiser,
        body="webhook-create",
        status=201,
        tag="webhooks",
        summary="Add a webhook endpoint; the answer holds its signing secret, shown only once "
        "(organisers)",
    ),
    ApiRoute(
        "DELETE",
        HOOK,
        remove_webhook,
        replays=True,
        role=Role.organiser,
        status=204,
        tag="webhooks",
        summary="Remove a webhook endpoint, with its deliveries still owed (organisers)",
    ),
    ApiRoute(
        "POST",
        f"{HOOK}/test",
        test_webhook,
        replays=True,
        role=Role.organiser,
        status=202,
        tag="webhooks",
        summary="Send a webhook a test message, to see it arrive; its delivery log shows how "
        "it went (organisers)",
    ),
    ApiRoute(
        "GET",
        f"{HOOK}/deliveries",
        webhook_deliveries,
        role=Role.organiser,
        tag="webhooks",
        summary="A webhook's latest deliveries, each with its attempts (organisers)",
    ),
]
