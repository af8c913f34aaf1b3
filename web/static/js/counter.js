// A live count of the characters left in a field with a limit, in place of maxlength, which cuts
// longer text off without a word. The count shows at once; screen readers hear it politely once
// typing pauses, so it doesn't talk over every key. Works on any page with a counter drawn by
// the field macro (web/templates/partials/forms.html).

import { ready, tn } from "./i18n.js";

const PAUSE = 1000;
const counted = new Map(); // input -> update(announce)

function countWords(limit, length) {
  const left = limit - length;
  return left >= 0
    ? tn("%(n)s character left", "%(n)s characters left", left)
    : tn("%(n)s character too many", "%(n)s characters too many", -left);
}

/** Keeps every counter under root live as its field is typed in. */
export function startCounters(root = document) {
  for (const counter of root.querySelectorAll("[data-count-for]")) {
    const input = document.getElementById(counter.dataset.countFor);
    if (!input || counted.has(input)) continue;
    const limit = Number(counter.dataset.limit);
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    counter.after(status);
    let timer = null;
    const update = (say) => {
      const length = input.value.length;
      counter.textContent = countWords(limit, length);
      counter.classList.toggle("over", length > limit);
      clearTimeout(timer);
      if (say) timer = setTimeout(() => { status.textContent = counter.textContent; }, PAUSE);
    };
    counted.set(input, update);
    input.addEventListener("input", () => update(true));
    update(false);
  }
}

/** After a script filled or emptied a form's fields (typing is followed on its own). */
export function refreshCounters(form) {
  for (const [input, update] of counted) if (form.contains(input)) update(false);
}

startCounters();
ready.then(() => { for (const update of counted.values()) update(false); });
