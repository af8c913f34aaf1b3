// Snug's fetch helper: JSON in and out, a bearer secret or a role's cookie, problem+json errors
// as readable Errors, and a couple of retries when the network drops an idempotent request.

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const OFFLINE = "Snug could not be reached. Check your connection, then try again.";

export class ApiError extends Error {
  constructor(detail, status = 0, title = "") {
    super(detail);
    this.detail = detail;
    this.status = status;
    this.title = title;
  }
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Asks Snug to use the secret this browser keeps in a role's cookie: the organiser's or
// facilitator's key on staff pages, the attendee's token on the attendee page, both (attendee
// first) on the notes page. Only Snug's own pages can send these (see server/http/security.py).
export function asking({ staff, attendee } = {}) {
  return { ...(attendee && { "X-Snug-Attendee": "1" }), ...(staff && { "X-Snug-Staff": "1" }) };
}
export const STAFF = asking({ staff: true });

async function once(method, path, body, token, roles, timeout) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
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
 */
export async function api(method, path, { body, token, staff, attendee, retry, timeout = 15000 } = {}) {
  const tries = (retry ?? IDEMPOTENT.has(method)) ? 3 : 1;
  let response;
  for (let attempt = 1; ; attempt += 1) {
    try {
      response = await once(method, path, body, token, { staff, attendee }, timeout);
      break;
    } catch {
      if (attempt >= tries) throw new ApiError(OFFLINE, 0, "Offline");
      await wait(600 * attempt * attempt + Math.random() * 400);
    }
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    const detail = (data && data.detail) || `Something went wrong (error ${response.status}). Try again.`;
    throw new ApiError(detail, response.status, (data && data.title) || "");
  }
  return data;
}

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
    throw new Error("Snug could not be reached.");
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new Error(problem?.detail || `Snug answered with error ${response.status}. Try again.`);
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
