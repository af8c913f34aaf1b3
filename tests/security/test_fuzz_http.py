"""The HTTP API fuzzed from its own OpenAPI description (schemathesis over hypothesis).

Every operation gets requests that fit its schema and requests that break it, with real slugs
and ids part of the time (so they get past "not found" into the handlers) and as several
roles. Whatever is sent: no 5xx, every 4xx is a problem+json with a sentence, and a request
that is refused changes nothing in the event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, not_a_server_error

from server.app import routes as app_routes
from server.http.api import ApiRoute
from server.validation import schema as json_schema
from tests.conftest import LiveServer
from tests.http.helpers import assert_problem
from tests.security.routes import RULES, Rule, webhook
from tests.security.world import AUTHOR, FACILITATOR, FORGED, ORGANISER, PUBLIC, World, build_world

EXAMPLES = 25  # per operation: about 40 operations in well under a minute
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run, so CI is stable
    database=None,
    suppress_health_check=list(HealthCheck),
    # No shrinking: the first failing request is reported as it was sent, and a server bug
    # doesn't keep CI shrinking for minutes.
    phases=[Phase.explicit, Phase.generate],
)
FUZZ_ROLES = (ORGANISER, FACILITATOR, AUTHOR, PUBLIC, FORGED)


def openapi_path(route: ApiRoute) -> str:
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)


OPERATIONS = sorted(
    (method, openapi_path(route))
    for route in app_routes
    if isinstance(route, ApiRoute)
    for method in route.methods or ()
    if method != "HEAD"
)


@pytest.fixture(scope="module")
def schema(open_server: LiveServer) -> Any:
    return schemathesis.openapi.from_url(f"{open_server.url}/openapi.json")


@pytest.fixture(scope="module")
def fuzzed_world(client: httpx.Client) -> World:
    """The event schemathesis works on; what it manages to change stays changed."""
    return build_world(client)


@pytest.fixture(scope="module")
def world(client: httpx.Client) -> World:
    """The event the hostile requests below are aimed at, as it was set up."""
    return build_world(client)


def test_the_openapi_description_has_every_api_operation(schema: Any) -> None:
    described = sorted(
        (result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()
    )
    assert described == OPERATIONS


def real_path_parameters(w: World, names: set[str]) -> Iterator[dict[str, Any]]:
    """Path parameters naming things that exist, so requests reach the handlers' own checks."""
    values: dict[str, list[Any]] = {
        "slug": [w.slug],
        "pitch_id": [w.pitch, w.hidden],
        "dot_id": [w.dot],
        "version_id": [w.notes_version],
        "action_id": [w.action],
        "older": [1],  # the world's grid is published once: release 1
        "newer": [1],
        "webhook_id": [webhook(w)],
    }
    combos: list[dict[str, Any]] = [{}]
    for name in sorted(names):
        combos = [{**c, name: v} for c in combos for v in values[name]]
    yield from combos


def as_httpx(response: Any) -> httpx.Response:
    """The answer as the HTTP tests' helpers take it (its body is already decompressed)."""
    skip = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, vs in response.headers.items() if k.lower() not in skip for v in vs]
    return httpx.Response(response.status_code, headers=headers, content=response.content)


def cases_for(operation: Any, w: World) -> st.SearchStrategy[Any]:
    """Four in five cases name things that exist; the rest make up every part."""
    names = {p.name for p in operation.path_parameters}
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    real = st.one_of(
        *(
            operation.as_strategy(generation_mode=mode, path_parameters=params)
            for params in real_path_parameters(w, names)
            # With every path parameter fixed, only a body is left to break.
            for mode in (modes if operation.body else [GenerationMode.POSITIVE])
        )
    )
    made_up = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))
    if not names:
        return made_up
    return st.integers(0, 4).flatmap(lambda n: made_up if n == 0 else real)


@pytest.mark.parametrize("operation", OPERATIONS, ids=" ".join)
def test_fuzzed_requests_never_break_the_server_or_change_what_they_are_refused(
    operation: tuple[str, str], schema: Any, fuzzed_world: World, open_server: LiveServer
) -> None:
    world = fuzzed_world
    method, path = operation
    api_operation = schema[path][method]
    reading = method == "GET"
    start = world.evidence()

    @FUZZ_SETTINGS
    @given(case=cases_for(api_operation, world), role=st.sampled_from(FUZZ_ROLES))
    def fuzz(case: Any, role: str) -> None:
        token = world.token(role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        before = None if reading else world.evidence()
        response = case.call(base_url=open_server.url, headers=headers, timeout=60)
        case.validate_response(
            response, checks=[not_a_server_error, negative_data_rejection], headers=headers
        )
        answer = as_httpx(response)
        if 400 <= answer.status_code < 500:
            assert_problem(answer)
            if before is not None:
                assert world.evidence() == before, (
                    f"{method} {path} was refused ({answer.status_code}) but changed the event"
                )

    fuzz()
    if reading:
        assert world.evidence() == start, f"{method} {path}: reading changed the event"


# --- What a schema can't describe: hostile JSON and hostile addresses -----------------------

BODY_ROUTES = sorted(
    (method, route.path, route.body_schema)
    for route in app_routes
    if isinstance(route, ApiRoute) and route.body_schema
    for method in route.methods or ()
    if method != "HEAD"
)
# Text no database can store (lone surrogates), NUL, controls, right-to-left marks.
HOSTILE_TEXT = st.text(
    st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Lu", "Nd", "So"]), max_size=40
)
HOSTILE_VALUES = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(-(2**64), 2**64), max_size=3),
    st.dictionaries(HOSTILE_TEXT, st.integers(), max_size=2),
)


def hostile_bodies(fields: list[str]) -> st.SearchStrategy[tuple[bytes, str]]:
    """A raw body and its Content-Type."""
    objects = st.dictionaries(
        st.sampled_from([*fields, "", "__proto__", "\ud800"]), HOSTILE_VALUES, max_size=4
    ).map(lambda d: json.dumps(d, allow_nan=True).encode())
    raw = st.binary(max_size=200) | st.just(b"\xef\xbb\xbf{}") | st.just(b'{"a": 1} trailing')
    huge = st.just(json.dumps({f: "x" * 70_000 for f in fields[:1] or ["x"]}).encode())
    json_type = st.sampled_from(["application/json", "application/json; charset=utf-16"])
    return st.one_of(
        st.tuples(objects | raw | huge, json_type),
        st.tuples(
            objects, st.sampled_from(["text/plain", "", "application/x-www-form-urlencoded"])
        ),
    )


def filled(w: World, path: str, **hostile: str) -> str:
    real = {
        "slug": w.slug,
        "pitch_id": w.pitch,
        "pitch": w.pitch,
        "dot_id": w.dot,
        "version_id": w.notes_version,
        "older": 1,
        "newer": 1,
        "photo_id": w.photo_path.split("/")[-2],
        "key": w.photo_path.split("/")[-1],
        "room": w.room,
        "feed": w.feed(AUTHOR),
        "code": httpx.URL(w.ev.links["join"]).path.rsplit("/", 1)[1],
        "language": "cy",
        "webhook_id": webhook(w),
        "webhook": webhook(w),
        "action": w.action,
        "action_id": w.action,
        "link": w.action_link,
    }
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(hostile.get(m[1], real[m[1]])), path)


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_hostile_json_bodies_are_refused_cleanly(
    route: tuple[str, str, str], world: World, hostile_client: httpx.Client
) -> None:
    method, path, schema_name = route
    fields = sorted(json_schema(schema_name).get("properties", {}))
    url = filled(world, path)

    @settings(FUZZ_SETTINGS, max_examples=12)
    @given(body=hostile_bodies(fields), role=st.sampled_from((ORGANISER, AUTHOR)))
    def fuzz(body: tuple[bytes, str], role: str) -> None:
        content, content_type = body
        headers = {"Authorization": f"Bearer {world.token(role)}", "Content-Type": content_type}
        before = world.evidence()
        response = hostile_client.request(method, url, content=content, headers=headers)
        assert response.status_code < 500, (method, url, content[:200], response.text)
        if response.status_code >= 400:
            assert_problem(response)
            assert world.evidence() == before, f"{method} {path}: refused, yet changed"

    fuzz()


NESTED = {
    "lists": b"[" * 20_000 + b"]" * 20_000,
    "objects": b'{"a":' * 5_000 + b"0" + b"}" * 5_000,
    "in a field": b'{"name": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
}


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_deeply_nested_json_is_refused_cleanly(
    route: tuple[str, str, str], world: World, hostile_client: httpx.Client
) -> None:
    """JSON nested deeper than any parser's recursion goes, but well under the size limit."""
    method, path, _schema = route
    url = filled(world, path)
    headers = {"Authorization": f"Bearer {world.ev.organiser}", "Content-Type": "application/json"}
    before = world.evidence()
    for name, body in NESTED.items():
        response = hostile_client.request(method, url, content=body, headers=headers)
        assert response.status_code < 500, (name, response.status_code, response.text)
        assert_problem(response)
    assert world.evidence() == before


LONE_SURROGATE = "Caf\udce9"  # what a broken UTF-16 client sends for "Café"


def with_each_text_spoiled(value: Any) -> Iterator[Any]:
    """The value once for each piece of text in it, with that text made unstorable."""
    if isinstance(value, str):
        yield LONE_SURROGATE
    elif isinstance(value, dict):
        for key, item in value.items():
            for spoiled in with_each_text_spoiled(item):
                yield {**value, key: spoiled}
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for spoiled in with_each_text_spoiled(item):
                yield [*value[:index], spoiled, *value[index + 1 :]]


def valid_body(world: World, method: str, path: str) -> Any:
    rule = RULES[(method, path)]
    assert isinstance(rule, Rule)
    return rule.call(world).json


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_text_no_database_can_store_is_refused_cleanly(
    route: tuple[str, str, str], world: World, hostile_client: httpx.Client
) -> None:
    """A lone surrogate is valid JSON (an escape) but not Unicode text anyone can store or
    print: in a field's value, and as the name of a field Snug doesn't know."""
    method, path, _schema = route
    url = filled(world, path)
    headers = {"Authorization": f"Bearer {world.ev.organiser}", "Content-Type": "application/json"}
    base = valid_body(world, method, path)
    bodies = [*with_each_text_spoiled(base), {**(base or {}), LONE_SURROGATE: 1}]
    before = world.evidence()
    broken = []
    for body in bodies:
        content = json.dumps(body).encode()  # ensure_ascii: the surrogate goes as an escape
        response = hostile_client.request(method, url, content=content, headers=headers)
        if response.status_code >= 500:
            broken.append(content.decode()[:120])
        elif response.status_code >= 400:
            assert_problem(response)
    assert not broken, f"{method} {path} answered 5xx to: {broken}"
    assert world.evidence() == before


# Segments of an address no page links to: too long for the database's columns, bytes that
# aren't UTF-8, encoded surrogates and NUL, climbing out, numbers past any id.
HOSTILE_SEGMENTS = [
    "a" * 41,
    "a" * 3000,
    "%00",
    "%ff%fe",
    "%ED%A0%80",
    "..",
    "%2e%2e%2f%2e%2e",
    "%C3%A9v%C3%A9nement",
    "0",
    "99999999999999999999",
]
WITH_PARAMETERS = sorted(
    key for key, rule in RULES.items() if isinstance(rule, Rule) and "{" in key[1]
)


@pytest.mark.parametrize("key", WITH_PARAMETERS, ids=" ".join)
def test_hostile_addresses_are_refused_cleanly(
    key: tuple[str, str], world: World, hostile_client: httpx.Client
) -> None:
    method, path = key
    rule = RULES[key]
    assert isinstance(rule, Rule)
    call = rule.call(world)
    headers = {**call.headers, "Authorization": f"Bearer {world.ev.organiser}"}
    before = world.evidence()
    changed, broken = False, []
    for name in re.findall(r"\{(\w+)", path):
        for segment in HOSTILE_SEGMENTS:
            url = filled(world, path, **{name: segment})
            response = hostile_client.request(
                method, url, json=call.json, content=call.content, headers=headers
            )
            changed |= response.status_code < 400
            if response.status_code >= 500:
                broken.append(f"{name}={segment[:45]}: {response.status_code}")
            elif response.headers.get("content-type", "").startswith("application/problem+json"):
                assert_problem(response)
            elif response.status_code >= 400:  # pages say "not found" as a page
                assert response.headers["content-type"].startswith("text/html"), url
    assert not broken, f"{method} {path} broke on: {broken}"
    if not changed:
        assert world.evidence() == before, f"{method} {path}: refused, yet changed"
