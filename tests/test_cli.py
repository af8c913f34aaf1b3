"""The snug command: creating an event from JSON and loading the demo, on a fresh database;
where ``snug serve`` listens and the address its links give phones."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from server import cli, reach
from server.events.qr import qr_svg
from tests.conftest import ROOT, LiveServer, event_body, start_server, stop_server


def snug(
    tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SNUG_DATA_DIR": str(tmp_path),
        "PUBLIC_URL": "https://snug.test",
        **(env or {}),
    }
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_create_event_prints_its_links(tmp_path: Path) -> None:
    body = event_body(name="Council Camp", slug="council-camp")
    result = snug(tmp_path, "create-event", stdin=json.dumps(body))
    assert result.returncode == 0, result.stderr
    assert "https://snug.test/e/council-camp/organise#key=" in result.stdout
    assert "https://snug.test/j/" in result.stdout
    with sqlite3.connect(tmp_path / "snug.sqlite3") as db:
        assert db.execute("select name from event").fetchall() == [("Council Camp",)]
        assert db.execute("select count(*) from room").fetchone() == (len(body["rooms"]),)
    # The secret made on first run is kept, never printed, and only its owner may read it.
    secret = tmp_path / "secret_key"
    assert secret.stat().st_mode & 0o077 == 0
    assert secret.read_text() not in result.stdout


def test_create_event_refuses_bad_json_in_words(tmp_path: Path) -> None:
    result = snug(tmp_path, "create-event", stdin=json.dumps({"name": "No date"}))
    assert result.returncode != 0
    assert "'date' is missing" in result.stderr


def test_demo_is_shaped_like_the_reference_event_and_loads_once(tmp_path: Path) -> None:
    first = snug(tmp_path, "demo")
    second = snug(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    # The demo's links are derived from the kept secret, so every start can show them.
    assert first.stdout == second.stdout
    assert "/e/demo/organise#key=" in first.stdout
    with sqlite3.connect(tmp_path / "snug.sqlite3") as db:
        rooms = dict(db.execute("select name, capacity from room").fetchall())
        pitches = db.execute("select count(*) from pitch").fetchone()[0]
        voters = db.execute("select count(distinct attendee_id) from dot").fetchone()[0]
        per_voter = db.execute(
            "select max(n), min(n) from (select count(*) n from dot group by attendee_id)"
        ).fetchone()
        series = db.execute(
            "select slug, date, series_id, (select count(*) from pitch where event_id = event.id)"
            " from event order by date"
        ).fetchall()
        session_slots = db.execute(
            "select count(*) from slot join event on event.id = slot.event_id"
            " where kind = 'session' and slug = 'demo'"
        ).fetchone()[0]
        published = db.execute(
            "select count(*), count(distinct room_id || '-' || slot_id) from published_placement"
        ).fetchone()
        live, proceedings = db.execute(
            "select grid_live, proceedings_published from event where slug = 'demo'"
        ).fetchone()
        noted = db.execute(
            "select count(*), sum(final), min(length(content)) from notes where chars > 0"
        ).fetchone()
        writers = db.execute("select count(distinct attendee_id) from notes_contributor").fetchone()
        statuses = dict(
            db.execute("select status, count(*) from action_item group by status").fetchall()
        )
        dated = db.execute("select count(*) from action_item where due is not null").fetchone()[0]
    # Run again: next year's event, linked in one series, starts with nothing pitched.
    (demo, following) = series
    assert (demo[0], following[0]) == ("demo", "demo-next")
    assert following[1] > demo[1] and demo[2] == following[2] is not None
    assert following[3] == 0 and demo[3] > 0
    # The day is over: its actions are on the board, in every state, most with a due date.
    assert set(statuses) == {"open", "started", "done", "dropped"}, statuses
    assert dated > 0
    assert rooms["Auditorium"] == 100 and rooms["Seminar room"] == 35
    assert sum(1 for capacity in rooms.values() if 6 <= capacity <= 10) >= 3
    assert 25 <= pitches <= 35
    assert 100 <= voters <= 135
    assert per_voter == (3, 3)
    # The demo's grid is made by the allocator and published: every cell full, none twice.
    cells = len(rooms) * session_slots
    assert live == 1
    assert published == (min(cells, pitches), min(cells, pitches))
    # Most sessions have notes, some marked final, written by several people; the proceedings
    # are published, so every write-up and export can be tried at once.
    with_notes, final, shortest = noted
    assert 0.6 * published[0] <= with_notes < published[0]
    assert 0 < final < with_notes and shortest > 200
    assert writers[0] >= 10
    assert proceedings == 1


def test_an_event_exported_and_imported_on_the_command_line(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    body = event_body(name="Council Camp", slug="council-camp")
    assert snug(old, "create-event", stdin=json.dumps(body)).returncode == 0
    archive = tmp_path / "camp.json"
    exported = snug(old, "export-event", "council-camp", "--out", str(archive))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(archive.read_text())["event"]["name"] == "Council Camp"
    imported = snug(new, "import-event", str(archive))
    assert imported.returncode == 0, imported.stderr
    # Another server has another SECRET_KEY, so the organiser link printed is the way in.
    assert "https://snug.test/e/council-camp/organise#key=" in imported.stdout
    with sqlite3.connect(new / "snug.sqlite3") as db:
        assert db.execute("select count(*) from room").fetchone() == (len(body["rooms"]),)
    again = snug(new, "import-event", "-", stdin=archive.read_text())
    assert again.returncode != 0
    assert "already has an event at /e/council-camp" in again.stderr
    elsewhere = snug(new, "import-event", str(archive), "--slug", "council-camp-2")
    assert "/e/council-camp-2/organise#key=" in elsewhere.stdout
    assert "new one: print new QR codes" in elsewhere.stdout


def test_exporting_an_unknown_event_says_so(tmp_path: Path) -> None:
    result = snug(tmp_path, "export-event", "nowhere")
    assert result.returncode != 0
    assert "There is no event at /e/nowhere" in result.stderr


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ({"TRUSTED_PROXIES": "*"}, "TRUSTED_PROXIES: '*' is not an address or a network"),
        ({"TRUSTED_PROXIES": "10.0.0.0/8, router"}, "'router' is not an address or a network"),
        ({"FORWARDED_ALLOW_IPS": "*"}, "FORWARDED_ALLOW_IPS is no longer read"),
    ],
)
def test_proxies_trusted_to_say_who_the_client_is_are_named_or_none(
    tmp_path: Path, setting: dict[str, str], said: str
) -> None:
    """``*`` would let any client choose the address its rate limits count against."""
    result = snug(tmp_path, "serve", "--port", "1", env=setting)
    assert result.returncode != 0
    assert said in result.stderr
    assert "Snug is starting" not in result.stdout


def test_serve_names_its_own_port_in_links_without_a_public_url(tmp_path: Path) -> None:
    live = start_server(tmp_path, {"PUBLIC_URL": ""})
    try:
        made = httpx.post(f"{live.url}/api/events", json=event_body(), timeout=20).json()
    finally:
        stop_server(live)
    assert made["links"]["join"].startswith(f"{live.url}/j/")


LAN = "http://192.168.1.23:8123"  # an address --lan could choose; no test sends anything to it


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What ``snug serve`` hands Uvicorn, caught instead of serving; the address source is
    this machine's unless a test replaces it."""
    caught: dict[str, Any] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kw: caught.update(kw, app=app))
    monkeypatch.setenv("SECRET_KEY", "test-secret-not-for-production")
    monkeypatch.setenv("DATABASE_URL", "sqlite://:memory:")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    return caught


@pytest.mark.parametrize(
    ("args", "host", "public_url"),
    [
        ([], "127.0.0.1", "http://127.0.0.1:8123"),
        (["--lan"], "0.0.0.0", LAN),
        (["--public-url", "https://snug.example.org/"], "127.0.0.1", "https://snug.example.org"),
        (
            ["--lan", "--public-url", "https://snug.example.org"],
            "0.0.0.0",
            "https://snug.example.org",
        ),
    ],
)
def test_lan_listens_everywhere_and_links_name_the_lan_address(
    served: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    host: str,
    public_url: str,
) -> None:
    monkeypatch.setattr(reach, "route_sources", lambda: ["100.64.0.9", "192.168.1.23"])
    cli.main(["serve", "--port", "8123", *args])
    assert served["host"] == host and served["port"] == 8123
    assert served["app"].state.settings.public_url == public_url
    assert f"open {public_url}/ in a browser" in capsys.readouterr().out


def test_lan_without_a_network_says_so_and_keeps_the_loopback_address(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(reach, "route_sources", lambda: ["127.0.0.1"])
    cli.main(["serve", "--lan", "--port", "8123"])
    assert served["host"] == "0.0.0.0"
    assert served["app"].state.settings.public_url == "http://127.0.0.1:8123"
    assert "Snug found no address on a local network" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--public-url", "snug.example.org"], "starting with https:// or http://"),
        (["--public-url", "https://snug.example.org/camp"], "has a path, query or fragment"),
        (["--lan", "--host", "10.0.0.5"], "not allowed with argument"),
    ],
)
def test_serve_refuses_an_address_it_cannot_use_in_words(
    tmp_path: Path, args: list[str], said: str
) -> None:
    result = snug(tmp_path, "serve", "--port", "1", *args)
    assert result.returncode == 2
    assert said in result.stderr
    assert "Snug is starting" not in result.stdout


def _warnings(live: LiveServer) -> list[str]:
    lines = [json.loads(line) for line in (live.data_dir / "server.log").read_text().splitlines()]
    return [line["message"] for line in lines if line["logger"] == "snug.reach"]


def test_the_log_says_at_startup_when_phones_cannot_join(tmp_path: Path) -> None:
    live = start_server(tmp_path)  # PUBLIC_URL is its own 127.0.0.1 address
    try:
        state = httpx.post(f"{live.url}/api/events", json=event_body(), timeout=20)
        event = httpx.get(f"{live.url}/api/e/{state.json()['slug']}", timeout=20).json()["event"]
    finally:
        stop_server(live)
    (warning,) = _warnings(live)
    assert f"Join links and QR codes point at {live.url}" in warning
    assert "phones can't join" in warning
    assert "snug serve --lan" in warning and "snug serve --public-url https://" in warning
    assert event["join_warning"] == live.url  # the address; each page says the sentence


def test_every_link_names_the_public_url_given_on_the_command_line(tmp_path: Path) -> None:
    """What --lan sets, given as --public-url so the server still listens on 127.0.0.1 only."""
    live = start_server(tmp_path, args=("--public-url", f"{LAN}/"))
    try:
        made = httpx.post(f"{live.url}/api/events", json=event_body(), timeout=20).json()
        page = f"{live.url}/e/{made['slug']}"
        state = httpx.get(f"{live.url}/api/e/{made['slug']}", timeout=20).json()
        qr = httpx.get(f"{page}/join.svg", timeout=20).content
        calendar = httpx.get(f"{page}/schedule.ics", timeout=20).text
        joined = httpx.post(f"{live.url}/api/e/{made['slug']}/attendees", json={}, timeout=20)
        feed = httpx.post(
            f"{live.url}/api/e/{made['slug']}/me/calendar",
            headers={"Authorization": f"Bearer {joined.json()['token']}"},
            timeout=20,
        ).json()["link"]
        # A page opened at the given address is Snug's own; one elsewhere on the wifi isn't.
        asks = {"X-Snug-Staff": "1", "Cookie": f"snug_staff={made['organiser_key']}"}
        seen = {
            origin: httpx.get(
                f"{live.url}/api/e/{made['slug']}", headers={**asks, "Origin": origin}, timeout=20
            )
            for origin in (LAN, "http://192.168.1.99:8000")
        }
    finally:
        stop_server(live)
    assert seen[LAN].json()["role"] == "organiser"
    assert seen["http://192.168.1.99:8000"].status_code == 403
    assert _warnings(live) == []
    join = state["event"]["join_url"]
    assert made["links"]["join"] == join and join.startswith(f"{LAN}/j/")
    assert state["event"]["join_warning"] is None
    assert qr == qr_svg(join)
    assert f"URL:{LAN}/e/{made['slug']}" in calendar
    assert feed.startswith(f"{LAN}/e/{made['slug']}/my/") and feed.endswith(".ics")


def test_the_command_speaks_the_terminal_s_language(tmp_path: Path) -> None:
    welsh = {"LANG": "cy_GB.UTF-8", "LANGUAGE": "", "LC_ALL": ""}
    result = snug(tmp_path, "create-event", stdin=json.dumps({"name": "Dim dyddiad"}), env=welsh)
    assert result.returncode != 0
    assert result.stderr.startswith("Methu creu’r digwyddiad: ")  # noqa: RUF001
    assert "'date'" in result.stderr and "is missing" not in result.stderr
    helped = snug(tmp_path, "--help", env=welsh)
    assert "Rhedwch eich anghynhadledd gyda Snug." in helped.stdout
    english = snug(tmp_path, "--help", env={"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": ""})
    assert "Run an unconference with Snug." in english.stdout
