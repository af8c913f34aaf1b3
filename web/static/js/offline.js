// The page when the network is gone: one line saying what waits to be sent and what was, the
// writes Snug refused when they finally arrived, and the service worker (/sw.js) that keeps the
// pages and the last known state, so a reload with no network still shows the event.
// No import of ui.js here: ui.js imports api.js, which imports this.
import { events, waiting } from "./outbox.js";
import { lang, t, tn } from "./i18n.js";

const STATE_CACHE = "snug-state"; // read by sw.js when a page asks for the event with no network
const REMEMBER_AFTER = 1000;
const STAFF_ROLES = new Set(["facilitator", "organiser"]);
const SCREENS = /^\/e\/[^/]+\/(screen|now)$/;
let line = null;
let errors = null;
let sent = []; // what went since the last write was made to wait, in words
let before = 0; // how many waited when last counted
let savedAt = null;
let rememberTimer = null;

const slug = () => decodeURIComponent(location.pathname.match(/^\/e\/([^/]+)/)?.[1] || "");
const clock = (iso) => new Date(iso).toLocaleTimeString(lang === "en" ? undefined : lang, { hour: "2-digit", minute: "2-digit" });

function el(tag, { role, ...props }, ...children) {
  const made = Object.assign(document.createElement(tag), props);
  if (role) made.setAttribute("role", role); // not every browser reflects it as a property
  made.append(...children);
  return made;
}

function words() {
  const n = waiting(slug()).length;
  if (!navigator.onLine) {
    if (n) return tn("You’re offline. %(n)s change waiting to send: kept on this phone, they go when you’re back.",
      "You’re offline. %(n)s changes waiting to send: kept on this phone, they go when you’re back.", n);
    return savedAt
      ? t("You’re offline: this page shows the event (as this phone last saw it at %(time)s). Changes you make wait on this phone.", { time: clock(savedAt) })
      : t("You’re offline: this page shows the event. Changes you make wait on this phone.");
  }
  if (n) return tn("%(n)s change waiting to send…", "%(n)s changes waiting to send…", n);
  if (sent.length === 1) return t("Sent: %(what)s.", { what: sent[0] });
  if (sent.length) return tn("Sent the %(n)s change you made offline.", "Sent the %(n)s changes you made offline.", sent.length);
  return "";
}

function draw() {
  const text = words();
  line.hidden = !text;
  if (line.textContent !== text) line.textContent = text;
}

function refused({ entry, answer }) {
  const item = el("li", { className: "outbox-error" });
  const dismiss = el("button", { type: "button", className: "secondary small", textContent: t("Dismiss") });
  dismiss.addEventListener("click", () => {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    (next?.querySelector("button") || document.getElementById("main"))?.focus();
  });
  item.append(el("p", { role: "alert", textContent: t("Not sent: %(what)s. %(reason)s", { what: entry.words, reason: answer.detail }) }), dismiss);
  errors.append(item);
}

/** Shows what waits to be sent on this page, and registers the service worker. */
export function showOffline() {
  if (!slug()) return;
  register();
  // Screens at the venue have nobody to read it; their connection line says they're offline.
  if (SCREENS.test(location.pathname)) return;
  line = el("p", { className: "outbox-line", role: "status", hidden: true });
  errors = el("ul", { className: "outbox-errors" });
  document.querySelector("main")?.prepend(el("div", { className: "outbox", id: "outbox" }, line, errors));
  events.addEventListener("change", () => {
    // A new write waiting starts a new count of what was sent.
    const now = waiting(slug()).length;
    if (now > before) sent = [];
    before = now;
    draw();
  });
  events.addEventListener("sent", ({ detail }) => { sent.push(detail.entry.words); draw(); });
  events.addEventListener("refused", ({ detail }) => refused(detail));
  events.addEventListener("stale", ({ detail }) => { savedAt = detail.savedAt; draw(); });
  addEventListener("online", draw);
  addEventListener("offline", () => { sent = []; draw(); });
  draw();
}

/** The event as this page last knew it, for a reload with no network (attendee pages only:
 * staff pages' state holds what only staff may see, and stays off the phone's storage). */
export function rememberState(eventSlug, state) {
  // Offline, the state is the one kept (or this phone's own guesses): nothing new to keep.
  if (!globalThis.caches || STAFF_ROLES.has(state.role) || !navigator.onLine) return;
  savedAt = null;
  clearTimeout(rememberTimer);
  rememberTimer = setTimeout(async () => {
    const headers = { "Content-Type": "application/json", "X-Snug-Saved-At": new Date().toISOString() };
    try {
      const cache = await caches.open(STATE_CACHE);
      await cache.put(`/api/e/${eventSlug}`, new Response(JSON.stringify(state), { headers }));
    } catch { /* no room: the page still works online */ }
  }, REMEMBER_AFTER);
  if (line) draw();
}

function register() {
  if (!("serviceWorker" in navigator)) return;
  // The page and the files it loaded, for the worker to keep (it sees only later requests).
  const files = performance.getEntriesByType("resource").map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && url.pathname.startsWith("/static/"))
    .map((url) => url.pathname);
  navigator.serviceWorker.register("/sw.js", { scope: "/e/" })
    .then(() => navigator.serviceWorker.ready)
    .then((ready) => ready.active?.postMessage({ type: "keep", urls: [location.pathname, ...files] }))
    .catch(() => { /* no worker: the page still works online */ });
}
