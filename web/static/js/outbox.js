// Writes made while the phone is offline wait here, in IndexedDB, each with the Idempotency-Key
// it was first sent with, and go out in order when the connection returns. Snug does a write at
// most once per key, so sending one again after an unanswered try is safe. A write Snug refuses
// when it finally arrives (voting closed meanwhile) is reported, never dropped in silence.
//
// events: "change" (what waits changed), "sent" and "refused" ({entry, answer}), "stale" (a
// page was shown from what this phone kept: {savedAt}).
import { kept } from "./kept.js";

export const events = new EventTarget();
let entries = []; // what waits, oldest first: a copy of the store, for drawing the page
let sending = null; // the id of the entry on its way now
let deliver = null;
let running = null;
let timer = null;
let backoff = 0;

const emit = (type, detail) => events.dispatchEvent(new CustomEvent(type, { detail }));

// Tabs of the same phone share the outbox: whichever sends a write tells the others, so the
// page it was made on confirms it too.
const tabs = "BroadcastChannel" in globalThis ? new BroadcastChannel("snug-outbox") : null;
tabs?.addEventListener("message", async ({ data }) => {
  try { entries = await kept.all("outbox"); } catch { /* keep the copy we have */ }
  if (data.type !== "held") emit(data.type, data.detail);
  emit("change");
});

/** What waits to be sent for this event, oldest first. */
export const waiting = (slug) => entries.filter((entry) => entry.slug === slug);

/** Keeps a write to send later; resolves to it, with its id, once it is safely stored. */
export async function hold(entry) {
  const id = await kept.put("outbox", entry);
  const held = { ...entry, id };
  entries.push(held);
  emit("change");
  tabs?.postMessage({ type: "held" });
  later(2);
  return held;
}

/** Takes back a write that has not gone yet; false if it is on its way (or gone). */
export async function cancel(id) {
  if (sending === id || !entries.some((entry) => entry.id === id)) return false;
  await kept.delete("outbox", id);
  entries = entries.filter((entry) => entry.id !== id);
  emit("change");
  tabs?.postMessage({ type: "held" });
  return true;
}

/** Sends what waits, in order; one tab at a time, so two tabs never race each other. */
export function flush() {
  if (!deliver) return Promise.resolve();
  clearTimeout(timer);
  running ??= (async () => {
    try {
      await (navigator.locks ? navigator.locks.request("snug-outbox", drain) : drain());
    } finally {
      running = null;
    }
  })();
  return running;
}

async function drain() {
  for (;;) {
    entries = await kept.all("outbox"); // afresh: another tab may have sent some
    const entry = entries[0];
    if (!entry) break;
    let answer;
    sending = entry.id;
    try {
      answer = await deliver(entry);
    } catch {
      answer = null; // no answer: the same write, with the same key, goes again later
    } finally {
      sending = null;
    }
    if (!answer || answer.status === 429 || answer.status >= 500) {
      later(answer?.retryAfter);
      break;
    }
    backoff = 0;
    await kept.delete("outbox", entry.id);
    entries = entries.filter((e) => e.id !== entry.id);
    const type = answer.ok ? "sent" : "refused";
    emit(type, { entry, answer });
    tabs?.postMessage({ type, detail: { entry, answer } });
  }
  emit("change");
}

/** Asks again in a while, waiting longer each time nothing gets through (at most a minute). */
function later(seconds) {
  clearTimeout(timer);
  backoff = Math.min(60, backoff ? backoff * 2 : 2);
  timer = setTimeout(flush, 1000 * (seconds || backoff));
}

/** deliver(entry) -> {ok, status, data, detail, retryAfter}; throws when nothing answered. */
export async function startOutbox(send) {
  deliver = send;
  addEventListener("online", () => { backoff = 0; flush(); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && entries.length) flush();
  });
  try {
    entries = await kept.all("outbox");
  } catch {
    entries = [];
  }
  emit("change");
  if (entries.length) flush();
}
