"""The signature a receiver checks: over the timestamp and the raw body, with a secret made
from SECRET_KEY and the endpoint's nonce."""

from __future__ import annotations

from server.webhooks.signing import secret_of, signature, verify


def test_a_signature_fits_only_its_body_secret_and_time() -> None:
    secret = secret_of("server key", "nonce-1")
    assert secret == secret_of("server key", "nonce-1")
    assert secret != secret_of("server key", "nonce-2") != secret_of("other key", "nonce-1")
    body = b'{"kind":"grid.published"}'
    header = signature(secret, 1_800_000_000, body)
    assert header.startswith("t=1800000000,v1=")
    assert verify(secret, header, body, now=1_800_000_100)
    assert not verify(secret, header, body + b" ", now=1_800_000_100)
    assert not verify(secret_of("server key", "nonce-2"), header, body, now=1_800_000_100)
    assert not verify(secret, header, body, now=1_800_000_000 + 301), "too old: a replay"
    assert not verify(secret, "v1=" + header.split("v1=")[1], body, now=1_800_000_000)
