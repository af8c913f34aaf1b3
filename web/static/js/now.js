// Now and next, for screens around the venue: by room, what is on now and what comes next, from
// the published grid and the event's own wall clock. ?at=YYYY-MM-DDTHH:MM fixes "now" for tests.
import { Live } from "./live.js";
import { $, bySlotTime, clock, h, slugFromPath } from "./ui.js";

const slug = slugFromPath();
const fixed = new URLSearchParams(location.search).get("at");
const FIXED = fixed && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(fixed) ? fixed : null;
let state = null;

/** The event's local wall clock as "YYYY-MM-DDTHH:MM". */
function localNow(timeZone) {
  if (FIXED) return FIXED;
  let parts;
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date());
  } catch {
    parts = new Intl.DateTimeFormat("en-GB", {
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date());
  }
  const get = (type) => parts.find((p) => p.type === type)?.value || "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

function titleOf(id) {
  return state.pitches.find((p) => p.id === id)?.title || "A session";
}

function render() {
  if (!state) return;
  const e = state.event;
  $("#event-name").textContent = e.name;
  document.title = `${e.name} - now and next`;
  const now = localNow(e.timezone);
  $("#clock").textContent = clock(now);
  const slots = bySlotTime(state.slots);
  const live = state.grid?.live;
  const placements = live ? state.grid.placements : [];
  const current = slots.find((s) => s.starts_at <= now && now < s.ends_at) || null;
  const later = slots.filter((s) => s.starts_at > now || (current && s.starts_at >= current.ends_at));
  const banner = $("#now-banner");
  const today = now.slice(0, 10);
  if (!live) banner.textContent = "The grid isn’t published yet.";
  else if (current && current.kind && current.kind !== "session") {
    banner.textContent = `${current.label || (current.kind === "break" ? "Break" : "Plenary")} until ${clock(current.ends_at)}`;
  } else if (!current && later.length) {
    const next = later[0];
    banner.textContent = `${next.starts_at.slice(0, 10) === today ? "Next" : "Next, on " + next.starts_at.slice(0, 10)}: ${next.label || "sessions"} at ${clock(next.starts_at)}`;
  } else if (!current && !later.length) banner.textContent = "That’s all: no more sessions.";
  else banner.textContent = current.label ? `${current.label}, until ${clock(current.ends_at)}` : "";

  const at = (roomId, slotId) => placements.find((p) => p.room === roomId && p.slot === slotId);
  $("#rooms").replaceChildren(...state.rooms.map((room) => {
    const on = current ? at(room.id, current.id) : null;
    const nextSlot = later.find((s) => at(room.id, s.id));
    const next = nextSlot ? at(room.id, nextSlot.id) : null;
    return h("li", { "aria-labelledby": `room-${room.id}` },
      h("h2", { id: `room-${room.id}` }, room.name),
      h("span", { class: "lbl" }, "Now"),
      on
        ? [h("span", { class: "now-title" }, titleOf(on.pitch)), h("span", { class: "when" }, `until ${clock(current.ends_at)}`)]
        : h("span", { class: "free" }, "Nothing on"),
      h("span", { class: "lbl" }, "Next"),
      next
        ? [h("span", { class: "next-title" }, titleOf(next.pitch)), h("span", { class: "when" }, `at ${clock(nextSlot.starts_at)}`)]
        : h("span", { class: "free" }, "Nothing more here"));
  }));
}

new Live({ slug, token: null, statusEl: $("#conn"), onState: (next) => { state = next; render(); } }).start();
setInterval(render, 30000);
