// Snug's fetch helper: JSON in and out, a bearer secret or a role's cookie, problem+json errors
// as readable Errors, and a couple of retries when the network drops an idempotent request.
// Every write carries an Idempotency-Key made once for it, so sending it again is safe; a write
// that may wait (`queue`) is kept on the phone when the network is gone and sent when it is back
// (outbox.js).
import { events, hold, startOutbox, waiting } from "./outbox.js";
import { showOffline } from "./offline.js";
import { t } from "./i18n.js";

export { cancel, events, flush as flushOutbox, waiting } from "./outbox.js";
export { rememberState } from "./offline.js";

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const READS = new Set(["GET", "HEAD"]);
// Said when they happen, so in the page's language once its words are in.
const OFFLINE = () => t("Snug could not be reached. Check your connection, then try again.");
const HELD = () => t("Kept on this phone: it will be sent when you are back online.");

export class ApiError extends Error {
  constructor(detail, status = 0, title = "", sessions = []) {
    super(detail);
    this.detail = detail;
    this.status = status;
    this.title = title;
    this.sessions = sessions; // the sessions a refused change would take off the grid
  }
}

/** Not sent yet, but safely kept on the phone: `entry` is what waits (see outbox.js). */
export class Queued extends ApiError {
  constructor(entry) {
    super(HELD(), 0, t("Waiting to send"));
    this.entry = entry;
  }
}

/** A random key for one write: 128 bits, URL-safe, as Snug's Idempotency-Key wants. */
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const slugOf = (path) => decodeURIComponent(path.match(/^\/api\/e\/([^/]+)/)?.[1] || "");

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Asks Snug to use the secret this browser keeps in a role's cookie: the organiser's or
// facilitator's key on staff pages, the attendee's token on the attendee page, both (attendee
// first) on the notes page. Only Snug's own pages can send these (see server/http/security.py).
export function asking({ staff, attendee } = {}) {
  return { ...(attendee && { "X-Snug-Attendee": "1" }), ...(staff && { "X-Snug-Staff": "1" }) };
}
export const STAFF = asking({ staff: true });

async function once(method, path, body, token, roles, timeout, key) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  if (token) headers.Authorization = `Bearer ${token}`;
  else Object.assign(headers, asking(roles));
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  try {
    return await fetch(path, {
      method, headers, signal: abort.signal, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * api("POST", "/api/events", {body, token}) -> parsed JSON (or null for 204). Throws ApiError.
 * token: a bearer secret; staff: true on organiser and facilitator pages, attendee: true on
 * attendee pages, to use that role's cookie.
 * queue: {kind, words, ...}: a write that may wait. With no network (or others already
 * waiting, so the order holds) it is kept on the phone and Queued is thrown; its "sent" or
 * "refused" event follows. kind, words (what it is, for the person) and the rest stay with it.
 * carry: key => a promise of the answer, or null: another way to send this write (a dot, on the
 * live socket: Live.carry). Unanswered that way, it goes by HTTP under the same key.
 */
export async function api(method, path, { body, token, staff, attendee, retry, timeout = 15000, queue, carry } = {}) {
  const key = READS.has(method) ? null : newKey();
  const roles = { staff, attendee };
  // A bearer secret is never written to the phone's storage, so only cookie writes may wait.
  const mayWait = queue && !token;
  const keep = () => hold({ ...queue, slug: slugOf(path), method, path, body, roles, key, at: Date.now() });
  const mustWait = () => mayWait && (!navigator.onLine || waiting(slugOf(path)).length);
  if (mustWait()) throw new Queued(await keep());
  const carried = carry?.(key);
  if (carried) {
    try {
      return await carried;
    } catch (refusal) {
      // Snug's database away for a moment: nothing was done, and the write can wait.
      if (refusal && mayWait && refusal.status === 503) throw new Queued(await keep());
      if (refusal) throw new ApiError(refusal.message, refusal.status);
      // Unanswered: sent again by HTTP below, under the same key, unless meanwhile the phone
      // went offline or other writes began waiting (they keep their order).
      if (mustWait()) throw new Queued(await keep());
    }
  }
  const tries = mayWait ? 1 : (retry ?? IDEMPOTENT.has(method)) ? 3 : 1;
  let response;
  for (let attempt = 1; ; attempt += 1) {
    try {
      response = await once(method, path, body, token, roles, timeout, key);
      break;
    } catch {
      // Unanswered: it may or may not have arrived; the same key makes sending it again safe.
      if (mayWait) throw new Queued(await keep());
      if (attempt >= tries) throw new ApiError(OFFLINE(), 0, t("Offline"));
      await wait(600 * attempt * attempt + Math.random() * 400);
    }
  }
  // Snug's database away for a moment: nothing was done, and the write can wait like any other.
  if (mayWait && response.status === 503) throw new Queued(await keep());
  const answer = await read(response);
  if (!answer.ok) throw new ApiError(answer.detail, answer.status, answer.title, answer.data?.sessions || []);
  const savedAt = response.headers.get("X-Snug-Saved-At");
  if (savedAt) events.dispatchEvent(new CustomEvent("stale", { detail: { savedAt } }));
  return answer.data;
}

async function read(response) {
  const { ok, status } = response;
  if (status === 204) return { ok, status, data: null };
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  const detail = (data && data.detail) || t("Something went wrong (error %(status)s). Try again.", { status });
  const retryAfter = Number(response.headers.get("Retry-After")) || 0;
  return { ok, status, data, detail, title: (data && data.title) || "", retryAfter };
}

/** Sends a write that waited, with the key it was first tried with; throws if unanswered. */
async function deliver(entry) {
  return read(await once(entry.method, entry.path, entry.body, null, entry.roles, 15000, entry.key));
}

startOutbox(deliver);
showOffline();

/**
 * Saves what a staff-only address answers as a file. It needs the staff header, which a plain
 * link can't send; the name comes from Content-Disposition.
 * Resolves to the file's name; rejects with an Error whose message is a sentence.
 */
export async function download(path, fallbackName) {
  let response;
  try {
    response = await fetch(path, { headers: STAFF, credentials: "same-origin", cache: "no-store" });
  } catch {
    throw new Error(t("Snug could not be reached."));
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new Error(problem?.detail || t("Snug answered with error %(status)s. Try again.", { status: response.status }));
  }
  const found = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
  const name = found ? found[1] : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  Object.assign(link, { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}
