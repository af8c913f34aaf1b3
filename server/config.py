"""Settings read from the environment, with safe defaults for the embedded run."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from server.language import gettext as _

N = TypeVar("N", int, float)
DATA_DIR = Path(os.environ.get("SNUG_DATA_DIR", "var"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    public_url: str
    hub_url: str
    port: int = 8000
    rate_limit_scale: float = 1.0  # RATE_LIMIT_SCALE: 2 doubles every limit, 0 turns them off
    # TALLY_FRAMES: frames a second this process may spend telling its screens (of every
    # event) the live tallies; lower it where processes outnumber cores (server/live/room.py).
    tally_frames: int = 4000
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
    # Reminders by email before an action's due date, to owners who asked for one: off unless
    # an SMTP server is named (SMTP_URL, or SMTP_HOST and the rest; see ``Mail``).
    mail: Mail | None = None
    # REMINDER_DAYS: how many days before its due date an action's reminder goes.
    reminder_days: int = 2

    @classmethod
    def from_environ(cls, port: int | None = None) -> Settings:
        """``port``: the command line's, over PORT."""
        port = port or _number("PORT", 8000)
        return cls(
            database_url=database_url(),
            secret_key=os.environ.get("SECRET_KEY") or _kept_secret(),
            public_url=(os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
            # REDIS_URL shares live updates between processes; without it, one process.
            hub_url=os.environ.get("REDIS_URL") or os.environ.get("HUB_URL", "memory://"),
            port=port,
            rate_limit_scale=_number("RATE_LIMIT_SCALE", cls.rate_limit_scale),
            tally_frames=_number("TALLY_FRAMES", cls.tally_frames),
            event_creation_limit=_number("EVENT_CREATION_LIMIT", cls.event_creation_limit),
            trusted_proxies=trusted_proxies(os.environ.get("TRUSTED_PROXIES", "")),
            header_timeout=_number("HEADER_TIMEOUT", cls.header_timeout),
            archive_max_mb=_number("ARCHIVE_MAX_MB", cls.archive_max_mb),
            operator_name=os.environ.get("OPERATOR_NAME", "").strip(),
            contact_email=os.environ.get("CONTACT_EMAIL", "").strip(),
            contact_phone=os.environ.get("CONTACT_PHONE", "").strip(),
            contact_reply_days=_number("CONTACT_REPLY_DAYS", cls.contact_reply_days),
            webhook_private=os.environ.get("WEBHOOK_PRIVATE_ADDRESSES", "") == "allow",
            webhook_backoff=_number("WEBHOOK_BACKOFF", cls.webhook_backoff),
            mail=mail_from_environ(),
            reminder_days=_number("REMINDER_DAYS", cls.reminder_days),
        )


def _number(name: str, default: N) -> N:
    """The environment's ``name``, a number of the default's kind and not below zero; the
    default when unset. Anything else stops the server with a sentence, not a traceback."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = type(default)(raw)
    except ValueError:
        value = None
    if value is None or not 0 <= value < float("inf"):
        said = _("%(name)s must be a whole number, 0 or more (see README, Configuration).")
        if isinstance(default, float):
            said = _("%(name)s must be a number, 0 or more (see README, Configuration).")
        raise SystemExit(f"{said % {'name': name}} {raw!r}")
    return value


@dataclass(frozen=True)
class Mail:
    """The SMTP server reminders go through. ``tls``: TLS from the start (port 465,
    ``smtps://``). ``starttls``: upgrade a plain connection always (True), never (False), or
    whenever the server offers to (None). A password is never sent over a connection that
    wasn't upgraded: with one, unset means always (``mail_from_environ``)."""

    host: str
    port: int
    sender: str  # SNUG_MAIL_FROM: the From address
    user: str = ""
    password: str = ""
    starttls: bool | None = None
    tls: bool = False

    def __repr__(self) -> str:  # never the password, in a traceback or a log
        return f"Mail(host={self.host!r}, port={self.port}, tls={self.tls or self.starttls})"


def mail_from_environ() -> Mail | None:
    """SMTP_URL (``smtp://user:password@host:587?starttls=1`` or ``smtps://...:465``), else
    SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD and SMTP_STARTTLS (1 or 0); with
    SNUG_MAIL_FROM.
    None when no server is named."""
    url = os.environ.get("SMTP_URL", "").strip()
    host = os.environ.get("SMTP_HOST", "").strip()
    if not url and not host:
        return None
    sender = os.environ.get("SNUG_MAIL_FROM", "").strip()
    if "@" not in sender:
        raise SystemExit(
            _(
                "SNUG_MAIL_FROM: name the address reminders are sent from "
                "(see README, Configuration)."
            )
        )
    if not url:
        user, password = os.environ.get("SMTP_USER", ""), os.environ.get("SMTP_PASSWORD", "")
        starttls = _upgrade(os.environ.get("SMTP_STARTTLS", ""), bool(user or password))
        return Mail(
            host=host,
            port=_number("SMTP_PORT", 587 if starttls else 25),
            sender=sender,
            user=user,
            password=password,
            starttls=starttls,
        )
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise SystemExit(
            _(
                "SMTP_URL must look like smtp://user:password@host:587?starttls=1 "
                "(see README, Configuration)."
            )
        )
    tls = parts.scheme == "smtps"
    asked = parse_qs(parts.query).get("starttls", [""])[0]
    starttls = False if tls else _upgrade(asked, bool(parts.username or parts.password))
    return Mail(
        host=parts.hostname,
        port=parts.port or (465 if tls else 587 if starttls else 25),
        sender=sender,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=starttls,
        tls=tls,
    )


def _upgrade(asked: str, signs_in: bool) -> bool | None:
    """Whether to upgrade to TLS, as asked ("1" or "0"); unset, whenever the server offers,
    and always when there is a password to send."""
    if asked.strip().lower() in {"1", "true", "yes"}:
        return True
    if asked.strip().lower() in {"0", "false", "no"}:
        return False
    return True if signs_in else None


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
