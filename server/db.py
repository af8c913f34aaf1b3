"""Tortoise configuration, migrations and the database's life in the app."""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api.migrate import migrate as run_migrations
from tortoise.models import Model

from server.config import database_url

log = logging.getLogger("snug.db")

MODELS = [
    "server.events.models",
    "server.marketplace.models",
    "server.grid.models",
    "server.events.changes",
    "server.notes.models",
    "server.actions.models",
    "server.feedback.models",
    "server.webhooks.models",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    url = database_url.replace("postgresql://", "postgres://", 1)
    return {
        "connections": {"default": url},
        "apps": {"snug": {"models": MODELS, "migrations": "server.migrations"}},
        "use_tz": True,
        "timezone": "UTC",
    }


# For Tortoise's own CLI: tortoise -c server.db.TORTOISE_ORM makemigrations snug
TORTOISE_ORM = tortoise_config(database_url())


async def migrate(url: str) -> None:
    """Bring the schema up to date; upgrading never means deleting the database."""
    _ensure_sqlite_folder(url)
    await run_migrations(config=tortoise_config(url))
    await Tortoise.close_connections()


async def connect(url: str) -> None:
    # Requests run in tasks that did not inherit the lifespan's context, so the ORM is global.
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)


async def disconnect() -> None:
    await Tortoise.close_connections()


# What losing the database looks like, whichever driver raised it. Tortoise wraps some driver
# errors in its own, so a wrapped cause counts too.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted, broken pipe
    TimeoutError,
    socket.gaierror,  # the database's host name doesn't resolve
    DBConnectionError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
)


class Reachability:
    """Whether this process can reach its database, so that an outage is logged once, when it
    starts and when it ends, and nothing in between: while the database is away every socket
    message is answered with an error (the connection stays) and follow-ups wait for the next
    change."""

    def __init__(self) -> None:
        self.away = False

    def lost(self) -> None:
        if not self.away:
            self.away = True
            log.warning("database out of reach; Snug answers an error until it is back")

    def reached(self) -> None:
        if self.away:
            self.away = False
            log.info("database reachable again")


database = Reachability()


def unreachable(exc: BaseException | None) -> bool:
    """Whether an error means the database is out of reach (rather than a bug)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, CONNECTION_ERRORS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


async def insert_returning(
    model: type[Model], rows: Sequence[Mapping[str, Any]], returning: Sequence[str]
) -> list[dict[str, Any]]:
    """Inserts rows of one model in one statement, each a mapping of column to value, and
    gives the ``returning`` columns of every row inserted, in no particular order. No model
    object is built per row: in a vote storm that building was much of an insert's cost, and
    reading the new ids back cost a statement more (both databases know RETURNING)."""
    meta = model._meta
    columns = list(rows[0])
    query = meta.db.query_class.into(meta.basetable).columns(*columns)
    for row in rows:
        query = query.insert(*(meta.fields_map[c].to_db_value(row[c], model) for c in columns))
    # pypika's generic builder types ``returning`` as a term; each dialect's is the method.
    sql, params = query.returning(*returning).get_parameterized_sql()  # type: ignore[operator]
    return await meta.db.execute_query_dict(sql, params)


def _ensure_sqlite_folder(url: str) -> None:
    if url.startswith("sqlite://") and ":memory:" not in url:
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
