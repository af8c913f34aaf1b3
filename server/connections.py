"""HTTP connections that must send their requests' headers in time and in bounds.

Uvicorn closes a connection left idle after a response (``timeout_keep_alive``), but nothing
closes one that never sends a request, nor one that sends its headers a byte at a time (any byte
cancels the keep-alive timer), and httptools takes headers of any size. So a few hundred slow
connections could hold a server's sockets and memory for ever. Here each request's line and
headers must be complete within a deadline that starts when the connection opens (for its first
request) or at a later request's first byte, and may total at most ``MAX_HEADER_BYTES``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Browsers send a few KB; 32 KB leaves room for long cookies and links, as common proxies do.
MAX_HEADER_BYTES = 32 * 1024


class HeadersInTime(HttpToolsProtocol):
    header_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        # Bytes received since the last request's body ended: the next request's line and
        # headers. httptools holds a header until it ends, so they are counted as they arrive.
        self._awaiting_headers = True
        self._header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._end_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers:
            self._header_bytes += len(data)
        super().data_received(data)
        if self._awaiting_headers and self._header_bytes > MAX_HEADER_BYTES:
            self._refuse_headers()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:
            self._start_deadline()

    def on_headers_complete(self) -> None:
        self._end_deadline()
        self._awaiting_headers, self._header_bytes = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._awaiting_headers = True

    def _refuse_headers(self) -> None:
        self._end_deadline()
        self._awaiting_headers = False
        if not self.transport.is_closing():
            self.transport.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-length: 0\r\nconnection: close\r\n\r\n"
            )
            self.transport.close()

    def _start_deadline(self) -> None:
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _end_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        self.transport.close()


def headers_in(seconds: float) -> type[HeadersInTime]:
    """The protocol class for Uvicorn's ``http=``, with its deadline (HEADER_TIMEOUT)."""
    return type("HeadersInTime", (HeadersInTime,), {"header_timeout": seconds})
