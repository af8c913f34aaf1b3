"""Tortoise configuration, migrations and the database's life in the app."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api.migrate import migrate as run_migrations

MODELS = [
    "server.events.models",
    "server.marketplace.models",
    "server.live.models",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    url = database_url.replace("postgresql://", "postgres://", 1)
    return {
        "connections": {"default": url},
        "apps": {"snug": {"models": MODELS, "migrations": "server.migrations"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate(database_url: str) -> None:
    """Bring the schema up to date; upgrading never means deleting the database."""
    _ensure_sqlite_folder(database_url)
    await run_migrations(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def connect(database_url: str) -> None:
    # Requests run in tasks that did not inherit the lifespan's context, so the ORM is global.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def disconnect() -> None:
    await Tortoise.close_connections()


def _ensure_sqlite_folder(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        from pathlib import Path

        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
