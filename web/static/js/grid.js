// The facilitator's grid: rooms across, slots down. Allocate, drag (mouse or touch, by Pointer
// Events), move from a dialog with the keyboard, swap, lock, undo and publish; live checks beside.
import { api } from "./api.js";
import { lang, ready, t, tn } from "./i18n.js";
import { Live } from "./live.js";
import { $, announce, bySlotTime, clock, h, slotWords, slugFromPath, signIn } from "./ui.js";
import { FEATURES } from "./venue.js";

const slug = slugFromPath();
// The server drew the sign-in form (it never sees a #key=); a link bringing the key signs in.
if (location.hash.includes("key=")) $("#no-key").hidden = true;
await Promise.all([signIn(slug), ready]);

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
const titleOf = (id) => pitchOf(id)?.title || t("Session %(id)s", { id });
const quoted = (id) => `“${titleOf(id)}”`;
/** The placeholders naming a cell: {room, time}. */
const cellWords = (room, slot) => ({ room: roomOf(room)?.name || t("a room"), time: clock(slotOf(slot)?.starts_at) });

const live = new Live({ slug, staff: true, statusEl: $("#conn"), onState, onError: (m) => showError(m.message) });

function onState(next, change) {
  state = next;
  // The room and slot forms are drawn by the server: a change to the rooms or slots (someone
  // else's, or an undo) shows in them once the page is drawn again.
  if (change?.kind === "venue.updated") $("#venue-stale").hidden = false;
  if (change?.kind === "grid.changed" && state.draft) {
    if (change.data.allocation) remember(change.data.allocation);
    if (!mine.has(change.data.version)) {
      const d = change.data;
      const what = d.undone ? t("Another facilitator undid “%(what)s”.", { what: ours(d.undone) })
        : !d.release ? t("Another facilitator changed the grid.")
          : state.draft.live ? t("Another facilitator published release %(release)s.", { release: d.release })
            : t("Another facilitator unpublished the grid.");
      announce(`${what} ${servedWords()}`);
    }
  }
  render();
}

function remember(allocation) {
  leftOut.clear();
  for (const item of allocation.left_out || []) leftOut.set(item.pitch, ours(item.reason));
  reasons = Object.fromEntries(Object.entries(allocation.reasons || {}).map(([id, why]) => [id, ours(why)]));
  if (allocation.notice) announce(ours(allocation.notice));
}

/** The allocator's words come said in each of the event's languages ({cy: …, en: …}): this
 * page's, else the event's first. A draft kept before they were (a screen catching up on old
 * changes) said them in English alone. */
function ours(said) {
  return typeof said === "string" ? said : said[lang] ?? Object.values(said)[0];
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
  return t("%(percent)s%% of votes served.", { percent: s.percent });
}

// ---------------------------------------------------------------- rendering

function render() {
  if (!state) return;
  const staff = isStaff();
  $("#event-name").textContent = state.event.name;
  document.title = t("%(event)s - the grid", { event: state.event.name });
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
    ? tn("Published. %(n)s change not yet published.", "Published. %(n)s changes not yet published.", differs().size)
    : t("Draft, not published");
  publish.classList.toggle("is-live", draft.live);
  $("#publish").href = `/e/${encodeURIComponent(slug)}/grid/releases`;
  $("#assign-seats").hidden = !draft.live || Object.keys(state.grid.seats || {}).length === 0;
  const undo = $("#undo");
  undo.textContent = draft.undo ? t("Undo: %(what)s", { what: ours(draft.undo) }) : t("Undo");
  undo.disabled = !draft.undo;
  // The room and slot forms stay plain forms; they name the draft they change.
  for (const input of document.querySelectorAll("#rooms-and-slots input[name=version]")) input.value = String(draft.version);
  renderGrid();
  renderChecks();
  renderUnplaced();
  if (focusKey && !moving) document.querySelector(`[data-key="${focusKey}"]`)?.focus();
}

const seatCount = (n) => tn("%(n)s seat", "%(n)s seats", n);

/** What a break or plenary row says across the rooms. */
function breakWords(slot) {
  if (slot.kind === "break") return slot.label ? t("Break: %(label)s (no sessions)", { label: slot.label }) : t("Break (no sessions)");
  return slot.label ? t("Plenary: %(label)s (no sessions)", { label: slot.label }) : t("Plenary (no sessions)");
}

function interestOf(pitch, room) {
  const small = state.draft.checks.too_small.find((item) => item.pitch === pitch);
  const votes = small ? small.interest : pitchOf(pitch)?.votes || 0;
  return { votes, capacity: room.capacity, tooSmall: Boolean(small) };
}

/** Seats in a small room, as attendees have claimed them on the published grid. */
function seatWords(id) {
  const seats = state.grid.seats?.[String(id)];
  if (!seats) return null;
  return h("p", { class: "s-seats" },
    t("Seated %(seated)s of %(capacity)s, %(waiting)s waiting", seats));
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
    h("span", { class: "grip", "aria-hidden": "true", title: t("Drag to move"), "data-grip": String(id) }),
    h("p", { class: "s-title" }, titleOf(id)),
    pitch?.host ? h("p", { class: "s-meta" }, t("Hosted by %(host)s", { host: pitch.host })) : null,
    h("p", { class: `s-count${tooSmall ? " too-small" : ""}` },
      // Translators: %(seats)s is the room's seats, from "%(n)s seat" / "%(n)s seats".
      tooSmall
        ? tn("Too small: %(n)s vote, %(seats)s", "Too small: %(n)s votes, %(seats)s", votes, { seats: seatCount(capacity) })
        : tn("%(n)s vote, %(seats)s", "%(n)s votes, %(seats)s", votes, { seats: seatCount(capacity) })),
    seatWords(id),
    locked ? h("p", { class: "badge badge-lock" }, t("Locked")) : null,
    changed ? h("p", { class: "badge badge-changed" }, t("Not yet what attendees see")) : null,
    h("div", { class: "s-actions" },
      h("button", { type: "button", class: "small secondary", "data-key": `move-${id}`, onclick: (e) => openMove(id, e.currentTarget) },
        t("Move…"), h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`)),
      h("button", { type: "button", class: "small secondary", "data-key": `lock-${id}`, "aria-pressed": String(locked), onclick: () => setLock(id, !locked) },
        locked ? t("Unlock") : t("Lock"), h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`)),
      h("a", { class: "notes-link", "data-key": `notes-${id}`, href: `/e/${encodeURIComponent(slug)}/notes/${id}` },
        // Translators: "for “title”" follows "Notes" on the link, for screen readers.
        t("Notes"), h("span", { class: "visually-hidden" }, " " + t("for %(title)s", { title: quoted(id) }))),
      reason ? h("button", {
        type: "button", class: "small link", "data-key": `why-${id}`, "aria-expanded": String(Boolean(showReason)), "aria-controls": reasonId,
        onclick: () => { if (openReasons.has(id)) openReasons.delete(id); else openReasons.add(id); render(); },
      }, t("Why here?"), h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`)) : null),
    reason ? h("p", { class: "s-reason", id: reasonId, hidden: !showReason }, t("When allocated: %(reason)s", { reason })) : null);
  return card;
}

function renderGrid() {
  const table = $("#grid");
  const rooms = state.rooms;
  const slots = bySlotTime(state.slots);
  $("#no-venue").hidden = rooms.length > 0 && slots.length > 0;
  const changedSet = differs();
  const at = new Map(state.draft.placements.map((p) => [`${p.room}:${p.slot}`, p]));
  const head = h("tr", {}, h("th", { scope: "col", class: "corner" }, t("Time")),
    rooms.map((room) => h("th", { scope: "col" },
      h("span", { class: "r-name" }, room.name),
      h("span", { class: "r-meta" }, seatCount(room.capacity)),
      room.features.length ? h("span", { class: "r-meta" }, room.features.map((f) => FEATURES[f] || f).join(", ")) : null)));
  const body = slots.map((slot) => {
    const th = h("th", { scope: "row", class: "slot-head" },
      h("span", { class: "t" }, `${clock(slot.starts_at)}–${clock(slot.ends_at)}`),
      slot.label ? h("span", { class: "r-meta" }, slot.label) : null);
    if (slot.kind && slot.kind !== "session") {
      return h("tr", { class: `slot-${slot.kind}` }, th,
        h("td", { colspan: String(Math.max(1, rooms.length)), class: "break-cell" },
          breakWords(slot)));
    }
    return h("tr", {}, th, rooms.map((room) => {
      if ((room.unavailable || []).includes(slot.id)) {
        return h("td", { class: "cell unavailable" }, h("span", {}, t("Room not available")));
      }
      const placement = at.get(`${room.id}:${slot.id}`);
      return h("td", { class: "cell", "data-drop": "cell", "data-room": String(room.id), "data-slot": String(slot.id) },
        placement ? sessionCard(placement, changedSet.has(placement.pitch)) : h("span", { class: "empty" }, t("Empty")));
    }));
  });
  table.replaceChildren(
    h("caption", { class: "visually-hidden" }, t("Sessions by room and time slot")),
    h("thead", {}, head), h("tbody", {}, body));
  // A change from elsewhere can redraw the grid mid-drag: the dragged card stays marked, and the
  // next move finds the cell under the finger again.
  if (drag?.started) {
    document.querySelector(`.session[data-pitch="${drag.pitch}"]`)?.classList.add("drag-source");
    drag.target = null;
  }
}

function renderChecks() {
  const { served, too_small: tooSmall, clashes } = state.draft.checks;
  const placed = state.draft.placements.length;
  const root = $("#checks");
  const slotName = (id) => { const s = slotOf(id); return s ? slotWords(s) : t("slot %(id)s", { id }); };
  root.replaceChildren(
    h("div", { class: "check-card" },
      h("p", { class: "big" }, placed ? t("%(percent)s%% of votes served", { percent: served.percent }) : t("No sessions placed yet")),
      placed
        ? h("p", {}, [
          tn("%(served)s of %(n)s vote for placed sessions can all happen.", "%(served)s of %(n)s votes for placed sessions can all happen.",
            served.total, { served: served.served }),
          tn("%(n)s vote lost to clashes.", "%(n)s votes lost to clashes.", served.lost_to_clashes),
          tn("%(n)s vote lost to full rooms.", "%(n)s votes lost to full rooms.", served.lost_to_seats),
        ].join(" "))
        : h("p", {}, t("Nothing is on the grid yet. Press Allocate to fill it from the votes."))),
    h("h3", {}, t("Rooms too small")),
    tooSmall.length
      ? h("ul", { class: "warn-list" }, tooSmall.map((small) => {
        // Said apart: Babel finds no t() inside another call's arguments.
        const room = roomOf(small.room)?.name || t("its room");
        return h("li", {}, [
          tn("%(title)s in %(room)s: %(n)s person wants it.", "%(title)s in %(room)s: %(n)s people want it.", small.interest,
            { title: quoted(small.pitch), room }),
          tn("It has %(n)s seat.", "It has %(n)s seats.", small.capacity),
        ].join(" "));
      }))
      : h("p", {}, t("None: every session fits its room.")),
    h("h3", {}, t("Clashes")),
    clashes.length
      ? h("ul", {}, clashes.map((c) => h("li", { class: c.attendees ? "warn" : "" },
        c.attendees
          ? tn("%(slot)s: %(n)s person voted for two or more sessions at this time.",
            "%(slot)s: %(n)s people voted for two or more sessions at this time.", c.attendees, { slot: slotName(c.slot) })
          : t("%(slot)s: no clashes.", { slot: slotName(c.slot) }))))
      : h("p", {}, t("No session slots yet.")),
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
      h("span", { class: "grip", "aria-hidden": "true", title: t("Drag to place"), "data-grip": String(id) }),
      h("p", { class: "s-title" }, titleOf(id)),
      h("p", { class: "s-meta" }, [
        tn("%(n)s vote", "%(n)s votes", pitch?.votes || 0),
        ...(pitch?.host ? [t("Hosted by %(host)s", { host: pitch.host })] : []),
      ].join(" · ")),
      reason ? h("p", { class: "s-reason" }, reason) : null,
      h("div", { class: "s-actions" },
        h("button", { type: "button", class: "small secondary", "data-key": `move-${id}`, onclick: (e) => openMove(id, e.currentTarget) },
          t("Place…"), h("span", { class: "visually-hidden" }, ` ${titleOf(id)}`))));
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
  return command("move", { pitch: id, room, slot }, () => (occupant
    ? t("Swapped: %(title)s is now in %(room)s at %(time)s; %(other)s took its place.", { title: quoted(id), other: quoted(occupant.pitch), ...words })
    : t("Moved %(title)s to %(room)s at %(time)s.", { title: quoted(id), ...words })));
}

function unplace(id) {
  return command("unplace", { pitch: id }, () => t("%(title)s is off the grid.", { title: quoted(id) }));
}

function setLock(id, locked) {
  return command("lock", { pitch: id, locked }, () => (locked ? t("%(title)s is locked.", { title: quoted(id) }) : t("%(title)s is unlocked.", { title: quoted(id) })));
}

$("#allocate").addEventListener("click", () => command("allocate", {}, (answer) => {
  const a = answer.allocation || {};
  const out = (a.left_out || []).length;
  return [
    t("Allocated in %(seconds)s seconds.", { seconds: a.seconds ?? "?" }),
    tn("%(n)s unlocked session moved.", "%(n)s unlocked sessions moved.", a.moved ?? 0),
    ...(out ? [tn("%(n)s session left out.", "%(n)s sessions left out.", out)] : []),
  ].join(" ");
}));
$("#undo").addEventListener("click", () => command("undo", {}, (answer) => [
  answer.undone ? t("Undone: %(what)s.", { what: ours(answer.undone) }) : t("Undone: the last change."),
  // A room brought back whose name another room has taken since comes back under a new one.
  ...(answer.renamed || []).map((r) => t("The room “%(was)s” came back as “%(now)s”, since another room has its name now.", { was: r.was, now: r.now })),
].join(" ")));
$("#assign-seats").addEventListener("click", () => command("seats", {}, (answer) =>
  tn("Seats assigned: %(n)s more person seated in small rooms, by their votes.",
    "Seats assigned: %(n)s more people seated in small rooms, by their votes.", answer.assigned ?? 0)));

// ---------------------------------------------------------------- the move dialog

const dialog = $("#move-dialog");
const roomSelect = $("#move-room");
const slotSelect = $("#move-slot");

function openMove(id, opener) {
  moving = { pitch: id, opener: opener.dataset.key };
  const current = placementOf(id);
  $("#move-heading").textContent = current ? t("Move %(title)s", { title: quoted(id) }) : t("Place %(title)s", { title: quoted(id) });
  roomSelect.replaceChildren(...state.rooms.map((r) => h("option", { value: String(r.id) }, tn("%(name)s (%(n)s seat)", "%(name)s (%(n)s seats)", r.capacity, { name: r.name }))));
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
  if (!r || !slotOf(slot)) { about.textContent = t("There are no cells to move to."); return; }
  const here = state.draft.placements.find((p) => p.room === room && p.slot === slot);
  const current = placementOf(moving.pitch);
  if ((r.unavailable || []).includes(slot)) about.textContent = t("%(room)s is not available at that time.", { room: r.name });
  else if (!here) about.textContent = t("That cell is empty.");
  else if (here.pitch === moving.pitch) about.textContent = t("This is where it is now.");
  else if (here.locked) about.textContent = t("%(title)s is there and locked: unlock it first.", { title: quoted(here.pitch) });
  else if (current) about.textContent = t("%(title)s is there: the two will swap places.", { title: quoted(here.pitch) });
  else about.textContent = t("%(title)s is there: it will go back to the list of sessions not on the grid.", { title: quoted(here.pitch) });
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
  if (e.key === "Escape") { endDrag(); announce(t("Drag cancelled.")); }
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
