// Where the day has got to, as server/events/day.py says it (the same states, rules and
// sentences for each audience: attendee, screen, staff), so every page moves on as the clock
// passes a slot's end; and the event's wall clock.
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

// As WORDS in server/events/day.py: the marketplace's states, [now, next] by audience.
const WORDS = {
  before: {
    attendee: () => ["Pitching hasn't opened yet.", "When it opens, you can pitch a session here."],
    screen: () => ["Welcome. Pitching opens soon.", "Think of a question, a demo or a conversation you would like to start."],
    staff: (f) => [`Pitching hasn't opened yet: ${f.joined} joined so far.`, "Next: open pitching, and show the join QR code on the screen."],
  },
  pitching: {
    attendee: () => ["Pitching is open: pitch a session you'd like to run.", "Voting opens once the pitches are in."],
    screen: () => ["Pitching is open: pitch a session from your phone.", "Voting comes next: everyone places dots on the sessions they want."],
    staff: (f) => [`Pitching is open: ${f.pitches} so far, ${f.joined} joined.`, "Next: tidy and merge the pitches, then open voting."],
  },
  voting: {
    attendee: () => ["Voting is open: place your dots on the sessions you want.", "When voting closes, the facilitators build the grid."],
    screen: (f) => [`${f.opened}: place your dots on the sessions you want to be in.`, "When voting closes, the sessions are placed in rooms and times."],
    staff: (f) => [`${f.opened}: ${f.voted} of ${f.joined} have voted.`, "Next: close voting and draft the grid."],
  },
  counting: {
    attendee: () => ["Voting is closed: the dots are being counted.", "The grid of sessions comes next."],
    screen: () => ["Pitching and voting are closed: the dots are being counted.", "The grid comes next: which session is in which room, and when."],
    staff: (f) => [`Pitching and voting are closed: ${f.voted} of ${f.joined} voted.`, "Next: allocate the sessions to rooms and times from the votes."],
  },
  drafted: {
    attendee: () => ["The facilitators are building the grid.", "It shows here the moment it's published."],
    screen: () => ["The grid is being put together.", "It appears here and on every phone when it is published."],
    staff: () => ["The grid is drafted but not published: only staff see it.", "Next: check the grid, then publish it to every phone and screen."],
  },
};

const FINISHED = {
  attendee: ["The sessions are over: thank you for coming.", "The write-ups will be shared here when they're ready."],
  screen: ["That's all: no more sessions.", "Thank you for coming. Write-ups of the sessions follow."],
  staff: ["The sessions are over.", "Next: check the write-ups, then publish the proceedings."],
};
const PROCEEDINGS = {
  attendee: ["The write-ups of every session are published.", "Read the proceedings, and follow up the actions."],
  screen: ["That's all: no more sessions.", "Thank you for coming. The write-ups of the sessions are online."],
  staff: ["The proceedings are published: anyone with the link can read them.", "Next: download the archive, then erase personal data once you no longer need it."],
};
const PUBLISHED = {
  attendee: ["The grid is out: choose where you'll be.", "Sessions will be added to it."],
  screen: ["The grid is published: find your sessions on your phone.", "The times of the day follow."],
  staff: ["The grid is published: every phone and screen shows it.", "Next: add the time slots of the day."],
};

const isSession = (slot) => (slot.kind || "session") === "session";
const said = (stage, [now, next], slot = null) => ({ stage, now, next, slot });

function coming(slot, now, audience) {
  const day = slot.starts_at.slice(0, 10);
  const at = clock(slot.starts_at);
  const today = day === now.slice(0, 10);
  if (audience === "attendee" && isSession(slot)) return `Next sessions start${today ? "" : ` on ${day}`} at ${at}.`;
  const stop = audience === "screen" ? "" : ".";
  const unnamed = { session: "sessions", break: "a break" }[slot.kind || "session"] || "the plenary";
  return `${today ? "Next" : `Next, on ${day}`}: ${slot.label || unnamed} at ${at}${stop}`;
}

function timetable(proceedings, slots, now, audience) {
  const current = slots.find((s) => s.starts_at <= now && now < s.ends_at) || null;
  const from = current ? current.ends_at : now;
  const later = slots.filter((s) => s.starts_at >= from);
  const next = later.length ? coming(later[0], now, audience) : null;
  if (current && isSession(current)) {
    const ends = clock(current.ends_at);
    const name = current.label || "Sessions";
    const words = { attendee: `Sessions are running until ${ends}.`, screen: `${name}, until ${ends}`, staff: `${name}${name === "Sessions" ? " are" : ": sessions are"} running until ${ends}.` };
    return said("running", [words[audience], next || "These are the last sessions of the day."], current.id);
  }
  if (current) {
    const name = current.label || (current.kind === "break" ? "Break" : "Plenary");
    const stop = audience === "screen" ? "" : ".";
    return said("between", [`${name} until ${clock(current.ends_at)}${stop}`, next || "That is the end of the day."], current.id);
  }
  if (!next && slots.length) return proceedings ? said("proceedings", PROCEEDINGS[audience]) : said("finished", FINISHED[audience]);
  if (next && slots.some((s) => s.ends_at <= now)) return said("between", ["Between sessions.", next]);
  return said("published", [PUBLISHED[audience][0], next || PUBLISHED[audience][1]]);
}

/**
 * What is happening and what comes next: {stage, now, next, slot}. drafted: a grid exists;
 * audience: "attendee", "screen" or "staff"; turnout: {joined, voted}, which staff are told.
 */
export function dayOf(state, drafted, now, audience, turnout = { joined: 0, voted: 0 }) {
  const e = state.event;
  if (state.grid?.live) return timetable(e.proceedings_published, bySlotTime(state.slots), now, audience);
  if (e.proceedings_published) return said("proceedings", PROCEEDINGS[audience]);
  const pitches = state.pitches.filter((p) => !p.hidden).length;
  let stage = "before";
  if (e.voting_open) stage = "voting";
  else if (e.pitching_open) stage = "pitching";
  else if (drafted) stage = "drafted";
  else if (pitches) stage = "counting";
  const figures = {
    opened: e.pitching_open ? "Pitching and voting are open" : "Voting is open",
    pitches: `${pitches} ${pitches === 1 ? "pitch" : "pitches"}`,
    joined: turnout.joined,
    voted: turnout.voted,
  };
  return said(stage, WORDS[stage][audience](figures));
}

/**
 * The day's panel drawn by the server (partials/day.html): it knows its audience, whether a
 * grid has been drafted and, on staff pages, the turnout; it hears the changes that move
 * those on (the turnout comes with the vote counts, to staff alone), and shows the day anew.
 */
export class DayPanel {
  constructor(box = document.querySelector("[data-day]")) {
    this.box = box;
    this.drafted = box.dataset.drafted === "true";
    this.turnout = { joined: Number(box.dataset.joined || 0), voted: Number(box.dataset.voted || 0) };
  }

  hear(change) {
    if (change?.kind === "grid.changed" || change?.kind === "grid.published") this.drafted = true;
    if (change?.data?.turnout) this.turnout = change.data.turnout;
  }

  /** Puts the day's two sentences on the page; returns the day. */
  show(state, now = localNow(state.event.timezone)) {
    const day = dayOf(state, this.drafted, now, this.box.dataset.audience, this.turnout);
    this.box.dataset.stage = day.stage;
    this.box.hidden = false;
    $("[data-day-now]", this.box).textContent = day.now;
    $("[data-day-next]", this.box).textContent = day.next;
    return day;
  }
}
