"""What both websockets share: opening only for this Snug's pages, and reading a message."""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocket

from server.errors import Invalid
from server.http.security import kept, origin_is_ours
from server.language import N_
from server.validation import load_json, validate


async def accepted(websocket: WebSocket) -> bool:
    """Accepts the socket, unless another site's page opened it."""
    if not same_origin(websocket):
        await websocket.close(code=1008)  # before accepting: the browser sees a refusal
        return False
    await websocket.accept()
    return True


def parse(raw: str, types: tuple[str, ...], schema_prefix: str) -> dict[str, Any]:
    """A client message checked against its schema, ``{schema_prefix}{type}``."""
    message = load_json(raw)
    if not isinstance(message, dict) or message.get("type") not in types:
        named = ", ".join(types[:-1]) + f" or {types[-1]}"
        raise Invalid(
            N_("Messages must be JSON objects whose 'type' is %(types)s."), values={"types": named}
        )
    validate(f"{schema_prefix}{message['type']}", message)
    return message


def same_origin(websocket: WebSocket) -> bool:
    """Whether a websocket comes from a page of this Snug (or from no browser at all).

    Browsers send the page's Origin with every websocket, and a socket isn't bound by the
    same-origin policy, so without this check any site a person visits could open Snug's
    sockets with their cookies and address. Clients other than browsers send no Origin.
    """
    origin = websocket.headers.get("origin")
    public_url = websocket.app.state.settings.public_url
    return origin is None or origin_is_ours(origin, websocket.headers, public_url)


def secret(websocket: WebSocket, message: dict[str, Any]) -> str | None:
    """The token a hello or join carries, else the cookie of the role the page asks as
    (``staff: true`` or ``attendee: true``; safe to use here: the socket's Origin was checked
    when it opened)."""
    token = message.get("token")
    if token:
        return str(token)
    return kept(lambda role: message.get(role) is True, websocket.cookies)
