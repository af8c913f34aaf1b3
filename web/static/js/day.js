// Where the day has got to, as server/events/day.py says it (the same states, rules and
// sentences for each audience: attendee, screen, staff), so every page moves on as the clock
// passes a slot's end; and the event's wall clock.
import { t, tn } from "./i18n.js";
import { $, bySlotTime, clock } from "./ui.js";

/** The event's local wall clock as "YYYY-MM-DDTHH:MM"; ?at= holds it still for tests. */
export function localNow(timeZone) {
  const fixed = new URLSearchParams(location.search).get("at");
  if (fixed && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(fixed)) return fixed;
  const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  let parts;
  try {
    parts = new Intl.DateTimeFormat("en-GB", { timeZone, ...options }).formatToParts(new Date());
  } catch {
    parts = new Intl.DateTimeFormat("en-GB", options).formatToParts(new Date());
  }
  const get = (type) => parts.find((p) => p.type === type)?.value || "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

// As WORDS in server/events/day.py: the marketplace's states, [now, next] by audience. Each is
// looked up when it is said, so in the page's language once its words are in (i18n.js).
const WORDS = {
  before: {
    attendee: () => [t("Pitching hasn't opened yet."), t("When it opens, you can pitch a session here.")],
    screen: () => [t("Welcome. Pitching opens soon."), t("Think of a question, a demo or a conversation you would like to start.")],
    staff: (f) => [t("Pitching hasn't opened yet: %(joined)s joined so far.", f), t("Next: open pitching, and show the join QR code on the screen.")],
  },
  pitching: {
    attendee: () => [t("Pitching is open: pitch a session you'd like to run."), t("Voting opens once the pitches are in.")],
    screen: () => [t("Pitching is open: pitch a session from your phone."), t("Voting comes next: everyone places dots on the sessions they want.")],
    staff: (f) => [tn("Pitching is open: %(n)s pitch so far, %(joined)s joined.", "Pitching is open: %(n)s pitches so far, %(joined)s joined.", f.pitches, f),
      t("Next: tidy and merge the pitches, then open voting.")],
  },
  voting: {
    attendee: () => [t("Voting is open: place your dots on the sessions you want."), t("When voting closes, the facilitators build the grid.")],
    screen: (f) => [f.pitching
      ? t("Pitching and voting are open: place your dots on the sessions you want to be in.")
      : t("Voting is open: place your dots on the sessions you want to be in."),
    t("When voting closes, the sessions are placed in rooms and times.")],
    staff: (f) => [f.pitching
      ? t("Pitching and voting are open: %(voted)s of %(joined)s have voted.", f)
      : t("Voting is open: %(voted)s of %(joined)s have voted.", f),
    t("Next: close voting and draft the grid.")],
  },
  counting: {
    attendee: () => [t("Voting is closed: the dots are being counted."), t("The grid of sessions comes next.")],
    screen: () => [t("Pitching and voting are closed: the dots are being counted."), t("The grid comes next: which session is in which room, and when.")],
    staff: (f) => [t("Pitching and voting are closed: %(voted)s of %(joined)s voted.", f), t("Next: allocate the sessions to rooms and times from the votes.")],
  },
  drafted: {
    attendee: () => [t("The facilitators are building the grid."), t("It shows here the moment it's published.")],
    screen: () => [t("The grid is being put together."), t("It appears here and on every phone when it is published.")],
    staff: () => [t("The grid is drafted but not published: only staff see it."), t("Next: check the grid, then publish it to every phone and screen.")],
  },
};

const FINISHED = {
  attendee: () => [t("The sessions are over: thank you for coming."), t("The write-ups will be shared here when they're ready.")],
  screen: () => [t("That's all: no more sessions."), t("Thank you for coming. Write-ups of the sessions follow.")],
  staff: () => [t("The sessions are over."), t("Next: check the write-ups, then publish the proceedings.")],
};
const PROCEEDINGS = {
  attendee: () => [t("The write-ups of every session are published."), t("Read the proceedings, and follow up the actions.")],
  screen: () => [t("That's all: no more sessions."), t("Thank you for coming. The write-ups of the sessions are online.")],
  staff: () => [t("The proceedings are published: anyone with the link can read them."), t("Next: download the archive, then erase personal data once you no longer need it.")],
};
const PUBLISHED = {
  attendee: () => [t("The grid is out: choose where you'll be."), t("Sessions will be added to it.")],
  screen: () => [t("The grid is published: find your sessions on your phone."), t("The times of the day follow.")],
  staff: () => [t("The grid is published: every phone and screen shows it."), t("Next: add the time slots of the day.")],
};

const isSession = (slot) => (slot.kind || "session") === "session";
const said = (stage, [now, next], slot = null) => ({ stage, now, next, slot });

function coming(slot, now, audience) {
  const day = slot.starts_at.slice(0, 10);
  const time = clock(slot.starts_at);
  const today = day === now.slice(0, 10);
  if (audience === "attendee" && isSession(slot)) {
    return today ? t("Next sessions start at %(time)s.", { time }) : t("Next sessions start on %(day)s at %(time)s.", { day, time });
  }
  const stop = audience === "screen" ? "" : ".";
  const unnamed = { session: () => t("sessions"), break: () => t("a break") }[slot.kind || "session"] || (() => t("the plenary"));
  const what = slot.label || unnamed();
  return (today ? t("Next: %(what)s at %(time)s", { what, time }) : t("Next, on %(day)s: %(what)s at %(time)s", { day, what, time })) + stop;
}

function timetable(proceedings, slots, now, audience) {
  const current = slots.find((s) => s.starts_at <= now && now < s.ends_at) || null;
  const from = current ? current.ends_at : now;
  const later = slots.filter((s) => s.starts_at >= from);
  const next = later.length ? coming(later[0], now, audience) : null;
  if (current && isSession(current)) {
    const time = clock(current.ends_at);
    const running = () => (current.label
      ? t("%(name)s: sessions are running until %(time)s.", { name: current.label, time })
      : t("Sessions are running until %(time)s.", { time }));
    const words = {
      attendee: () => t("Sessions are running until %(time)s.", { time }),
      screen: () => {
        const name = current.label || t("Sessions");
        return t("%(name)s, until %(time)s", { name, time });
      },
      staff: running,
    };
    return said("running", [words[audience](), next || t("These are the last sessions of the day.")], current.id);
  }
  if (current) {
    const name = current.label || (current.kind === "break" ? t("Break") : t("Plenary"));
    const stop = audience === "screen" ? "" : ".";
    return said("between", [t("%(name)s until %(time)s", { name, time: clock(current.ends_at) }) + stop, next || t("That is the end of the day.")], current.id);
  }
  if (!next && slots.length) return proceedings ? said("proceedings", PROCEEDINGS[audience]()) : said("finished", FINISHED[audience]());
  if (next && slots.some((s) => s.ends_at <= now)) return said("between", [t("Between sessions."), next]);
  const published = PUBLISHED[audience]();
  return said("published", [published[0], next || published[1]]);
}

/**
 * What is happening and what comes next: {stage, now, next, slot}. drafted: a grid exists;
 * audience: "attendee", "screen" or "staff"; turnout: {joined, voted}, which staff are told.
 */
export function dayOf(state, drafted, now, audience, turnout = { joined: 0, voted: 0 }) {
  const e = state.event;
  if (state.grid?.live) return timetable(e.proceedings_published, bySlotTime(state.slots), now, audience);
  if (e.proceedings_published) return said("proceedings", PROCEEDINGS[audience]());
  const pitches = state.pitches.filter((p) => !p.hidden).length;
  let stage = "before";
  if (e.voting_open) stage = "voting";
  else if (e.pitching_open) stage = "pitching";
  else if (drafted) stage = "drafted";
  else if (pitches) stage = "counting";
  const figures = { pitching: e.pitching_open, pitches, joined: turnout.joined, voted: turnout.voted };
  return said(stage, WORDS[stage][audience](figures));
}

/**
 * The day's panel drawn by the server (partials/day.html): it knows its audience, whether a
 * grid has been drafted and, on staff pages, the turnout until the staff snapshot's (kept up
 * to date by the vote counts, to staff alone) takes over; it hears the changes that move the
 * draft on, and shows the day anew.
 */
export class DayPanel {
  constructor(box = document.querySelector("[data-day]")) {
    this.box = box;
    this.drafted = box.dataset.drafted === "true";
    this.turnout = { joined: Number(box.dataset.joined || 0), voted: Number(box.dataset.voted || 0) };
  }

  hear(change) {
    if (change?.kind === "grid.changed" || change?.kind === "grid.published") this.drafted = true;
  }

  /** Puts the day's two sentences on the page; returns the day. */
  show(state, now = localNow(state.event.timezone)) {
    const day = dayOf(state, this.drafted, now, this.box.dataset.audience, state.turnout || this.turnout);
    this.box.dataset.stage = day.stage;
    this.box.hidden = false;
    $("[data-day-now]", this.box).textContent = day.now;
    $("[data-day-next]", this.box).textContent = day.next;
    return day;
  }
}
