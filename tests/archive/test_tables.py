"""The archive covers every table and column of an event, and its schema says so."""

from __future__ import annotations

import importlib

from tortoise.models import Model

from server.archive.tables import TABLES, auto_now
from server.db import MODELS
from server.events.changes import Receipt
from server.events.models import Event, Series
from server.feedback.models import FeedbackGiven
from server.notes.models import NotesUpdate
from server.validation import schema
from server.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.archive.helpers import REFS
from tests.conftest import Domain

# Update rows are a write buffer: the archive stores each notes document merged with them.
MERGED = {NotesUpdate}
# Receipts answer a write sent twice within hours, and name people by ids an import renumbers.
# A series links events an archive doesn't hold: an imported event starts outside any. Feedback
# markers are keyed with this server's secret, so they mean nothing on another. Webhooks are
# this server's connections to other tools (their addresses are secrets too, and their signing
# secrets come from this server's SECRET_KEY): an imported event has none.
NOT_ARCHIVED = {Receipt, Series, FeedbackGiven, WebhookEndpoint, WebhookDelivery, WebhookAttempt}


def every_model() -> set[type[Model]]:
    found = set()
    for module in map(importlib.import_module, MODELS):
        found |= {m for m in vars(module).values() if isinstance(m, type) and issubclass(m, Model)}
    return found - {Model}


async def test_every_model_is_archived(domain: Domain) -> None:
    assert every_model() == {t.model for t in TABLES} | {Event} | MERGED | NOT_ARCHIVED


async def test_the_schema_names_every_column_and_no_more(domain: Domain) -> None:
    definitions = schema("archive")["$defs"]
    event = definitions["event"]
    assert list(event["properties"]) == list(Event._meta.fields_db_projection)
    for table in TABLES:
        row = definitions[table.key]
        assert list(row["properties"]) == ["id", *table.columns], table.key
        assert row["required"] == list(row["properties"])


async def test_references_are_the_ones_the_comparison_maps(domain: Domain) -> None:
    assert {t.key: t.refs for t in TABLES} == REFS


async def test_rows_inserted_together_need_no_new_ids(domain: Domain) -> None:
    # Photos are also referred to from inside notes documents.
    referenced = {target for t in TABLES for target in t.refs.values()} | {"photos"}
    for table in TABLES:
        if table.bulk:
            assert table.key not in referenced and not auto_now(table.model), table.key
