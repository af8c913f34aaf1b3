"""The demo event at /e/demo, shaped like the reference event in the product brief.

A one-day public-sector unconference: an auditorium for 100, a room for 35 and sofa snugs,
about 30 pitches and the dots of 120 attendees. Seeded, so every run looks the same. The day
is over: its actions are followed up, its sessions have feedback, and it has been run again,
so the series page lists next year's event, which opens with the actions still to do.
"""

from __future__ import annotations

import random
from typing import Any

from server.actions.models import ActionItem
from server.actions.status import set_status
from server.actions.sync import sync
from server.demo.feedback import write_demo_feedback
from server.demo.notes import DEMO_DATE, write_demo_notes
from server.demo.report import prepare_report
from server.events.access import SNUG, Actor, Keys, Role
from server.events.models import Attendee, Event
from server.events.setup import create_event
from server.events.writes import Writes
from server.grid import editing
from server.marketplace.models import Dot, Pitch
from server.notes.document import NotesContent
from server.notes.models import Notes
from server.series.again import run_again

SLUG = "demo"
NEXT_SLUG = "demo-next"  # next year's event, made by running the demo again
DATE = DEMO_DATE
ATTENDEES = 120

ROOMS = [
    ("Auditorium", 100, ["step-free", "hearing-loop", "projector"]),
    ("Seminar room", 35, ["step-free", "projector", "whiteboard"]),
    ("Snug 1", 10, ["step-free", "flipchart"]),
    ("Snug 2", 8, ["flipchart"]),
    ("Snug 3", 8, ["step-free", "flipchart"]),
    ("Snug 4", 6, ["quiet"]),
    ("Snug 5", 6, ["quiet"]),
]

SLOTS = [
    ("09:30", "10:15", "Welcome and pitches", "plenary"),
    ("10:30", "11:15", "Session 1", "session"),
    ("11:30", "12:15", "Session 2", "session"),
    ("12:15", "13:15", "Lunch", "break"),
    ("13:15", "14:00", "Session 3", "session"),
    ("14:15", "15:00", "Session 4", "session"),
    ("15:15", "15:45", "Show and tell", "plenary"),
]

# (title, one-line pitch, host, format, tags)
PITCHES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "Agile procurement that actually works",
        "Buying digital services in sprints, not 300-page tenders.",
        "Priya",
        "discussion",
        ["procurement"],
    ),
    (
        "Writing job adverts people finish reading",
        "Plain English for recruitment, with before and after examples.",
        "Tom",
        "workshop",
        ["hr", "content"],
    ),
    (
        "Working out loud without getting in trouble",
        "Weeknotes, blogs and what the press office thinks.",
        "Aisha",
        "discussion",
        ["culture"],
    ),
    (
        "Accessibility audits on a shoestring",
        "What a small team can test itself before paying for an audit.",
        "Gareth",
        "demo",
        ["accessibility"],
    ),
    (
        "Legacy systems: replace, wrap or live with?",
        "Honest stories from three councils.",
        "Morag",
        "discussion",
        ["technology"],
    ),
    (
        "Hiring developers into the public sector",
        "Pay bands, pipelines and the DDaT framework.",
        "Sam",
        "discussion",
        ["hr", "digital"],
    ),
    (
        "User research with people who don't use computers",
        "Assisted digital, phone research and paper prototypes.",
        "Lena",
        "workshop",
        ["research", "inclusion"],
    ),
    (
        "Open source in government: beyond the policy",
        "Coding in the open when legal is nervous.",
        "Dev",
        "discussion",
        ["technology", "open"],
    ),
    (
        "The G-Cloud framework, demystified",
        "A buyer and a supplier answer your questions.",
        "Rachel",
        "question",
        ["procurement"],
    ),
    (
        "Four-day weeks in a local authority",
        "What happened when we tried it for a year.",
        "Owen",
        "talk",
        ["hr", "culture"],
    ),
    (
        "Service standards: assessment survival",
        "How to prepare for an alpha assessment without theatre.",
        "Chloe",
        "discussion",
        ["digital"],
    ),
    (
        "AI in casework: where's the line?",
        "Drafting letters with a model, and who signs them.",
        "Ibrahim",
        "discussion",
        ["ai", "ethics"],
    ),
    (
        "Data sharing agreements in a week",
        "A template that got through three legal teams.",
        "Fiona",
        "demo",
        ["data"],
    ),
    (
        "Neurodiversity at work",
        "Adjustments that cost nothing and help everyone.",
        "Jordan",
        "discussion",
        ["hr", "inclusion"],
    ),
    (
        "Product managers in policy teams",
        "What happens when you put a PM next to a policy lead.",
        "Nadia",
        "discussion",
        ["digital", "policy"],
    ),
    (
        "Supplier relationships after the contract is signed",
        "Keeping a partnership honest for five years.",
        "Kwame",
        "discussion",
        ["procurement"],
    ),
    (
        "Design systems for small teams",
        "Reusing the GOV.UK Design System without a platform team.",
        "Ellie",
        "demo",
        ["design"],
    ),
    (
        "Onboarding that doesn't take three months",
        "Laptops, passes and a buddy on day one.",
        "Marcus",
        "workshop",
        ["hr"],
    ),
    (
        "Measuring what matters",
        "Performance frameworks that don't game themselves.",
        "Helen",
        "discussion",
        ["data"],
    ),
    (
        "Cyber security for non-specialists",
        "The ten things every team should do this month.",
        "Yusuf",
        "talk",
        ["security"],
    ),
    (
        "Social value in tenders",
        "Scoring it fairly and checking it was delivered.",
        "Bethan",
        "discussion",
        ["procurement"],
    ),
    (
        "Mentoring across departments",
        "Setting up a cross-government mentoring ring.",
        "Grace",
        "discussion",
        ["hr", "culture"],
    ),
    (
        "Plain English for policy",
        "Turning a consultation into something people can answer.",
        "Alan",
        "workshop",
        ["content", "policy"],
    ),
    (
        "Digital inclusion in rural areas",
        "Libraries, buses and mobile signal.",
        "Siân",
        "discussion",
        ["inclusion"],
    ),
    (
        "What we learned from a failed project",
        "A safe space to talk about the thing that didn't work.",
        "Pete",
        "discussion",
        ["culture"],
    ),
    (
        "Contract management with spreadsheets",
        "When the system is Excel, make it a good one.",
        "Lucy",
        "demo",
        ["procurement", "data"],
    ),
    (
        "Flexible working for frontline staff",
        "Rotas, shift swaps and fairness.",
        "Tariq",
        "discussion",
        ["hr"],
    ),
    (
        "Running an unconference in your organisation",
        "How we did this one, and how you could too.",
        "Jo",
        "question",
        ["culture"],
    ),
    (
        "Cloud costs: who pays?",
        "Chargeback, showback and awkward conversations.",
        "Arun",
        "discussion",
        ["technology"],
    ),
    (
        "Wellbeing after restructures",
        "Looking after teams through change.",
        "Maya",
        "discussion",
        ["hr", "culture"],
    ),
]


def demo_spec() -> dict[str, Any]:
    return {
        "name": "Working Out Loud: a public-sector unconference",
        "slug": SLUG,
        "date": DATE,
        "timezone": "Europe/London",
        "venue": "The National Institution, London",
        "rooms": [{"name": n, "capacity": c, "features": f} for n, c, f in ROOMS],
        "slots": [
            {"starts_at": f"{DATE}T{a}", "ends_at": f"{DATE}T{b}", "label": label, "kind": kind}
            for a, b, label, kind in SLOTS
        ],
    }


def demo_secret(keys: Keys, role: str) -> str:
    """The demo's links are derived from the server secret so they can be shown on every start."""
    return keys.digest(f"demo-{role}")[:32]


async def load_demo(keys: Keys, public_url: str) -> Event:
    """Creates the demo event unless it exists; returns it either way."""
    existing = await Event.get_or_none(slug=SLUG)
    if existing is not None:
        return existing
    event, _ = await create_event(demo_spec(), keys)
    event.organiser_key = keys.digest(demo_secret(keys, "organiser"))
    event.facilitator_key = keys.digest(demo_secret(keys, "facilitator"))
    event.voting_open = True
    await event.save()
    await _seed_marketplace(event, keys)
    await _publish_grid(event)
    await write_demo_notes(event)
    await _follow_up_actions(event, keys)
    await write_demo_feedback(event, keys)
    await prepare_report(event)
    await _run_again(event, keys, public_url)
    return await Event.get(id=event.id)


async def _run_again(event: Event, keys: Keys, public_url: str) -> None:
    """The organiser runs it again, as from their page: the two events are a series."""
    writes, organiser = Writes(_nobody_listens), Actor(Role.organiser)
    await writes.run(
        event, organiser, lambda j: run_again(j, {"slug": NEXT_SLUG}, keys, public_url)
    )


async def _follow_up_actions(event: Event, keys: Keys) -> None:
    """The day is over: the notes' actions are on the board, and their owners have been at
    them since, so the board shows every state."""
    writes, staff = Writes(_nobody_listens), Actor(Role.facilitator)
    for notes in await Notes.filter(event_id=event.id).order_by("pitch_id"):
        actions = NotesContent.from_json(notes.content).actions
        await writes.run(event, SNUG, sync(notes.pitch_id, actions, keys))
    rng = random.Random(15)
    for row in await ActionItem.filter(event_id=event.id).order_by("id"):
        state = rng.choice(FOLLOWED_UP)
        if state != "open":
            await writes.run(event, staff, set_status(row.id, state))


async def _publish_grid(event: Event) -> None:
    """The allocator fills the grid and it is published, as a facilitator would."""
    writes, staff = Writes(_nobody_listens), Actor(Role.facilitator)
    keep = await editing.drafted(event, staff)
    await writes.run(event, staff, lambda j: keep(j, 0))
    await writes.run(event, staff, lambda j: editing.publish(j, 1))


# How far the demo's actions have got: most under way or done, a few dropped.
FOLLOWED_UP = ("open", "open", "started", "started", "done", "done", "done", "dropped")


async def _nobody_listens(_event_id: int, _changes: list[dict[str, Any]]) -> None:
    """The demo is made before any screen opens: its changes are in the log, for none."""


async def _seed_marketplace(event: Event, keys: Keys) -> None:
    rng = random.Random(2027)
    await Attendee.bulk_create(
        [
            Attendee(
                event=event,
                token=keys.digest(f"demo-attendee-{i}"),
                name=rng.choice(["", "", rng.choice(["Alex", "Bea", "Cai", "Dee", "Eli"])]),
            )
            for i in range(ATTENDEES)
        ]
    )
    people = await Attendee.filter(event=event).order_by("id")
    pitches = [
        await Pitch.create(
            event=event, title=t, pitch=p, host=h, format=f, tags=tags, author=people[i * 3]
        )
        for i, (t, p, h, f, tags) in enumerate(PITCHES)
    ]
    # Zipf-like popularity: a few pitches draw most dots, as at a real marketplace.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(pitches))]
    order = rng.sample(pitches, len(pitches))
    dots = []
    for person in people:
        chosen: set[int] = set()
        while len(chosen) < event.dots_per_attendee:
            chosen.add(rng.choices(range(len(order)), weights)[0])
        dots += [Dot(event=event, attendee=person, pitch=order[i]) for i in chosen]
    await Dot.bulk_create(dots)
