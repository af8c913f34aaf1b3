"""Where a webhook may post: an http or https address on the public internet.

An organiser types the address, so it is treated as hostile: a webhook must not become a way
to reach into the network Snug runs in (its database, a cloud's metadata service). Addresses
are checked twice: as typed, when the endpoint is added, and as the name resolves, at every
delivery, which then connects to the very address that was checked (a name that resolves to a
public address once and a private one the next time gains nothing).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from server.errors import Invalid
from server.language import N_

MAX_URL = 2000
SCHEMES = ("http", "https")
LOCAL_NAMES = ("localhost", "localhost.localdomain")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class NotAllowed(Invalid):
    """An address a webhook may not post to, said in words."""


def checked_url(url: str, *, private: bool) -> str:
    """The address as typed, if a webhook may post to it; ``private``: loopback and private
    addresses are allowed (WEBHOOK_PRIVATE_ADDRESSES)."""
    url = url.strip()
    if len(url) > MAX_URL or any(c <= " " or c == "\x7f" for c in url):
        raise NotAllowed(N_("Give a web address of at most 2,000 characters, with no spaces."))
    try:
        parts = urlsplit(url)
        if parts.port == 0:  # reading it refuses a port that isn't a number
            raise ValueError(url)
    except ValueError:
        raise NotAllowed(N_("That isn't a web address Snug can read.")) from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise NotAllowed(N_("Give a web address starting with https:// (or http://)."))
    if parts.username is not None or parts.password is not None:
        raise NotAllowed(
            N_("Leave the name and password out of the address; Snug signs each message instead.")
        )
    if not private:
        host = parts.hostname.rstrip(".").lower()
        literal = _literal(host)
        if (
            host in LOCAL_NAMES
            or host.endswith(".localhost")
            or (literal is not None and not public(literal))
        ):
            raise NotAllowed(PRIVATE)
    return url


PRIVATE = N_(
    "Snug doesn't post to this computer or to private network addresses. Give an address on "
    "the internet."
)


def public(address: Address) -> bool:
    """Whether an address is on the public internet (not loopback, private, link-local,
    shared, reserved or multicast), an IPv6 form of an IPv4 address judged as that."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def resolve(host: str, port: int, *, private: bool) -> str:
    """The address to connect to for ``host``, every address it resolves to checked (the
    lookup runs in a thread, off the event loop). Raises NotAllowed when any is private."""
    literal = _literal(host)
    if literal is not None:
        found = [literal]
    else:
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not found:
        raise NotAllowed(N_("That host name has no address."))
    if not private and not all(public(address) for address in found):
        raise NotAllowed(PRIVATE)
    return str(found[0])
