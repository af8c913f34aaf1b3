"""Each endpoint's signing secret, and the signature every delivery carries.

The header is ``Snug-Signature: t=<unix seconds>,v1=<hex>``, where the hex is
HMAC-SHA256(secret, "<t>.<raw body>"): the receiver recomputes it over the bytes it received
and refuses a stale ``t``, so a message caught in transit can't be replayed later (README,
"Webhooks", says how a receiver checks it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

HEADER = "Snug-Signature"
PREFIX = "snugwh_"  # so a leaked one is recognisable for what it is


def new_nonce() -> str:
    return secrets.token_hex(16)


def secret_of(secret_key: str, nonce: str) -> str:
    """The endpoint's secret: made from the server's SECRET_KEY and the endpoint's nonce, so
    nothing in the database alone can sign a message."""
    mac = hmac.new(secret_key.encode(), f"webhook\0{nonce}".encode(), hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(mac[:24]).decode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Snug-Signature`` header's value for this body, sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: the signature matches and was made within ``tolerance`` seconds."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    stamp = parts.get("t", "")
    if not stamp.isdigit() or abs(now - int(stamp)) > tolerance:
        return False
    expected = signature(secret, int(stamp), body).rsplit("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
