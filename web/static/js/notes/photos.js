// Photos of flipcharts in the notes: the document's "photos" root says which photos are in the
// notes, in what order, with what caption; the photos endpoint says where each image is.
// Uploading sends the file as it is; the server re-encodes it and adds it to the document.
import * as Y from "../../vendor/yjs.mjs";
import { LOCAL } from "./sync.js";
import { announce, clearErrors, h, say, showErrors } from "../ui.js";

const TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
const MAX_BYTES = 10 * 1024 * 1024;

export class Photos {
  /** base: "/api/e/{slug}/pitches/{pitch}/notes"; token: a function giving the bearer secret. */
  constructor({ base, token, list, none, form, editable }) {
    this.url = `${base}/photos`;
    this.token = token;
    this.list = list;
    this.none = none;
    this.form = form;
    this.editable = editable;
    this.known = new Map(); // photo id -> {url, width, height}
    this.asked = 0;
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

  entries() {
    return this.array.toArray()
      .filter((item) => item instanceof Y.Map && Number.isInteger(item.get("id")) && item.get("id") > 0)
      .map((map) => ({ map, id: map.get("id"), caption: String(map.get("caption") ?? "") }));
  }

  show() {
    const entries = this.entries();
    if (entries.some((e) => !this.known.has(e.id))) this.fetch();
    const may = this.editable();
    this.list.replaceChildren(...entries.map(({ map, id, caption }, i) => {
      const where = this.known.get(id);
      const image = where
        ? h("img", { src: where.url, alt: caption || `Photo ${i + 1}, no caption`, width: where.width, height: where.height, loading: "lazy", decoding: "async" })
        : h("p", { class: "photo-missing" }, `Photo ${i + 1} is loading or can’t be shown.`);
      const remove = may ? h("button", { type: "button", class: "secondary small", onclick: () => this.remove(map, i) },
        "Remove from the notes", h("span", { class: "visually-hidden" }, ` (photo ${i + 1})`)) : null;
      return h("li", { class: "photo" }, h("figure", {}, image, caption ? h("figcaption", {}, caption) : null), remove);
    }));
    this.list.hidden = entries.length === 0;
    this.none.hidden = entries.length > 0 || may;
    this.form.hidden = !may;
  }

  /** Where each photo is; asked again when the notes name one not seen yet (at most every 3 s). */
  async fetch() {
    if (Date.now() - this.asked < 3000) return;
    this.asked = Date.now();
    try {
      const response = await fetch(this.url, { headers: this.headers(), cache: "no-store" });
      if (!response.ok) return;
      for (const photo of await response.json()) this.known.set(photo.id, photo);
      this.show();
    } catch { /* offline: shown when back */ }
  }

  headers(type) {
    const headers = { Accept: "application/json, application/problem+json" };
    if (type) headers["Content-Type"] = type;
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  async upload() {
    const { file: fileInput, caption } = this.form.elements;
    const status = this.form.querySelector("[role=status]");
    const file = fileInput.files[0];
    say(status, "");
    const problem = !file ? "Choose a photo to add"
      : !TYPES.has(file.type) ? "The photo must be a JPEG, PNG or WebP image"
        : file.size > MAX_BYTES ? "The photo must be 10 MB or smaller" : null;
    if (problem) { showErrors(this.form, [{ message: problem, input: fileInput }]); return; }
    clearErrors(this.form);
    const button = this.form.querySelector("button[type=submit]");
    if (button.dataset.busy) return;
    button.dataset.busy = "1";
    say(status, "Uploading…");
    try {
      const query = caption.value.trim() ? `?caption=${encodeURIComponent(caption.value.trim())}` : "";
      const response = await fetch(`${this.url}${query}`, { method: "POST", headers: this.headers(file.type), body: file });
      const answer = await response.json().catch(() => null);
      if (!response.ok) throw new Error(answer?.detail || `The photo wasn’t added (error ${response.status}). Try again.`);
      if (answer?.id) this.known.set(answer.id, answer);
      this.form.reset();
      say(status, "Photo added to the notes.");
      this.asked = 0;
      this.show();
    } catch (error) {
      say(status, "");
      const offline = error instanceof TypeError;
      showErrors(this.form, [{ message: offline ? "The photo couldn’t be sent: check your connection, then try again." : error.message, input: fileInput }]);
    } finally {
      delete button.dataset.busy;
    }
  }

  remove(map, index) {
    const at = this.array.toArray().indexOf(map);
    if (at < 0 || !this.editable()) return;
    this.array.doc.transact(() => this.array.delete(at, 1), LOCAL);
    announce(`Photo ${index + 1} removed from the notes. Earlier versions still have it.`);
    this.form.elements.file.focus();
  }
}
