// The organisers' feedback page kept live: each "feedback" change (only organisers' screens
// are sent what it says, server/live/state.py) moves a session's counts on and adds its comment.
import { Live } from "./live.js";
import { $, h, slugFromPath } from "./ui.js";
import { ready, tn } from "./i18n.js";

await ready;

function hear(data) {
  const id = `fb-${data.pitch}`;
  if (!$(`#${id}`)) return; // a session this page doesn't list (taken off the grid since)
  $(`#${id}-useful`).textContent = String(data.useful);
  $(`#${id}-not_for_me`).textContent = String(data.not_for_me);
  if (!data.comment) return;
  $(`#${id}-comments`).append(h("li", {}, data.comment));
  const heading = $(`#${id}-heading`);
  heading.textContent = tn("%(num)s comment", "%(num)s comments", data.comments, { num: data.comments });
  heading.hidden = false;
  $(`#${id}-none`).hidden = true;
}

new Live({
  slug: slugFromPath(),
  staff: true,
  statusEl: $("#conn"),
  onState: (_state, change) => {
    if (change?.kind === "feedback" && change.data.pitch) hear(change.data);
  },
}).start();
