// Snug's service worker, served at /sw.js for the event pages (scope /e/). It keeps the event
// and notes pages, their CSS and JavaScript, and the event as an attendee last saw it, so a
// reload with no network still shows the event. Always the network first, so nothing stale is shown while
// Snug can be reached; the kept copy only when it can't. Writes are never touched or kept, and
// neither is anything answered for staff (it may hold what only staff may see).

const PAGES = "snug-pages";
const FILES = "snug-files";
const STATE = "snug-state"; // also written by the attendee page (offline.js)
const KEPT = new Set([PAGES, FILES, STATE]);
const PATIENCE = 6000; // ms to wait for the network before showing a kept copy
const EVENT_STATE = /^\/api\/e\/[^/]+$/;
const WORDS = /^\/i18n\/[a-z]{2,3}\.json$/; // the scripts' words in a language (i18n.js)
// The pages an attendee or a screen needs at the venue. Staff pages and the proceedings (which
// staff read before they are published) are left to the network.
const OFFLINE_PAGES = /^\/e\/[^/]+(\/notes\/\d+|\/screen|\/now)?$/;
const STAFF_ROLES = new Set(["facilitator", "organiser"]);

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (!KEPT.has(name)) await caches.delete(name);
    await self.clients.claim();
  })());
});

// A page tells the worker what it loaded before the worker was there to see it.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep" || !Array.isArray(event.data.urls)) return;
  event.waitUntil(keepMissing(event.data.urls.slice(0, 100)));
});

async function keepMissing(paths) {
  for (const path of paths) {
    const url = new URL(path, self.location.origin);
    if (url.origin !== self.location.origin) continue;
    const name = url.pathname.startsWith("/static/") ? FILES : OFFLINE_PAGES.test(url.pathname) ? PAGES : null;
    if (!name) continue;
    const cache = await caches.open(name);
    if (await cache.match(url.pathname)) continue;
    try {
      const response = await fetch(url.pathname, { credentials: "same-origin" });
      if (storable(name, response)) await cache.put(url.pathname, response);
    } catch { /* offline already: kept next time */ }
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // writes go straight to Snug, and are never kept
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  let name = null;
  if (request.mode === "navigate") name = OFFLINE_PAGES.test(url.pathname) ? PAGES : null;
  else if (url.pathname.startsWith("/static/") || WORDS.test(url.pathname)) name = FILES;
  else if (EVENT_STATE.test(url.pathname) && forAttendee(request.headers)) name = STATE;
  if (name) event.respondWith(networkFirst(event, name, url.pathname));
});

/** Asked by an attendee's or the public's page: a staff page's state is never kept. */
function forAttendee(headers) {
  if (headers.has("Authorization")) return false;
  return !headers.has("X-Snug-Staff") || headers.has("X-Snug-Attendee");
}

/** Snug's answer when it comes in time; else the kept copy, marked with when it was kept. */
async function networkFirst(event, name, key) {
  const cache = await caches.open(name);
  const fresh = fetch(event.request).then((response) => {
    if (storable(name, response)) event.waitUntil(keep(name, cache, key, response.clone()));
    return response;
  });
  const slow = new Promise((resolve) => { setTimeout(resolve, PATIENCE, null); });
  const first = await Promise.race([fresh.catch(() => null), slow]);
  if (first) return first;
  const kept = await cache.match(key, { ignoreVary: true });
  if (kept) return kept;
  return fresh; // nothing kept: whatever the network does, error included
}

function storable(name, response) {
  if (!response.ok || response.type !== "basic") return false;
  if (name === PAGES) return (response.headers.get("Content-Type") || "").startsWith("text/html");
  return true;
}

async function keep(name, cache, key, response) {
  const body = await response.arrayBuffer();
  if (name === STATE) {
    let role = null;
    try { role = JSON.parse(new TextDecoder().decode(body)).role; } catch { return; }
    if (STAFF_ROLES.has(role)) return; // what staff see stays off the phone's storage
  }
  const headers = new Headers(response.headers);
  headers.set("X-Snug-Saved-At", new Date().toISOString());
  await cache.put(key, new Response(body, { status: response.status, headers }));
}
