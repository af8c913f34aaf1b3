// Where the day has got to, as server/events/day.py works it out (the same states and rules for
// each audience: attendee, screen, staff, in the sentences day.py gives the page), so every
// page moves on as the clock passes a slot's end; and the event's wall clock.
import { counted, fill } from "./i18n.js";
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

const isSession = (slot) => (slot.kind || "session") === "session";

/**
 * The sentences of server/events/day.py, in the page's language (words(), the panel's
 * data-words): key -> the message, or a counted one's plural forms. Only filled in here, with
 * the same placeholders, so there is one set of sentences.
 */
class Words {
  constructor(table, audience) {
    this.table = table;
    this.audience = audience;
  }

  say(key, figures = {}) {
    const said = this.table[key];
    return Array.isArray(said) ? counted(said, figures.pitches, figures) : fill(said, figures);
  }

  /** As _stopped() in day.py: a screen's line reads as a heading, others as a sentence. */
  stopped(said) {
    return this.audience === "screen" ? said : `${said}.`;
  }

  /** As _told() in day.py: a stage said as it is written. */
  told(stage, slot = null) {
    return { stage, now: this.say(stage), next: this.say(`${stage}_next`), slot };
  }
}

/** As _coming() in day.py. */
function coming(words, slot, now) {
  const day = slot.starts_at.slice(0, 10);
  const at = clock(slot.starts_at);
  const on = day === now.slice(0, 10) ? "" : "_on";
  const kind = slot.kind || "session";
  if (words.audience === "attendee" && kind === "session") return words.say(`coming_sessions${on}`, { day, at });
  const key = slot.label ? "coming_named" : `coming_${["session", "break"].includes(kind) ? kind : "plenary"}`;
  return words.stopped(words.say(key + on, { day, label: slot.label, at }));
}

/** As _timetable() in day.py. */
function timetable(words, proceedings, slots, now) {
  const current = slots.find((s) => s.starts_at <= now && now < s.ends_at) || null;
  const from = current ? current.ends_at : now;
  const later = slots.filter((s) => s.starts_at >= from);
  const next = later.length ? coming(words, later[0], now) : null;
  if (current) {
    const figures = { label: current.label, ends: clock(current.ends_at) };
    if (isSession(current)) {
      const said = words.say(current.label ? "running_named" : "running", figures);
      return { stage: "running", now: said, next: next || words.say("last"), slot: current.id };
    }
    const key = current.label ? "until_named" : current.kind === "break" ? "until_break" : "until_plenary";
    return { stage: "between", now: words.stopped(words.say(key, figures)), next: next || words.say("end"), slot: current.id };
  }
  if (!next && slots.length) return words.told(proceedings ? "proceedings" : "finished");
  if (next && slots.some((s) => s.ends_at <= now)) return { stage: "between", now: words.say("between"), next, slot: null };
  const published = words.told("published");
  return { ...published, next: next || published.next };
}

/**
 * What is happening and what comes next: {stage, now, next, slot}, as day_of() in day.py.
 * words: the audience's sentences (a Words); drafted: a grid exists; turnout: {joined, voted},
 * which staff are told.
 */
function dayOf(words, state, drafted, now, turnout = { joined: 0, voted: 0 }) {
  const e = state.event;
  if (state.grid?.live) return timetable(words, e.proceedings_published, bySlotTime(state.slots), now);
  if (e.proceedings_published) return words.told("proceedings");
  const pitches = state.pitches.filter((p) => !p.hidden).length;
  let stage = "before";
  if (e.voting_open) stage = "voting";
  else if (e.pitching_open) stage = "pitching";
  else if (drafted) stage = "drafted";
  else if (pitches) stage = "counting";
  const key = stage === "voting" && e.pitching_open && "both_open" in words.table ? "both_open" : stage;
  const figures = { pitches, joined: turnout.joined, voted: turnout.voted };
  return { stage, now: words.say(key, figures), next: words.say(`${stage}_next`), slot: null };
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
    this.words = new Words(JSON.parse(box.dataset.words), box.dataset.audience);
    this.drafted = box.dataset.drafted === "true";
    this.turnout = { joined: Number(box.dataset.joined || 0), voted: Number(box.dataset.voted || 0) };
  }

  hear(change) {
    if (change?.kind === "grid.changed" || change?.kind === "grid.published") this.drafted = true;
  }

  /** Puts the day's two sentences on the page; returns the day. */
  show(state, now = localNow(state.event.timezone)) {
    const day = dayOf(this.words, state, this.drafted, now, state.turnout || this.turnout);
    this.box.dataset.stage = day.stage;
    this.box.hidden = false;
    $("[data-day-now]", this.box).textContent = day.now;
    $("[data-day-next]", this.box).textContent = day.next;
    return day;
  }
}
