// Earlier versions of the notes: listed when the disclosure opens, one shown as text, and
// restored (what is there now stays in history, so a restore can itself be undone).
import { api } from "../api.js";
import { lang, t, tn } from "../i18n.js";
import { h, say } from "../ui.js";

// Looked up when said, so in the page's language (i18n.js).
const REASONS = () => ({ saved: t("Saved while writing"), final: t("Marked final"), "before restore": t("Before a restore") });
const PARTS = () => [["summary", t("Summary")], ["discussion", t("Discussion")], ["outcomes", t("Outcomes")]];
const locale = lang === "en" ? undefined : lang;

function when(iso) {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  const today = at.toDateString() === new Date().toDateString();
  return today ? time : `${at.toLocaleDateString(locale, { day: "numeric", month: "short" })}, ${time}`;
}

/** The content of a version as headed blocks of text. */
function contentNodes(content) {
  const nodes = [];
  for (const [key, label] of PARTS()) {
    if (content[key]) nodes.push(h("h4", {}, label), h("p", { class: "as-typed" }, content[key]));
  }
  if (content.actions?.length) {
    nodes.push(h("h4", {}, t("Actions")), h("ul", {}, content.actions.map((a) => h("li", {}, a.what, a.owner ? ` (${a.owner})` : ""))));
  }
  if (content.photos?.length) nodes.push(h("p", {}, tn("%(n)s photo", "%(n)s photos", content.photos.length)));
  return nodes.length ? nodes : [h("p", {}, t("This version was empty."))];
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
    say(this.status, t("Loading earlier versions…"));
    try {
      const versions = await api("GET", `${this.base}/versions`, this.auth);
      versions.sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
      this.list.replaceChildren(...versions.map((v) => h("li", {},
        h("span", { class: "v-when" }, `${when(v.at)}: ${REASONS()[v.reason] || v.reason}`),
        h("span", { class: "v-size" }, ` (${v.chars.toLocaleString()} characters) `),
        h("button", { type: "button", class: "secondary small", onclick: (e) => this.open(v, e.currentTarget) },
          t("View"), h("span", { class: "visually-hidden" }, " " + t("the version from %(when)s", { when: when(v.at) }))))));
      say(this.status, versions.length ? "" : t("No earlier versions yet: one is kept after every pause in writing, and when notes are marked final."));
    } catch (error) {
      say(this.status, t("Earlier versions couldn’t be loaded: %(reason)s", { reason: error.detail || error.message }), false);
    }
  }

  async open(version, opener) {
    this.opener = opener;
    try {
      const full = await api("GET", `${this.base}/versions/${version.id}`, this.auth);
      this.shown = full;
      this.view.querySelector("#version-heading").textContent = t("The version from %(when)s", { when: when(full.at) });
      this.view.querySelector("#version-text").replaceChildren(...contentNodes(full.content));
      say(this.view.querySelector("#version-status"), "");
      this.lock();
      this.view.hidden = false;
      this.view.focus();
    } catch (error) {
      say(this.status, t("That version couldn’t be loaded: %(reason)s", { reason: error.detail || error.message }), false);
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
    say(status, t("Restoring…"));
    try {
      await api("POST", `${this.base}/versions/${this.shown.id}/restore`, this.auth);
      say(status, t("Restored. What was there before is kept as an earlier version."));
      this.onRestored(t("Restored the version from %(when)s.", { when: when(this.shown.at) }));
      this.load();
    } catch (error) {
      say(status, t("Not restored: %(reason)s", { reason: error.detail || error.message }), false);
    }
  }
}
