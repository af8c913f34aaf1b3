// The words the scripts say, from the same catalogue as the pages (locales/, served for the
// page's language at /i18n/{lang}.json). Messages are written in English, as in Python and the
// templates, with %(name)s placeholders; until the translations arrive (or if they can't), the
// English is said. Plural forms are picked as gettext numbers them: the language's CLDR
// categories in their usual order, which is the order Babel writes them in the catalogue.

/** The page's language, as Snug drew it ("en", "cy"). */
export const lang = document.documentElement.lang || "en";
let messages = {};

/** Settles once the page's translations are in (at once for English); never rejects. */
export const ready = lang === "en"
  ? Promise.resolve()
  : fetch(`/i18n/${encodeURIComponent(lang)}.json`)
    .then((answer) => (answer.ok ? answer.json() : {}))
    .catch(() => ({}))
    .then((found) => { messages = found; });

const ORDER = ["zero", "one", "two", "few", "many", "other"];
const rules = new Intl.PluralRules(lang);
const categories = ORDER.filter((c) => rules.resolvedOptions().pluralCategories.includes(c));

/** A message already in the page's language, its %(name)s placeholders filled. */
export function fill(text, params) {
  return text.replace(/%(?:\((\w+)\)s|%)/g, (whole, name) =>
    name === undefined ? "%" : name in params ? String(params[name]) : whole);
}

/** A message in the page's language: t("%(n)s waiting", {n: 2}). */
export function t(msgid, params = {}) {
  const found = messages[msgid];
  return fill(typeof found === "string" ? found : msgid, params);
}

/** A message that depends on a number n, which fills %(n)s. */
export function tn(singular, plural, n, params = {}) {
  return counted(Array.isArray(messages[singular]) ? messages[singular] : [singular, plural], n, params);
}

/** A counted message's forms in the page's language (as gettext numbers them), said for n. */
export function counted(forms, n, params = {}) {
  const index = Math.max(0, categories.indexOf(rules.select(n)));
  return fill(forms[Math.min(index, forms.length - 1)], { n, ...params });
}
