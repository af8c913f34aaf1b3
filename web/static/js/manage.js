// Organiser and facilitator page: run the marketplace, edit the event, share its links.
import { api } from "./api.js";
import { ready, t, tn } from "./i18n.js";
import { Live } from "./live.js";
import { fillPitch, readPitch } from "./pitchform.js";
import { $, $$, FORMATS, announce, clearErrors, copyRow, h, keyed, say, showErrors, signIn, signOut, slugFromPath } from "./ui.js";
import { RoomsEditor, SlotsEditor, fillTimezones, slotChecks } from "./venue.js";

const slug = slugFromPath();
// The server drew the sign-in form (it never sees a #key=); a link bringing the key signs in.
if (location.hash.includes("key=")) $("#no-key").hidden = true;
await Promise.all([signIn(slug), ready]);

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
  document.title = isOrganiser() ? t("%(event)s - organise", { event: e.name }) : t("%(event)s - facilitate", { event: e.name });
  if (!staff) { $("#role-line").textContent = ""; return; }
  $("#role-line").textContent = isOrganiser() ? t("You are the organiser of this event.") : t("You are a facilitator of this event.");
  if (!seeded) {
    seeded = true;
    seedDetails(true);
    seedVenue(true);
    const join = e.join_url;
    // Translators: said after "Copy" on the button, for screen readers.
    $("#join-link").append(copyRow(join, t("join link")));
    $("#join-qr").src = `/e/${encodeURIComponent(slug)}/join.svg`;
    $("#join-qr").alt = t("QR code that opens the join link %(link)s", { link: join });
    $("#grid-link").href = `/e/${encodeURIComponent(slug)}/grid`;
    $("#screen-link").href = `/e/${encodeURIComponent(slug)}/screen`;
    $("#screen-link").textContent = `${location.host}/e/${slug}/screen`;
  }
  $("#pitching-state").textContent = e.pitching_open ? t("Pitching is open") : t("Pitching is closed");
  $("#toggle-pitching").textContent = e.pitching_open ? t("Close pitching") : t("Open pitching");
  $("#toggle-pitching").className = e.pitching_open ? "warning" : "";
  $("#voting-state").textContent = e.voting_open ? t("Voting is open") : t("Voting is closed");
  $("#toggle-voting").textContent = e.voting_open ? t("Close voting") : t("Open voting");
  $("#toggle-voting").className = e.voting_open ? "warning" : "";
  const hidden = e.totals_hidden;
  $("#totals-state").textContent = hidden ? t("The running totals are hidden") : t("Everyone sees the running totals");
  $("#totals-hint").textContent = hidden
    ? t("Only you and facilitators see how many dots each session has. Phones, the projector and the API get no counts until you reveal them.")
    : t("Hide them while voting is open so that people vote for what they want rather than for what is ahead. You and facilitators still see them.");
  $("#toggle-totals").textContent = hidden ? t("Reveal the totals") : t("Hide the running totals");
  renderPitches();
  const grid = state.draft;
  if (grid) {
    const unplaced = state.pitches.filter((p) => !p.hidden).length - grid.placements.length;
    $("#grid-summary").textContent = [
      grid.live ? t("Published; grid edits stay in a draft until you publish them.") : t("Draft, not published."),
      tn("%(n)s session on the grid, %(unplaced)s not placed.", "%(n)s sessions on the grid, %(unplaced)s not placed.",
        grid.placements.length, { unplaced }),
    ].join(" ");
  }
}

function renderPitches() {
  const shown = state.pitches.filter((p) => !p.hidden).sort((a, b) => a.id - b.id);
  const hidden = state.pitches.filter((p) => p.hidden).sort((a, b) => a.id - b.id);
  const dots = shown.reduce((n, p) => n + p.votes, 0);
  // Babel reads no calls inside template literals: the words are joined outside them.
  $("#pitch-summary").textContent = [tn("%(n)s pitch.", "%(n)s pitches.", shown.length), tn("%(n)s dot placed.", "%(n)s dots placed.", dots)].join(" ");
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
  card.edit = named(t("Edit"), { onclick: () => startEditing(id) });
  card.hide = named(t("Hide"), { onclick: () => setHidden(id, true) });
  card.mergeOpen = named(t("Merge"), { onclick: () => openMerge(card) });
  card.select = h("select", { id: `merge-${id}` });
  card.confirmText = h("p", {});
  card.confirmYes = h("button", { type: "button", class: "warning", onclick: () => merge(card) }, t("Yes, merge them"));
  card.confirm = h("div", { class: "confirm", hidden: true },
    h("div", { class: "field" }, h("label", { for: `merge-${id}` }, t("Merge this pitch into")), card.select),
    card.confirmText,
    h("div", { class: "actions" }, card.confirmYes,
      h("button", { type: "button", class: "secondary", onclick: () => closeMerge(card, true) }, t("Cancel"))));
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
  card.meta.textContent = [
    pitch.host ? t("Hosted by %(host)s", { host: pitch.host }) : t("Host not named"),
    FORMATS[pitch.format] || pitch.format,
    ...(pitch.tags.length ? [t("Tags: %(tags)s", { tags: pitch.tags.join(", ") })] : []),
  ].join(" · ");
  card.count.textContent = tn("%(n)s dot", "%(n)s dots", pitch.votes);
  for (const b of [card.edit, card.hide]) b.lastChild.textContent = ` ${pitch.title}`;
  // Translators: said after "Merge" on the button, for screen readers.
  card.mergeOpen.lastChild.textContent = " " + t("“%(title)s” into another pitch", { title: pitch.title });
  if (!card.confirm.hidden) describeMerge(card);
}

function fillTargets(card, shown) {
  const chosen = card.select.value;
  const others = shown.filter((p) => p.id !== card.id);
  card.select.replaceChildren(...others.map((p) => h("option", { value: String(p.id) }, tn("%(title)s (%(n)s dot)", "%(title)s (%(n)s dots)", p.votes, { title: p.title }))));
  if (others.some((p) => String(p.id) === chosen)) card.select.value = chosen;
  card.mergeOpen.hidden = others.length === 0;
  if (others.length === 0) card.confirm.hidden = true;
}

function describeMerge(card) {
  const from = state.pitches.find((p) => p.id === card.id);
  const into = state.pitches.find((p) => String(p.id) === card.select.value);
  if (!from || !into) { card.confirmText.textContent = ""; return; }
  card.confirmText.textContent = t("“%(from)s” will go, and its dots move to “%(into)s”. This cannot be undone.", { from: from.title, into: into.title });
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
    announce(tn("Merged. “%(title)s” now has %(n)s dot.", "Merged. “%(title)s” now has %(n)s dots.", result.votes, { title: result.title }));
    target?.edit.focus();
  } catch (error) {
    say(card.status, t("Not merged: %(reason)s", { reason: error.detail || error.message }), false);
  } finally {
    card.busy = false;
  }
}

function makeHiddenRow(id) {
  const row = { id };
  row.title = h("strong");
  row.show = named(t("Show again"), { onclick: () => setHidden(id, false) });
  row.li = h("li", { class: "pitch" }, h("p", {}, row.title), row.show);
  return row;
}

async function setHidden(id, hidden) {
  const pitch = state.pitches.find((p) => p.id === id);
  try {
    await api("PATCH", `/api/e/${slug}/pitches/${id}`, { staff: true, body: { hidden }, retry: true });
    announce(hidden
      ? t("Hidden: %(title)s. It is listed under hidden pitches.", { title: pitch?.title })
      : t("Shown again: %(title)s.", { title: pitch?.title }));
    const nextFocus = hidden ? $("#hidden-heading") : $("#pitches-heading");
    nextFocus.setAttribute("tabindex", "-1");
    nextFocus.focus();
  } catch (error) {
    const card = cards.get(id);
    const reason = error.detail || error.message;
    if (card) say(card.status, hidden ? t("Could not hide it: %(reason)s", { reason }) : t("Could not show it: %(reason)s", { reason }), false);
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
    ? slotChecks(t("The host can’t do"), sessionSlots, pitch.unavailable || [], t("Tick the time slots when the host can’t run this session."))
    : "");
  $("#pitch-heading").textContent = t("Edit pitch: %(title)s", { title: pitch.title });
  $("#pitch-submit").textContent = t("Save changes");
  $("#pitch-cancel").hidden = false;
  say($("#pitch-status"), "");
  pitchForm.elements.title.focus();
}

function stopEditing(focus = false) {
  const id = editing;
  editing = null;
  pitchForm.reset();
  $("#pitch-away").replaceChildren();
  $("#pitch-heading").textContent = t("Add a pitch");
  $("#pitch-submit").textContent = t("Add pitch");
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
      say(status, t("Saved “%(title)s”.", { title: saved.title }));
    } else {
      const saved = await api("POST", `/api/e/${slug}/pitches`, { staff: true, body: fields });
      pitchForm.reset();
      say(status, t("Added “%(title)s”.", { title: saved.title }));
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
    say(statusEl, t("Not saved: %(reason)s", { reason: error.detail || error.message }), false);
    return false;
  }
}

// The switches are the page's forms too (for browsers without script): script sends them itself.
$("#toggle-pitching").addEventListener("click", (event) => {
  event.preventDefault();
  const open = !state.event.pitching_open;
  patchEvent({ pitching_open: open }, $("#toggle-status"), open ? t("Pitching is now open.") : t("Pitching is now closed."));
});
$("#toggle-voting").addEventListener("click", (event) => {
  event.preventDefault();
  const open = !state.event.voting_open;
  patchEvent({ voting_open: open }, $("#toggle-status"), open ? t("Voting is now open.") : t("Voting is now closed."));
});

$("#totals-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const hide = !state.event.totals_hidden;
  patchEvent({ totals_hidden: hide }, $("#toggle-status"), hide ? t("The running totals are now hidden from everyone but staff.") : t("The totals are revealed to everyone."));
});

$("#dots-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const dots = Number(form.elements.dots.value);
  if (!Number.isInteger(dots) || dots < 1 || dots > 20) {
    showErrors(form, [{ message: t("Dots for each attendee must be a whole number from 1 to 20"), input: form.elements.dots }]);
    return;
  }
  clearErrors(form);
  patchEvent({ dots_per_attendee: dots, dots_stack: form.elements.stack.checked }, $("#dots-status"), t("Dot settings saved."));
});

$("#details-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {
    name: form.elements.name.value.trim(), date: form.elements.date.value,
    timezone: form.elements.timezone.value, venue: form.elements.venue.value.trim(),
  };
  const errors = [];
  if (!body.name) errors.push({ message: t("Enter the event name"), input: form.elements.name });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(body.date)) errors.push({ message: t("Enter the date of the event"), input: form.elements.date });
  if (errors.length) { showErrors(form, errors); return; }
  clearErrors(form);
  if (await patchEvent(body, $("#details-status"), t("Event details saved."))) dirty.details = false;
});

async function saveVenue(kind, editor, form, statusEl, unplace = false) {
  const read = editor.read();
  if (read.errors.length) { showErrors(form, read.errors); return; }
  clearErrors(form);
  form.querySelector(".unplace-confirm")?.remove();
  say(statusEl, t("Saving…"));
  try {
    const body = { [kind]: read[kind], ...(unplace ? { unplace: true } : {}) };
    const venue = await api("PUT", `/api/e/${slug}/${kind}`, { staff: true, body });
    state.rooms = venue.rooms;
    state.slots = venue.slots;
    dirty[kind] = false;
    editor.set(venue[kind]);
    // The rooms' "not available in" boxes follow the saved slots.
    if (kind === "slots" && !dirty.rooms) rooms.set(state.rooms);
    say(statusEl, kind === "rooms" ? t("Rooms saved.") : t("Time slots saved."));
  } catch (error) {
    say(statusEl, "");
    if (error.sessions?.length) askToUnplace(kind, editor, form, statusEl, error);
    else showErrors(form, [{ message: error.detail || error.message }]);
  }
}

/** Removing a room or slot that holds sessions takes them off the grid: say which, ask first. */
function askToUnplace(kind, editor, form, statusEl, error) {
  const panel = h("div", { class: "panel unplace-confirm", role: "alert", tabindex: "-1" },
    h("h3", {}, tn("Take %(n)s session off the grid?", "Take %(n)s sessions off the grid?", error.sessions.length)),
    h("p", {}, kind === "rooms"
      ? t("Removing that room takes these sessions off the draft grid and off attendees’ phones:")
      : t("Removing that time slot takes these sessions off the draft grid and off attendees’ phones:")),
    h("ul", {}, ...error.sessions.map((s) => h("li", {}, s.title))),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "warning", onclick: () => saveVenue(kind, editor, form, statusEl, true) }, t("Remove it and take them off")),
      h("button", { type: "button", class: "secondary", onclick: () => { panel.remove(); form.querySelector("button[type=submit]").focus(); } }, t("Cancel"))));
  form.append(panel);
  panel.focus();
}
$("#rooms-form").addEventListener("submit", (e) => { e.preventDefault(); saveVenue("rooms", rooms, e.target, $("#rooms-status")); });
$("#slots-form").addEventListener("submit", (e) => { e.preventDefault(); saveVenue("slots", slots, e.target, $("#slots-status")); });

$("#make-facilitator").addEventListener("click", async () => {
  const box = $("#facilitator-link");
  try {
    const made = await api("POST", `/api/e/${slug}/facilitator-link`, { staff: true });
    box.replaceChildren(h("p", { class: "inline-status good", tabindex: "-1", id: "fac-made" }, t("New facilitator link made. The previous one no longer works.")),
      // Translators: said after "Copy" on the button, for screen readers.
      copyRow(made.link, t("facilitator link")));
    $("#fac-made").focus();
  } catch (error) {
    box.replaceChildren(h("p", { class: "inline-status bad", role: "alert" }, t("No link made: %(reason)s", { reason: error.detail || error.message })));
  }
});

$("#sign-out-line").addEventListener("submit", (event) => { event.preventDefault(); signOut(slug).catch(() => announce(t("Snug could not be reached, so this device is still signed in. Try again."))); });
live.start();
setTimeout(async () => {
  if (state) return;
  try {
    const snapshot = await api("GET", `/api/e/${slug}`, { staff: true });
    if (!state) live.adopt(snapshot);
  } catch { /* keep waiting for the live connection */ }
}, 4000);
