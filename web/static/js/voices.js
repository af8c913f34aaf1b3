// The words a shared screen says, in its event's languages rather than its viewer's (the page's
// body names them, data-languages="cy en", as server/pages/screens.py draws them): with one
// language, a message as the page is marked; with two, Welsh first, each in a span marked with
// its language so a screen reader changes voice. Messages are written in English with %(name)s
// placeholders and read from the same catalogues as i18n.js (/i18n/{lang}.json); t and tn are
// the names the catalogue's extraction looks for.
import { h } from "./ui.js";

export const languages = (document.body.dataset.languages || document.documentElement.lang || "en").split(" ").filter(Boolean);
const catalogues = new Map(languages.map((code) => [code, {}]));
const ORDER = ["zero", "one", "two", "few", "many", "other"];

/** Settles once every language's words are in; never rejects (English is said meanwhile). */
export const ready = Promise.all(languages.filter((code) => code !== "en").map((code) =>
  fetch(`/i18n/${encodeURIComponent(code)}.json`)
    .then((answer) => (answer.ok ? answer.json() : {}))
    .catch(() => ({}))
    .then((found) => { catalogues.set(code, found); })));

function fill(text, params) {
  return text.replace(/%(?:\((\w+)\)s|%)/g, (whole, name) =>
    name === undefined ? "%" : name in params ? String(params[name]) : whole);
}

function one(code, msgid, params) {
  const found = catalogues.get(code)?.[msgid];
  return fill(typeof found === "string" ? found : msgid, params);
}

function oneOf(code, singular, plural, n, params) {
  const found = catalogues.get(code)?.[singular];
  const forms = Array.isArray(found) ? found : [singular, plural];
  const rules = new Intl.PluralRules(code);
  const categories = ORDER.filter((c) => rules.resolvedOptions().pluralCategories.includes(c));
  const index = Math.max(0, categories.indexOf(rules.select(n)));
  return fill(forms[Math.min(index, forms.length - 1)], { n, ...params });
}

const flat = (said) => (Array.isArray(said) ? said.flat(Infinity).filter((part) => part !== null && part !== undefined) : said);

/** One language's words as they are; several in a span, a slash between them for the eye
 *  (a space for a screen reader), as both() in server/pages/screens.py draws them. */
function voiced(say) {
  if (languages.length < 2) return flat(say(languages[0]));
  return h("span", { class: "both" }, languages.flatMap((code, i) => [
    ...(i ? [" ", h("span", { class: "both-sep", "aria-hidden": "true" }, "/"), " "] : []),
    h("span", { lang: code }, flat(say(code))),
  ]));
}

/** A message in the screen's languages, for h(): a string (or pieces), or a span holding one
 *  span for each language, marked with it. */
export function t(msgid, params = {}) {
  return voiced((code) => one(code, msgid, params));
}

/** A message that depends on a number n, which fills %(n)s. */
export function tn(singular, plural, n, params = {}) {
  return voiced((code) => oneOf(code, singular, plural, n, params));
}

/** What t() said, in the page's first language alone: for an attribute or the page's title. */
export function plain(said) {
  if (said instanceof Node) return (said.querySelector("[lang]") || said).textContent;
  return [said].flat().map((part) => (part instanceof Node ? part.textContent : String(part))).join("");
}

/** Puts what t() said into an element, in place of what it held. */
export function put(el, said) {
  el.replaceChildren(...[said].flat());
}

/** Something built from several messages in the screen's languages in turn:
 *  both(({ t }) => [t("Now"), " ", h("span", {}, t("until %(time)s", { time }))]). */
export function both(build) {
  return voiced((code) => build({
    t: (msgid, params = {}) => one(code, msgid, params),
    tn: (singular, plural, n, params = {}) => oneOf(code, singular, plural, n, params),
  }));
}
