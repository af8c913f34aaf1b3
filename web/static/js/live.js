// One live connection per page: hello with the secret and the last seq applied, then changes in
// strict seq order (a gap asks to resume), a heartbeat, and reconnection with backoff and jitter.
// Where a proxy or browser blocks websockets, the same messages come over an event stream, and
// where that is blocked too, by asking for the changes every few seconds; the status says which.
// It keeps the event's state and tells the page after every snapshot or change.

import { t, tn } from "./i18n.js";

const PING_EVERY = 20000;
const PONG_WITHIN = 10000;
const STAFF = new Set(["facilitator", "organiser"]);
// A way of connecting gives way to the next after this many tries in a row that brought no
// catch-up, or this many drops within DROP_WINDOW even though each one caught up first.
const FAILED_TRIES = 3;
const DROPS = 4;
const DROP_WINDOW = 120000;
const NEXT = { socket: "stream", stream: "poll" };

export class Live {
  /**
   * slug: the event; staff: true on organiser and facilitator pages, attendee: true on the
   * attendee page, to be recognised by the secret this browser keeps in that role's cookie;
   * onState(state, change|null):
   * re-render; statusEl: element (role=status) that shows "Live" / "Reconnecting…" /
   * "Updating every N seconds"; words: the t and tn that say it (a shared screen's say it in
   * each of its event's languages, web/static/js/voices.js), else the page's own.
   */
  constructor({ slug, staff = false, attendee = false, onState, statusEl, onError, words = { t, tn } }) {
    this.slug = slug;
    this.words = words;
    this.roles = { ...(staff && { staff }), ...(attendee && { attendee }) };
    // Other scripts on the page (staff-day.js) hear each state too.
    this.onState = (state, change) => {
      onState(state, change);
      document.dispatchEvent(new CustomEvent("snug:state", { detail: { state, change } }));
    };
    this.onError = onError || (() => {});
    this.statusEl = statusEl;
    this.state = null;
    this.seq = null;
    this.transport = "socket"; // then "stream" (Server-Sent Events), then "poll"
    this.ws = null;
    this.es = null;
    this.pollEvery = 5; // seconds; each answer says how often to ask
    this.pollTimer = null;
    this.pollRound = 0;
    this.attempt = 0;
    this.drops = [];
    this.resuming = false;
    this.pingTimer = null;
    this.pongTimer = null;
    this.retryTimer = null;
    this.fresh = true; // the next hello asks for a snapshot
    this.carried = new Map(); // key -> {resolve, reject, timer}: writes sent on the socket, unanswered
    addEventListener("online", () => this.check(3000));
    addEventListener("offline", () => this.status("down", this.words.t("Offline: we will catch up when you are back")));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.check(5000);
    });
  }

  get staff() { return STAFF.has(this.state?.role); }

  start() {
    this.open();
    return this;
  }

  /** After joining (a new cookie): a new hello, and a fresh snapshot for the new role. */
  renew() {
    this.fresh = true;
    // A new connection rather than a second hello: the server builds a snapshot on an old
    // connection from the event as it was when that connection opened.
    this.attempt = 0;
    this.open();
  }

  /** A snapshot fetched over plain HTTP while the socket is slow: show it, changes follow. */
  adopt(state) {
    if (this.state && state.seq < this.seq) return;
    this.state = state;
    this.seq = state.seq;
    this.onState(this.state, null);
  }

  /** said: a string, or what voices.js's t() gives (pieces, or a span for each language). */
  status(state, said) {
    if (!this.statusEl) return;
    const el = this.statusEl;
    const pieces = [said].flat();
    const text = pieces.map((piece) => (piece instanceof Node ? piece.textContent : String(piece))).join("");
    if (el.dataset.state === state && el.textContent === text && el.dataset.transport === this.transport) return;
    el.dataset.state = state;
    el.dataset.transport = this.transport;
    el.replaceChildren(...pieces);
  }

  /** Caught up: pushed changes are live; asked-for ones are as fresh as the last ask. */
  current() {
    if (this.transport === "poll") this.status("live", this.words.tn("Updating every %(n)s second", "Updating every %(n)s seconds", this.pollEvery));
    else this.status("live", this.words.t("Live"));
  }

  open() {
    clearTimeout(this.retryTimer);
    this.close();
    this.status("wait", this.state ? this.words.t("Reconnecting…") : this.words.t("Connecting…"));
    if (this.transport === "socket") this.openSocket();
    else if (this.transport === "stream") this.openStream();
    else this.poll();
  }

  openSocket() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/e/${encodeURIComponent(this.slug)}/live`);
    this.ws = ws;
    ws.onopen = () => { if (ws === this.ws) this.hello(); };
    ws.onmessage = (message) => { if (ws === this.ws) this.receive(message.data); };
    ws.onclose = () => { if (ws === this.ws) this.retry(); };
    ws.onerror = () => {};
  }

  /** The same messages as the socket's, each event's id its seq. Reconnecting is left to
   * retry() rather than to the browser, so backoff and giving way work as for the socket. */
  openStream() {
    const es = new EventSource(`/e/${encodeURIComponent(this.slug)}/stream?${this.query()}`);
    this.es = es;
    // Open means caught up or catching up: a stream resumed with nothing missed sends nothing.
    es.onopen = () => { if (es === this.es && this.state && !this.fresh) { this.attempt = 0; this.current(); } };
    es.onmessage = (message) => { if (es === this.es) this.receive(message.data); };
    es.onerror = () => { if (es === this.es) this.retry(); };
  }

  /** Where to resume from, and the roles to be recognised as (EventSource sends no headers,
   * so the server reads the role's cookie on ?as=; the secret never goes in the address). */
  query() {
    const params = new URLSearchParams();
    if (!this.fresh && this.seq !== null) params.set("since", this.seq);
    for (const role of Object.keys(this.roles)) params.append("as", role);
    return params;
  }

  async poll() {
    clearTimeout(this.pollTimer);
    const round = ++this.pollRound; // an ask made meanwhile (on waking up) supersedes this one
    const url = `/api/e/${encodeURIComponent(this.slug)}/changes?${this.query()}`;
    let answer = null;
    try {
      const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
      if (response.ok) answer = await response.json();
      else if (response.status < 500 && response.status !== 429) this.refused(await response.json());
    } catch { /* offline, or the server away: asked again below */ }
    if (this.transport !== "poll" || round !== this.pollRound) return;
    if (answer === null) {
      this.status("down", this.words.t("Reconnecting…"));
      this.attempt += 1;
      this.pollTimer = setTimeout(() => this.poll(), Math.min(30000, 1000 * 2 ** this.attempt));
      return;
    }
    this.pollEvery = answer.poll;
    this.attempt = 0;
    this.resuming = false;
    for (const message of answer.messages) this.handle(message);
    if (this.state) this.current();
    this.pollTimer = setTimeout(() => this.poll(), this.pollEvery * 1000);
  }

  /** A refusal as problem+json, told to the page as the socket's error message would be. */
  refused(problem) {
    this.onError({ type: "error", message: problem.detail, status: problem.status });
  }

  close() {
    for (const key of [...this.carried.keys()]) this.answered(key, false, null);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.pollTimer);
    this.pongTimer = null;
    const { ws, es } = this;
    this.ws = this.es = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(); } catch { /* already closed */ }
    }
    if (es) es.close();
  }

  retry() {
    this.close();
    const now = Date.now();
    this.drops = this.drops.filter((at) => now - at < DROP_WINDOW).concat(now);
    // Offline, every way fails alike: wait for the network rather than give up on the socket.
    if (NEXT[this.transport] && navigator.onLine !== false
        && (this.attempt >= FAILED_TRIES - 1 || this.drops.length >= DROPS)) {
      this.fallBack();
      return;
    }
    this.status("down", this.words.t("Reconnecting…"));
    const delay = Math.min(30000, 1000 * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.open(), delay / 2 + Math.random() * delay / 2);
  }

  /** The next way of connecting, for the rest of this page's life. */
  fallBack() {
    this.transport = NEXT[this.transport];
    if (this.transport === "stream" && typeof EventSource === "undefined") this.transport = "poll";
    this.attempt = 0;
    this.drops = [];
    this.open();
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /**
   * Sends a write the socket carries ({type: "dot", pitch, key}) while the socket is open: in
   * a vote storm the server answers a socket message for much less than a request. Resolves
   * to the answer; rejects with the server's error message when refused, or with null when it
   * went unanswered (the socket closed, or `within` ms passed), after which sending it again
   * by HTTP under the same key is safe. Null at once when there is no open socket.
   */
  carry(message, within = 15000) {
    if (this.transport !== "socket" || !this.ws || this.ws.readyState !== WebSocket.OPEN) return null;
    // A ping unanswered (just woken, or the wifi gone quiet): the socket may be dead though
    // it looks open, and HTTP finds out sooner.
    if (this.pongTimer) return null;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.answered(message.key, false, null), within);
      this.carried.set(message.key, { resolve, reject, timer });
      this.send(message);
    });
  }

  /** Ends a carried write's wait; false if none was waiting under that key. A null refusal
   * means unanswered, which the caller takes as "send it again by HTTP". */
  answered(key, ok, value) {
    const waiting = this.carried.get(key);
    if (!waiting) return false;
    this.carried.delete(key);
    clearTimeout(waiting.timer);
    (ok ? waiting.resolve : waiting.reject)(value);
    return true;
  }

  hello() {
    const since = this.fresh || this.seq === null ? null : this.seq;
    this.resuming = false;
    this.send({ type: "hello", ...this.roles, since });
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(PONG_WITHIN), PING_EVERY);
  }

  /** After waking up or coming online: make sure changes still arrive, reconnecting if not. */
  check(within) {
    if (this.transport === "poll") {
      this.poll();
    } else if (this.transport === "stream") {
      if (!this.es || this.es.readyState === EventSource.CLOSED) this.reopen();
    } else if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      this.reopen();
    } else {
      this.ping(within);
    }
  }

  reopen() {
    this.attempt = 0;
    this.open();
  }

  ping(within) {
    if (this.pongTimer) return;
    this.send({ type: "ping" });
    this.pongTimer = setTimeout(() => { this.pongTimer = null; this.retry(); }, within);
  }

  receive(raw) {
    let message;
    try { message = JSON.parse(raw); } catch { return; }
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.handle(message);
  }

  handle(message) {
    if (message.type === "snapshot") {
      this.fresh = false;
      this.attempt = 0;
      this.resuming = false;
      this.state = message.state;
      this.seq = message.state.seq;
      this.current();
      this.onState(this.state, null);
    } else if (message.type === "change") {
      this.change(message);
    } else if (message.type === "pong") {
      if (this.seq !== null && message.seq > this.seq) this.resume();
      else if (this.state) this.current();
    } else if (message.type === "placed") {
      this.answered(message.key, true, message.dot);
    } else if (message.type === "error") {
      if (!message.key || !this.answered(message.key, false, message)) this.onError(message);
    }
  }

  /** Missed changes: the socket asks for them and a stream reopens from the last seq applied;
   * the next poll asks from it anyway. */
  resume() {
    if (this.resuming && Date.now() - this.resuming < 5000) return;
    this.resuming = Date.now();
    if (this.transport === "socket") this.send({ type: "resume", since: this.seq });
    else if (this.transport === "stream") this.open();
  }

  change(message) {
    if (!this.state) return; // a snapshot is on its way
    this.attempt = 0;
    this.current();
    if (message.seq <= this.seq) return;
    // A tick's tallies (votes, headcounts, checks) come as one change covering seqs first..seq.
    if ((message.first ?? message.seq) > this.seq + 1) { this.resume(); return; }
    this.resuming = false;
    this.seq = message.seq;
    this.state.seq = message.seq;
    apply(this.state, message.kind, message.data, this.staff);
    this.onState(this.state, message);
  }
}

function setVotes(state, votes) {
  for (const pitch of state.pitches) {
    if (Object.hasOwn(votes, String(pitch.id))) pitch.votes = votes[String(pitch.id)];
  }
}

/** Apply one change to the state, as the protocol says. */
export function apply(state, kind, data, staff) {
  if (kind === "event.updated") {
    state.event = data.event;
  } else if (kind === "venue.updated") {
    state.rooms = data.rooms;
    state.slots = data.slots;
  } else if (kind === "pitch.saved") {
    const pitch = data.pitch;
    const at = state.pitches.findIndex((p) => p.id === pitch.id);
    if (pitch.hidden && !staff) {
      if (at >= 0) state.pitches.splice(at, 1);
    } else if (at >= 0) {
      state.pitches[at] = pitch;
    } else {
      state.pitches.push(pitch);
    }
  } else if (kind === "pitch.hidden") {
    const at = state.pitches.findIndex((p) => p.id === data.id);
    if (at >= 0) {
      if (staff) state.pitches[at].hidden = true;
      else state.pitches.splice(at, 1);
    }
    // A change logged before hiding sent its counts along meant the same: no dots left.
    setVotes(state, data.votes || { [data.id]: 0 });
    if (state.me) state.me.dots = state.me.dots.filter((d) => d.pitch !== data.id);
  } else if (kind === "pitch.merged" || kind === "pitch.withdrawn") {
    state.pitches = state.pitches.filter((p) => p.id !== data.id);
    setVotes(state, data.votes || {});
    if (state.me) {
      state.me.pitches = state.me.pitches.filter((id) => id !== data.id);
      // A withdrawn pitch's dots go back to their owners; a merged one's moved with it.
      if (kind === "pitch.withdrawn") state.me.dots = state.me.dots.filter((d) => d.pitch !== data.id);
    }
  } else if (kind === "votes") {
    setVotes(state, data.votes || {});
    if (data.turnout) state.turnout = data.turnout; // staff only, as in their snapshot
  } else if (kind === "grid.changed") {
    // Staff get the whole draft; attendees only hear that the draft moved on.
    if (data.draft && (!state.draft || data.draft.version >= state.draft.version)) state.draft = data.draft;
  } else if (kind === "grid.checks") {
    // Votes moved under a drafted grid: staff get fresh checks, others an empty note.
    if (data.checks && state.draft) state.draft.checks = data.checks;
  } else if (kind === "grid.published") {
    state.grid = data.grid;
  } else if (kind === "headcounts") {
    if (state.grid) state.grid.headcounts = data.headcounts || {};
  } else if (kind === "tally") {
    // The latest of each tally in the run it covers; a part the run didn't change is absent.
    if (data.votes) setVotes(state, data.votes);
    if (data.headcounts && state.grid) state.grid.headcounts = data.headcounts;
    if (data.checks && state.draft) state.draft.checks = data.checks;
    if (data.turnout) state.turnout = data.turnout;
  } else if (kind === "seats") {
    if (state.grid) state.grid.seats = { ...(state.grid.seats || {}), ...(data.seats || {}) };
  }
}
