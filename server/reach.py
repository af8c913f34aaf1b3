"""Where the phones in the room can reach Snug.

``snug serve`` listens on 127.0.0.1 and, unless told otherwise, puts that address in every
link it gives out: the join QR code, posters, calendar feeds. A phone opening one reaches
itself, not Snug. This module picks this computer's address on the venue's network for
``snug serve --lan``, checks an address given with ``--public-url``, and words the warning
shown while the links still point at this computer only.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from server.language import gettext as _

LONGEST_URL = 2048  # as long as a join link may be (schemas/defs.json, eventView.join_url)
# RFC 1918's blocks: what a router hands out to the laptops and phones behind it, so the
# address other devices on that wifi can reach.
PRIVATE = tuple(ipaddress.ip_network(n) for n in ("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12"))
# An address inside each private block, the most common on a venue's wifi first, none of them
# the broadcast address of a usual subnet (connecting to one would be refused). Connecting a
# UDP socket only asks the kernel which local address it would send from, so finding the
# address sends nothing over the network.
PROBES = ("192.168.255.254", "10.255.255.254", "172.31.255.254")


def route_sources() -> list[str]:
    """The local IPv4 addresses this computer would send from towards each private block:
    the address of the interface that faces the venue's network, or of its default route."""
    found = []
    for probe in PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.connect((probe, 9))
            except OSError:  # no route at all: not connected to any network
                continue
            found.append(str(udp.getsockname()[0]))
    return found


def choose(candidates: Iterable[str]) -> str | None:
    """A private (RFC 1918) address first: a VPN or mobile carrier's address (100.64.0.0/10,
    or a public one reached through a tunnel) is one the phones on the wifi can't open, while
    the private one is what the venue's router gave this computer. Any other address, public
    ones included, is better than none; loopback and link-local ones reach no phone."""
    usable = [
        address
        for address in map(ipaddress.IPv4Address, candidates)
        if not (address.is_loopback or address.is_link_local or address.is_unspecified)
    ]
    private = [a for a in usable if any(a in block for block in PRIVATE)]
    return next(map(str, private + usable), None)


def lan_url(port: int) -> str | None:
    """The address phones on this computer's network open, or None when it has none."""
    address = choose(route_sources())
    return None if address is None else f"http://{address}:{port}"


def checked_public_url(given: str) -> str:
    """The address people open to reach Snug, as every link is built on it: no trailing
    slash. Raises ValueError saying what is wrong with it."""
    parts = urlsplit(given.strip())
    if len(given) > LONGEST_URL or parts.scheme not in {"http", "https"}:
        raise ValueError(
            _("%(given)r should be a web address starting with https:// or http://")
            % {"given": given}
        )
    if not parts.hostname or any(c.isspace() for c in parts.netloc):
        raise ValueError(
            _("%(given)r names no host: write it as https://snug.example.org") % {"given": given}
        )
    if parts.username is not None:
        raise ValueError(
            _("%(given)r holds a user name or password; give the address alone") % {"given": given}
        )
    if parts.path not in {"", "/"} or "?" in given or "#" in given:
        raise ValueError(
            _(
                "%(given)r has a path, query or fragment: Snug's pages start at the address's "
                "root, so give only the scheme and host, such as https://snug.example.org"
            )
            % {"given": given}
        )
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when it is read)
    except ValueError:
        raise ValueError(
            _("%(given)r has a port that is not a number from 0 to 65535") % {"given": given}
        ) from None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def only_here(public_url: str) -> str | None:
    """The address links point at, while it is one only this computer can open; else None."""
    return public_url if _is_loopback(urlsplit(public_url).hostname or "") else None


def loopback_warning(public_url: str | None) -> str | None:
    """What to tell the organiser while the links point at this computer only, else None:
    said where it is shown, in the language being spoken there."""
    if public_url is None or only_here(public_url) is None:
        return None
    return _(
        "Join links and QR codes point at %(address)s, an address only this computer can "
        "open, so phones can't join. On the venue's wifi, restart Snug with: %(lan)s. "
        "Or give the address people can reach: %(public)s (or set %(setting)s)."
    ) % {
        "address": public_url,
        "lan": "snug serve --lan",
        "public": "snug serve --public-url https://...",
        "setting": "PUBLIC_URL",
    }


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
