// Where the day has got to, as server/events/day.py says it (the same rules and sentences), so
// a shared screen moves on as the clock passes a slot's end; and the event's wall clock.
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

const coming = (slot, now) => {
  const day = slot.starts_at.slice(0, 10);
  return `${day === now.slice(0, 10) ? "Next" : `Next, on ${day}`}: ${slot.label || "sessions"} at ${clock(slot.starts_at)}`;
};

function timetable(proceedings, slots, now) {
  const current = slots.find((s) => s.starts_at <= now && now < s.ends_at) || null;
  const from = current ? current.ends_at : now;
  const later = slots.filter((s) => s.starts_at >= from);
  const next = later.length ? coming(later[0], now) : null;
  if (current && (current.kind || "session") === "session") {
    return { stage: "running", now: `${current.label || "Sessions"}, until ${clock(current.ends_at)}`,
      next: next || "These are the last sessions of the day.", slot: current.id };
  }
  if (current) {
    const name = current.label || (current.kind === "break" ? "Break" : "Plenary");
    return { stage: "between", now: `${name} until ${clock(current.ends_at)}`, next: next || "That is the end of the day.", slot: current.id };
  }
  if (!next && slots.length) {
    return { stage: "finished", now: "That's all: no more sessions.",
      next: proceedings ? "Thank you for coming. The write-ups of the sessions are online." : "Thank you for coming. Write-ups of the sessions follow." };
  }
  if (next && slots.some((s) => s.ends_at <= now)) return { stage: "between", now: "Between sessions.", next };
  return { stage: "published", now: "The grid is published: find your sessions on your phone.", next: next || "The times of the day follow." };
}

/** What is happening and what comes next: {stage, now, next, slot}. drafted: a grid exists. */
export function dayOf(state, drafted, now) {
  const e = state.event;
  if (state.grid?.live) return timetable(e.proceedings_published, bySlotTime(state.slots), now);
  if (e.voting_open) {
    return { stage: "voting", now: `${e.pitching_open ? "Pitching and voting are open" : "Voting is open"}: place your dots on the sessions you want to be in.`,
      next: "When voting closes, the sessions are placed in rooms and times." };
  }
  if (e.pitching_open) {
    return { stage: "pitching", now: "Pitching is open: pitch a session from your phone.",
      next: "Voting comes next: everyone places dots on the sessions they want." };
  }
  if (drafted) return { stage: "drafted", now: "The grid is being put together.", next: "It appears here and on every phone when it is published." };
  if (state.pitches.some((p) => !p.hidden)) {
    return { stage: "counting", now: "Pitching and voting are closed: the dots are being counted.",
      next: "The grid comes next: which session is in which room, and when." };
  }
  return { stage: "before", now: "Welcome. Pitching opens soon.", next: "Think of a question, a demo or a conversation you would like to start." };
}

/** Whether a grid has been drafted: drawn by the server, then told by the grid's changes. */
export class Drafted {
  constructor() { this.yes = $("#main").dataset.drafted === "true"; }
  hear(change) { if (change?.kind === "grid.changed" || change?.kind === "grid.published") this.yes = true; }
}

/** Puts the day's two sentences on the page (partials/day.html); returns the day. */
export function showDay(state, drafted, now) {
  const day = dayOf(state, drafted, now);
  $("#day").dataset.stage = day.stage;
  $("#now-banner").textContent = day.now;
  $("#day-next").textContent = day.next;
  return day;
}
