// Finding a session in a long list on a phone: sort and search, at once as you type. Typing only
// folds away or unfolds the cards already drawn (none is rebuilt or moved, and a folded card
// keeps its boxes: class "off" in snug.css, far cheaper than display:none), so 200 pitches
// filter within a frame. The order is worked out again only when the choice of order or the set of
// pitches changes, so a card never jumps from under a finger as dots come in. The same rules
// as the list Snug draws without script (server/pages/attendee_view.py).
import { t, tn } from "./i18n.js";
import { announce } from "./ui.js";

const SAY_AFTER = 600; // ms of no typing before screen readers hear how many match
const KEEP_AFTER = 400; // ms of no typing before the address bar is changed to match

/** The words of a search: each must appear somewhere in a pitch, in any case. */
const searchWords = (text) => text.toLowerCase().split(/\s+/).filter(Boolean);

/** A session's language as the page says it (the badge, the list's choice), in the page's
 * language; "" when the pitch doesn't say. As server/pages/attendee_view.py LANGUAGE_WORDS. */
export function languageWords(code) {
  if (code === "cy") return t("Welsh");
  if (code === "en") return t("English");
  if (code === "bilingual") return t("Bilingual");
  return code || "";
}

/** The "Showing n of m" line of a list narrowed to a language: a sentence for each language,
 * since Welsh mutates a language's name. */
function inLanguage(language, text, showing, n) {
  const params = { showing, text };
  if (language === "cy" && text) return tn("Showing %(showing)s of %(n)s session for “%(text)s”, in Welsh or bilingual.", "Showing %(showing)s of %(n)s sessions for “%(text)s”, in Welsh or bilingual.", n, params);
  if (language === "cy") return tn("Showing %(showing)s of %(n)s session in Welsh or bilingual.", "Showing %(showing)s of %(n)s sessions in Welsh or bilingual.", n, params);
  if (text) return tn("Showing %(showing)s of %(n)s session for “%(text)s”, in English or bilingual.", "Showing %(showing)s of %(n)s sessions for “%(text)s”, in English or bilingual.", n, params);
  return tn("Showing %(showing)s of %(n)s session in English or bilingual.", "Showing %(showing)s of %(n)s sessions in English or bilingual.", n, params);
}

/** What a search looks through: title, pitch, host and tags. */
export const haystack = (pitch) => [pitch.title, pitch.pitch, pitch.host, ...pitch.tags].join(" ").toLowerCase();

export class Finder {
  /** form: the list's GET form (q, sort); shown: the "Showing n of m" line; none: the line
   * saying nothing matched; onChange: called when the order asked for changes. */
  constructor(form, { shown, none, onChange }) {
    this.form = form;
    this.shownEl = shown;
    this.noneEl = none;
    this.placed = ""; // the order choice and the ids it was worked out for
    this.timer = null;
    this.keepTimer = null;
    form.querySelector("button[type=submit]").hidden = true; // it all happens as you choose
    form.addEventListener("submit", (event) => { event.preventDefault(); this.remember(); });
    form.elements.q.addEventListener("input", () => {
      onChange(false);
      clearTimeout(this.keepTimer);
      this.keepTimer = setTimeout(() => this.remember(), KEEP_AFTER);
    });
    form.elements.sort.addEventListener("change", () => { this.remember(); this.placed = ""; onChange(true); });
    // The language a session is held in: only on the form of an event held in more than one.
    form.elements.language?.addEventListener("change", () => { this.remember(); onChange(false); });
  }

  get language() { return this.form.elements.language?.value || ""; }

  get sort() { return this.form.elements.sort.value; }

  get text() { return this.form.elements.q.value.trim().replace(/\s+/g, " "); }

  /** Offers "most dots" only while counts are shown; falls back to newest when it goes. */
  offerDots(shown) {
    const option = this.form.elements.sort.querySelector("option[value=dots]");
    if (!shown && this.sort === "dots") { this.form.elements.sort.value = "newest"; this.placed = ""; }
    if (option) option.hidden = option.disabled = !shown;
  }

  /** Puts the rows in order if the order asked for, or the pitches, changed since last time.
   * rank(pitch) gives the order's key, smaller first; ties go newest first. */
  arrange(list, rows, pitches, rank) {
    const ids = pitches.map((p) => p.id).sort((a, b) => a - b).join(",");
    if (this.placed === `${this.sort}:${ids}`) return;
    this.placed = `${this.sort}:${ids}`;
    const ordered = [...pitches].sort((a, b) => rank(a) - rank(b) || b.id - a.id);
    ordered.forEach((pitch, i) => {
      const li = rows.get(pitch.id).li;
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
  }

  /** Shows the rows whose pitch holds every word searched for, and is held in the language
   * chosen or bilingually; touches only those that change. */
  filter(rows) {
    const wanted = searchWords(this.text);
    const language = this.language;
    let showing = 0;
    for (const row of rows.values()) {
      const held = !language || row.language === language || row.language === "bilingual";
      const hide = !held || !wanted.every((w) => row.haystack.includes(w));
      if (row.li.classList.contains("off") !== hide) row.li.classList.toggle("off", hide);
      if (!hide) showing += 1;
    }
    const words = language ? inLanguage(language, this.text, showing, rows.size) : this.text
      ? tn("Showing %(showing)s of %(n)s session for “%(text)s”.", "Showing %(showing)s of %(n)s sessions for “%(text)s”.", rows.size, { showing, text: this.text })
      : "";
    this.noneEl.hidden = showing > 0 || rows.size === 0;
    const none = language ? t("No sessions match. Try fewer words, or any language.") : t("No sessions match those words. Try fewer or different words.");
    if (this.noneEl.textContent !== none) this.noneEl.textContent = none;
    if (this.shownEl.textContent === words) return; // a live update that changed nothing here
    this.shownEl.textContent = words;
    this.shownEl.hidden = !words;
    clearTimeout(this.timer);
    if (words) this.timer = setTimeout(() => announce(showing ? words : t("No sessions match those words.")), SAY_AFTER);
  }

  /** The choice in the address too, so a reload (or the page without script) shows the same. */
  remember() {
    const params = new URLSearchParams(location.search);
    for (const [name, value, usual] of [["q", this.text, ""], ["sort", this.sort, "newest"], ["language", this.language, ""]]) {
      if (value && value !== usual) params.set(name, value); else params.delete(name);
    }
    const query = params.toString();
    history.replaceState(null, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  }
}
