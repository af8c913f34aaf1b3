"""Logs as one JSON object per line, for whatever collects a process's standard error, and
with no secret in them: addresses can carry one (a calendar feed's, a photo's key), rightly or
by mistake, so every path that reaches a log goes through ``redact`` first."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

# Path parts that are secrets: after a personal feed's or a photo's prefix everything goes,
# whatever it looks like, so a mistyped or stopped link (a 404) is kept out too.
SECRET_PARTS = [
    (re.compile(r"(/e/[^/]+/my/).*", re.DOTALL), r"\1[feed]"),
    (re.compile(r"(/e/[^/]+/photos/(?:\d+/)?).*", re.DOTALL), r"\1[key]"),
    (re.compile(r"(/e/[^/]+/action/).*", re.DOTALL), r"\1[link]"),
]
# Anywhere else, whatever has the shape of a secret Snug hands out: a run of URL-safe base64
# at least as long as the shortest (a photo key, 22 characters) with a capital letter or an
# underscore in it. Slugs are lower case, so they stay readable.
LOOKS_SECRET = re.compile(r"[A-Za-z0-9_-]{22,}")


def redact(path: str) -> str:
    """A path as it may be logged: no query string, and no secret in it."""
    path = path.split("?", 1)[0]
    for pattern, replacement in SECRET_PARTS:
        path = pattern.sub(replacement, path)
    return LOOKS_SECRET.sub(_hide_secret, path)


def _hide_secret(found: re.Match[str]) -> str:
    run = found.group()
    return "[secret]" if run.lower() != run or "_" in run else run


class WithoutSecrets(logging.Filter):
    """Redacts the paths in other libraries' log lines: Uvicorn logs every websocket's opening
    with its path and query string (``'%s - "WebSocket %s" [accepted]'``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        message = record.getMessage()
        try:
            fields = json.loads(message)
        except ValueError:
            fields = None
        line.update(fields if isinstance(fields, dict) else {"message": message})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line)


# For uvicorn.run(log_config=...): Snug's and uvicorn's own loggers through one formatter.
# Uvicorn's access log stays off: paths can hold secrets (server/http/observe.py logs instead).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "server.logs.JsonLines"}},
    "filters": {"without_secrets": {"()": "server.logs.WithoutSecrets"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["without_secrets"],
        }
    },
    "loggers": {
        "snug": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # asyncpg logs a traceback each time it fails to reconnect during a database outage;
        # Snug logs the outage itself, once when it starts and once when it ends.
        "asyncpg": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
