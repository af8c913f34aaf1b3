"""Proceedings and posters as A4 PDFs, made by WeasyPrint from standalone HTML.

WeasyPrint is the optional ``pdf`` extra and needs Pango from the system, so it is imported
only when a PDF is asked for. It may fetch nothing but the data: URIs the standalone file
carries, so no address in anyone's notes makes the server fetch anything.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from server.errors import Refused
from server.language import N_
from server.workers import Processes

KEPT = 16  # PDFs kept in memory: making one takes seconds, and the same one is asked again
_made: OrderedDict[str, bytes] = OrderedDict()
# One PDF at a time, three more waiting; past that, people are asked to try again. WeasyPrint
# is pure Python that holds the GIL for seconds, so it works in a process of its own.
_makers = Processes(
    "pdf",
    processes=1,
    waiting=3,
    busy=N_("Snug is making other PDFs just now. Try again in a few seconds."),
)
_keeping = threading.Lock()  # the CLI and the server each run an event loop


class PdfUnavailable(Refused):
    status = 503
    title = N_("PDF not available on this server")


async def pdf_soon(html: bytes) -> bytes:
    """``pdf`` in the PDF process, or a 503 when too many are already waiting."""
    key = hashlib.sha256(html).hexdigest()
    return _known(key) or _keep(key, await _makers.run(_render, html))


def pdf(html: bytes) -> bytes:
    """Standalone HTML (no outside addresses) as an accessible A4 PDF. Slow (seconds)."""
    key = hashlib.sha256(html).hexdigest()
    return _known(key) or _keep(key, _render(html))


def _known(key: str) -> bytes | None:
    with _keeping:
        if key in _made:
            _made.move_to_end(key)
        return _made.get(key)


def _keep(key: str, made: bytes) -> bytes:
    with _keeping:
        _made[key] = made
        while len(_made) > KEPT:
            _made.popitem(last=False)
    return made


def _render(html: bytes) -> bytes:
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html.decode("utf-8"), url_fetcher=fetcher)
    # PDF/UA-1: tagged, so screen readers find the headings, lists, reading order, the
    # language (from <html lang>) and each figure's alternative text (an SVG's <title>).
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1"))


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the package is there but Pango is not
        raise PdfUnavailable(
            N_(
                "This server can't make PDFs: it needs WeasyPrint and the Pango library. Install "
                "them with pip install 'snug[pdf]' and, on Debian or Ubuntu, apt-get install "
                "libpango-1.0-0 libpangoft2-1.0-0. The HTML and Markdown downloads work meanwhile."
            )
        ) from None
    return weasyprint
