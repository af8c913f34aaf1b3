"""Whether this process can reach its database, so an outage is logged once, not per message.

While the database is away every socket message is answered with an error and the connection
stays; the log says when the outage started and when it ended, and nothing in between.
"""

from __future__ import annotations

import logging

log = logging.getLogger("snug.live")


class Reachability:
    def __init__(self) -> None:
        self.away = False

    def lost(self) -> None:
        if not self.away:
            self.away = True
            log.warning("database out of reach; sockets answer an error until it is back")

    def reached(self) -> None:
        if self.away:
            self.away = False
            log.info("database reachable again")


database = Reachability()
