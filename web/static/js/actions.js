// The action board, live: when an action changes anywhere (a status, the notes it comes from),
// the board is drawn again by the server, as it would be on a reload, and swapped in. The page
// works without this: its forms post and the server draws it.
import { Live } from "./live.js";
import { ready, t, tn } from "./i18n.js";
import { $, announce, slugFromPath } from "./ui.js";

const slug = slugFromPath();
const status = $("#board-status");
status.hidden = false;
let fetching = null;
let again = false;
let snapshots = 0; // a snapshot after the first means changes may have been missed

async function redraw() {
  if (fetching) { again = true; return; }
  fetching = (async () => {
    try {
      const answer = await fetch(location.pathname + location.search, { credentials: "same-origin" });
      if (!answer.ok) return;
      const drawn = new DOMParser().parseFromString(await answer.text(), "text/html").querySelector("#board");
      const board = $("#board");
      if (!drawn || !board) return;
      // A staff member part-way through choosing a status keeps their choice.
      const focused = document.activeElement?.id;
      const open = new Set([...board.querySelectorAll("details[open]")].map((d) => d.closest("li")?.id));
      board.replaceChildren(...drawn.childNodes);
      for (const id of open) board.querySelector(`#${CSS.escape(id)} details`)?.setAttribute("open", "");
      if (focused) document.getElementById(focused)?.focus();
      announce(t("The action board has changed."));
    } finally {
      fetching = null;
      if (again) { again = false; redraw(); }
    }
  })();
}

ready.then(() => new Live({
  slug, attendee: true, staff: true, statusEl: status, words: { t, tn },
  onState: (_state, change) => {
    if (change ? change.kind === "action.status" || change.kind === "actions.synced" : snapshots++ > 0) redraw();
  },
}).start());
