// Photos of flipcharts in the notes: the document's "photos" root says which photos are in the
// notes, in what order, with what caption; the photos endpoint says where each image is.
// Uploading sends the file as it is; the server re-encodes it and adds it to the document.
import * as Y from "../../vendor/yjs.mjs";
import { asking } from "../api.js";
import { LOCAL } from "./sync.js";
import { t } from "../i18n.js";
import { announce, clearErrors, h, keyed, say, showErrors } from "../ui.js";

const TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
const MAX_BYTES = 10 * 1024 * 1024;

export class Photos {
  /** base: "/api/e/{slug}/pitches/{pitch}/notes"; auth: api's {attendee, staff}. */
  constructor({ base, auth, list, none, form, editable }) {
    this.url = `${base}/photos`;
    this.auth = auth;
    this.list = list;
    this.none = none;
    this.form = form;
    this.editable = editable;
    this.known = new Map(); // photo id -> {url, width, height}
    this.rows = new Map(); // photo id -> row, kept so focus survives others' changes
    this.asked = 0; // when the server was last asked where the photos are
    this.sought = new Set(); // photo ids it was asked about
    this.soon = null;
    this.array = null;
    this.render = () => this.show();
    form.addEventListener("submit", (event) => { event.preventDefault(); this.upload(); });
  }

  bind(array) {
    this.array?.unobserveDeep(this.render);
    this.array = array;
    array.observeDeep(this.render);
    this.show();
  }

  /** The photos in the notes, in order, each once. */
  entries() {
    const seen = new Set();
    const entries = [];
    for (const map of this.array.toArray()) {
      const id = map instanceof Y.Map ? map.get("id") : null;
      if (!Number.isInteger(id) || id <= 0 || seen.has(id)) continue;
      seen.add(id);
      entries.push({ map, id, caption: String(map.get("caption") ?? ""), number: entries.length + 1 });
    }
    return entries;
  }

  show() {
    const entries = this.entries();
    if (entries.some((e) => !this.known.has(e.id) && !this.sought.has(e.id))) this.fetch();
    const may = this.editable();
    keyed(this.list, this.rows, entries, () => this.row(), (row, entry) => this.fill(row, entry, may));
    this.list.hidden = entries.length === 0;
    this.none.hidden = entries.length > 0 || may;
    this.form.hidden = !may;
  }

  row() {
    const row = { figure: h("figure"), number: h("span", { class: "visually-hidden" }), drawn: null };
    row.remove = h("button", { type: "button", class: "secondary small", onclick: () => this.remove(row.entry) },
      t("Remove from the notes"), row.number);
    row.li = h("li", { class: "photo" }, row.figure, row.remove);
    return row;
  }

  fill(row, entry, may) {
    row.entry = entry;
    const { id, caption, number } = entry;
    const where = this.known.get(id);
    const drawn = JSON.stringify([where?.url, caption, number]);
    if (row.drawn !== drawn) { // redrawn only when changed, so images don't load again
      row.drawn = drawn;
      const image = where
        ? h("img", { src: where.url, alt: caption || t("Photo %(n)s, no caption", { n: number }), width: where.width, height: where.height,
          loading: "lazy", decoding: "async" })
        : h("p", { class: "photo-missing" }, t("Photo %(n)s is loading or can’t be shown.", { n: number }));
      row.figure.replaceChildren(image, caption ? h("figcaption", {}, caption) : null);
    }
    row.number.textContent = " " + t("(photo %(n)s)", { n: number });
    row.remove.hidden = !may;
  }

  /** Where each photo is: asked when the notes name one not asked about yet, at most every 3 s. */
  async fetch() {
    const wait = this.asked + 3000 - Date.now();
    if (wait > 0) {
      this.soon ??= setTimeout(() => { this.soon = null; this.show(); }, wait);
      return;
    }
    this.asked = Date.now();
    const asking = this.entries().map((e) => e.id).filter((id) => !this.known.has(id));
    asking.forEach((id) => this.sought.add(id));
    try {
      const response = await fetch(this.url, { headers: this.headers(), cache: "no-store" });
      if (!response.ok) throw new Error(`error ${response.status}`);
      for (const photo of await response.json()) this.known.set(photo.id, photo);
      this.show();
    } catch {
      asking.forEach((id) => this.sought.delete(id)); // offline: asked again on the next change
    }
  }

  headers(type) {
    const headers = { Accept: "application/json, application/problem+json" };
    if (type) headers["Content-Type"] = type;
    return Object.assign(headers, asking(this.auth));
  }

  async upload() {
    const { file: fileInput, caption } = this.form.elements;
    const status = this.form.querySelector("[role=status]");
    const file = fileInput.files[0];
    say(status, "");
    const problem = !file ? t("Choose a photo to add")
      : !TYPES.has(file.type) ? t("The photo must be a JPEG, PNG or WebP image")
        : file.size > MAX_BYTES ? t("The photo must be 10 MB or smaller") : null;
    if (problem) { showErrors(this.form, [{ message: problem, input: fileInput }]); return; }
    clearErrors(this.form);
    const button = this.form.querySelector("button[type=submit]");
    if (button.dataset.busy) return;
    button.dataset.busy = "1";
    say(status, t("Uploading…"));
    try {
      const query = caption.value.trim() ? `?caption=${encodeURIComponent(caption.value.trim())}` : "";
      const response = await fetch(`${this.url}${query}`, { method: "POST", headers: this.headers(file.type), body: file });
      const answer = await response.json().catch(() => null);
      if (!response.ok) throw new Error(answer?.detail || t("The photo wasn’t added (error %(status)s). Try again.", { status: response.status }));
      if (answer?.id) this.known.set(answer.id, answer);
      this.form.reset();
      say(status, t("Photo added to the notes."));
      this.asked = 0;
      this.show();
    } catch (error) {
      say(status, "");
      const offline = error instanceof TypeError;
      showErrors(this.form, [{ message: offline ? t("The photo couldn’t be sent: check your connection, then try again.") : error.message, input: fileInput }]);
    } finally {
      delete button.dataset.busy;
    }
  }

  remove({ map, number }) {
    const at = this.array.toArray().indexOf(map);
    if (at < 0 || !this.editable()) return;
    this.array.doc.transact(() => this.array.delete(at, 1), LOCAL);
    announce(t("Photo %(n)s removed from the notes. Earlier versions still have it.", { n: number }));
    this.form.elements.file.focus();
  }
}
