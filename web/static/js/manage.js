// Organiser and facilitator page: run the marketplace, edit the event, share its links.
import { api } from "./api.js";
import { Live } from "./live.js";
import { fillPitch, readPitch } from "./pitchform.js";
import { $, $$, FORMATS, announce, clearErrors, copyRow, h, keyed, plural, say, showErrors, signIn, signOut, slugFromPath } from "./ui.js";
import { RoomsEditor, SlotsEditor, fillTimezones, slotChecks } from "./venue.js";

const slug = slugFromPath();
// The server drew the sign-in form (it never sees a #key=); a link bringing the key signs in.
if (location.hash.includes("key=")) $("#no-key").hidden = true;
await signIn(slug);

let state = null;
let editing = null;
let seeded = false;
const cards = new Map();
const hiddenRows = new Map();
const pitchForm = $("#pitch-form");
const rooms = new RoomsEditor($("#rooms"), () => state?.slots || []);
const slots = new SlotsEditor($("#slots"), () => state?.event.date || "");
const dirty = { rooms: false, slots: false, details: false };
$("#rooms-form").addEventListener("input", () => { dirty.rooms = true; });
$("#rooms-form").addEventListener("click", (e) => { if (e.target.closest("button[type=button]")) dirty.rooms = true; });
$("#slots-form").addEventListener("input", () => { dirty.slots = true; });
$("#slots-form").addEventListener("click", (e) => { if (e.target.closest("button[type=button]")) dirty.slots = true; });
$("#details-form").addEventListener("input", () => { dirty.details = true; });

const isOrganiser = () => state?.role === "organiser";
const isStaff = () => state && (state.role === "organiser" || state.role === "facilitator");

const live = new Live({ slug, staff: true, statusEl: $("#conn"), onState });

function onState(next, change) {
  state = next;
  if (change?.kind === "pitch.merged" && editing === change.data.id) stopEditing();
  if (change?.kind === "venue.updated") { seedVenue(false); }
  if (change?.kind === "event.updated") seedDetails(false);
  render();
}

function seedDetails(force) {
  if (!force && dirty.details) return;
  const form = $("#details-form");
  const e = state.event;
  form.elements.name.value = e.name;
  form.elements.date.value = e.date;
  fillTimezones(form.elements.timezone, e.timezone);
  form.elements.venue.value = e.venue;
  if (document.activeElement !== $("#dots-count")) $("#dots-count").value = e.dots_per_attendee;
  $("#dots-stack").checked = e.dots_stack;
  dirty.details = false;
}

function seedVenue(force) {
  if (force || !dirty.rooms) { rooms.set(state.rooms); dirty.rooms = false; }
  if (force || !dirty.slots) { slots.set(state.slots); dirty.slots = false; }
}

function render() {
  if (!state) return;
  const staff = isStaff();
  $("#no-key").hidden = staff;
  $("#sign-out-line").hidden = !staff;
  $("#page-nav").hidden = !staff;
  for (const id of ["#pitches", "#share", "#grid-link-section"]) $(id).hidden = !staff;
  for (const el of $$(".organiser-only")) el.hidden = !isOrganiser();
  const e = state.event;
  $("#event-name").textContent = e.name;
  document.title = `${e.name} - ${isOrganiser() ? "organise" : "facilitate"}`;
  if (!staff) { $("#role-line").textContent = ""; return; }
  $("#role-line").textContent = isOrganiser() ? "You are the organiser of this event." : "You are a facilitator of this event.";
  if (!seeded) {
    seeded = true;
    seedDetails(true);
    seedVenue(true);
    const join = e.join_url;
    $("#join-link").append(copyRow(join, "join link"));
    $("#join-qr").src = `/e/${encodeURIComponent(slug)}/join.svg`;
    $("#join-qr").alt = `QR code that opens the join link ${join}`;
    $("#grid-link").href = `/e/${encodeURIComponent(slug)}/grid`;
    $("#screen-link").href = `/e/${encodeURIComponent(slug)}/screen`;
    $("#screen-link").textContent = `${location.host}/e/${slug}/screen`;
  }
  $("#pitching-state").textContent = `Pitching is ${e.pitching_open ? "open" : "closed"}`;
  $("#toggle-pitching").textContent = e.pitching_open ? "Close pitching" : "Open pitching";
  $("#toggle-pitching").className = e.pitching_open ? "warning" : "";
  $("#voting-state").textContent = `Voting is ${e.voting_open ? "open" : "closed"}`;
  $("#toggle-voting").textContent = e.voting_open ? "Close voting" : "Open voting";
  $("#toggle-voting").className = e.voting_open ? "warning" : "";
  const hidden = e.totals_hidden;
  $("#totals-state").textContent = hidden ? "The running totals are hidden" : "Everyone sees the running totals";
  $("#totals-hint").textContent = hidden
    ? "Only you and facilitators see how many dots each session has. Phones, the projector and the API get no counts until you reveal them."
    : "Hide them while voting is open so that people vote for what they want rather than for what is ahead. You and facilitators still see them.";
  $("#toggle-totals").textContent = hidden ? "Reveal the totals" : "Hide the running totals";
  renderPitches();
  const grid = state.draft;
  if (grid) {
    const unplaced = state.pitches.filter((p) => !p.hidden).length - grid.placements.length;
    $("#grid-summary").textContent = `${grid.live ? "Published; grid edits stay in a draft until you publish them." : "Draft, not published."} `
      + `${plural(grid.placements.length, "session")} on the grid, ${unplaced} not placed.`;
  }
}

function renderPitches() {
  const shown = state.pitches.filter((p) => !p.hidden).sort((a, b) => a.id - b.id);
  const hidden = state.pitches.filter((p) => p.hidden).sort((a, b) => a.id - b.id);
  const dots = shown.reduce((n, p) => n + p.votes, 0);
  $("#pitch-summary").textContent = `${plural(shown.length, "pitch", "pitches")}, ${plural(dots, "dot")} placed.`;
  keyed($("#pitch-list"), cards, shown, makeCard, updateCard);
  keyed($("#hidden-list"), hiddenRows, hidden, makeHiddenRow, (row, p) => {
    row.title.textContent = p.title;
    row.show.lastChild.textContent = ` ${p.title}`;
  });
  $("#hidden-empty").hidden = hidden.length > 0;
  const titles = shown.map((p) => `${p.id}:${p.title}`).join("\n");
  for (const card of cards.values()) {
    if (card.titles !== titles) fillTargets(card, shown);
    card.titles = titles;
  }
}


const named = (label, extra = {}) => h("button", { type: "button", class: "secondary", ...extra }, label, h("span", { class: "visually-hidden" }));

function makeCard(id) {
  const card = { id };
  card.title = h("h3", { id: `p-${id}-title` });
  card.text = h("p", { class: "pitch-text" });
  card.meta = h("p", { class: "meta" });
  card.count = h("p", { class: "count" });
  card.edit = named("Edit", { onclick: () => startEditing(id) });
  card.hide = named("Hide", { onclick: () => setHidden(id, true) });
  card.mergeOpen = named("Merge", { onclick: () => openMerge(card) });
  card.select = h("select", { id: `merge-${id}` });
  card.confirmText = h("p", {});
  card.confirmYes = h("button", { type: "button", class: "warning", onclick: () => merge(card) }, "Yes, merge them");
  card.confirm = h("div", { class: "confirm", hidden: true },
    h("div", { class: "field" }, h("label", { for: `merge-${id}` }, "Merge this pitch into"), card.select),
    card.confirmText,
    h("div", { class: "actions" }, card.confirmYes,
      h("button", { type: "button", class: "secondary", onclick: () => closeMerge(card, true) }, "Cancel")));
  card.select.addEventListener("change", () => describeMerge(card));
  card.status = h("p", { class: "inline-status" });
  card.li = h("li", { class: "pitch", "aria-labelledby": `p-${id}-title` },
    card.title, card.text, card.meta, card.count,
    h("div", { class: "actions" }, card.edit, card.hide, card.mergeOpen), card.confirm, card.status);
  return card;
}

function updateCard(card, pitch) {
  card.title.textContent = pitch.title;
  card.text.textContent = pitch.pitch;
  card.text.hidden = !pitch.pitch;
  const tags = pitch.tags.length ? ` · Tags: ${pitch.tags.join(", ")}` : "";
  card.meta.textContent = `${pitch.host ? `Hosted by ${pitch.host}` : "Host not named"} · ${FORMATS[pitch.format] || pitch.format}${tags}`;
  card.count.textContent = plural(pitch.votes, "dot");
  for (const b of [card.edit, card.hide]) b.lastChild.textContent = ` ${pitch.title}`;
  card.mergeOpen.lastChild.textContent = ` “${pitch.title}” into another pitch`;
  if (!card.confirm.hidden) describeMerge(card);
}

function fillTargets(card, shown) {
  const chosen = card.select.value;
  const others = shown.filter((p) => p.id !== card.id);
  card.select.replaceChildren(...others.map((p) => h("option", { value: String(p.id) }, `${p.title} (${plural(p.votes, "dot")})`)));
  if (others.some((p) => String(p.id) === chosen)) card.select.value = chosen;
  card.mergeOpen.hidden = others.length === 0;
  if (others.length === 0) card.confirm.hidden = true;
}

function describeMerge(card) {
  const from = state.pitches.find((p) => p.id === card.id);
  const into = state.pitches.find((p) => String(p.id) === card.select.value);
  if (!from || !into) { card.confirmText.textContent = ""; return; }
  card.confirmText.textContent = `“${from.title}” will go, and its dots move to “${into.title}”. This cannot be undone.`;
}

function openMerge(card) {
  card.confirm.hidden = false;
  describeMerge(card);
  card.select.focus();
}

function closeMerge(card, focus) {
  card.confirm.hidden = true;
  if (focus) card.mergeOpen.focus();
}

async function merge(card) {
  const into = Number(card.select.value);
  if (!into || card.busy) return;
  card.busy = true;
  const target = cards.get(into);
  try {
    const result = await api("POST", `/api/e/${slug}/pitches/${card.id}/merge`, { staff: true, body: { into } });
    announce(`Merged. “${result.title}” now has ${plural(result.votes, "dot")}.`);
    target?.edit.focus();
  } catch (error) {
    say(card.status, `Not merged: ${error.detail || error.message}`, false);
  } finally {
    card.busy = false;
  }
}

function makeHiddenRow(id) {
  const row = { id };
  row.title = h("strong");
  row.show = named("Show again", { onclick: () => setHidden(id, false) });
  row.li = h("li", { class: "pitch" }, h("p", {}, row.title), row.show);
  return row;
}

async function setHidden(id, hidden) {
  const pitch = state.pitches.find((p) => p.id === id);
  try {
    await api("PATCH", `/api/e/${slug}/pitches/${id}`, { staff: true, body: { hidden }, retry: true });
    announce(hidden ? `Hidden: ${pitch?.title}. It is listed under hidden pitches.` : `Shown again: ${pitch?.title}.`);
    const nextFocus = hidden ? $("#hidden-heading") : $("#pitches-heading");
    nextFocus.setAttribute("tabindex", "-1");
    nextFocus.focus();
  } catch (error) {
    const card = cards.get(id);
    if (card) say(card.status, `Could not ${hidden ? "hide" : "show"} it: ${error.detail || error.message}`, false);
    else announce(error.detail || error.message);
  }
}

function startEditing(id) {
  const pitch = state.pitches.find((p) => p.id === id);
  if (!pitch) return;
  editing = id;
  clearErrors(pitchForm);
  fillPitch(pitchForm, pitch);
  const sessionSlots = state.slots.filter((slot) => (slot.kind || "session") === "session");
  $("#pitch-away").replaceChildren(sessionSlots.length
    ? slotChecks("The host can’t do", sessionSlots, pitch.unavailable || [], "Tick the time slots when the host can’t run this session.")
    : "");
  $("#pitch-heading").textContent = `Edit pitch: ${pitch.title}`;
  $("#pitch-submit").textContent = "Save changes";
  $("#pitch-cancel").hidden = false;
  say($("#pitch-status"), "");
  pitchForm.elements.title.focus();
}

function stopEditing(focus = false) {
  const id = editing;
  editing = null;
  pitchForm.reset();
  $("#pitch-away").replaceChildren();
  $("#pitch-heading").textContent = "Add a pitch";
  $("#pitch-submit").textContent = "Add pitch";
  $("#pitch-cancel").hidden = true;
  if (focus && cards.has(id)) cards.get(id).edit.focus();
}

$("#pitch-cancel").addEventListener("click", () => { clearErrors(pitchForm); stopEditing(true); });
pitchForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { fields, errors } = readPitch(pitchForm);
  if (errors.length) { showErrors(pitchForm, errors); return; }
  clearErrors(pitchForm);
  const status = $("#pitch-status");
  try {
    if (editing) {
      if ($("#pitch-away fieldset")) {
        fields.unavailable = $$("#pitch-away input[type=checkbox]:checked").map((box) => Number(box.value));
      }
      const saved = await api("PATCH", `/api/e/${slug}/pitches/${editing}`, { staff: true, body: fields, retry: true });
      stopEditing(true);
      say(status, `Saved “${saved.title}”.`);
    } else {
      const saved = await api("POST", `/api/e/${slug}/pitches`, { staff: true, body: fields });
      pitchForm.reset();
      say(status, `Added “${saved.title}”.`);
    }
  } catch (error) {
    showErrors(pitchForm, [{ message: error.detail || error.message }]);
  }
});

async function patchEvent(body, statusEl, done) {
  try {
    const view = await api("PATCH", `/api/e/${slug}`, { staff: true, body, retry: true });
    state.event = view.event || view;
    render();
    say(statusEl, done);
    announce(done);
    return true;
  } catch (error) {
    say(statusEl, `Not saved: ${error.detail || error.message}`, false);
    return false;
  }
}

// The switches are the page's forms too (for browsers without script): script sends them itself.
$("#toggle-pitching").addEventListener("click", (event) => {
  event.preventDefault();
  const open = !state.event.pitching_open;
  patchEvent({ pitching_open: open }, $("#toggle-status"), `Pitching is now ${open ? "open" : "closed"}.`);
});
$("#toggle-voting").addEventListener("click", (event) => {
  event.preventDefault();
  const open = !state.event.voting_open;
  patchEvent({ voting_open: open }, $("#toggle-status"), `Voting is now ${open ? "open" : "closed"}.`);
});

$("#totals-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const hide = !state.event.totals_hidden;
  patchEvent({ totals_hidden: hide }, $("#toggle-status"), hide ? "The running totals are now hidden from everyone but staff." : "The totals are revealed to everyone.");
});

$("#dots-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const dots = Number(form.elements.dots.value);
  if (!Number.isInteger(dots) || dots < 1 || dots > 20) {
    showErrors(form, [{ message: "Dots for each attendee must be a whole number from 1 to 20", input: form.elements.dots }]);
    return;
  }
  clearErrors(form);
  patchEvent({ dots_per_attendee: dots, dots_stack: form.elements.stack.checked }, $("#dots-status"), "Dot settings saved.");
});

$("#details-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {
    name: form.elements.name.value.trim(), date: form.elements.date.value,
    timezone: form.elements.timezone.value, venue: form.elements.venue.value.trim(),
  };
  const errors = [];
  if (!body.name) errors.push({ message: "Enter the event name", input: form.elements.name });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(body.date)) errors.push({ message: "Enter the date of the event", input: form.elements.date });
  if (errors.length) { showErrors(form, errors); return; }
  clearErrors(form);
  if (await patchEvent(body, $("#details-status"), "Event details saved.")) dirty.details = false;
});

async function saveVenue(kind, editor, form, statusEl, unplace = false) {
  const read = editor.read();
  if (read.errors.length) { showErrors(form, read.errors); return; }
  clearErrors(form);
  form.querySelector(".unplace-confirm")?.remove();
  say(statusEl, "Saving…");
  try {
    const body = { [kind]: read[kind], ...(unplace ? { unplace: true } : {}) };
    const venue = await api("PUT", `/api/e/${slug}/${kind}`, { staff: true, body });
    state.rooms = venue.rooms;
    state.slots = venue.slots;
    dirty[kind] = false;
    editor.set(venue[kind]);
    // The rooms' "not available in" boxes follow the saved slots.
    if (kind === "slots" && !dirty.rooms) rooms.set(state.rooms);
    say(statusEl, kind === "rooms" ? "Rooms saved." : "Time slots saved.");
  } catch (error) {
    say(statusEl, "");
    if (error.sessions?.length) askToUnplace(kind, editor, form, statusEl, error);
    else showErrors(form, [{ message: error.detail || error.message }]);
  }
}

/** Removing a room or slot that holds sessions takes them off the grid: say which, ask first. */
function askToUnplace(kind, editor, form, statusEl, error) {
  const what = kind === "rooms" ? "room" : "time slot";
  const panel = h("div", { class: "panel unplace-confirm", role: "alert", tabindex: "-1" },
    h("h3", {}, `Take ${plural(error.sessions.length, "session")} off the grid?`),
    h("p", {}, `Removing that ${what} takes these sessions off the draft grid and off attendees’ phones:`),
    h("ul", {}, ...error.sessions.map((s) => h("li", {}, s.title))),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "warning", onclick: () => saveVenue(kind, editor, form, statusEl, true) }, `Remove it and take them off`),
      h("button", { type: "button", class: "secondary", onclick: () => { panel.remove(); form.querySelector("button[type=submit]").focus(); } }, "Cancel")));
  form.append(panel);
  panel.focus();
}
$("#rooms-form").addEventListener("submit", (e) => { e.preventDefault(); saveVenue("rooms", rooms, e.target, $("#rooms-status")); });
$("#slots-form").addEventListener("submit", (e) => { e.preventDefault(); saveVenue("slots", slots, e.target, $("#slots-status")); });

$("#make-facilitator").addEventListener("click", async () => {
  const box = $("#facilitator-link");
  try {
    const made = await api("POST", `/api/e/${slug}/facilitator-link`, { staff: true });
    box.replaceChildren(h("p", { class: "inline-status good", tabindex: "-1", id: "fac-made" }, "New facilitator link made. The previous one no longer works."), copyRow(made.link, "facilitator link"));
    $("#fac-made").focus();
  } catch (error) {
    box.replaceChildren(h("p", { class: "inline-status bad", role: "alert" }, `No link made: ${error.detail || error.message}`));
  }
});

$("#sign-out-line").addEventListener("submit", (event) => { event.preventDefault(); signOut(slug).catch(() => announce("Snug could not be reached, so this device is still signed in. Try again.")); });
live.start();
setTimeout(async () => {
  if (state) return;
  try {
    const snapshot = await api("GET", `/api/e/${slug}`, { staff: true });
    if (!state) live.adopt(snapshot);
  } catch { /* keep waiting for the live connection */ }
}, 4000);
