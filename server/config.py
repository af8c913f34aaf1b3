"""Settings read from the environment, with safe defaults for the embedded run."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from server.language import gettext as _

DATA_DIR = Path(os.environ.get("SNUG_DATA_DIR", "var"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    public_url: str
    hub_url: str
    port: int = 8000
    rate_limit_scale: float = 1.0  # RATE_LIMIT_SCALE: 2 doubles every limit, 0 turns them off
    # EVENT_CREATION_LIMIT: events one address may create or import an hour. An organiser makes
    # one and tries a few; 20 leaves room for a workshop trying Snug behind one wifi, and keeps
    # a script to 480 small events a day.
    event_creation_limit: int = 20
    # TRUSTED_PROXIES: the only peers whose X-Forwarded-For is believed; none by default.
    trusted_proxies: tuple[str, ...] = ()
    # HEADER_TIMEOUT: seconds a connection has to send a request's line and headers.
    header_timeout: float = 10.0
    archive_max_mb: int = 100  # ARCHIVE_MAX_MB: the largest archive POST /api/events/import takes
    # Who runs this Snug and how to reach them, as the accessibility statement and privacy
    # notice say (/accessibility, /privacy): OPERATOR_NAME, CONTACT_EMAIL, CONTACT_PHONE, and
    # CONTACT_REPLY_DAYS, the working days within which a request is answered.
    operator_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_reply_days: int = 5
    # WEBHOOK_PRIVATE_ADDRESSES=allow: webhooks may post to loopback and private addresses
    # (a tool on the venue's own network, the tests' local receiver). Refused by default, so
    # an organiser's webhook can't reach into the network Snug runs in.
    webhook_private: bool = False
    # WEBHOOK_BACKOFF: seconds before a failed delivery's first retry, doubling each time.
    webhook_backoff: float = 10.0

    @classmethod
    def from_environ(cls, port: int | None = None) -> Settings:
        """``port``: the command line's, over PORT."""
        port = port or int(os.environ.get("PORT", "8000"))
        return cls(
            database_url=database_url(),
            secret_key=os.environ.get("SECRET_KEY") or _kept_secret(),
            public_url=(os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
            # REDIS_URL shares live updates between processes; without it, one process.
            hub_url=os.environ.get("REDIS_URL") or os.environ.get("HUB_URL", "memory://"),
            port=port,
            rate_limit_scale=float(os.environ.get("RATE_LIMIT_SCALE", "1")),
            event_creation_limit=int(
                os.environ.get("EVENT_CREATION_LIMIT") or cls.event_creation_limit
            ),
            trusted_proxies=trusted_proxies(os.environ.get("TRUSTED_PROXIES", "")),
            header_timeout=float(os.environ.get("HEADER_TIMEOUT") or cls.header_timeout),
            archive_max_mb=int(os.environ.get("ARCHIVE_MAX_MB", "100")),
            operator_name=os.environ.get("OPERATOR_NAME", "").strip(),
            contact_email=os.environ.get("CONTACT_EMAIL", "").strip(),
            contact_phone=os.environ.get("CONTACT_PHONE", "").strip(),
            contact_reply_days=int(os.environ.get("CONTACT_REPLY_DAYS") or cls.contact_reply_days),
            webhook_private=os.environ.get("WEBHOOK_PRIVATE_ADDRESSES", "") == "allow",
            webhook_backoff=float(os.environ.get("WEBHOOK_BACKOFF") or cls.webhook_backoff),
        )


def trusted_proxies(listed: str) -> tuple[str, ...]:
    """Addresses and networks (CIDR), comma-separated. Refused in words when one isn't, since
    Uvicorn would quietly compare it as text; and ``*`` is refused, since Uvicorn then believes
    the first address in X-Forwarded-For, which any client writes."""
    found = tuple(part.strip() for part in listed.split(",") if part.strip())
    for part in found:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise SystemExit(
                _(
                    "TRUSTED_PROXIES: %(part)r is not an address or a network such as "
                    "10.0.0.0/8. Name the proxies in front of Snug (see README, Configuration)."
                )
                % {"part": part}
            ) from None
    if "FORWARDED_ALLOW_IPS" in os.environ and not found:
        raise SystemExit(
            _(
                "FORWARDED_ALLOW_IPS is no longer read: set TRUSTED_PROXIES to the addresses of "
                "the proxies in front of Snug, or unset it (see README, Configuration)."
            )
        )
    return found


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite://{DATA_DIR / 'snug.sqlite3'}"


def _kept_secret() -> str:
    """A secret made on the first embedded run and kept beside the database.

    Links handed out (organiser, facilitator, attendee) are checked against keyed hashes,
    so the secret must survive restarts; it is never committed because var/ is ignored.
    """
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
