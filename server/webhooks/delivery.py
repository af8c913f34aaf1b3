"""Sending what endpoints are owed, in the background, off every request's path.

One deliverer per process takes due deliveries from the database (so a restart, or another
process, carries on with them), leasing each so only one process sends it, and posts it with
short timeouts: never following a redirect, reading at most a few KB of the answer, and
connecting only to the address it checked (server/webhooks/addresses.py). A failed attempt is
tried again after WEBHOOK_BACKOFF seconds, doubling each time, ATTEMPTS times in all. Every
attempt is logged for the organiser: when, the status, what went wrong; never the secret, and
never the address (a chat service's webhook address is a secret too). Nothing here blocks the
event loop: the name lookup runs in a thread, the rest is awaited.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import httpx
from tortoise.expressions import Q

from server.config import Settings
from server.lookout import Lookout
from server.webhooks.addresses import NotAllowed, resolve
from server.webhooks.models import WebhookAttempt, WebhookDelivery
from server.webhooks.signing import HEADER, secret_of, signature

ATTEMPTS = 8  # 10 s doubling: the last try about 21 minutes after the first
AT_ONCE = 8  # deliveries in flight in one process
IDLE = 30.0  # seconds between looks at the database when nothing wakes the deliverer
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
WHOLE = 10.0  # seconds one attempt may take in all, however slowly an answer trickles in
LEASE = timedelta(seconds=WHOLE + 20)
READ_MOST = 4096  # bytes of an answer read; the status is what counts
KEEP = 100  # finished deliveries kept in each endpoint's log

log = logging.getLogger("snug.webhooks")
# httpx logs every request's address at INFO, and a webhook's address can be its secret.
logging.getLogger("httpx").setLevel(logging.WARNING)

# What went wrong with an attempt, as the log stores it (the page says it in words).
TIMED_OUT, UNREACHABLE, REFUSED, REDIRECTED, ANSWERED = (
    "timeout",
    "unreachable",
    "refused",
    "redirect",
    "status",
)


class Deliverer:
    def __init__(self, settings: Settings) -> None:
        self._secret_key = settings.secret_key
        self._private = settings.webhook_private
        self._backoff = settings.webhook_backoff
        self._lookout = Lookout(self._send_due, "webhook deliveries", retry=IDLE)
        self._sending: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None

    def wake(self) -> None:
        self._lookout.wake()

    def start(self) -> None:
        # No proxies from the environment: a proxy would connect where it likes.
        self._client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False)
        self._lookout.start()

    async def close(self) -> None:
        """Stops sending; an attempt cut short stays pending, leased for a while, and is sent
        again by whichever process looks after that."""
        await self._lookout.close()
        for task in self._sending:
            task.cancel()
        await asyncio.gather(*self._sending, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()

    async def _send_due(self) -> float:
        """Starts sending what is due, as far as there is room; the seconds until the next
        delivery falls due."""
        now = datetime.now(UTC)
        free = Q(leased_until=None) | Q(leased_until__lt=now)
        room = AT_ONCE - len(self._sending)
        if room > 0:
            due = WebhookDelivery.filter(free, state="pending", next_at__lte=now)
            for found in await due.order_by("next_at").limit(room).values_list("id", flat=True):
                leased = WebhookDelivery.filter(free, id=found, state="pending")
                if await leased.update(leased_until=now + LEASE):
                    self._start(int(str(found)))
        waiting = WebhookDelivery.filter(free, state="pending").order_by("next_at")
        soonest = await waiting.first()
        if soonest is None or len(self._sending) >= AT_ONCE:
            return IDLE
        return min(IDLE, max(0.0, (soonest.next_at - datetime.now(UTC)).total_seconds()))

    def _start(self, delivery_id: int) -> None:
        task = asyncio.create_task(self._deliver(delivery_id))
        self._sending.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self._sending.discard(done)
            self.wake()  # room for another

        task.add_done_callback(finished)

    async def _deliver(self, delivery_id: int) -> None:
        try:
            delivery = await WebhookDelivery.get(id=delivery_id).select_related("endpoint")
            at, started = datetime.now(UTC), time.monotonic()
            status, error = await self._attempt(delivery)
            took = int((time.monotonic() - started) * 1000)
            await WebhookAttempt.create(
                delivery=delivery, at=at, status=status, error=error, took_ms=took
            )
            await self._after(delivery, error)
        except Exception:
            log.exception("a webhook delivery failed to be recorded")

    async def _attempt(self, delivery: WebhookDelivery) -> tuple[int | None, str]:
        """The answer's status, if any, and what went wrong ("" when it was delivered)."""
        try:
            async with asyncio.timeout(WHOLE):
                status = await self._post(delivery)
        except NotAllowed:
            return None, REFUSED
        except (TimeoutError, httpx.TimeoutException):
            return None, TIMED_OUT
        except (httpx.HTTPError, OSError):
            return None, UNREACHABLE
        if 300 <= status < 400:
            return status, REDIRECTED
        return status, "" if 200 <= status < 300 else ANSWERED

    async def _post(self, delivery: WebhookDelivery) -> int:
        assert self._client is not None
        endpoint = delivery.endpoint
        url = httpx.URL(endpoint.url)
        port = url.port or (443 if url.scheme == "https" else 80)
        address = await resolve(url.host, port, private=self._private)
        content = delivery.body.encode()
        secret = secret_of(self._secret_key, endpoint.nonce)
        headers = {
            "Host": url.netloc.decode("ascii"),
            "Content-Type": "application/json",
            "User-Agent": "Snug-Webhooks/1",
            "Snug-Delivery": delivery.delivery_id,
            "Snug-Kind": delivery.kind,
            HEADER: signature(secret, int(time.time()), content),
        }
        # Connects to the checked address; TLS still checks the certificate for the name.
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        request = self._client.build_request(
            "POST",
            url.copy_with(host=address),
            content=content,
            headers=headers,
            extensions=extensions,
        )
        response = await self._client.send(request, stream=True)
        try:
            read = 0
            async for chunk in response.aiter_raw():
                read += len(chunk)
                if read >= READ_MOST:
                    break
        finally:
            await response.aclose()
        return response.status_code

    async def _after(self, delivery: WebhookDelivery, error: str) -> None:
        attempts = delivery.attempts + 1
        changes: dict[str, object] = {"attempts": attempts, "leased_until": None}
        if not error:
            changes["state"] = "delivered"
        elif attempts >= ATTEMPTS:
            changes["state"] = "failed"
        else:
            wait = self._backoff * 2 ** (attempts - 1)
            changes["next_at"] = datetime.now(UTC) + timedelta(seconds=wait)
        await WebhookDelivery.filter(id=delivery.id).update(**changes)
        if "state" in changes:
            await _prune(delivery.endpoint_id)  # type: ignore[attr-defined]


async def _prune(endpoint_id: int) -> None:
    """Keeps an endpoint's log to its latest KEEP finished deliveries."""
    finished = WebhookDelivery.filter(endpoint_id=endpoint_id, state__in=["delivered", "failed"])
    old = await finished.order_by("-id").offset(KEEP).values_list("id", flat=True)
    if old:
        await WebhookDelivery.filter(id__in=list(old)).delete()
