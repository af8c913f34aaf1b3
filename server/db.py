"""Tortoise configuration, migrations and the database's life in the app."""

from __future__ import annotations

import functools
import logging
import socket
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import asyncpg
from pypika_tortoise.queries import Query
from pypika_tortoise.terms import Parameter
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
    model: type[Model], rows: Sequence[Mapping[str, Any]], returning: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Inserts rows of one model in one statement, each a mapping of field name to value, and
    gives the ``returning`` fields of every row inserted, in no particular order. No model
    object is built per row: in a vote storm that building was much of an insert's cost, and
    reading the new ids back cost a statement more (both databases know RETURNING)."""
    if not rows:
        return []
    meta, names = model._meta, tuple(rows[0])
    # The dialect is part of the key: one process may speak to SQLite and PostgreSQL (tests).
    # (pypika declares Query.__hash__ in a way mypy won't take as Hashable; classes hash.)
    dialect = meta.db.query_class
    sql = _insert_sql(dialect, model, names, tuple(returning), len(rows))  # type: ignore[arg-type]
    values = [meta.fields_map[name].to_db_value(row[name], model) for row in rows for name in names]
    if not returning:
        await meta.db.execute_query(sql, values)
        return []
    return await meta.db.execute_query_dict(sql, values)


@functools.lru_cache(maxsize=1024)
def _insert_sql(
    dialect: type[Query],
    model: type[Model],
    names: tuple[str, ...],
    returning: tuple[str, ...],
    rows: int,
) -> str:
    """The statement for so many rows, made once: building it term by term cost more than
    the model objects it saves. A storm's batches come in a few sizes, so few are kept."""
    query = dialect.into(model._meta.basetable).columns(*names)
    for row in range(rows):
        query = query.insert(*(Parameter(idx=row * len(names) + n + 1) for n in range(len(names))))
    if returning:
        # pypika's generic builder types ``returning`` as a term; each dialect's is the method.
        query = query.returning(*returning)  # type: ignore[operator]
    return str(query.get_sql())


def _ensure_sqlite_folder(url: str) -> None:
    if url.startswith("sqlite://") and ":memory:" not in url:
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


async def pairs(
    model: type[Model], first: str, second: str, event_id: int
) -> list[tuple[int, int]]:
    """Two integer columns of a model's rows for one event, as plain pairs. The ORM's
    values_list converted each row in Python: 30,000 dots held the event loop a quarter of a
    second, and a storm's follow-up reads them twice a second."""
    meta = model._meta
    sql = _select_sql(meta.db.query_class, model, first, second)  # type: ignore[arg-type]
    _count, rows = await meta.db.execute_query(sql, [event_id])
    return [(int(row[0]), int(row[1])) for row in rows]


@functools.lru_cache(maxsize=64)
def _select_sql(dialect: type[Query], model: type[Model], first: str, second: str) -> str:
    table = model._meta.basetable
    chosen = dialect.from_(table).select(table[first], table[second])
    return str(chosen.where(table.event_id == Parameter(idx=1)).get_sql())
