// The attendee's phone: join, pitch, place dots, all live.
import { api, cancel, events as outbox, flushOutbox, rememberState, waiting } from "./api.js";
import { DayPanel } from "./day.js";
import { Live } from "./live.js";
import { refreshCounters } from "./counter.js";
import { keepDraft } from "./draft.js";
import { Finder, haystack, languageWords } from "./finder.js";
import { fillPitch, readPitch } from "./pitchform.js";
import { $, FORMATS, announce, bySlotTime, clock, clearErrors, h, keyed, moveOldToken, say, showErrors, slotWords, slugFromPath } from "./ui.js";
import { lang, ready, t, tn } from "./i18n.js";

// Everything this page draws is in the page's language: its words arrive before anything is drawn
// (at once for English), so a Welsh page never shows English first.
await ready;

const slug = slugFromPath();
// This phone's token lives in the attendee cookie, which no script can read: requests ask Snug to
// use it (`attendee`), and whether it still counts shows in the role Snug answers with.
const AS_ATTENDEE = { attendee: true };
let state = null;
let editing = null; // id of the pitch being edited
let hostTouched = false;
const cards = new Map();
const busy = new Set();
let othersNew = 0;
let summaryTimer = null;
let lastAction = 0;

const pitchForm = $("#pitch-form");
const joinForm = $("#join-form");
const meForm = $("#me-form");
const finder = new Finder($("#list-tools"), { shown: $("#list-shown"), none: $("#list-none"), onChange: (reorder) => (reorder ? renderList() : finder.filter(cards)) });
// A new pitch half written survives a reload; the host only once typed (it starts as my name).
const DRAFTED = ["title", "pitch", "host", "format", "tags"];
const draft = keepDraft(pitchForm, `snug:${slug}:pitch-draft`, DRAFTED);

const live = new Live({ slug, attendee: true, statusEl: $("#conn"), onState });

// Two tabs of one phone are one person: a change made in one (joining, a dot, a seat) shows in
// the other. Counts reach every tab over the live connection, but "my" dots, pitches and
// agenda are this person's own, so the other tabs ask again.
const tabs = "BroadcastChannel" in window ? new BroadcastChannel(`snug:${slug}`) : null;
tabs?.addEventListener("message", ({ data }) => {
  if (data === "joined") { calendarLink = undefined; live.renew(); } else refreshMe();
});
async function write(...args) {
  const answer = await api(...args);
  tabs?.postMessage("changed");
  return answer;
}
const isJoined = () => state?.role === "attendee";

function onState(next, change) {
  state = next;
  rememberState(slug, state);
  if (!change) flushOutbox(); // connected again: send what waited
  // Not (or no longer) known here, e.g. the event was reset: the join form shows again.
  if (!change && !isJoined()) calendarLink = undefined;
  dayPanel.hear(change);
  if (change) noticeChange(change);
  // A snapshot may have been made just before this phone's latest action: ask again.
  else if (state.me && Date.now() - lastAction < 30000) refreshMe();
  render();
}

function noticeChange({ kind, data }) {
  if (kind === "pitch.merged" || kind === "pitch.hidden") {
    if (state.me) refreshMe();
    if (kind === "pitch.merged" && editing === data.id) stopEditing();
  } else if (kind === "pitch.saved" && !state.me?.pitches.includes(data.pitch.id) && !cards.has(data.pitch.id)) {
    othersNew += 1;
    if (!summaryTimer) {
      summaryTimer = setTimeout(() => {
        summaryTimer = null;
        if (othersNew) announce(tn("%(n)s new session pitched.", "%(n)s new sessions pitched.", othersNew));
        othersNew = 0;
      }, 15000);
    }
  } else if (kind === "grid.published") {
    gridNotices(data.moved || []);
  } else if (kind === "seats") {
    // Someone else's claim may have moved this phone up the list, or given it a place.
    const mine = state.me?.seats || {};
    if (Object.keys(data.seats || {}).some((id) => id in mine)) refreshMe().then(() => promotions(mine));
  } else if (kind === "event.updated") {
    const was = lastPhase;
    const now = phaseWords();
    if (was && was !== now) announce(now);
  }
}

// Where the day is (day.js), kept up to date as the event changes and the clock moves on.
const dayPanel = new DayPanel();
setInterval(() => { if (state) dayPanel.show(state); }, 30000);

let lastPhase = "";
function phaseWords() {
  const e = state.event;
  const pitching = e.pitching_open ? t("Pitching is open.") : t("Pitching is closed.");
  return [pitching, e.voting_open ? t("Voting is open.") : t("Voting is closed.")].join(" ");
}

async function refreshMe() {
  if (!isJoined()) return;
  try {
    const mine = await api("GET", `/api/e/${slug}/me`, AS_ATTENDEE);
    if (state) { state.me = mine; render(); }
  } catch { /* the next snapshot will put it right */ }
}

function dotsLeft() {
  return state.event.dots_per_attendee - (state.me ? state.me.dots.length : 0) - queued("dot") + queued("undot");
}

/** "You have 2 of 3 dots left." */
function leftWords(left) {
  const total = state.event.dots_per_attendee;
  return tn("You have %(left)s of %(n)s dot left.", "You have %(left)s of %(n)s dots left.", total, { left });
}

function render() {
  if (!state) return;
  const { event } = state;
  const me = state.me || null;
  document.title = `${event.name} - Snug`;
  $("#event-name").textContent = event.name;
  $("#event-meta").textContent = [formatDate(event.date), event.venue].filter(Boolean).join(" · ");
  const phase = $("#phase");
  phase.replaceChildren(
    h("li", { class: event.pitching_open ? "open" : "" }, event.pitching_open ? t("Pitching open") : t("Pitching closed")),
    h("li", { class: event.voting_open ? "open" : "" }, event.voting_open ? t("Voting open") : t("Voting closed")),
  );
  lastPhase = phaseWords();
  dayPanel.show(state);
  $("#proceedings-link").hidden = !event.proceedings_published;
  $("#proceedings-href").href = `/e/${encodeURIComponent(event.slug)}/proceedings`;

  $("#join-section").hidden = Boolean(me);
  $("#me-section").hidden = !me;
  if (me && document.activeElement !== meForm.elements.name && !meForm.dataset.dirty) meForm.elements.name.value = me.name;
  $("#pitch-section").hidden = !(me && (event.pitching_open || editing));
  if (me && !hostTouched && !editing) pitchForm.elements.host.value = me.name;
  renderDots(me, event);
  $("#totals-note").hidden = !event.totals_hidden;
  finder.offerDots(!event.totals_hidden);
  renderList();
  renderGrid();
}

// The sticky bar: how many dots are left, in words and as pips, and a plain "all used" state.
function renderDots(me, event) {
  const voting = Boolean(me && event.voting_open);
  $("#votes-section").hidden = !voting;
  $("#dots-hint").hidden = !voting;
  if (!me) return;
  const left = dotsLeft();
  const total = event.dots_per_attendee;
  const used = total > 1 ? tn("You have used all %(n)s dot.", "You have used all %(n)s dots.", total) : t("You have used your dot.");
  const text = left <= 0 ? used : leftWords(left);
  if ($("#dots-left").textContent !== text) $("#dots-left").textContent = text;
  $("#votes-section").classList.toggle("used-up", left <= 0);
  const pips = $("#dot-pips");
  if (pips.dataset.shows !== `${left}/${total}`) {
    pips.dataset.shows = `${left}/${total}`;
    // Past ten dots the marks would take more room than the words (as the server draws it).
    const marks = total <= 10 ? total : 0;
    pips.replaceChildren(...Array.from({ length: marks }, (_, i) => h("span", { class: i < left ? "pip" : "pip used" })));
  }
}

// ------------------------------------------------------------ the published grid and my agenda

// The calendar feed has its own read-only link, which Snug works out again whenever asked, so
// this page keeps no copy of it. undefined: not asked yet; null: there is none.
let calendarLink;
async function loadCalendar() {
  if (!isJoined() || calendarLink !== undefined) return;
  calendarLink = null;
  try { showCalendar((await api("GET", `/api/e/${slug}/me/calendar`, AS_ATTENDEE)).link); } catch { calendarLink = undefined; }
}

function showCalendar(link) {
  calendarLink = link;
  $("#calendar-on").hidden = !link;
  $("#calendar-none").hidden = Boolean(link);
  if (link) $("#agenda-feed").href = link.replace(/^https?:/, "webcal:");
  $("#calendar-make").textContent = link ? t("Make a new calendar link") : t("Make my calendar link");
  $("#calendar-stop").hidden = !link;
}

async function changeCalendar(method) {
  const status = $("#calendar-status");
  const had = Boolean(calendarLink);
  try {
    showCalendar((await write(method, `/api/e/${slug}/me/calendar`, AS_ATTENDEE)).link);
    if (method === "DELETE") say(status, t("Stopped: calendars with the old link no longer get your agenda."));
    else say(status, had ? t("New link made; the old one no longer works. Add it to your calendar again.") : t("Made: add it to your calendar with the link above."));
  } catch (error) {
    say(status, t("Not changed: %(reason)s", { reason: error.detail || error.message }), false);
  }
}
$("#calendar-make").addEventListener("click", (event) => { event.preventDefault(); changeCalendar("POST"); });
$("#calendar-stop").addEventListener("click", (event) => { event.preventDefault(); changeCalendar("DELETE"); });

let gridWasLive = null;
// Drawn by Snug on the page, so the words are the same with or without script.
const takenDown = $("#grid-taken-down");
const TAKEN_DOWN = takenDown.textContent;
let gridShape = "";
const savingSlot = new Set();
const roomOf = (id) => state.rooms.find((r) => r.id === id);
const slotOf = (id) => state.slots.find((s) => s.id === id);
const titleOf = (id) => state.pitches.find((p) => p.id === id)?.title || t("A session");
const notesLink = (id) => h("a", { class: "notes-link", href: `/e/${encodeURIComponent(slug)}/notes/${id}` },
  t("Notes"), h("span", { class: "visually-hidden" }, " " + t("for “%(title)s”", { title: titleOf(id) })));
function whereWords(cell) {
  const room = roomOf(cell.room)?.name || t("a room");
  return t("%(room)s at %(time)s", { room, time: clock(slotOf(cell.slot)?.starts_at) });
}

// The same sentences as server/pages/words.py: a session whose places are counted says how
// full it is from its claims, so its numbers agree with "you're number N on the list".
// No headcounts while the organiser keeps the totals back: they would show the dots' interest.
const goingTo = (pitch) => (Object.keys(state.grid.headcounts || {}).length ? state.grid.headcounts[String(pitch)] || 0 : null);

function placesWords(pitch, room) {
  const c = state.grid.seats?.[String(pitch)];
  if (c) {
    const figures = { seated: c.seated, waiting: c.waiting };
    return c.waiting
      ? tn("%(seated)s of %(n)s place taken, %(waiting)s on the list", "%(seated)s of %(n)s places taken, %(waiting)s on the list", c.capacity, figures)
      : tn("%(seated)s of %(n)s place taken", "%(seated)s of %(n)s places taken", c.capacity, figures);
  }
  const going = goingTo(pitch);
  if (going === null) return tn("%(n)s place", "%(n)s places", room.capacity);
  return going > room.capacity
    ? tn("%(going)s going, %(n)s place: it may be full", "%(going)s going, %(n)s places: it may be full", room.capacity, { going })
    : tn("%(going)s of %(n)s place", "%(going)s of %(n)s places", room.capacity, { going });
}

// A slot that isn't for sessions says what it is.
const KINDS = () => ({ break: t("break"), plenary: t("plenary") });

function inSlot(slotId) {
  const order = new Map(state.rooms.map((r, i) => [r.id, i]));
  return state.grid.placements.filter((p) => p.slot === slotId && roomOf(p.room))
    .sort((a, b) => order.get(a.room) - order.get(b.room));
}

function renderGrid() {
  const grid = state.grid;
  const shown = Boolean(grid && grid.live);
  $("#grid-section").hidden = !shown;
  $("#agenda-section").hidden = !(shown && state.me);
  if (shown && state.me) loadCalendar();
  gridWasLive = shown;
  // Said once: in the notices, when this phone heard it happen, or else here.
  takenDown.hidden = !grid?.taken_down || notices.get().includes(TAKEN_DOWN);
  if (!shown) return;
  const slots = bySlotTime(state.slots);
  // Values in a fixed order: the same grid drawn by Snug and sent live lists keys differently.
  const shape = JSON.stringify([slots.map((s) => [s.id, s.starts_at, s.ends_at, s.label, s.kind]),
    state.rooms.map((r) => [r.id, r.name]), grid.placements.map((p) => [p.pitch, p.room, p.slot]),
    grid.placements.map((p) => titleOf(p.pitch)), Boolean(state.me)]);
  if (shape !== gridShape) {
    gridShape = shape;
    buildGrid(slots);
    if (state.me) buildAgenda(slots);
  }
  for (const el of document.querySelectorAll("[data-places]")) {
    const [pitch, room] = el.dataset.places.split(":").map(Number);
    if (roomOf(room)) el.textContent = placesWords(pitch, roomOf(room));
  }
  for (const el of document.querySelectorAll("[data-seat]")) updateSeat(el);
  for (const el of document.querySelectorAll("[data-agenda-places]")) {
    const [pitch, room] = el.dataset.agendaPlaces.split(":").map(Number);
    const shown = roomOf(room) && seatNeeded(pitch, roomOf(room));
    el.textContent = shown ? ` · ${placesWords(pitch, roomOf(room))}` : "";
  }
  for (const el of document.querySelectorAll("[data-standing]")) {
    const mine = state.me?.seats?.[el.dataset.standing];
    el.textContent = mine ? standingWords(mine) : "";
    el.hidden = !mine;
  }
  if (state.me) {
    const agenda = state.me.agenda || {};
    for (const box of document.querySelectorAll("#agenda input[type=radio]")) {
      const slot = box.name.slice(7);
      if (savingSlot.has(slot)) continue;
      box.checked = String(agenda[slot] ?? "") === box.value;
    }
  }
}

function buildGrid(slots) {
  $("#grid-list").replaceChildren(...slots.map((slot) => {
    const kind = slot.kind || "session";
    const head = h("h3", {}, slotWords(slot), kind === "session" ? "" : ` (${KINDS()[kind] || kind})`);
    if (kind !== "session") return h("div", { class: "g-slot g-break" }, head);
    const placed = inSlot(slot.id);
    return h("div", { class: "g-slot" }, head, placed.length
      ? h("ul", { class: "g-sessions" }, placed.map((p) => h("li", {},
        h("span", { class: "g-title" }, titleOf(p.pitch)),
        h("span", { class: "g-where" }, `${roomOf(p.room).name} · `, h("span", { "data-places": `${p.pitch}:${p.room}` })),
        notesLink(p.pitch),
        state.me ? seatControls(p) : null)))
      : h("p", { class: "hint" }, t("No sessions in this slot.")));
  }));
}

// Seats in small rooms: a claim is seated while there is room, otherwise it waits its turn.
const savingSeat = new Set();

function seatControls(placement) {
  const id = placement.pitch;
  const words = h("p", { class: "seat-words", id: `seat-${id}-words` });
  const button = h("button", { type: "button", class: "small secondary", "aria-describedby": `seat-${id}-words`, onclick: () => toggleSeat(id) },
    h("span", { class: "seat-action" }), h("span", { class: "visually-hidden" }, `: ${titleOf(id)}`));
  const status = h("p", { class: "inline-status", role: "status" });
  return h("div", { class: "g-seat", "data-seat": `${id}:${placement.room}`, hidden: true }, words, button, status);
}

function seatNeeded(pitch, room) {
  const counts = state.grid.seats?.[String(pitch)];
  const going = goingTo(pitch);
  return Boolean(counts || state.me?.seats?.[String(pitch)] || (going !== null && going >= room.capacity - 1));
}

function standingWords(mine) {
  if (mine.status === "seated") return mine.promoted ? t("A place came free: you have a place.") : t("You have a place.");
  return t("You're number %(n)s on the list.", { n: mine.position });
}

function seatWords(pitch) {
  const mine = state.me?.seats?.[String(pitch)];
  if (mine) return standingWords(mine);
  const c = state.grid.seats?.[String(pitch)];
  if (!c) return t("Small room: claim a place to be sure of one.");
  const free = Math.max(0, c.capacity - c.seated);
  return free ? tn("%(n)s place free.", "%(n)s places free.", free) : t("Full: you can join the list.");
}

// A place that came free while this phone waited: told now, and kept among the notices.
function promotions(before) {
  for (const [id, now] of Object.entries(state.me?.seats || {})) {
    if (before[id]?.status === "waiting" && now.status === "seated") {
      // What the agenda said when this phone joined the list is out of date now.
      for (const said of document.querySelectorAll("#agenda .inline-status")) said.textContent = "";
      const text = t("A place came free in “%(title)s”: it’s yours now.", { title: titleOf(Number(id)) });
      addNotice(text);
      announce(text);
    }
  }
}

function updateSeat(el) {
  const [pitch, roomId] = el.dataset.seat.split(":").map(Number);
  const room = roomOf(roomId);
  el.hidden = !(state.me && room && seatNeeded(pitch, room));
  if (el.hidden) return;
  el.querySelector(".seat-words").textContent = seatWords(pitch);
  const mine = state.me.seats?.[String(pitch)];
  el.querySelector(".seat-action").textContent = !mine ? t("Claim a place") : mine.status === "seated" ? t("Give up my place") : t("Leave the list");
  el.querySelector("button").disabled = savingSeat.has(pitch);
}

async function toggleSeat(pitch) {
  const el = document.querySelector(`[data-seat^="${pitch}:"]`);
  const status = el?.querySelector("[role=status]");
  const had = state.me.seats?.[String(pitch)];
  savingSeat.add(pitch);
  render();
  try {
    const answer = await write(had ? "DELETE" : "POST", `/api/e/${slug}/me/seats/${pitch}`, AS_ATTENDEE);
    state.me.seats = answer.seats;
    state.me.agenda = answer.agenda;
    if (status) say(status, had ? t("Done: you gave up your claim.") : t("Done: %(what)s", { what: seatWords(pitch) }));
  } catch (error) {
    if (status) say(status, t("Not done: %(reason)s", { reason: error.detail || error.message }), false);
  } finally {
    savingSeat.delete(pitch);
    render();
  }
}

function buildAgenda(slots) {
  $("#agenda").replaceChildren(...slots.filter((s) => (s.kind || "session") === "session").map((slot) => {
    const name = `agenda-${slot.id}`;
    const status = h("p", { class: "inline-status", id: `${name}-status` });
    const option = (value, label, where) => {
      const id = `${name}-${value || "none"}`;
      return h("div", { class: "radio" },
        h("input", { type: "radio", id, name, value, onchange: () => chooseAgenda(slot, value, status) }),
        h("label", { for: id }, label, ...(where || [])),
        value ? notesLink(Number(value)) : null);
    };
    // A counted session shows how full it is, and this person's standing in it.
    const where = (p) => [h("span", { class: "g-where" }, roomOf(p.room).name, h("span", { "data-agenda-places": `${p.pitch}:${p.room}` })),
      h("span", { class: "g-standing", "data-standing": p.pitch })];
    return h("fieldset", { class: "agenda-slot" }, h("legend", {}, slotWords(slot)),
      inSlot(slot.id).map((p) => option(String(p.pitch), titleOf(p.pitch), where(p))),
      option("", t("Nothing or undecided")), status);
  }));
}

async function chooseAgenda(slot, value, status) {
  const key = String(slot.id);
  savingSlot.add(key);
  say(status, t("Saving…"));
  try {
    const answer = await write("PUT", `/api/e/${slug}/me/agenda`, { ...AS_ATTENDEE, body: { slot: slot.id, pitch: value ? Number(value) : null } });
    state.me.agenda = answer.agenda;
    state.me.seats = answer.seats;
    const mine = value ? answer.seats[value] : null;
    say(status, !value ? t("Saved: nothing chosen for this slot.") : mine ? t("Saved: %(what)s", { what: standingWords(mine) }) : t("Saved: you’ll go to “%(title)s”.", { title: titleOf(Number(value)) }));
  } catch (error) {
    say(status, t("Not saved: %(reason)s", { reason: error.detail || error.message }), false);
  } finally {
    savingSlot.delete(key);
    render();
  }
}

async function gridNotices(moved) {
  const wasLive = gridWasLive;
  if (wasLive && !state.grid.live) {
    // Unpublished: told like a publish, and kept among the notices until dismissed.
    addNotice(TAKEN_DOWN);
    return;
  }
  if (!wasLive) {
    if (state.grid.live) addNotice(t("The grid is published: see where each session is, and choose your agenda below."));
    refreshMe();
    return;
  }
  const before = new Set(Object.values(state.me?.agenda || {}).filter(Boolean));
  for (const dot of state.me?.dots || []) before.add(dot.pitch);
  await refreshMe();
  for (const id of Object.values(state.me?.agenda || {})) if (id) before.add(id);
  for (const m of moved) {
    if (!state.me || !before.has(m.pitch)) continue;
    const title = titleOf(m.pitch);
    if (m.from && m.to) addNotice(t("“%(title)s” moved from %(from)s to %(to)s.", { title, from: whereWords(m.from), to: whereWords(m.to) }));
    else if (m.to) addNotice(t("“%(title)s” was added at %(to)s.", { title, to: whereWords(m.to) }));
    else if (m.from) addNotice(t("“%(title)s” was taken off the grid (it was in %(from)s).", { title, from: whereWords(m.from) }));
  }
}

// Notices are kept on the phone until dismissed, so a reload or a flat battery loses none.
const NOTICES_KEY = `snug:${slug}:notices`;
const notices = {
  get() { try { return JSON.parse(localStorage.getItem(NOTICES_KEY) || "[]"); } catch { return []; } },
  set(list) { try { localStorage.setItem(NOTICES_KEY, JSON.stringify(list)); } catch { /* private mode */ } },
};

function addNotice(text, keep = true) {
  if (keep) notices.set([...notices.get(), text]);
  const list = $("#notices");
  const item = h("li", { class: "notice notice-item" }, h("p", {}, text));
  const dismiss = h("button", {
    type: "button", class: "secondary small",
    onclick: () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      const kept = notices.get();
      const at = kept.indexOf(text);
      if (at >= 0) { kept.splice(at, 1); notices.set(kept); }
      item.remove();
      $("#notices-heading").hidden = list.children.length === 0;
      if (next) next.querySelector("button").focus(); else $("#main").focus();
    },
  }, t("Dismiss"), h("span", { class: "visually-hidden" }, `: ${text}`));
  item.append(dismiss);
  list.append(item);
  $("#notices-heading").hidden = false;
}

function formatDate(iso) {
  try {
    return new Date(`${iso}T12:00:00`).toLocaleDateString(lang === "en" ? undefined : lang, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  } catch { return iso; }
}

function renderList() {
  const list = $("#pitch-list");
  // The list Snug drew for a page without script gives way to the live one.
  for (const drawn of list.querySelectorAll("[data-server]")) drawn.remove();
  const pitches = state.pitches.filter((p) => !p.hidden);
  keyed(list, cards, pitches, makeCard, updateCard);
  finder.arrange(list, cards, pitches, rankOf());
  finder.filter(cards);
  $("#list-empty").hidden = pitches.length > 0;
  $("#list-tools").hidden = pitches.length === 0;
}

/** The key the chosen order sorts by, smaller first (ties go newest first). */
function rankOf() {
  const mine = new Set([...(state.me?.pitches || []), ...(state.me?.dots || []).map((d) => d.pitch)]);
  if (finder.sort === "dots" && !state.event.totals_hidden) return (p) => -(p.votes || 0);
  if (finder.sort === "mine") return (p) => (mine.has(p.id) ? 0 : 1);
  return () => 0;
}

function makeCard(id) {
  const card = { id };
  card.title = h("h3", { id: `p-${id}-title` });
  card.text = h("p", { class: "pitch-text" });
  card.meta = h("p", { class: "meta" });
  card.badge = h("span", { class: "badge lang-badge" });
  card.held = h("p", { class: "meta" }, card.badge);
  card.tags = h("p", { class: "meta" });
  card.count = h("p", { class: "count" });
  card.add = h("button", { type: "button", onclick: () => addDot(id) }, t("Add a dot"), h("span", { class: "visually-hidden" }));
  card.remove = h("button", { type: "button", class: "secondary", onclick: () => removeDot(id) }, t("Remove a dot"), h("span", { class: "visually-hidden" }));
  card.edit = h("button", { type: "button", class: "secondary", onclick: () => startEditing(id) }, t("Edit"), h("span", { class: "visually-hidden" }));
  card.actions = h("div", { class: "actions" }, card.add, card.remove, card.edit);
  card.status = h("p", { class: "inline-status bad" });
  card.li = h("li", { class: "pitch", id: `p-${id}`, "aria-labelledby": `p-${id}-title` },
    card.title, card.text, card.meta, card.held, card.tags, card.count, card.actions, card.status);
  return card;
}

function updateCard(card, pitch) {
  const me = state.me;
  const open = state.event.voting_open;
  const hidden = state.event.totals_hidden;
  const mine = Boolean(me && me.pitches.includes(pitch.id));
  const waits = queued("dot", pitch.id) - queued("undot", pitch.id);
  const myDots = me ? me.dots.filter((d) => d.pitch === pitch.id).length + waits : 0;
  const canAdd = dotsLeft() > 0 && (state.event.dots_stack || myDots === 0);
  // A tally redraws the page: only the cards whose words or buttons change are touched, so
  // a long list stays smooth as votes pour in.
  const drawn = JSON.stringify([pitch, mine, myDots, waits, canAdd, open, hidden, Boolean(me)]);
  if (card.drawn === drawn) return;
  card.drawn = drawn;
  card.haystack = haystack(pitch);
  card.language = pitch.language || "";
  card.title.textContent = pitch.title;
  card.text.textContent = pitch.pitch;
  card.text.hidden = !pitch.pitch;
  const host = pitch.host ? t("Hosted by %(host)s", { host: pitch.host }) : t("Host not named");
  card.meta.textContent = [host, FORMATS[pitch.format] || pitch.format, mine ? t("You pitched this") : null].filter(Boolean).join(" · ");
  card.badge.replaceChildren(h("span", { class: "visually-hidden" }, t("Session language:") + " "), languageWords(card.language));
  card.held.hidden = !card.language;
  card.tags.replaceChildren(...pitch.tags.map((t) => h("span", { class: "tag" }, t)));
  card.tags.hidden = pitch.tags.length === 0;
  const waiting = waits ? h("span", { class: "waiting" }, " · " + t("waiting to send")) : "";
  if (hidden) {
    card.count.replaceChildren(myDots ? h("span", { class: "mydots" }, tn("You put %(n)s dot here.", "You put %(n)s dots here.", myDots)) : "", waiting);
  } else {
    card.count.replaceChildren(tn("%(n)s dot", "%(n)s dots", pitch.votes + waits), myDots ? h("span", { class: "mydots" }, " " + t("(%(n)s yours)", { n: myDots })) : "", waiting);
  }
  card.count.hidden = hidden && !myDots;
  card.li.classList.toggle("mine", mine);
  card.add.lastChild.textContent = " " + t("to %(title)s", { title: pitch.title });
  card.remove.lastChild.textContent = " " + t("from %(title)s", { title: pitch.title });
  card.edit.lastChild.textContent = ` ${pitch.title}`;
  card.add.hidden = !(me && open);
  card.remove.hidden = !(me && open);
  card.add.setAttribute("aria-disabled", String(!canAdd));
  card.remove.setAttribute("aria-disabled", String(myDots === 0));
  card.edit.hidden = !mine;
  card.actions.hidden = card.add.hidden && card.edit.hidden;
}

function cardFail(id, message) {
  const card = cards.get(id);
  if (card) card.status.textContent = message;
  announce(message);
}

async function addDot(id) {
  const card = cards.get(id);
  const pitch = state.pitches.find((p) => p.id === id);
  if (!pitch || busy.has(id)) return;
  card.status.textContent = "";
  if (card.add.getAttribute("aria-disabled") === "true") {
    const reason = dotsLeft() <= 0
      ? t("You have used all your dots. Remove one from another session first.")
      : t("You already have a dot on this session.");
    cardFail(id, reason);
    return;
  }
  busy.add(id);
  try {
    lastAction = Date.now();
    const queue = { kind: "dot", pitch: id, words: t("your dot on “%(title)s”", { title: pitch.title }) };
    const carry = (key) => live.carry({ type: "dot", pitch: id, key });
    const dot = await write("POST", `/api/e/${slug}/dots`, { ...AS_ATTENDEE, body: { pitch: id }, queue, carry });
    if (!state.me.dots.some((d) => d.id === dot.id)) state.me.dots.push(dot);
    render();
    announce(t("Dot added to %(title)s.", { title: pitch.title }) + " " + leftWords(dotsLeft()));
  } catch (error) {
    if (error.entry) { heldBack(id, error); return; }
    cardFail(id, t("Your dot was not added: %(reason)s", { reason: error.detail || error.message }));
    if (error.status === 409) refreshMe();
  } finally {
    busy.delete(id);
  }
}

async function removeDot(id) {
  const card = cards.get(id);
  const pitch = state.pitches.find((p) => p.id === id);
  if (!pitch || busy.has(id)) return;
  card.status.textContent = "";
  const unsent = waiting(slug).findLast((e) => e.kind === "dot" && e.pitch === id);
  if (unsent) { takeBack(id, unsent); return; }
  const going = new Set(waiting(slug).filter((e) => e.kind === "undot").map((e) => e.dot));
  const dot = state.me.dots.findLast((d) => d.pitch === id && !going.has(d.id));
  if (!dot) { cardFail(id, t("You have no dot on this session.")); return; }
  busy.add(id);
  try {
    lastAction = Date.now();
    const queue = { kind: "undot", pitch: id, dot: dot.id, words: t("taking your dot off “%(title)s”", { title: pitch.title }) };
    await write("DELETE", `/api/e/${slug}/dots/${dot.id}`, { ...AS_ATTENDEE, queue });
  } catch (error) {
    if (error.entry) { busy.delete(id); heldBack(id, error); return; }
    if (error.status !== 404) {
      cardFail(id, t("Your dot was not removed: %(reason)s", { reason: error.detail || error.message }));
      busy.delete(id);
      return;
    }
  }
  busy.delete(id);
  state.me.dots = state.me.dots.filter((d) => d.id !== dot.id);
  render();
  announce(t("Dot removed from %(title)s.", { title: pitch.title }) + " " + leftWords(dotsLeft()));
}

function startEditing(id) {
  const pitch = state.pitches.find((p) => p.id === id);
  if (!pitch) return;
  editing = id;
  clearErrors(pitchForm);
  fillPitch(pitchForm, pitch);
  $("#pitch-heading").textContent = t("Edit your session");
  $("#pitch-submit").textContent = t("Save changes");
  $("#pitch-cancel").hidden = false;
  // Withdrawing can't be undone, so it has its own page that says what it does.
  $("#pitch-withdraw").href = `/e/${encodeURIComponent(slug)}/pitches/${id}/edit#withdraw`;
  $("#pitch-withdraw").hidden = false;
  say($("#pitch-status"), "");
  render();
  refreshCounters(pitchForm);
  pitchForm.elements.title.focus();
  pitchForm.scrollIntoView({ block: "start" });
}

function stopEditing(focusCard = false) {
  const id = editing;
  editing = null;
  pitchForm.reset();
  hostTouched = false;
  $("#pitch-heading").textContent = t("Pitch a session");
  $("#pitch-submit").textContent = t("Pitch it");
  $("#pitch-cancel").hidden = true;
  $("#pitch-withdraw").hidden = true;
  render();
  restoreDraft();
  if (focusCard && cards.has(id)) cards.get(id).edit.focus();
}

// Drafts are of new pitches only: changes to one already made start from what it says.
function restoreDraft() {
  if (draft.restore(["title", "pitch", "tags"]) && pitchForm.elements.host.value !== state?.me?.name) hostTouched = true;
  refreshCounters(pitchForm);
}
function forgetDraft() {
  draft.clear();
  pitchForm.reset();
  hostTouched = false;
  refreshCounters(pitchForm);
}
pitchForm.addEventListener("input", () => {
  if (!editing) draft.save(["title", "pitch", "tags"], hostTouched ? [] : ["host"]);
});
pitchForm.elements.host.addEventListener("input", () => { hostTouched = true; });
$("#pitch-cancel").addEventListener("click", () => { clearErrors(pitchForm); stopEditing(true); });

pitchForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { fields, errors } = readPitch(pitchForm);
  if (errors.length) { showErrors(pitchForm, errors); return; }
  clearErrors(pitchForm);
  const submit = $("#pitch-submit");
  if (submit.dataset.busy) return;
  submit.dataset.busy = "1";
  const status = $("#pitch-status");
  say(status, editing ? t("Saving…") : t("Sending your pitch…"));
  lastAction = Date.now();
  try {
    const queue = { kind: "pitch", words: editing ? t("your changes to “%(title)s”", { title: fields.title }) : t("your pitch “%(title)s”", { title: fields.title }) };
    const saved = editing
      ? await write("PATCH", `/api/e/${slug}/pitches/${editing}`, { ...AS_ATTENDEE, body: fields, queue })
      : await write("POST", `/api/e/${slug}/pitches`, { ...AS_ATTENDEE, body: fields, queue });
    pitchSaved(saved);
    const wasEditing = editing;
    if (wasEditing) stopEditing(true); else { forgetDraft(); render(); }
    say(status, wasEditing ? t("Saved your changes to “%(title)s”.", { title: saved.title }) : t("Your session “%(title)s” is on the list.", { title: saved.title }));
    announce(status.textContent);
  } catch (error) {
    say(status, "");
    if (error.entry) {
      if (editing) stopEditing(true); else { forgetDraft(); render(); }
      say(status, `${error.entry.words[0].toUpperCase()}${error.entry.words.slice(1)}: ${error.detail}`);
      announce(status.textContent);
    } else {
      showErrors(pitchForm, [{ message: error.detail || error.message }]);
    }
  } finally {
    delete submit.dataset.busy;
  }
});

function pitchSaved(saved) {
  if (!state.me.pitches.includes(saved.id)) state.me.pitches.push(saved.id);
  const at = state.pitches.findIndex((p) => p.id === saved.id);
  if (at >= 0) state.pitches[at] = { ...saved, votes: state.pitches[at].votes }; else state.pitches.push(saved);
}

// ------------------------------------------------------------ writes made offline (api.js)

const queued = (kind, pitch) => waiting(slug).filter((e) => e.kind === kind && (pitch === undefined || e.pitch === pitch)).length;

function heldBack(id, error) {
  const card = cards.get(id);
  if (card) card.status.textContent = "";
  render();
  announce(`${error.entry.words[0].toUpperCase()}${error.entry.words.slice(1)}: ${error.detail} ${leftWords(dotsLeft())}`);
}

async function takeBack(id, entry) {
  if (await cancel(entry.id)) {
    render();
    announce(t("Your dot waiting to go on %(title)s was taken back.", { title: titleOf(id) }) + " " + leftWords(dotsLeft()));
  } else cardFail(id, t("That dot is being sent right now. Try again in a moment."));
}

outbox.addEventListener("change", render);
outbox.addEventListener("sent", ({ detail: { entry, answer } }) => {
  if (entry.slug !== slug || !state?.me) return;
  lastAction = Date.now(); // a snapshot built before it arrived asks for "me" again
  if (entry.kind === "dot" && !state.me.dots.some((d) => d.id === answer.data.id)) state.me.dots.push(answer.data);
  if (entry.kind === "undot") state.me.dots = state.me.dots.filter((d) => d.id !== entry.dot);
  if (entry.kind === "pitch") pitchSaved(answer.data);
  render();
  announce(t("Sent: %(what)s.", { what: entry.words }));
});
outbox.addEventListener("refused", ({ detail: { entry } }) => {
  if (entry.slug === slug) refreshMe();
});

joinForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = joinForm.elements.name.value.trim();
  if (name.length > 60) {
    showErrors(joinForm, [{ message: t("Your name must be 60 characters or fewer"), input: joinForm.elements.name }]);
    return;
  }
  clearErrors(joinForm);
  const button = joinForm.querySelector("button");
  if (button.dataset.busy) return;
  button.dataset.busy = "1";
  try {
    // Snug keeps the token in this browser's attendee cookie (replacing any old one).
    // The first-timer question is optional: an answer left out is sent as nothing.
    const firstTime = joinForm.elements.first_time.value;
    const body = { ...(name ? { name } : {}), ...(firstTime ? { first_time: firstTime } : {}) };
    const joined = await api("POST", `/api/e/${slug}/attendees`, { body });
    if (state) {
      state.me = { id: joined.id, name: joined.name, dots: [], pitches: [] };
      state.role = "attendee";
    }
    live.renew();
    tabs?.postMessage("joined");
    // Joining from a link to somewhere else in the event (a poster's notes QR) goes back there.
    const next = new URLSearchParams(location.search).get("next") || "";
    if (next.startsWith(`/e/${slug}/`) && !/[\\\s]|\/\//.test(next)) { location.assign(next); return; }
    render();
    const welcome = h("div", { class: "notice", tabindex: "-1", id: "welcome" },
      h("p", {}, joined.name ? t("Welcome, %(name)s. You have joined.", { name: joined.name }) : t("You have joined anonymously.")),
      h("p", {}, t("Pitch a session or place your dots below. This phone will remember you.")));
    $("#welcome")?.remove();
    $("#join-section").after(welcome);
    welcome.focus();
  } catch (error) {
    showErrors(joinForm, [{ message: error.detail || error.message }]);
  } finally {
    delete button.dataset.busy;
  }
});

meForm.elements.name.addEventListener("input", () => { meForm.dataset.dirty = "1"; });
meForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = meForm.elements.name.value.trim();
  const status = $("#me-status");
  if (name.length > 60) {
    showErrors(meForm, [{ message: t("Your name must be 60 characters or fewer"), input: meForm.elements.name }]);
    return;
  }
  clearErrors(meForm);
  say(status, t("Saving…"));
  try {
    const renamed = await write("PATCH", `/api/e/${slug}/me`, { ...AS_ATTENDEE, body: { name }, retry: true });
    state.me.name = renamed.name;
    delete meForm.dataset.dirty;
    if (!hostTouched && !editing) pitchForm.elements.host.value = renamed.name;
    say(status, renamed.name ? t("Saved. You are now “%(name)s”.", { name: renamed.name }) : t("Saved. You are anonymous."));
  } catch (error) {
    say(status, "");
    showErrors(meForm, [{ message: error.detail || error.message }]);
  }
});

for (const text of notices.get()) addNotice(text, false);
// The page came with the event as Snug drew it: the script takes over from that at once, before
// anything else waits, and the live connection brings what changed since.
const drawn = document.getElementById("snapshot");
if (drawn) { try { live.adopt(JSON.parse(drawn.textContent)); } catch { /* wait for the live connection */ } }
// A form's "done" word belongs to that one answer: a reload shouldn't say it again.
const asked = new URLSearchParams(location.search);
if (asked.has("done")) {
  asked.delete("done");
  history.replaceState(null, "", `${location.pathname}${asked.size ? `?${asked}` : ""}${location.hash}`);
}
restoreDraft();
await moveOldToken(slug);
live.start();
// If the live connection is slow to come up, show the event from a plain request meanwhile.
// Offline, that is the event as this phone last saw it (sw.js), newer than a page it kept.
setTimeout(async () => {
  if (state && navigator.onLine) return;
  try {
    const snapshot = await api("GET", `/api/e/${slug}`, AS_ATTENDEE);
    if (!state || !navigator.onLine) live.adopt(snapshot);
  } catch { /* keep waiting for the live connection */ }
}, navigator.onLine ? 4000 : 0);
