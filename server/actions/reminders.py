"""Reminders by email before an action's due date, to owners who asked for one.

An owner gives an address on their action's private page (``set_email``): nobody else is shown
it, it is in no export, and erasing the event's personal data forgets it. When the operator
names an SMTP server (server/config.py), one sender per process (``Reminders``, started in the
app's lifespan) looks every so often for open actions falling due within REMINDER_DAYS whose
owner gave an address and wasn't yet reminded for that due date. It marks each as reminded
before sending, so neither a restart nor a second process sends it twice, and takes the mark
back when sending fails, so the next look tries again. The message is plain text in the
event's languages, with the action, its due date and its private link, which grants writes to
that one action: fit for its owner's inbox, never for a log.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

import aiosmtplib

from server.actions import links
from server.actions.board import STATUS_WORDS, UNDONE, Item, due_within, today
from server.actions.models import ActionItem
from server.actions.status import NO_SUCH
from server.config import Mail, Settings
from server.errors import Invalid, NotFound
from server.events.access import Keys
from server.events.journal import Journal
from server.events.models import Event
from server.language import N_
from server.language import gettext as _
from server.language.formats import full_date
from server.language.surfaces import both_text, in_each, spoken
from server.lookout import Lookout

EMAIL_MOST = 254  # characters in an address at most (RFC 5321's path, less its brackets)
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
LOOK_EVERY = 15 * 60.0  # seconds between looks: a reminder is about days, not minutes
TIMEOUT = 20.0  # seconds one message may take to send
BETWEEN_LANGUAGES = "\n\n* * *\n\n"

log = logging.getLogger("snug.reminders")

NOT_AN_ADDRESS = N_(
    "Enter an email address like name@example.org, or leave it empty for no reminder."
)


def set_email(
    action_id: int, email: str, *, link_key: str
) -> Callable[[Journal], Awaitable[dict[str, Any]]]:
    """The write that keeps (or, given "", forgets) the address an action's owner wants its
    reminder at; only from the action's own link (``link_key``, its keyed hash)."""

    async def command(journal: Journal) -> dict[str, Any]:
        row = await ActionItem.get_or_none(id=action_id, event_id=journal.event.id)
        if row is None or not hmac.compare_digest(row.link_key, link_key):
            raise NotFound(NO_SUCH)
        given = email.strip()
        if len(given) > EMAIL_MOST or (given and not EMAIL.fullmatch(given)):
            raise Invalid(NOT_AN_ADDRESS)
        if given != row.email:
            await ActionItem.filter(id=row.id).update(email=given)
            # Screens hear that something changed, never the address.
            await journal.record("action.reminder", {"action": row.id})
        return {"id": row.id, "reminder": bool(given)}

    return command


@dataclass(frozen=True)
class Owed:
    event: Event
    item: Item
    email: str
    was: date | None  # the due date it was last reminded for, put back if sending fails


async def owed(days: int) -> list[Owed]:
    """Every reminder due now: open actions falling due within ``days`` days where their
    event is, whose owner gave an address and wasn't reminded for this due date."""
    asked = ActionItem.filter(status__in=UNDONE, removed=False, due__not_isnull=True)
    rows = {r.id: r for r in await asked.exclude(email="")}
    found: list[Owed] = []
    for event in await Event.filter(id__in=sorted({r.event_id for r in rows.values()})):
        for item in await due_within(event, days, today(event)):
            row = rows.get(item.id)
            if row is not None and row.reminded_due != row.due:
                found.append(Owed(event, item, row.email, row.reminded_due))
    return found


def message(event: Event, item: Item, link: str, mail: Mail, to: str) -> EmailMessage:
    """The reminder, plain text, in each of the event's languages (Welsh first)."""
    codes = spoken(event.languages)

    def values() -> dict[str, str]:
        return {
            "event": event.name,
            "session": item.session,
            "what": item.what,
            "date": full_date(item.due) if item.due else "",
            "status": _(STATUS_WORDS[item.status]),
            "link": link,
        }

    def body() -> str:
        said = values()
        lines = [
            _("You took on an action at %(event)s, in the session %(session)s:") % said,
            f"    {item.what}",
            _("It is due by %(date)s. Its status now: %(status)s.") % said,
            _("Say how it is going, or mark it done, on its page:") + f"\n{link}",
            _(
                "Keep that address to yourself: anyone with it can change this action. You "
                "get this reminder because you gave your email address on that page; leave "
                "the address empty there to stop reminders."
            ),
        ]
        return "\n\n".join(lines)

    sent = EmailMessage()
    # A header is one line, however the action was typed.
    what = " ".join(item.what.split())
    sent["Subject"] = both_text(codes, lambda: _("Reminder: %(what)s") % {"what": what})
    sent["From"] = formataddr(("Snug", mail.sender))
    sent["To"] = to
    sent["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2])
    sent["Content-Language"] = ", ".join(codes)
    sent.set_content(BETWEEN_LANGUAGES.join(in_each(codes, body).values()) + "\n")
    return sent


class Reminders:
    """One per process when SMTP is configured: looks for reminders owed and sends them."""

    def __init__(self, settings: Settings, keys: Keys) -> None:
        assert settings.mail is not None
        self._mail, self._keys = settings.mail, keys
        self._days, self._public_url = settings.reminder_days, settings.public_url
        self._lookout = Lookout(self._look, "reminders to send", retry=LOOK_EVERY)

    def wake(self) -> None:
        """An owner just gave an address: an action due soon needn't wait for the next look."""
        self._lookout.wake()

    def start(self) -> None:
        self._lookout.start()

    async def close(self) -> None:
        """Stops; a reminder cut short in sending is marked sent (at most once, never twice)."""
        await self._lookout.close()

    async def _look(self) -> float:
        await self.send_owed()
        return LOOK_EVERY

    async def send_owed(self) -> int:
        """Sends every reminder owed now, one by one; answers how many went."""
        sent = 0
        for due in await owed(self._days):
            if await self._send(due):
                sent += 1
        return sent

    async def _send(self, due: Owed) -> bool:
        item = due.item
        # Marked first: another process that found it too finds it taken.
        taken = ActionItem.filter(id=item.id, reminded_due=due.was)
        if not await taken.update(reminded_due=item.due):
            return False
        row = await ActionItem.get(id=item.id)
        link = links.address(self._public_url, due.event.slug, links.secret_of(row, self._keys))
        try:
            await aiosmtplib.send(
                message(due.event, item, link, self._mail, due.email),
                hostname=self._mail.host,
                port=self._mail.port,
                username=self._mail.user or None,
                password=self._mail.password or None,
                use_tls=self._mail.tls,
                start_tls=self._mail.starttls,
                timeout=TIMEOUT,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Neither the address nor the link: only what kind of failure, to try again later.
            log.warning(
                "the reminder for action %s of event %s wasn't sent (%s); it is tried again later",
                item.id,
                due.event.id,
                type(exc).__name__,
            )
            await ActionItem.filter(id=item.id).update(reminded_due=due.was)
            return False
        return True
