// Earlier versions of the notes: listed when the disclosure opens, one shown as text, and
// restored (what is there now stays in history, so a restore can itself be undone).
import { api } from "../api.js";
import { h, say } from "../ui.js";

const REASONS = { saved: "Saved while writing", final: "Marked final", "before restore": "Before a restore" };
const PARTS = [["summary", "Summary"], ["discussion", "Discussion"], ["outcomes", "Outcomes"]];

function when(iso) {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const today = at.toDateString() === new Date().toDateString();
  return today ? time : `${at.toLocaleDateString(undefined, { day: "numeric", month: "short" })}, ${time}`;
}

/** The content of a version as headed blocks of text. */
function contentNodes(content) {
  const nodes = [];
  for (const [key, label] of PARTS) {
    if (content[key]) nodes.push(h("h4", {}, label), h("p", { class: "as-typed" }, content[key]));
  }
  if (content.actions?.length) {
    nodes.push(h("h4", {}, "Actions"), h("ul", {}, content.actions.map((a) => h("li", {}, a.what, a.owner ? ` (${a.owner})` : ""))));
  }
  if (content.photos?.length) nodes.push(h("p", {}, `${content.photos.length} photo${content.photos.length === 1 ? "" : "s"}`));
  return nodes.length ? nodes : [h("p", {}, "This version was empty.")];
}

export class History {
  constructor({ base, auth, details, editable, onRestored }) {
    this.base = base;
    this.auth = auth;
    this.details = details;
    this.editable = editable;
    this.onRestored = onRestored;
    this.list = details.querySelector("#version-list");
    this.status = details.querySelector("#history-status");
    this.view = details.querySelector("#version-view");
    this.shown = null; // the version on view
    details.addEventListener("toggle", () => { if (details.open) this.load(); });
    details.querySelector("#version-close").addEventListener("click", () => this.close());
    details.querySelector("#version-restore").addEventListener("click", () => this.restore());
  }

  async load() {
    say(this.status, "Loading earlier versions…");
    try {
      const versions = await api("GET", `${this.base}/versions`, this.auth);
      versions.sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
      this.list.replaceChildren(...versions.map((v) => h("li", {},
        h("span", { class: "v-when" }, `${when(v.at)}: ${REASONS[v.reason] || v.reason}`),
        h("span", { class: "v-size" }, ` (${v.chars.toLocaleString()} characters) `),
        h("button", { type: "button", class: "secondary small", onclick: (e) => this.open(v, e.currentTarget) },
          "View", h("span", { class: "visually-hidden" }, ` the version from ${when(v.at)}`)))));
      say(this.status, versions.length ? "" : "No earlier versions yet: one is kept after every pause in writing, and when notes are marked final.");
    } catch (error) {
      say(this.status, `Earlier versions couldn’t be loaded: ${error.detail || error.message}`, false);
    }
  }

  async open(version, opener) {
    this.opener = opener;
    try {
      const full = await api("GET", `${this.base}/versions/${version.id}`, this.auth);
      this.shown = full;
      this.view.querySelector("#version-heading").textContent = `The version from ${when(full.at)}`;
      this.view.querySelector("#version-text").replaceChildren(...contentNodes(full.content));
      say(this.view.querySelector("#version-status"), "");
      this.lock();
      this.view.hidden = false;
      this.view.focus();
    } catch (error) {
      say(this.status, `That version couldn’t be loaded: ${error.detail || error.message}`, false);
    }
  }

  close() {
    this.view.hidden = true;
    this.shown = null;
    this.opener?.focus();
  }

  lock() {
    this.view.querySelector("#version-restore").hidden = !this.editable();
  }

  async restore() {
    if (!this.shown) return;
    const status = this.view.querySelector("#version-status");
    say(status, "Restoring…");
    try {
      await api("POST", `${this.base}/versions/${this.shown.id}/restore`, this.auth);
      say(status, "Restored. What was there before is kept as an earlier version.");
      this.onRestored(`Restored the version from ${when(this.shown.at)}.`);
      this.load();
    } catch (error) {
      say(status, `Not restored: ${error.detail || error.message}`, false);
    }
  }
}
