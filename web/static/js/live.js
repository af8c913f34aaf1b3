// One live connection per page: hello with the secret and the last seq applied, then changes in
// strict seq order (a gap asks to resume), a heartbeat, and reconnection with backoff and jitter.
// It keeps the event's state and tells the page after every snapshot or change.

const PING_EVERY = 20000;
const PONG_WITHIN = 10000;
const STAFF = new Set(["facilitator", "organiser"]);

export class Live {
  /**
   * slug: the event; staff: true on organiser and facilitator pages, attendee: true on the
   * attendee page, to be recognised by the secret this browser keeps in that role's cookie;
   * onState(state, change|null):
   * re-render; statusEl: element (role=status) that shows "Live" / "Reconnecting…".
   */
  constructor({ slug, staff = false, attendee = false, onState, statusEl, onError }) {
    this.slug = slug;
    this.roles = { ...(staff && { staff }), ...(attendee && { attendee }) };
    this.onState = onState;
    this.onError = onError || (() => {});
    this.statusEl = statusEl;
    this.state = null;
    this.seq = null;
    this.ws = null;
    this.attempt = 0;
    this.resuming = false;
    this.pingTimer = null;
    this.pongTimer = null;
    this.retryTimer = null;
    this.fresh = true; // the next hello asks for a snapshot
    addEventListener("online", () => this.check(3000));
    addEventListener("offline", () => this.status("down", "Offline: we will catch up when you are back"));
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

  status(state, text) {
    if (!this.statusEl) return;
    if (this.statusEl.dataset.state === state && this.statusEl.textContent === text) return;
    this.statusEl.dataset.state = state;
    this.statusEl.textContent = text;
  }

  open() {
    clearTimeout(this.retryTimer);
    this.close();
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/e/${encodeURIComponent(this.slug)}/live`);
    this.ws = ws;
    this.status("wait", this.state ? "Reconnecting…" : "Connecting…");
    ws.onopen = () => { if (ws === this.ws) this.hello(); };
    ws.onmessage = (message) => { if (ws === this.ws) this.receive(message.data); };
    ws.onclose = () => { if (ws === this.ws) this.retry(); };
    ws.onerror = () => {};
  }

  close() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(); } catch { /* already closed */ }
    }
  }

  retry() {
    this.close();
    this.status("down", "Reconnecting…");
    const delay = Math.min(30000, 1000 * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.open(), delay / 2 + Math.random() * delay / 2);
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  hello() {
    const since = this.fresh || this.seq === null ? null : this.seq;
    this.resuming = false;
    this.send({ type: "hello", ...this.roles, since });
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(PONG_WITHIN), PING_EVERY);
  }

  /** Ping now and reconnect if nothing comes back in time (after waking up or coming online). */
  check(within) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      this.attempt = 0;
      this.open();
    } else {
      this.ping(within);
    }
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
    if (message.type === "snapshot") {
      this.fresh = false;
      this.attempt = 0;
      this.resuming = false;
      this.state = message.state;
      this.seq = message.state.seq;
      this.status("live", "Live");
      this.onState(this.state, null);
    } else if (message.type === "change") {
      this.change(message);
    } else if (message.type === "pong") {
      if (this.seq !== null && message.seq > this.seq) this.resume();
    } else if (message.type === "error") {
      this.onError(message);
    }
  }

  resume() {
    if (this.resuming && Date.now() - this.resuming < 5000) return;
    this.resuming = Date.now();
    this.send({ type: "resume", since: this.seq });
  }

  change(message) {
    if (!this.state) return; // a snapshot is on its way
    this.attempt = 0;
    this.status("live", "Live");
    if (message.seq <= this.seq) return;
    // Vote counts gathered in one tick come as one change covering seqs first..seq.
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
  } else if (kind === "seats") {
    if (state.grid) state.grid.seats = { ...(state.grid.seats || {}), ...(data.seats || {}) };
  }
}
