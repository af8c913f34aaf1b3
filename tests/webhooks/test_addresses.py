"""Where a webhook may post: http or https, bounded, no credentials, and never this computer
or a private network unless the operator allows it; checked as typed and as resolved."""

from __future__ import annotations

import pytest

from server.webhooks.addresses import NotAllowed, checked_url, resolve

REFUSED = [
    "ftp://files.example.org/in",
    "javascript:alert(1)",
    "https://",
    "https://user:pass@hooks.example.org/x",
    "https://hooks.example.org/" + "a" * 2000,
    "https://hooks.example.org/a b",
    "https://hooks.example.org:port/",
    "http://127.0.0.1:8000/",
    "http://localhost/",
    "http://app.localhost/",
    "http://10.1.2.3/",
    "http://192.168.0.10/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_addresses_refused_as_typed(url: str) -> None:
    with pytest.raises(NotAllowed):
        checked_url(url, private=False)


def test_public_addresses_and_private_ones_when_allowed() -> None:
    assert checked_url(" https://hooks.example.org/services/x ", private=False) == (
        "https://hooks.example.org/services/x"
    )
    assert checked_url("http://127.0.0.1:9000/in", private=True) == "http://127.0.0.1:9000/in"
    with pytest.raises(NotAllowed):
        checked_url("ftp://127.0.0.1/", private=True)


async def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    with pytest.raises(NotAllowed):
        await resolve("localhost", 80, private=False)
    assert await resolve("localhost", 80, private=True) in {"127.0.0.1", "::1"}
    assert await resolve("93.184.215.14", 443, private=False) == "93.184.215.14"
