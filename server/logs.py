"""Logs as one JSON object per line, for whatever collects a process's standard error."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


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
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "snug": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # asyncpg logs a traceback each time it fails to reconnect during a database outage;
        # Snug logs the outage itself, once when it starts and once when it ends.
        "asyncpg": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
