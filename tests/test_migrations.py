"""The real migrations: idempotent on SQLite, and in step with the models.

Each check runs in its own interpreter: Tortoise keeps global state, and the domain tests hold
a connection of their own in this process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def schema_of(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()


MIGRATE = """
    import asyncio
    from tortoise import Tortoise
    from tortoise.migrations.api.migrate import migrate
    from server.db import tortoise_config

    async def main():
        await migrate(config=tortoise_config("sqlite://{path}"), target={target!r})
        await Tortoise.close_connections()

    asyncio.run(main())
"""

FIRST_RELEASE = "snug.0001_initial"


def test_upgrading_a_database_with_rows_keeps_them(tmp_path: Path) -> None:
    """A database made by the first release, with an event in it, migrates to the latest
    schema: the rows stay and the columns added since get their defaults."""
    path = tmp_path / "fresh" / "snug.sqlite3"
    path.parent.mkdir()
    run_python(MIGRATE.format(path=path, target=FIRST_RELEASE))
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO event (slug, join_code, name, date, timezone, venue, organiser_key,"
            " pitching_open, voting_open, dots_per_attendee, dots_stack, seq, created_at)"
            " VALUES ('kept', 'abc234', 'Kept', '2026-11-23', 'UTC', '', 'k', 1, 0, 3, 0, 7,"
            " '2026-01-01T00:00:00+00:00')"
        )
        db.execute(
            "INSERT INTO slot (event_id, starts_at, ends_at, label)"
            " VALUES (1, '2026-11-23T10:00', '2026-11-23T11:00', 'One')"
        )
    run_python(MIGRATE.format(path=path, target=None))
    latest = schema_of(path)
    tables = {name for name, sql in latest if sql and sql.startswith("CREATE TABLE")}
    assert {"event", "room", "slot", "attendee", "pitch", "dot", "change", "placement"} <= tables
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT slug, seq, grid_version, grid_live FROM event").fetchall() == [
            ("kept", 7, 0, 0)
        ]
        assert db.execute("SELECT label, kind FROM slot").fetchall() == [("One", "session")]
        # 0019: an action's reminder address (always a text), and the due date reminded of.
        required = {row[1]: row[3] for row in db.execute("PRAGMA table_info(action_item)")}
        assert (required["email"], required["reminded_due"]) == (1, 0)
    run_python(MIGRATE.format(path=path, target=None))
    assert schema_of(path) == latest


AUTODETECT = """
    import asyncio
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector
    from server.db import tortoise_config

    async def main():
        config = tortoise_config("sqlite://:memory:")
        config["apps"]["snug"]["migrations"] = {migrations!r}
        async with tortoise_cli_context(config) as ctx:
            writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
        for writer in writers:
            for operation in writer.operations:
                print(type(operation).__name__, getattr(operation, "name", ""))

    asyncio.run(main())
"""


def test_models_and_migrations_agree() -> None:
    """What `makemigrations` would write: nothing, when the migrations match the models."""
    pending = run_python(AUTODETECT.format(migrations="server.migrations"))
    assert pending == "", f"models have changes with no migration:\n{pending}"


def test_the_autodetector_check_can_see_a_missing_migration(tmp_path: Path) -> None:
    empty = tmp_path / "no_migrations_here"
    empty.mkdir()
    (empty / "__init__.py").write_text("")
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + textwrap.dedent(
        AUTODETECT.format(migrations="no_migrations_here")
    )
    pending = run_python(code)
    assert "CreateModel" in pending and "Pitch" in pending


def test_every_table_of_an_events_rows_is_indexed_by_its_event(tmp_path: Path) -> None:
    """A server keeps many events, so reading one event's rows (a vote reads its voter's dots
    and counts its pitch's) must not scan every event's: each such table has an index led by
    its event (or its notes, for a session's notes' rows). A batch finds its keys' receipts
    by the key, not among every receipt of the event."""
    path = tmp_path / "snug.sqlite3"
    run_python(MIGRATE.format(path=path, target=None))
    with sqlite3.connect(path) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        unindexed = []
        for table in tables:
            columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            owner = (
                "event_id"
                if "event_id" in columns
                else "notes_id"
                if "notes_id" in columns
                else None
            )
            leading = {
                db.execute(f'PRAGMA index_info("{index[1]}")').fetchone()[2]
                for index in db.execute(f'PRAGMA index_list("{table}")')
            }
            if owner is not None and owner not in leading:
                unindexed.append(f"{table}.{owner}")
        plan = " ".join(
            row[3]
            for query in (
                "SELECT attendee_id, pitch_id FROM dot WHERE event_id = 1 AND attendee_id IN (1)",
                "SELECT pitch_id, COUNT(id) FROM dot WHERE event_id = 1 AND pitch_id IN (1, 2) "
                "GROUP BY pitch_id",
                "SELECT id FROM receipt WHERE event_id = 1 AND key IN ('k1', 'k2')",
            )
            for row in db.execute(f"EXPLAIN QUERY PLAN {query}")
        )
        dot = sorted(
            tuple(column[2] for column in db.execute(f'PRAGMA index_info("{index[1]}")'))
            for index in db.execute('PRAGMA index_list("dot")')
        )
    assert tables and unindexed == []
    assert dot == [("event_id", "attendee_id"), ("event_id", "pitch_id")]
    assert "SCAN" not in plan and plan.count("USING") == 3, plan
    assert "key=?" in plan, "a batch's keys are found by the index, not among all the event's"
