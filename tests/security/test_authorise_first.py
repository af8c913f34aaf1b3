"""Who is asking is settled before what they sent is read: a request that needs a key is
refused for want of one (401 or 403) before its body is parsed or checked, so nobody without
a key can make the server read, parse or validate anything on a keyed route."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.http.helpers import assert_problem
from tests.security.routes import RULES, Call, Rule, send
from tests.security.world import (
    ATTENDEES,
    ERASED,
    FACILITATOR,
    FORGED,
    ORGANISER,
    OTHER_EVENT,
    PUBLIC,
    STAFF,
    World,
    build_world,
)

# Signing in is left out: the key it checks is what the form sends.
KEYED_WRITES = sorted(
    key
    for key, rule in RULES.items()
    if isinstance(rule, Rule)
    and key[0] != "GET"
    and PUBLIC not in rule.allowed
    and not rule.refuses_as_form
)
# Past the 64 KB any JSON body may be, and not what any schema takes.
OVERSIZED = json.dumps({"unexpected": ["x" * 1000] * 70}).encode()
INVALID = json.dumps({"unexpected": [{}] * 1000}).encode()


def outsiders(rule: Rule) -> set[str]:
    """Those refused for who they are, whatever the body: no key, a key this event doesn't
    know, and people whose role is below every role the route allows."""
    found = {PUBLIC, FORGED, OTHER_EVENT, ERASED}
    if rule.allowed <= STAFF and not rule.owners_may:
        found |= ATTENDEES
    if rule.allowed == {ORGANISER}:
        found.add(FACILITATOR)
    return found


@pytest.fixture(scope="module")
def world(client: httpx.Client) -> World:
    return build_world(client)


def test_every_keyed_write_is_covered() -> None:
    assert len(KEYED_WRITES) >= 20
    assert ("PUT", "/api/e/{slug}/rooms") in KEYED_WRITES


@pytest.mark.parametrize("key", KEYED_WRITES, ids=" ".join)
def test_keyed_writes_refuse_the_asker_before_reading_the_body(
    key: tuple[str, str], world: World
) -> None:
    rule = RULES[key]
    assert isinstance(rule, Rule)
    drawn = rule.call(world)
    before = world.evidence()
    for role in sorted(outsiders(rule)):
        for body in (OVERSIZED, INVALID):
            response = send(world, role, key[0], _sent(drawn, body))
            assert response.status_code in (401, 403), (key, role, response.text)
            if drawn.form is None:
                assert_problem(response)
            else:  # a page's form is refused as a page
                assert response.headers["content-type"].startswith("text/html"), (key, role)
    assert world.evidence() == before


def _sent(drawn: Call, body: bytes) -> Call:
    """The body sent the way the route takes one: JSON, or a page's form (with the asker's
    cookie), too large or not what the form has."""
    if drawn.form is None:
        return Call(drawn.path, content=body, headers={"Content-Type": "application/json"})
    fields = {"unexpected": body.decode()} if len(body) > 20_000 else {"pitch": "{}" * 500}
    return Call(drawn.path, form=fields, kept_as=drawn.kept_as)
