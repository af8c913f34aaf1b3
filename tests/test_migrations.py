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


def test_migrating_twice_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "snug.sqlite3"
    migrate = f"""
        import asyncio
        from server import db
        asyncio.run(db.migrate("sqlite://{path}"))
    """
    run_python(migrate)
    first = schema_of(path)
    tables = {name for name, sql in first if sql and sql.startswith("CREATE TABLE")}
    assert {"event", "room", "slot", "attendee", "pitch", "dot", "change"} <= tables
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO event (slug, join_code, name, date, timezone, venue, organiser_key,"
            " pitching_open, voting_open, dots_per_attendee, dots_stack, seq, created_at)"
            " VALUES ('kept', 'abc234', 'Kept', '2026-11-23', 'UTC', '', 'k', 1, 0, 3, 0, 0,"
            " '2026-01-01T00:00:00+00:00')"
        )
    run_python(migrate)
    assert schema_of(path) == first
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT slug FROM event").fetchall() == [("kept",)]


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
