// Small DOM helpers shared by Snug's pages. Text always goes in as textContent.
import { api } from "./api.js";
import { t } from "./i18n.js";

/** h("p", {class: "x"}, "text", child) builds an element; strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

let announceTimer;
/** Say something politely to screen readers (one shared live region per page). */
export function announce(message) {
  const region = document.getElementById("announce");
  if (!region) return;
  clearTimeout(announceTimer);
  region.textContent = "";
  announceTimer = setTimeout(() => { region.textContent = message; }, 120);
}

/** Clear a form's error summary and inline errors. */
export function clearErrors(form) {
  form.querySelector(".error-summary")?.remove();
  for (const field of form.querySelectorAll(".field-error")) field.classList.remove("field-error");
  for (const message of form.querySelectorAll(".error-message")) message.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

/**
 * Show GOV.UK-style errors: a summary at the top of the form (role=alert, focused), and a
 * message by each field. errors: [{message, input?}] where input is the element at fault.
 */
export function showErrors(form, errors) {
  clearErrors(form);
  const list = h("ul");
  for (const { message, input } of errors) {
    if (input && input.id) {
      list.append(h("li", {}, h("a", { href: `#${input.id}` }, message)));
      const field = input.closest(".field") || input.parentElement;
      field.classList.add("field-error");
      const id = `${input.id}-error`;
      const note = h("p", { class: "error-message", id }, h("span", { class: "visually-hidden" }, t("Error:") + " "), message);
      const label = field.querySelector(`label[for="${input.id}"]`) || field.querySelector("legend");
      const hint = label?.nextElementSibling?.classList.contains("hint") ? label.nextElementSibling : label;
      if (hint) hint.after(note); else field.prepend(note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${id}`.trim());
    } else {
      list.append(h("li", {}, message));
    }
  }
  const summary = h("div", { class: "error-summary", role: "alert", tabindex: "-1", "aria-labelledby": `${form.id}-errors` },
    h("h2", { id: `${form.id}-errors` }, t("There is a problem")), list);
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    const target = document.getElementById(link.getAttribute("href").slice(1));
    target?.focus();
    target?.scrollIntoView({ block: "center" });
  });
  form.prepend(summary);
  summary.focus();
  return summary;
}

/** A line saying what just happened beside a control, e.g. "Saved" or "Could not save". */
export function say(el, message, good = true) {
  el.textContent = message;
  el.classList.toggle("good", good);
  el.classList.toggle("bad", !good);
}

/** A link shown as text plus a "Copy" button. */
export function copyRow(url, label) {
  const status = h("span", { class: "inline-status", role: "status" });
  const button = h("button", {
    type: "button", class: "secondary",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(url);
        say(status, t("Copied"));
      } catch {
        const range = document.createRange();
        range.selectNodeContents(code);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        say(status, t("Selected: press copy on your device"), true);
      }
    },
  }, t("Copy"), h("span", { class: "visually-hidden" }, ` ${label}`));
  const code = h("code", { class: "secret" }, url);
  return h("div", {}, code, h("div", { class: "copy-row" }, button, status));
}

/** Label for a pitch format, in the page's language (looked up when read, once the words are in). */
export const FORMATS = Object.defineProperties({}, Object.fromEntries(Object.entries({
  discussion: () => t("Discussion"), workshop: () => t("Workshop"), demo: () => t("Demo"),
  talk: () => t("Talk"), question: () => t("Question"), other: () => t("Other"),
}).map(([key, label]) => [key, { get: label, enumerable: true }])));

/** English only: "3 dots". The scripts that speak Welsh count with tn (i18n.js) instead; this
 * stays for the staff and screen scripts until they move over. */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The event's slug from /e/{slug}/... */
export function slugFromPath() {
  const match = location.pathname.match(/^\/e\/([^/]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** "10:00" from a slot's local "YYYY-MM-DDTHH:MM". */
export const clock = (local) => (local || "").slice(11, 16);

/** "10:00 to 10:45, Session 1" (a slot in words). */
export function slotWords(slot) {
  const times = { from: clock(slot.starts_at), to: clock(slot.ends_at) };
  return slot.label ? t("%(from)s to %(to)s, %(label)s", { ...times, label: slot.label }) : t("%(from)s to %(to)s", times);
}

/** Slots in time order. */
export const bySlotTime = (slots) => [...slots].sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id - b.id);

// The organiser's or facilitator's key arrives once, in the link's #key=. It is taken out of
// the address bar at once (so it isn't shown on a projector) and handed to Snug, which keeps it
// in a cookie that no script can read; the page keeps no copy. Later visits are recognised by
// that cookie, on requests that ask for it (api's `staff` option). Every module of a page
// shares the one sign-in, and waits for it before asking anything.
let signingIn = null;
export function signIn(slug) {
  signingIn ??= (async () => {
    const found = location.hash.match(/key=([^&]+)/);
    if (!found) return;
    history.replaceState(null, "", location.pathname + location.search);
    try {
      await api("POST", `/api/e/${encodeURIComponent(slug)}/session`, { token: decodeURIComponent(found[1]), retry: true });
    } catch { /* a wrong or old link: the page says it doesn't let you manage the event */ }
  })();
  return signingIn;
}

// Phones that joined before cookies kept tokens have theirs in localStorage, where any script on
// this origin could read it. It is handed to Snug once, to keep in the attendee cookie, and
// deleted here; an unknown one is deleted too (the page then offers joining). Offline, it stays
// for the next visit. Every module of a page shares the one move, and waits for it.
let moving = null;
export function moveOldToken(slug) {
  moving ??= (async () => {
    const key = `snug:${slug}:token`;
    let old = null;
    try { old = localStorage.getItem(key); } catch { return; }
    if (!old) return;
    try {
      await api("POST", `/api/e/${encodeURIComponent(slug)}/session`, { token: old, retry: true });
    } catch (error) {
      if (error.status === 0) return;
    }
    try { localStorage.removeItem(key); } catch { /* nothing more to do */ }
  })();
  return moving;
}

/** Forget the staff key on this device, then show the page as anyone would see it. */
export async function signOut(slug) {
  await api("DELETE", `/api/e/${encodeURIComponent(slug)}/session`);
  location.replace(location.pathname);
}

// Keeps a list's items in step with data by id, reusing each item's elements so focus and
// screen-reader position survive live updates.
export function keyed(list, map, items, make, update) {
  const seen = new Set();
  let previous = null;
  for (const item of items) {
    seen.add(item.id);
    let row = map.get(item.id);
    if (!row) {
      row = make(item.id);
      map.set(item.id, row);
      if (previous) previous.li.after(row.li); else list.prepend(row.li);
    }
    update(row, item);
    previous = row;
  }
  for (const [id, row] of map) if (!seen.has(id)) { row.li.remove(); map.delete(id); }
}
