// Keeps this phone's copy of a session's notes (a Yjs document) in step with the server over the
// notes websocket. Local changes go out one batch at a time: while one is unacknowledged, later
// ones are merged into the next. The whole document is also kept in IndexedDB, with a mark while
// it holds changes the server hasn't acknowledged, so a reload with no network shows the notes
// and a flat battery loses nothing: the next join sends what the server lacks, and the CRDT
// merges it with whatever others wrote meanwhile (a change sent twice merges to nothing new).
import * as Y from "../../vendor/yjs.mjs";
import { t } from "../i18n.js";
import { kept } from "../kept.js";

export const LOCAL = "this phone"; // transaction origin of this phone's own typing
const REMOTE = "server";
const PING_EVERY = 20000;
const PONG_WITHIN = 10000;
const ACK_WITHIN = 5000; // an update unanswered this long makes the phone check the connection
const SLOW_SAVE = 1200; // only say "Saving…" when a save takes this long, so typing isn't noisy
const KEEP_AFTER = 300; // ms of quiet before the local copy is written again

export function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text) {
  const binary = atob(text || "");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The phone's copy, by event and session. IndexedDB writes finish after the page may be gone,
 * so when the page is closing, unacknowledged changes also go to localStorage, which writes at
 * once; the next IndexedDB write takes them over. */
class Kept {
  constructor(key) {
    this.key = key;
    this.closing = 0; // localStorage writes made, so a slower IndexedDB write won't drop one
  }

  /** {updates, dirty}: what to merge into the document, and whether the server lacks some. */
  async load() {
    let stored = null;
    try { stored = await kept.get("notes", this.key); } catch { /* nothing kept */ }
    const updates = stored ? [stored.doc] : [];
    // Written while the page closed (or by pages before IndexedDB): take them over.
    try {
      const text = localStorage.getItem(this.key);
      if (text) updates.push(fromBase64(text));
    } catch { /* private mode */ }
    return { updates, dirty: Boolean(stored?.dirty || updates.length > (stored ? 1 : 0)) };
  }

  async save(doc, dirty) {
    const closing = this.closing;
    try {
      await kept.put("notes", { doc: Y.encodeStateAsUpdate(doc), dirty }, this.key);
      if (closing === this.closing) localStorage.removeItem(this.key); // in IndexedDB now
    } catch { /* full or private: the socket still saves */ }
  }

  saveAtOnce(doc) {
    this.closing += 1;
    try { localStorage.setItem(this.key, toBase64(Y.encodeStateAsUpdate(doc))); } catch { /* full or private */ }
  }

  clear() { kept.delete("notes", this.key).catch(() => {}); }
}

export class NotesSync {
  /**
   * on: {doc(doc), sync(message), final(bool), credits(credits), presence(message), status(state, words),
   *      refused(message, lostDoc), problem(message, status), recovered()}
   * recovered: a passing problem (too fast, database away) is over, the change it held saved.
   */
  constructor({ slug, pitch, auth, on }) {
    this.path = `/e/${encodeURIComponent(slug)}/notes/${pitch}/live`;
    this.auth = auth;
    this.on = on;
    this.kept = new Kept(`snug:${slug}:notes:${pitch}`);
    this.nextId = 1;
    this.inflight = null; // {id, update} sent, not yet acknowledged
    this.pending = null; // local changes made since, merged
    this.joined = false;
    this.stopped = false;
    this.ever = false; // joined at least once (so a drop is "offline", not "connecting")
    this.attempt = 0;
    this.passing = false; // a "too fast" or "database away" problem is on show
    this.ws = null;
    this.timers = {};
    this.dirty = false; // holds changes the server hasn't acknowledged
    this.loaded = false; // what the phone kept is in the document
    this.fresh();
    this.loading = this.restore();
    addEventListener("online", () => { this.attempt = 0; this.open(); });
    addEventListener("offline", () => this.closed(1006));
    addEventListener("pagehide", () => this.keepNow(true));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.keepNow(true);
      else if (!this.joined && !this.stopped) { this.attempt = 0; this.open(); } else this.ping();
    });
  }

  fresh() {
    const doc = new Y.Doc();
    doc.on("update", (update, origin) => { if (origin === REMOTE) this.keepSoon(); else this.local(update); });
    this.doc = doc;
    this.on.doc(doc);
  }

  /** Merges in what the phone kept, before the first join asks the server for the rest. */
  async restore() {
    const { updates, dirty } = await this.kept.load();
    for (const update of updates) {
      try { Y.applyUpdate(this.doc, update, REMOTE); } catch { /* unreadable: the server's copy stands */ }
    }
    this.dirty = this.dirty || dirty;
    this.loaded = true;
    this.status();
  }

  start() { this.loading.then(() => this.open()); return this; }

  // ---------------------------------------------------------------- connection

  open() {
    if (!this.loaded || this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    clearTimeout(this.timers.retry);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${this.path}`);
    this.ws = ws;
    this.status();
    ws.onopen = () => { if (ws === this.ws) this.join(); };
    ws.onmessage = (event) => { if (ws === this.ws) this.receive(event.data); };
    ws.onclose = (event) => { if (ws === this.ws) this.closed(event.code); };
    ws.onerror = () => {};
  }

  /** The connection is gone (or the phone says it is offline): keep typing, retry later. */
  drop() {
    const ws = this.ws;
    this.ws = null;
    this.joined = false;
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.ack);
    this.timers.pong = null;
    this.stopWaiting(); // the next join sends whatever was waiting
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(); } catch { /* already closed */ }
    }
    this.status();
  }

  closed(code) {
    this.drop();
    if (code === 4404) { this.stop(); return; }
    const delay = Math.min(30000, 1000 * 2 ** this.attempt);
    this.attempt += 1;
    this.timers.retry = setTimeout(() => this.open(), delay / 2 + Math.random() * delay / 2);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timers.retry);
    this.drop();
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  join() {
    this.send({ type: "join", attendee: this.auth.attendee, staff: this.auth.staff, state: toBase64(Y.encodeStateVector(this.doc)) });
    clearInterval(this.timers.ping);
    this.timers.ping = setInterval(() => this.ping(), PING_EVERY);
  }

  ping() {
    if (!this.ws || this.timers.pong) return;
    this.send({ type: "ping" });
    this.timers.pong = setTimeout(() => { this.timers.pong = null; this.closed(1006); }, PONG_WITHIN);
  }

  receive(raw) {
    let message;
    try { message = JSON.parse(raw); } catch { return; }
    clearTimeout(this.timers.pong);
    this.timers.pong = null;
    const handle = {
      sync: () => this.synced(message),
      update: () => Y.applyUpdate(this.doc, fromBase64(message.update), REMOTE),
      ack: () => this.acked(message.id),
      error: () => this.error(message),
      final: () => this.on.final(message.final),
      credits: () => this.on.credits(message.credits),
      presence: () => this.on.presence(message),
    }[message.type];
    if (handle) handle();
  }

  // ---------------------------------------------------------------- the document

  synced(message) {
    Y.applyUpdate(this.doc, fromBase64(message.update), REMOTE);
    this.joined = true;
    this.ever = true;
    this.attempt = 0;
    this.passing = false;
    this.stopWaiting();
    this.canWrite = message.can_write;
    // Whatever was in flight or pending on an earlier connection is in this diff too.
    this.inflight = null;
    this.pending = null;
    this.on.sync(message);
    if (this.dirty && message.can_write) {
      this.post(Y.encodeStateAsUpdate(this.doc, fromBase64(message.state)));
    } else {
      this.saved();
    }
    this.status();
  }

  local(update) {
    this.dirty = true;
    this.pending = this.pending ? Y.mergeUpdates([this.pending, update]) : update;
    this.keepSoon();
    if (this.joined && !this.inflight && !this.timers.again) this.post(this.pending);
    this.status();
  }

  post(update) {
    this.pending = null;
    this.inflight = { id: this.nextId, update };
    this.nextId += 1;
    this.send({ type: "update", id: this.inflight.id, update: toBase64(update) });
    // A connection can die without closing (a phone between wifi and mobile data): check.
    clearTimeout(this.timers.ack);
    this.timers.ack = setTimeout(() => this.ping(), ACK_WITHIN);
  }

  acked(id) {
    if (!this.inflight || this.inflight.id !== id) return;
    clearTimeout(this.timers.ack);
    this.inflight = null;
    if (this.passing) { this.passing = false; this.on.recovered(); }
    if (this.pending) this.post(this.pending); else this.saved();
    this.status();
  }

  saved() {
    this.dirty = false;
    this.keepNow();
  }

  keepSoon() {
    clearTimeout(this.timers.keep);
    this.timers.keep = setTimeout(() => this.keepNow(), KEEP_AFTER);
  }

  /** closing: the page may be gone before IndexedDB has written. */
  keepNow(closing = false) {
    clearTimeout(this.timers.keep);
    // Before the kept copy is merged in, writing would replace it with less.
    if (!this.loaded) return;
    if (closing && this.dirty) this.kept.saveAtOnce(this.doc);
    this.kept.save(this.doc, this.dirty);
  }

  error(message) {
    // Too fast, or the server's database away for a moment: nothing is wrong with the change
    // or the join, so keep it and ask again shortly rather than starting over.
    if ([429, 503].includes(message.status)) {
      this.later(message);
      return;
    }
    // Once joined, every message this phone sends is an update: an error refuses the one in
    // flight (a message the server couldn't even read comes back without its id).
    if (this.joined && (message.id !== undefined || this.inflight)) {
      this.refused(message);
      return;
    }
    if ([401, 403, 404].includes(message.status)) this.stop();
    this.passing = false;
    this.on.problem(message.message, message.status);
  }

  later(message) {
    if (this.inflight) {
      clearTimeout(this.timers.ack);
      const waiting = this.inflight.update;
      this.inflight = null;
      this.pending = this.pending ? Y.mergeUpdates([waiting, this.pending]) : waiting;
    }
    this.passing = true;
    this.on.problem(message.message, message.status);
    // Nothing else would ask again: pings keep the socket open, and typing waits for this.
    this.stopWaiting();
    this.timers.again = setTimeout(() => {
      this.timers.again = null;
      if (!this.joined) this.join();
      else if (!this.inflight && this.pending) this.post(this.pending);
    }, message.status === 429 ? 10000 : 5000);
    this.status();
  }

  /** Stops waiting to ask the server again. */
  stopWaiting() {
    clearTimeout(this.timers.again);
    this.timers.again = null;
  }

  /** A change was refused (too long, notes final): start again from what the server holds. */
  refused(message) {
    const lost = this.doc;
    this.dirty = false;
    clearTimeout(this.timers.keep);
    this.kept.clear(); // the refused words are offered back on the page, not sent again
    this.inflight = null;
    this.pending = null;
    this.joined = false;
    this.stopWaiting();
    this.fresh();
    this.on.refused(message.message, lost);
    this.join();
    lost.destroy();
  }

  // ---------------------------------------------------------------- status in words

  status() {
    const unsaved = Boolean(this.inflight || this.pending);
    if (!unsaved || !this.joined) { clearTimeout(this.timers.slow); this.timers.slow = null; }
    if (this.stopped) this.say("down", t("Not connected"));
    else if (!this.joined && (this.ever || this.dirty || !navigator.onLine)) {
      this.say("down", t("Offline: your changes are kept on this phone and will merge when you’re back"));
    } else if (!this.joined) this.say("wait", t("Connecting…"));
    else if (!this.canWrite) this.say("live", t("Up to date"));
    else if (!unsaved) this.say("live", t("Saved"));
    else if (this.shown !== "live") this.say("wait", t("Saving…"));
    else {
      // Still "Saved" on screen for a moment, but not in what the page says it holds.
      this.on.status(this.shown, this.words, true);
      if (!this.timers.slow) {
        this.timers.slow = setTimeout(() => {
          this.timers.slow = null;
          if (this.joined && (this.inflight || this.pending)) this.say("wait", t("Saving…"));
        }, SLOW_SAVE);
      }
    }
  }

  say(state, words) {
    this.shown = state;
    this.words = words;
    this.on.status(state, words, Boolean(this.inflight || this.pending));
  }
}
