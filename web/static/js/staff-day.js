// The staff pages' account of the day (partials/day.html, audience "staff"): how far the day has
// got and the facilitator's next step, kept live from the page's own connection (live.js tells
// every state as a "snug:state" event) and as the clock passes a slot's end.
import { DayPanel } from "./day.js";

const panel = document.querySelector("[data-day]") && new DayPanel();
let state = null;
if (panel) {
  document.addEventListener("snug:state", ({ detail }) => {
    state = detail.state;
    panel.hear(detail.change);
    if (state.draft) panel.show(state); // staff only: a page not signed in has no draft
  });
  setInterval(() => { if (state?.draft) panel.show(state); }, 30000);
}
