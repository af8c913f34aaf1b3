// Now and next, for screens around the venue: by room, what is on now and what comes next, from
// the published grid and the event's own wall clock, a page of rooms at a time; before the grid
// is out, where the day has got to. ?at=YYYY-MM-DDTHH:MM fixes "now" for tests.
import { DayPanel, localNow } from "./day.js";
import { Live } from "./live.js";
import { Pager } from "./pager.js";
import { $, bySlotTime, clock, h, slugFromPath } from "./ui.js";
import { both, plain, ready, t, tn } from "./voices.js";

const ROOMS = 12; // as NOW_ROOMS in server/pages/screens.py
const slug = slugFromPath();
const day = new DayPanel();
const pager = new Pager(render);
let state = null;

function titleOf(id) {
  return state.pitches.find((p) => p.id === id)?.title || plain(t("A session"));
}

function render() {
  if (!state) return;
  const e = state.event;
  $("#event-name").textContent = e.name;
  document.title = plain(both(({ t }) => `${e.name} - ${t("now and next")}`));
  const now = localNow(e.timezone);
  $("#clock").textContent = clock(now);
  day.show(state, now);
  const slots = bySlotTime(state.slots);
  const live = Boolean(state.grid?.live);
  const placements = live ? state.grid.placements : [];
  const current = slots.find((s) => s.starts_at <= now && now < s.ends_at) || null;
  const later = slots.filter((s) => s.starts_at > now || (current && s.starts_at >= current.ends_at));
  const at = (roomId, slotId) => placements.find((p) => p.room === roomId && p.slot === slotId);
  $("#rooms").hidden = !live;
  $("#rooms").replaceChildren(...pager.page(state.rooms, ROOMS).map((room) => {
    const on = current ? at(room.id, current.id) : null;
    const nextSlot = later.find((s) => at(room.id, s.id));
    const next = nextSlot ? at(room.id, nextSlot.id) : null;
    return h("li", { "aria-labelledby": `room-${room.id}` },
      h("h2", { id: `room-${room.id}` }, room.name),
      h("p", { class: "lbl" }, both(({ t }) => [t("Now"), on ? [" ", h("span", { class: "when" }, t("until %(time)s", { time: clock(current.ends_at) }))] : null])),
      on ? h("span", { class: "now-title" }, titleOf(on.pitch)) : h("span", { class: "free" }, t("Nothing on")),
      h("p", { class: "lbl" }, both(({ t }) => [t("Next"), next ? [" ", h("span", { class: "when" }, t("at %(time)s", { time: clock(nextSlot.starts_at) }))] : null])),
      next ? h("span", { class: "next-title" }, titleOf(next.pitch)) : h("span", { class: "free" }, t("Nothing more here")));
  }));
}

ready.then(() => new Live({ slug, token: null, statusEl: $("#conn"), words: { t, tn }, onState: (next, change) => { state = next; day.hear(change); render(); } }).start());
setInterval(render, 30000);
