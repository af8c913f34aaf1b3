"""Settings read from the environment, with safe defaults for the embedded run."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(os.environ.get("SNUG_DATA_DIR", "var"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    public_url: str
    hub_url: str
    rate_limit_scale: float = 1.0  # RATE_LIMIT_SCALE: 2 doubles every limit, 0 turns them off
    archive_max_mb: int = 100  # ARCHIVE_MAX_MB: the largest archive POST /api/events/import takes

    @classmethod
    def from_environ(cls) -> Settings:
        port = os.environ.get("PORT", "8000")
        return cls(
            database_url=database_url(),
            secret_key=os.environ.get("SECRET_KEY") or _kept_secret(),
            public_url=(os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
            # REDIS_URL shares live updates between processes; without it, one process.
            hub_url=os.environ.get("REDIS_URL") or os.environ.get("HUB_URL", "memory://"),
            rate_limit_scale=float(os.environ.get("RATE_LIMIT_SCALE", "1")),
            archive_max_mb=int(os.environ.get("ARCHIVE_MAX_MB", "100")),
        )


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
