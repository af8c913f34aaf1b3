// The whole grid on the projector: rooms across, slots down, a page of rooms at a time, the slot
// on now marked and what the latest release changed highlighted for a while; before the grid is
// out, where the day has got to. Drawn again from the live state after every change and every half minute.
import { DayPanel, localNow } from "./day.js";
import { Live } from "./live.js";
import { Pager } from "./pager.js";
import { $, bySlotTime, clock, h, slugFromPath } from "./ui.js";
import { both, plain, ready, t, tn } from "./voices.js";

const ROOMS = 6; // as BOARD_ROOMS in server/pages/screens.py
const SLOTS = 6; // as BOARD_SLOTS in server/pages/screens_view.py
const slug = slugFromPath();
const day = new DayPanel();
const pager = new Pager(render);
let state = null;
// What the latest release moved or placed anew, as the server drew it (server/grid/recent.py),
// until a publish says otherwise; highlighted for its first minutes, then old news.
const recent = JSON.parse($("#board").dataset.recent || "{}");
let marks = new Map(Object.entries(recent.marks || {}).map(([id, mark]) => [Number(id), mark]));
let fades = Date.now() + (recent.left || 0) * 1000;

const isSession = (slot) => (slot.kind || "session") === "session";

/** As changed() in server/grid/recent.py (a publish's moves are its release's changes against
 * the one before): the first publish places everything, which is no news. */
function changed(moved, placed) {
  const out = new Map(moved.filter((m) => m.to).map((m) => [m.pitch, m.from ? "moved" : "new"]));
  if (placed.length && placed.every((p) => out.get(p.pitch) === "new")) return new Map();
  return out;
}

/** As _window() in server/pages/screens_view.py: a long day shows from the current slot on. */
function windowOf(slots, now) {
  const sessions = slots.flatMap((s, i) => (isSession(s) ? [i] : []));
  if (sessions.length <= SLOTS) return slots;
  const ahead = sessions.findIndex((i) => slots[i].ends_at > now);
  const first = Math.min(ahead < 0 ? sessions.length : ahead, sessions.length - SLOTS);
  return slots.slice(sessions[first], sessions[first + SLOTS - 1] + 1);
}

function cellOf(room, slot, placed) {
  const pitch = placed.get(`${room.id}:${slot.id}`);
  if (!pitch) return h("td", {}, h("span", { class: "free" }, (room.unavailable || []).includes(slot.id) ? t("Not in use") : t("Free")));
  const mark = Date.now() < fades ? marks.get(pitch) || "" : "";
  const title = state.pitches.find((p) => p.id === pitch)?.title || plain(t("A session"));
  return h("td", { class: mark ? `is-${mark}` : "" },
    h("span", { class: "b-title" }, title),
    mark ? [" ", h("span", { class: "b-mark" }, mark === "moved" ? t("Moved") : t("New"))] : null);
}

function render() {
  if (!state) return;
  const e = state.event;
  $("#event-name").textContent = e.name;
  document.title = plain(both(({ t }) => `${e.name} - ${t("the whole grid")}`));
  const now = localNow(e.timezone);
  $("#clock").textContent = clock(now);
  day.show(state, now);
  const live = Boolean(state.grid?.live);
  $("#board").hidden = !live;
  const rooms = pager.page(state.rooms, ROOMS);
  const placed = new Map((live ? state.grid.placements : []).map((p) => [`${p.room}:${p.slot}`, p.pitch]));
  const rows = windowOf(bySlotTime(state.slots), now).map((slot) => {
    const current = slot.starts_at <= now && now < slot.ends_at;
    const head = h("th", { scope: "row" }, h("span", { class: "b-time" }, plain(t("%(start)s to %(end)s", { start: clock(slot.starts_at), end: clock(slot.ends_at) }))),
      current ? [" ", h("span", { class: "b-now" }, t("Now"))] : null,
      slot.label ? [" ", h("span", { class: "b-label" }, slot.label)] : null);
    const cells = isSession(slot)
      ? rooms.map((room) => cellOf(room, slot, placed))
      : h("td", { class: "b-break", colspan: String(Math.max(1, rooms.length)) }, slot.label || (slot.kind === "break" ? t("Break") : t("Plenary")));
    return h("tr", { class: `slot-${slot.kind || "session"}${current ? " is-now" : ""}` }, head, cells);
  });
  $("#board").replaceChildren(
    h("caption", { class: "visually-hidden" }, t("Sessions by room and time")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "corner" }, t("Time")), rooms.map((room) => h("th", { scope: "col" }, room.name)))),
    h("tbody", {}, rows));
}

function onState(next, change) {
  state = next;
  day.hear(change);
  if (change?.kind === "grid.published") {
    marks = changed(change.data.moved || [], state.grid.placements);
    fades = Date.now() + (recent.fade || 0) * 1000;
  }
  render();
}

ready.then(() => new Live({ slug, token: null, statusEl: $("#conn"), words: { t, tn }, onState }).start());
setInterval(render, 30000);
