// Pages of rooms on a shared screen, for when they don't all fit: turned every few seconds, with
// "Page 1 of 3" showing and Previous and Next beside it. Turning waits for whoever asks for less
// motion, and anyone can stop it. The server drew the first page and links to the others.
import { $ } from "./ui.js";
import { put, t } from "./voices.js";

const EVERY = 15000;

/** Items in pages of at most ``per``, as even as can be (as server/pages/screens_view.py). */
export function pagesOf(items, per) {
  const count = Math.max(1, Math.ceil(items.length / per));
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export class Pager {
  constructor(onTurn) {
    this.nav = $("#pager");
    this.number = Number(this.nav.dataset.number) || 1;
    this.count = Number(this.nav.dataset.count) || 1;
    this.onTurn = onTurn;
    this.still = matchMedia("(prefers-reduced-motion: reduce)");
    this.turning = !this.still.matches;
    this.still.addEventListener("change", () => { this.turning = !this.still.matches; this.show(); });
    $("#page-prev").addEventListener("click", (e) => { e.preventDefault(); this.go(this.number - 1); });
    $("#page-next").addEventListener("click", (e) => { e.preventDefault(); this.go(this.number + 1); });
    this.button = $("#page-turn");
    this.button.hidden = false;
    this.button.addEventListener("click", () => { this.turning = !this.turning; this.show(); });
    setInterval(() => { if (this.turning && this.count > 1) this.go(this.number + 1); }, EVERY);
  }

  go(number) {
    this.number = ((number - 1 + this.count) % this.count) + 1;
    this.onTurn();
  }

  /** This page of the items, after saying which it is. */
  page(items, per) {
    const pages = pagesOf(items, per);
    this.count = pages.length;
    this.number = Math.min(this.number, this.count);
    this.show();
    return pages[this.number - 1];
  }

  show() {
    this.nav.hidden = this.count < 2;
    put($("#page-of"), t("Page %(number)s of %(count)s", { number: this.number, count: this.count }));
    put(this.button, this.turning ? t("Stop turning pages") : t("Turn pages by themselves"));
  }
}
