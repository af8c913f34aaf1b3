"""The demo's feedback: about half of those who went to each session said how it was, mostly
"useful", a few with a comment, as after a real day. Written as rows, as the demo's dots are."""

from __future__ import annotations

import random

from server.events.access import Keys
from server.events.models import Event
from server.feedback.models import NOT_FOR_ME, USEFUL, Feedback, FeedbackGiven
from server.feedback.sessions import PURPOSE
from server.grid.agenda import agendas
from server.marketplace.models import Pitch

COMMENTS = (
    "Really practical: I have three things to try on Monday.",
    "Good to hear how other departments do it.",
    "Would have liked more time for questions.",
    "The best conversation of the day.",
    "A bit too general for me, but well run.",
    "Thank you for sharing the templates.",
)


async def write_demo_feedback(event: Event, keys: Keys) -> None:
    rng = random.Random(318)
    authors = dict(await Pitch.filter(event=event).values_list("id", "author_id"))
    said: list[Feedback] = []
    given: list[FeedbackGiven] = []
    for attendee_id, agenda in sorted((await agendas(event)).items()):
        for pitch_id in sorted(p for p in agenda.values() if p is not None):
            if authors.get(pitch_id) == attendee_id or rng.random() > 0.5:
                continue
            answer = USEFUL if rng.random() < 0.8 else NOT_FOR_ME
            comment = rng.choice(COMMENTS) if rng.random() < 0.12 else ""
            said.append(Feedback(event=event, pitch_id=pitch_id, answer=answer, comment=comment))
            marker = keys.marker(PURPOSE, event.id, pitch_id, attendee_id)
            given.append(FeedbackGiven(event=event, marker=marker))
    rng.shuffle(said)  # not in the markers' order either
    await Feedback.bulk_create(said)
    await FeedbackGiven.bulk_create(given)
