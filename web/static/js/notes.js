// A session's notes page: several people write the same notes at once from their phones.
// The document is a Yjs CRDT kept in step by notes/sync.js; this module puts it on the page.
import * as Y from "../vendor/yjs.mjs";
import { api } from "./api.js";
import { bindActions } from "./notes/actions.js";
import { History } from "./notes/history.js";
import { Photos } from "./notes/photos.js";
import { NotesSync } from "./notes/sync.js";
import { bindText } from "./notes/text.js";
import { ready, t, tn } from "./i18n.js";
import { $, announce, h, moveOldToken, say, slotWords, slugFromPath, signIn } from "./ui.js";

const PARTS = ["summary", "discussion", "outcomes"];
const PART_NAMES = () => ({ summary: t("Summary"), discussion: t("Discussion"), outcomes: t("Outcomes"), actions: t("Actions") });

// The server drew a page that works without script (a form that sends the whole text); the
// live editor takes it over: its own controls show, the form's button and the preview go.
for (const live of document.querySelectorAll("[data-live]")) live.hidden = false;
for (const plain of document.querySelectorAll("[data-no-script]")) plain.hidden = true;
const slug = slugFromPath();
const pitch = Number(location.pathname.match(/\/notes\/(\d+)/)?.[1]);
const base = `/api/e/${encodeURIComponent(slug)}/pitches/${pitch}/notes`;
const eventPath = `/e/${encodeURIComponent(slug)}`;

// People writing notes are attendees, known by the token their browser keeps in the attendee
// cookie; a facilitator's laptop is known by the key in the staff cookie. The page asks for
// both, and Snug prefers the attendee's (server/http/security.py).
await Promise.all([signIn(slug), moveOldToken(slug), ready]);
const auth = { attendee: true, staff: true };

const notes = {
  final: false,
  canWrite: false,
  canFinalise: false,
  maxChars: 100000,
  synced: false,
};
const editable = () => notes.synced && notes.canWrite && !notes.final;

let shown = null; // the document on the page
let detach = () => {};
let lockActions = () => {};
let nearLimit = false;

// ---------------------------------------------------------------- the document on the page

function chars(doc) {
  let count = PARTS.reduce((sum, part) => sum + doc.getText(part).length, 0);
  for (const item of doc.getArray("actions").toArray()) {
    if (!(item instanceof Y.Map)) continue;
    for (const key of ["what", "owner"]) count += String(item.get(key) ?? "").length;
  }
  for (const item of doc.getArray("photos").toArray()) {
    if (item instanceof Y.Map) count += String(item.get("caption") ?? "").length;
  }
  return count;
}

function attach(doc) {
  detach();
  const allow = (growth) => {
    if (growth <= 0 || chars(doc) + growth <= notes.maxChars) return true;
    const limit = notes.maxChars.toLocaleString();
    say($("#char-count"), t("These notes have reached the limit of %(limit)s characters, so that wasn’t added. Shorten them, or link to a longer document.", { limit }), false);
    announce($("#char-count").textContent);
    return false;
  };
  const unbinds = PARTS.map((part) => bindText(doc.getText(part), $(`#part-${part}`), { allow }));
  const actions = bindActions(doc.getArray("actions"),
    { list: $("#actions"), addButton: $("#add-action"), empty: $("#actions-none") }, { allow, editable });
  lockActions = actions.lock;
  photos.bind(doc.getArray("photos"));
  shown = doc;
  doc.on("afterTransaction", countChars);
  countChars();
  detach = () => {
    unbinds.forEach((unbind) => unbind());
    actions.unbind();
    doc.off("afterTransaction", countChars);
  };
}

let countTimer = null;
function countChars() {
  if (countTimer) return;
  countTimer = setTimeout(() => {
    countTimer = null;
    const used = chars(shown);
    const line = $("#char-count");
    line.textContent = tn("%(used)s of %(limit)s character used.", "%(used)s of %(limit)s characters used.", notes.maxChars,
      { used: used.toLocaleString(), limit: notes.maxChars.toLocaleString() });
    line.classList.remove("bad");
    const near = used >= notes.maxChars * 0.9;
    if (near && !nearLimit) announce(t("These notes are near their limit: %(used)s", { used: line.textContent }));
    nearLimit = near;
  }, 400);
}

function lock() {
  const may = editable();
  for (const part of PARTS) $(`#part-${part}`).readOnly = !may;
  $("#markdown-hint").hidden = notes.final || (notes.synced && !notes.canWrite);
  lockActions();
  photos.show();
  history.lock();
  $("#final-notice").hidden = !notes.final;
  $("#final-section").hidden = !notes.canFinalise;
  $("#final-toggle").textContent = notes.final ? t("Reopen") : t("Mark final");
  $("#final-hint").textContent = notes.final
    ? t("Reopen the notes to let people change them again.")
    : t("When the notes are done, mark them final: nobody can change them until they are reopened.");
}

// ---------------------------------------------------------------- around the document

/** "Ana", "Ana and Ben", "Ana, Ben and Cai". */
function together(names) {
  if (names.length < 2) return names.join("");
  return t("%(names)s and %(last)s", { names: names.slice(0, -1).join(", "), last: names.at(-1) });
}

function creditWords({ named, anonymous }) {
  if (!named.length && !anonymous) return t("No one has written here yet.");
  if (!named.length) return tn("Written by %(n)s person.", "Written by %(n)s people.", anonymous);
  const names = [...named];
  if (anonymous) names.push(tn("%(n)s other", "%(n)s others", anonymous));
  return t("Written by %(names)s.", { names: together(names) });
}

function problem(message, status) {
  $("#problem-text").textContent = message;
  $("#problem").hidden = false;
  const shut = [401, 403, 404].includes(status); // this phone can't open these notes
  $("#problem-link").hidden = !shut;
  if (!shut) return;
  $("#problem-link").textContent = status === 404 ? t("Go to the event page") : t("Go to the event page to join");
  // The join form, when the page offers one, stays: joining opens these notes.
  for (const part of ["#notes-body", "#save-status"]) $(part).hidden = true;
}

/** The plain text of a document's parts and actions, to compare. */
function contentOf(doc) {
  return {
    parts: Object.fromEntries(PARTS.map((part) => [part, doc.getText(part).toString()])),
    actions: doc.getArray("actions").toArray().filter((item) => item instanceof Y.Map)
      .map((item) => ["what", "owner"].map((key) => String(item.get(key) ?? ""))),
  };
}

const RELOADED = () => t("The notes have been reloaded as they are saved.");
let lost = null; // what a refused change held, until the saved notes are back to compare

/** A refused change: the page holds the server's copy again; offer back what was dropped. */
function refused(message, doc) {
  $("#lost-text").textContent = `${message} ${RELOADED()}`;
  lost = contentOf(doc);
  showLost(null);
  $("#lost").hidden = false;
}

/**
 * Each part as this phone had it where it differs from the saved notes, and the actions the
 * saved notes lack. Before the saved notes arrive (saved is null), all of it, so nothing is
 * lost if they never do.
 */
function showLost(saved) {
  const have = new Set(saved?.actions.map((action) => JSON.stringify(action)));
  const actions = lost.actions.filter((action) => !have.has(JSON.stringify(action)))
    .map((action) => action.filter(Boolean).join(": ")).filter(Boolean);
  const pieces = [
    ...PARTS.filter((part) => lost.parts[part] !== saved?.parts[part]).map((part) => [part, lost.parts[part]]),
    ["actions", actions.join("\n")],
  ].filter(([, text]) => text);
  const hint = !saved ? t("All of it, until the saved notes are back to compare.")
    : pieces.length ? t("Only the parts that differ from the saved notes, in full as this phone had them, and actions the saved notes don’t have.")
      : t("Nothing you wrote is missing from the saved notes.");
  $("#lost-parts").replaceChildren(h("p", { class: "hint" }, hint),
    ...pieces.map(([part, text]) => h("div", { class: "field" },
      h("label", { for: `lost-${part}` }, PART_NAMES()[part]),
      h("textarea", { id: `lost-${part}`, readOnly: true, rows: 4, text }))));
}

const photos = new Photos({ base, auth, list: $("#photo-list"), none: $("#photos-none"), form: $("#photo-form"), editable });
const history = new History({
  base, auth, details: $("#history"), editable,
  onRestored: (words) => announce(words),
});

const sync = new NotesSync({
  slug, pitch, auth,
  on: {
    doc: attach,
    sync(message) {
      Object.assign(notes, {
        final: message.final, canWrite: message.can_write, canFinalise: message.can_finalise,
        maxChars: message.max_chars, synced: true,
      });
      $("#problem").hidden = true;
      if (lost) { showLost(contentOf(shown)); lost = null; }
      $("#credits").textContent = creditWords(message.credits);
      $("#credit-box").hidden = message.named === null;
      if (message.named !== null) $("#credit-me").checked = message.named;
      lock();
    },
    final(final) {
      if (notes.final === final) return;
      notes.final = final;
      lock();
      announce(final ? t("These notes are now marked final: they can’t be changed.") : t("These notes were reopened: you can change them again."));
    },
    credits(credits) { $("#credits").textContent = creditWords(credits); },
    presence({ names, others }) {
      const line = $("#presence");
      line.textContent = !others ? ""
        : names.length === 1 ? t("%(name)s is writing here too.", { name: names[0] })
          : names.length ? t("%(names)s are writing here too.", { names: together(names) })
            : tn("%(n)s other person is writing here too.", "%(n)s others are writing here too.", others);
      line.hidden = !others;
    },
    status(state, words, unsaved) {
      const line = $("#save-status");
      line.dataset.state = state;
      // "Saved" waits a moment before turning to "Saving…", so this says it at once.
      line.dataset.unsaved = String(unsaved);
      if (line.textContent !== words) line.textContent = words;
    },
    refused,
    problem,
    recovered() { $("#problem").hidden = true; },
  },
});

$("#notes-form").addEventListener("submit", (event) => event.preventDefault());

$("#credit-me").addEventListener("change", async (event) => {
  const box = event.currentTarget;
  const status = $("#credit-status");
  say(status, t("Saving…"));
  try {
    const answer = await api("PUT", `${base}/credit`, { ...auth, body: { named: box.checked } });
    $("#credits").textContent = creditWords(answer.credits);
    say(status, box.checked ? t("Saved: your name will be shown with these notes.") : t("Saved: you are counted without your name."));
  } catch (error) {
    box.checked = !box.checked;
    say(status, t("Not saved: %(reason)s", { reason: error.detail || error.message }), false);
  }
});

$("#final-toggle").addEventListener("click", async () => {
  const status = $("#final-status");
  const final = !notes.final;
  say(status, final ? t("Marking final…") : t("Reopening…"));
  try {
    const answer = await api("PUT", `${base}/final`, { ...auth, body: { final } });
    notes.final = answer.final;
    lock();
    say(status, answer.final ? t("Marked final.") : t("Reopened: people can change the notes again."));
  } catch (error) {
    say(status, t("Not done: %(reason)s", { reason: error.detail || error.message }), false);
  }
});

// ---------------------------------------------------------------- the session's title and place

async function describe() {
  try {
    const state = await api("GET", `/api/e/${encodeURIComponent(slug)}`, auth);
    $("#join-notice").hidden = state.role !== "public";
    const session = state.pitches.find((p) => p.id === pitch);
    $("#event-name").textContent = state.event.name;
    if (!session) return;
    $("#session-title").textContent = session.title;
    document.title = t("%(title)s: notes - %(event)s", { title: session.title, event: state.event.name });
    const grid = state.grid?.live ? state.grid : state.draft;
    const placed = grid?.placements.find((p) => p.pitch === pitch);
    const room = placed && state.rooms.find((r) => r.id === placed.room);
    const slot = placed && state.slots.find((s) => s.id === placed.slot);
    $("#session-meta").textContent = [
      room && slot ? `${room.name}, ${slotWords(slot)}` : t("Not on the grid yet"),
      session.host ? t("Hosted by %(host)s", { host: session.host }) : "",
    ].filter(Boolean).join(" · ");
  } catch { /* the notes work without the title */ }
}

for (const link of ["#event-link", "#join-link", "#problem-link"]) $(link).href = eventPath;
lock();
describe();
sync.start();
