// The facilitator's grid: rooms across, slots down. Allocate, drag (mouse or touch, by Pointer
// Events), move from a dialog with the keyboard, swap, lock, undo and publish; live checks beside.
import { api } from "./api.js";
import { Live } from "./live.js";
import { $, announce, bySlotTime, clock, h, plural, slotWords, slugFromPath, signIn } from "./ui.js";
import { FEATURES } from "./venue.js";

const slug = slugFromPath();
// The server drew the sign-in form (it never sees a #key=); a link bringing the key signs in.
if (location.hash.includes("key=")) $("#no-key").hidden = true;
await signIn(slug);

let state = null;
let busy = false;
const mine = new Set(); // draft versions this page made, so others' changes can be announced
const leftOut = new Map(); // pitch id -> reason, from the last allocation
let reasons = {}; // pitch id -> the allocator's sentence
const openReasons = new Set();
let moving = null; // {pitch, opener} while the move dialog is open

const isStaff = () => state && (state.role === "organiser" || state.role === "facilitator");
const pitchOf = (id) => state.pitches.find((p) => p.id === id);
const roomOf = (id) => state.rooms.find((r) => r.id === id);
const slotOf = (id) => state.slots.find((s) => s.id === id);
const titleOf = (id) => pitchOf(id)?.title || `Session ${id}`;
const quoted = (id) => `“${titleOf(id)}”`;
const cellWords = (room, slot) => `${roomOf(room)?.name || "a room"} at ${clock(slotOf(slot)?.starts_at)}`;

const live = new Live({ slug, staff: true, statusEl: $("#conn"), onState, onError: (m) => showError(m.message) });

function onState(next, change) {
  state = next;
  // The room and slot forms are drawn by the server: a change to the rooms or slots (someone
  // else's, or an undo) shows in them once the page is drawn again.
  if (change?.kind === "venue.updated") $("#venue-stale").hidden = false;
  if (change?.kind === "grid.changed" && state.draft) {
    if (change.data.allocation) remember(change.data.allocation);
    if (!mine.has(change.data.version)) {
      const released = state.draft.live ? `published release ${change.data.release}` : "unpublished the grid";
      const what = change.data.undone ? `undid “${change.data.undone}”` : change.data.release ? released : "changed the grid";
      announce(`Another facilitator ${what}. ${servedWords()}`);
    }
  }
  render();
}

function remember(allocation) {
  leftOut.clear();
  for (const item of allocation.left_out || []) leftOut.set(item.pitch, item.reason);
  reasons = allocation.reasons || {};
  if (allocation.notice) announce(allocation.notice);
}

/** The allocator names rooms, slots and sessions by id: say their names instead. */

function differs() {
  const draft = state.draft;
  if (!draft.live) return new Set();
  const published = new Map(state.grid.placements.map((p) => [p.pitch, `${p.room}:${p.slot}`]));
  const drafted = new Map(draft.placements.map((p) => [p.pitch, `${p.room}:${p.slot}`]));
  const out = new Set();
  for (const id of new Set([...published.keys(), ...drafted.keys()])) {
    if (published.get(id) !== drafted.get(id)) out.add(id);
  }
  return out;
}

function servedWords() {
  const s = state?.draft?.checks?.served;
  if (!s) return "";
  return `${s.percent}% of votes served.`;
}

// ---------------------------------------------------------------- rendering

function render() {
  if (!state) return;
  const staff = isStaff();
  $("#event-name").textContent = state.event.name;
  document.title = `${state.event.name} - the grid`;
  $("#no-key").hidden = staff;
  $("#grid-app").hidden = !staff || !state.draft;
  if (!staff || !state.draft) return;
  // The forms drawn on the server for browsers without script give way to the live editor.
  for (const drawn of document.querySelectorAll("[data-server]")) drawn.remove();
  $("#live-actions").hidden = false;
  $("#drag-hint").hidden = false;
  $("#back").hidden = false;
  $("#back-link").href = `/e/${encodeURIComponent(slug)}/${state.role === "organiser" ? "organise" : "facilitate"}`;
  const focusKey = document.activeElement?.dataset?.key;
  const draft = state.draft;
  const publish = $("#publish-state");
  publish.textContent = draft.live
    ? `Published. ${plural(differs().size, "change")} not yet published.`
    : "Draft, not published";
  publish.classList.toggle("is-live", draft.live);
  $("#publish").href = `/e/${encodeURIComponent(slug)}/grid/releases`;
  $("#assign-seats").hidden = !draft.live || Object.keys(state.grid.seats || {}).length === 0;
  const undo = $("#undo");
  undo.textContent = draft.undo ? `Undo: ${draft.undo}` : "Undo";
  undo.disabled = !draft.undo;
  // The room and slot forms stay plain forms; they name the draft they change.
  for (const input of document.querySelectorAll("#rooms-and-slots input[name=version]")) input.value = String(draft.version);
  renderGrid();
  renderChecks();
  renderUnplaced();
  if (focusKey && !moving) document.querySelector(`[data-key="${focusKey}"]`)?.focus();
}

function interestOf(pitch, room) {
  const small = state.draft.checks.too_small.find((t) => t.pitch === pitch);
  const votes = small ? small.interest : pitchOf(pitch)?.votes || 0;
  return { votes, capacity: room.capacity, tooSmall: Boolean(small) };
}

/** Seats in a small room, as attendees have claimed them on the published grid. */
function seatWords(id) {
  const seats = state.grid.seats?.[String(id)];
  if (!seats) return null;
  return h("p", { class: "s-seats" },
    `Seated ${seats.seated} of ${seats.capacity}, ${seats.waiting} waiting`);
}

function sessionCard(placement, changed) {
  const { pitch: id, locked } = placement;
  const pitch = pitchOf(id);
  const room = roomOf(placement.room);
  const { votes, capacity, tooSmall } = interestOf(id, room);
  const reason = reasons[String(id)];
  const reasonId = `reason-${id}`;
  const showReason = openReasons.has(id) && reason;
  const card = h("div", { class: `session${locked ? " locked" : ""}${changed ? " changed" : ""}`, "data-pitch": String(id) },
    h("span", { class: "grip", "aria-hidden": "true", title: "Drag to move", "data-grip": String(id) }),
    h("p", { class: "s-title" }, titleOf(id)),
    pitch?.host ? h("p", { class: "s-meta" }, `Hosted by ${pitch.host}`) : null,
    h("p", { class: `s-count${tooSmall ? " too-small" : ""}` },
      tooSmall ? `Too small: ${plural(votes, "vote")}, ${plural(capacity, "seat")}` : `${plural(votes, "vote")}, ${plural(capacity, "seat")}`),
    seatWords(id),
    locked ? h("p", { class: "badge badge-lock" }, "Locked") : null,
    changed ? h("p", { class: "badge badge-changed" }, "Not yet what attendees see") : null,
    h("div", { class: "s-actions" },
      h("button", { type: "button", class: "small secondary", "data-key": `move-${id}`, onclick: (e) => openMove(id, e.currentTarget) },
        "Move…", h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`)),
      h("button", { type: "button", class: "small secondary", "data-key": `lock-${id}`, "aria-pressed": String(locked), onclick: () => setLock(id, !locked) },
        locked ? "Unlock" : "Lock", h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`)),
      h("a", { class: "notes-link", "data-key": `notes-${id}`, href: `/e/${encodeURIComponent(slug)}/notes/${id}` },
        "Notes", h("span", { class: "visually-hidden" }, ` for ${quoted(id)}`)),
      reason ? h("button", {
        type: "button", class: "small link", "data-key": `why-${id}`, "aria-expanded": String(Boolean(showReason)), "aria-controls": reasonId,
        onclick: () => { if (openReasons.has(id)) openReasons.delete(id); else openReasons.add(id); render(); },
      }, "Why here?", h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`)) : null),
    reason ? h("p", { class: "s-reason", id: reasonId, hidden: !showReason }, `When allocated: ${reason}`) : null);
  return card;
}

function renderGrid() {
  const table = $("#grid");
  const rooms = state.rooms;
  const slots = bySlotTime(state.slots);
  $("#no-venue").hidden = rooms.length > 0 && slots.length > 0;
  const changedSet = differs();
  const at = new Map(state.draft.placements.map((p) => [`${p.room}:${p.slot}`, p]));
  const head = h("tr", {}, h("th", { scope: "col", class: "corner" }, "Time"),
    rooms.map((room) => h("th", { scope: "col" },
      h("span", { class: "r-name" }, room.name),
      h("span", { class: "r-meta" }, plural(room.capacity, "seat")),
      room.features.length ? h("span", { class: "r-meta" }, room.features.map((f) => FEATURES[f] || f).join(", ")) : null)));
  const body = slots.map((slot) => {
    const th = h("th", { scope: "row", class: "slot-head" },
      h("span", { class: "t" }, `${clock(slot.starts_at)}–${clock(slot.ends_at)}`),
      slot.label ? h("span", { class: "r-meta" }, slot.label) : null);
    if (slot.kind && slot.kind !== "session") {
      return h("tr", { class: `slot-${slot.kind}` }, th,
        h("td", { colspan: String(Math.max(1, rooms.length)), class: "break-cell" },
          slot.kind === "break" ? "Break" : "Plenary", slot.label ? `: ${slot.label}` : "", " (no sessions)"));
    }
    return h("tr", {}, th, rooms.map((room) => {
      if ((room.unavailable || []).includes(slot.id)) {
        return h("td", { class: "cell unavailable" }, h("span", {}, "Room not available"));
      }
      const placement = at.get(`${room.id}:${slot.id}`);
      return h("td", { class: "cell", "data-drop": "cell", "data-room": String(room.id), "data-slot": String(slot.id) },
        placement ? sessionCard(placement, changedSet.has(placement.pitch)) : h("span", { class: "empty" }, "Empty"));
    }));
  });
  table.replaceChildren(
    h("caption", { class: "visually-hidden" }, "Sessions by room and time slot"),
    h("thead", {}, head), h("tbody", {}, body));
}

function renderChecks() {
  const { served, too_small: tooSmall, clashes } = state.draft.checks;
  const placed = state.draft.placements.length;
  const root = $("#checks");
  const slotName = (id) => { const s = slotOf(id); return s ? slotWords(s) : `slot ${id}`; };
  root.replaceChildren(
    h("div", { class: "check-card" },
      h("p", { class: "big" }, placed ? `${served.percent}% of votes served` : "No sessions placed yet"),
      placed
        ? h("p", {}, `${served.served} of ${plural(served.total, "vote")} for placed sessions can all happen. `,
          `${plural(served.lost_to_clashes, "vote")} lost to clashes, ${plural(served.lost_to_seats, "vote")} lost to full rooms.`)
        : h("p", {}, "Nothing is on the grid yet. Press Allocate to fill it from the votes.")),
    h("h3", {}, "Rooms too small"),
    tooSmall.length
      ? h("ul", { class: "warn-list" }, tooSmall.map((t) => h("li", {},
        `${quoted(t.pitch)} in ${roomOf(t.room)?.name || "its room"}: ${plural(t.interest, "person", "people")} want it, ${plural(t.capacity, "seat")}.`)))
      : h("p", {}, "None: every session fits its room."),
    h("h3", {}, "Clashes"),
    clashes.length
      ? h("ul", {}, clashes.map((c) => h("li", { class: c.attendees ? "warn" : "" },
        `${slotName(c.slot)}: `,
        c.attendees ? `${plural(c.attendees, "person", "people")} voted for two or more sessions at this time.` : "no clashes.")))
      : h("p", {}, "No session slots yet."),
  );
}

function renderUnplaced() {
  const list = $("#unplaced");
  // Derived here rather than sent: pitches arrive and votes move without any grid change.
  const placed = new Set(state.draft.placements.map((p) => p.pitch));
  const ids = state.pitches
    .filter((p) => !p.hidden && !placed.has(p.id))
    .sort((a, b) => b.votes - a.votes || a.id - b.id)
    .map((p) => p.id);
  list.replaceChildren(...ids.map((id) => {
    const pitch = pitchOf(id);
    const reason = leftOut.get(id);
    return h("li", { class: "session unplaced-item", "data-pitch": String(id) },
      h("span", { class: "grip", "aria-hidden": "true", title: "Drag to place", "data-grip": String(id) }),
      h("p", { class: "s-title" }, titleOf(id)),
      h("p", { class: "s-meta" }, `${plural(pitch?.votes || 0, "vote")}${pitch?.host ? ` · Hosted by ${pitch.host}` : ""}`),
      reason ? h("p", { class: "s-reason" }, reason) : null,
      h("div", { class: "s-actions" },
        h("button", { type: "button", class: "small secondary", "data-key": `move-${id}`, onclick: (e) => openMove(id, e.currentTarget) },
          "Place…", h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`))));
  }));
  $("#unplaced-empty").hidden = ids.length > 0;
}

// ---------------------------------------------------------------- commands

function showError(message) {
  $("#grid-error-text").textContent = message;
  $("#grid-error").hidden = false;
}

function hideError() {
  $("#grid-error").hidden = true;
  $("#grid-error-text").textContent = "";
}

async function command(path, body, said) {
  if (!state?.draft || busy) return false;
  busy = true;
  hideError();
  try {
    const answer = await api("POST", `/api/e/${encodeURIComponent(slug)}/grid/${path}`, {
      staff: true, body: { version: state.draft.version, ...body },
    });
    if (answer.draft) {
      mine.add(answer.draft.version);
      if (answer.draft.version >= state.draft.version) state.draft = answer.draft;
    }
    if (answer.allocation) remember(answer.allocation);
    render();
    announce(`${said(answer)} ${servedWords()}`);
    return true;
  } catch (error) {
    showError(error.detail || error.message);
    if (error.status === 409) catchUp(state.draft.version);
    return false;
  } finally {
    busy = false;
  }
}

/** After a refusal the socket normally has the fresh grid already; if not, fetch it. */
function catchUp(version) {
  setTimeout(async () => {
    if (state.draft.version !== version) return;
    try { live.adopt(await api("GET", `/api/e/${encodeURIComponent(slug)}`, { staff: true })); } catch { /* the socket will bring it */ }
  }, 1500);
}

function placementOf(id) {
  return state.draft.placements.find((p) => p.pitch === id);
}

function move(id, room, slot) {
  const occupant = state.draft.placements.find((p) => p.room === room && p.slot === slot && p.pitch !== id);
  const words = cellWords(room, slot);
  return command("move", { pitch: id, room, slot }, () =>
    occupant ? `Swapped: ${quoted(id)} is now in ${words}; ${quoted(occupant.pitch)} took its place.` : `Moved ${quoted(id)} to ${words}.`);
}

function unplace(id) {
  return command("unplace", { pitch: id }, () => `${quoted(id)} is off the grid.`);
}

function setLock(id, locked) {
  return command("lock", { pitch: id, locked }, () => `${quoted(id)} is ${locked ? "locked" : "unlocked"}.`);
}

$("#allocate").addEventListener("click", () => command("allocate", {}, (answer) => {
  const a = answer.allocation || {};
  const out = (a.left_out || []).length;
  return `Allocated in ${a.seconds ?? "?"} seconds. ${plural(a.moved ?? 0, "unlocked session")} moved.${out ? ` ${plural(out, "session")} left out.` : ""}`;
}));
$("#undo").addEventListener("click", () => command("undo", {}, (answer) => [
  `Undone: ${answer.undone || "the last change"}.`,
  // A room brought back whose name another room has taken since comes back under a new one.
  ...(answer.renamed || []).map((r) => `The room “${r.was}” came back as “${r.now}”, since another room has its name now.`),
].join(" ")));
$("#assign-seats").addEventListener("click", () => command("seats", {}, (answer) =>
  `Seats assigned: ${plural(answer.assigned ?? 0, "more person", "more people")} seated in small rooms, by their votes.`));

// ---------------------------------------------------------------- the move dialog

const dialog = $("#move-dialog");
const roomSelect = $("#move-room");
const slotSelect = $("#move-slot");

function openMove(id, opener) {
  moving = { pitch: id, opener: opener.dataset.key };
  const current = placementOf(id);
  $("#move-heading").textContent = current ? `Move ${quoted(id)}` : `Place ${quoted(id)}`;
  roomSelect.replaceChildren(...state.rooms.map((r) => h("option", { value: String(r.id) }, `${r.name} (${plural(r.capacity, "seat")})`)));
  const sessionSlots = bySlotTime(state.slots).filter((s) => (s.kind || "session") === "session");
  slotSelect.replaceChildren(...sessionSlots.map((s) => h("option", { value: String(s.id) }, slotWords(s))));
  if (current) {
    roomSelect.value = String(current.room);
    slotSelect.value = String(current.slot);
  } else {
    const free = firstFree(sessionSlots);
    if (free) { roomSelect.value = String(free.room); slotSelect.value = String(free.slot); }
  }
  $("#move-unplace").hidden = !current;
  describeTarget();
  dialog.showModal();
  roomSelect.focus();
}

function firstFree(sessionSlots) {
  const taken = new Set(state.draft.placements.map((p) => `${p.room}:${p.slot}`));
  for (const slot of sessionSlots) {
    for (const room of state.rooms) {
      if (!taken.has(`${room.id}:${slot.id}`) && !(room.unavailable || []).includes(slot.id)) return { room: room.id, slot: slot.id };
    }
  }
  return null;
}

function describeTarget() {
  if (!moving) return;
  const room = Number(roomSelect.value);
  const slot = Number(slotSelect.value);
  const about = $("#move-about");
  const r = roomOf(room);
  if (!r || !slotOf(slot)) { about.textContent = "There are no cells to move to."; return; }
  const here = state.draft.placements.find((p) => p.room === room && p.slot === slot);
  const current = placementOf(moving.pitch);
  if ((r.unavailable || []).includes(slot)) about.textContent = `${r.name} is not available at that time.`;
  else if (!here) about.textContent = "That cell is empty.";
  else if (here.pitch === moving.pitch) about.textContent = "This is where it is now.";
  else if (here.locked) about.textContent = `${quoted(here.pitch)} is there and locked: unlock it first.`;
  else if (current) about.textContent = `${quoted(here.pitch)} is there: the two will swap places.`;
  else about.textContent = `${quoted(here.pitch)} is there: it will go back to the list of sessions not on the grid.`;
}

function closeMove() {
  const opener = moving?.opener;
  const id = moving?.pitch;
  moving = null;
  if (dialog.open) dialog.close();
  const back = document.querySelector(`[data-key="${opener}"]`) || document.querySelector(`[data-key="move-${id}"]`);
  back?.focus();
}

roomSelect.addEventListener("change", describeTarget);
slotSelect.addEventListener("change", describeTarget);
$("#move-cancel").addEventListener("click", closeMove);
dialog.addEventListener("cancel", (e) => { e.preventDefault(); closeMove(); });
$("#move-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!moving) return;
  const id = moving.pitch;
  const room = Number(roomSelect.value);
  const slot = Number(slotSelect.value);
  moving.opener = `move-${id}`;
  closeMove();
  await move(id, room, slot);
  document.querySelector(`[data-key="move-${id}"]`)?.focus();
});
$("#move-unplace").addEventListener("click", async () => {
  if (!moving) return;
  const id = moving.pitch;
  closeMove();
  await unplace(id);
  document.querySelector(`[data-key="move-${id}"]`)?.focus();
});

// ---------------------------------------------------------------- dragging (Pointer Events)

let drag = null;

function dropTargetAt(x, y) {
  const el = document.elementFromPoint(x, y);
  return el ? el.closest("[data-drop]") : null;
}

function onPointerDown(e) {
  const grip = e.target.closest("[data-grip]");
  if (!grip || (e.pointerType === "mouse" && e.button !== 0) || busy) return;
  e.preventDefault();
  drag = { pitch: Number(grip.dataset.grip), x: e.clientX, y: e.clientY, started: false, target: null, ghost: null, id: e.pointerId };
  document.addEventListener("pointermove", onPointerMove);
  document.addEventListener("pointerup", onPointerUp);
  document.addEventListener("pointercancel", endDrag);
  document.addEventListener("keydown", onDragKey);
}

function onPointerMove(e) {
  if (!drag || e.pointerId !== drag.id) return;
  if (!drag.started) {
    if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 6) return;
    drag.started = true;
    drag.ghost = h("div", { class: "drag-ghost", "aria-hidden": "true" }, titleOf(drag.pitch));
    document.body.append(drag.ghost);
    document.body.classList.add("dragging");
    document.querySelector(`.session[data-pitch="${drag.pitch}"]`)?.classList.add("drag-source");
  }
  e.preventDefault();
  drag.ghost.style.transform = `translate(${e.clientX + 10}px, ${e.clientY + 10}px)`;
  const target = dropTargetAt(e.clientX, e.clientY);
  if (target !== drag.target) {
    drag.target?.classList.remove("drop-target");
    target?.classList.add("drop-target");
    drag.target = target;
  }
  autoScroll(e.clientX, e.clientY);
}

function autoScroll(x, y) {
  const box = $("#grid-scroll").getBoundingClientRect();
  const edge = 40;
  if (y > box.top && y < box.bottom) {
    if (x > box.right - edge) $("#grid-scroll").scrollLeft += 12;
    else if (x < box.left + edge) $("#grid-scroll").scrollLeft -= 12;
  }
  if (y > innerHeight - edge) scrollBy(0, 12);
  else if (y < edge) scrollBy(0, -12);
}

function onPointerUp(e) {
  if (!drag || e.pointerId !== drag.id) return;
  const { pitch, started } = drag;
  const target = started ? dropTargetAt(e.clientX, e.clientY) : null;
  endDrag();
  if (!target) return;
  if (target.dataset.drop === "unplaced") {
    if (placementOf(pitch)) unplace(pitch);
    return;
  }
  const room = Number(target.dataset.room);
  const slot = Number(target.dataset.slot);
  const current = placementOf(pitch);
  if (current && current.room === room && current.slot === slot) return;
  move(pitch, room, slot);
}

function onDragKey(e) {
  if (e.key === "Escape") { endDrag(); announce("Drag cancelled."); }
}

function endDrag() {
  if (!drag) return;
  drag.ghost?.remove();
  drag.target?.classList.remove("drop-target");
  document.body.classList.remove("dragging");
  for (const el of document.querySelectorAll(".drag-source")) el.classList.remove("drag-source");
  drag = null;
  document.removeEventListener("pointermove", onPointerMove);
  document.removeEventListener("pointerup", onPointerUp);
  document.removeEventListener("pointercancel", endDrag);
  document.removeEventListener("keydown", onDragKey);
}

document.addEventListener("pointerdown", onPointerDown);

live.start();
setTimeout(async () => {
  if (state) return;
  try {
    const snapshot = await api("GET", `/api/e/${encodeURIComponent(slug)}`, { staff: true });
    if (!state) live.adopt(snapshot);
  } catch { /* keep waiting for the live connection */ }
}, 4000);
