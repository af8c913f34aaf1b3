"""The snug command: serve, migrate, load the demo, create, export and import an event."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn

from server import db
from server.app import create_app
from server.config import Settings
from server.connections import headers_in
from server.errors import Refused
from server.events.access import Keys
from server.http.events import links
from server.language import gettext as _
from server.language import of_environment, speaking
from server.logs import LOGGING
from server.reach import checked_public_url, lan_url
from server.validation import load_json, validate


def main(argv: list[str] | None = None) -> None:
    """Says everything in the terminal's language (LANG, LANGUAGE), as other commands do."""
    with speaking(of_environment(os.environ)):
        _run(argv)


def _run(argv: list[str] | None) -> None:
    parser = argparse.ArgumentParser(prog="snug", description=_("Run an unconference with Snug."))
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help=_("Run the web server"))
    serve.add_argument("--demo", action="store_true", help=_("load the demo event at /e/demo"))
    where = serve.add_mutually_exclusive_group()
    where.add_argument(
        "--host", default="127.0.0.1", metavar="ADDRESS", help=_("listen here (default: 127.0.0.1)")
    )
    where.add_argument(
        "--lan",
        action="store_true",
        help=_(
            "listen on every network, and put this computer's address on the local network "
            "in links and QR codes, so phones on the same wifi can join"
        ),
    )
    serve.add_argument("--port", type=int, default=None, help=_("default: $PORT or 8000"))
    serve.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help=_(
            "the address people open to reach Snug, such as https://snug.example.org; "
            "links and QR codes use it (over $PUBLIC_URL and --lan's)"
        ),
    )
    commands.add_parser("migrate", help=_("Bring the database schema up to date"))
    commands.add_parser("demo", help=_("Load the demo event and print its links"))
    create = commands.add_parser(
        "create-event", help=_("Create an event from a JSON file or stdin")
    )
    create.add_argument(
        "file", nargs="?", default="-", help=_("event JSON (see schemas/event-create.json)")
    )
    export = commands.add_parser("export-event", help=_("Write an event's archive (JSON)"))
    export.add_argument("slug", help=_("the event's address, as in /e/SLUG"))
    export.add_argument("--out", default="-", help=_("file to write (default: standard output)"))
    bring = commands.add_parser("import-event", help=_("Make an event from its archive"))
    bring.add_argument("file", help=_("the archive (JSON); - reads standard input"))
    bring.add_argument("--slug", help=_("a new address for it, when its own is taken here"))
    args = parser.parse_args(argv)
    settings = Settings.from_environ(getattr(args, "port", None))
    if args.command == "serve":
        _serve(settings, args)
    elif args.command == "migrate":
        asyncio.run(db.migrate(settings.database_url))
        print(_("Database is up to date."))
    elif args.command == "demo":
        asyncio.run(_demo(settings))
    elif args.command == "export-event":
        asyncio.run(_export(settings, args.slug, args.out))
    elif args.command == "import-event":
        asyncio.run(_import(settings, args.file, args.slug))
    else:
        asyncio.run(_create(settings, args.file))


def _public_url(given: str) -> str:
    try:
        return checked_public_url(given)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    public_url = args.public_url or (lan_url(settings.port) if args.lan else None)
    if args.lan and public_url is None:
        print(
            _(
                "Snug found no address on a local network: is this computer connected to the "
                "venue's wifi? Links stay at this computer's own address until it is."
            ),
            file=sys.stderr,
        )
    settings = replace(settings, public_url=public_url or settings.public_url)
    if args.demo:
        asyncio.run(_demo(settings))
    print(
        _("Snug is starting: open %(url)s/ in a browser (Ctrl+C stops it).")
        % {"url": settings.public_url}
    )
    uvicorn.run(
        create_app(settings),
        host="0.0.0.0" if args.lan else args.host,
        port=settings.port,
        http=headers_in(settings.header_timeout),
        # Only the proxies named in TRUSTED_PROXIES may say who the client is: anyone else's
        # X-Forwarded-For would let them choose the address that rate limits count.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        # An idle connection between requests is closed after this; one that hasn't finished
        # a request's headers, after HEADER_TIMEOUT (server/connections.py).
        timeout_keep_alive=5,
        # On SIGTERM, sockets are told to reconnect (elsewhere) and requests get this long to
        # finish, inside the 30 seconds hosts such as Heroku wait before killing the process.
        timeout_graceful_shutdown=20,
        # No limit_concurrency: Uvicorn counts open websockets in it, so a cap low enough to
        # matter would refuse pages to everyone while a large event is live.
        ws_ping_interval=20,
        ws_ping_timeout=20,
        # Notes updates are the largest messages (schemas/notes-client-update.json).
        ws_max_size=2 * 2**20,
        # Compression would cost each idle socket several times its memory; the figures are in
        # README's Performance section.
        ws_per_message_deflate=False,
        log_config=LOGGING,
        access_log=False,
    )


async def _demo(settings: Settings) -> None:
    from server.demo import demo_secret, load_demo

    await db.migrate(settings.database_url)
    await db.connect(settings.database_url)
    try:
        keys = Keys(settings.secret_key)
        event = await load_demo(keys, settings.public_url)
        found = links(event, settings.public_url, demo_secret(keys, "organiser"))
        found["facilitate"] = (
            f"{settings.public_url}/e/{event.slug}/facilitate"
            f"#key={demo_secret(keys, 'facilitator')}"
        )
        _print_links(found)
    finally:
        await db.disconnect()


async def _create(settings: Settings, path: str) -> None:
    from server.events.setup import create_event

    raw = sys.stdin.read() if path == "-" else Path(path).read_text()  # noqa: ASYNC240
    try:
        spec: dict[str, Any] = validate("event-create", load_json(raw))
        await db.migrate(settings.database_url)
        await db.connect(settings.database_url)
        try:
            event, secret = await create_event(spec, Keys(settings.secret_key))
        finally:
            await db.disconnect()
    except Refused as exc:
        sys.exit(_("Could not create the event: %(problem)s") % {"problem": exc.said()})
    _print_links(links(event, settings.public_url, secret))


async def _export(settings: Settings, slug: str, out: str) -> None:
    from server.archive.dump import dump
    from server.events.setup import find_event

    try:
        async with _database(settings):
            archive = await dump(await find_event(slug))
    except Refused as exc:
        sys.exit(_("Could not export the event: %(problem)s") % {"problem": exc.said()})
    text = json.dumps(archive, ensure_ascii=False)
    if out == "-":
        print(text)
    else:
        Path(out).write_text(text, encoding="utf-8")  # noqa: ASYNC240
        print(
            _("Wrote the archive of /e/%(slug)s to %(file)s.") % {"slug": slug, "file": out},
            file=sys.stderr,
        )


async def _import(settings: Settings, path: str, slug: str | None) -> None:
    from server.archive.load import load

    raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()  # noqa: ASYNC240
    try:
        async with _database(settings):
            imported = await load(raw, Keys(settings.secret_key), slug)
    except Refused as exc:
        sys.exit(_("Could not import the event: %(problem)s") % {"problem": exc.said()})
    _print_links(links(imported.event, settings.public_url, imported.organiser_secret))
    if not imported.join_code_kept:
        print(_("Its join code was taken here, so it has a new one: print new QR codes."))


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[None]:
    await db.migrate(settings.database_url)
    await db.connect(settings.database_url)
    try:
        yield
    finally:
        await db.disconnect()


def _print_links(found: dict[str, str]) -> None:
    for name, url in found.items():
        print(f"  {name:<11} {url}")
