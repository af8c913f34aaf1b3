// The projector: join QR code, pitches arriving and the vote moving, all live.
import { DayPanel } from "./day.js";
import { Live } from "./live.js";
import { $, h, slugFromPath } from "./ui.js";
import { both, plain, put, ready, t, tn } from "./voices.js";

// As RANKED and LATEST in server/pages/screens_view.py: sized from the screen's smaller side,
// this many fit at any projector's shape.
const RANKED = 6;
const LATEST = 5;
const day = new DayPanel();

const slug = slugFromPath();
const fresh = new Map(); // pitch id -> time it arrived live
const FRESH_FOR = 5000;
let state = null;

$("#qr").src = `/e/${encodeURIComponent(slug)}/join.svg`;

function onState(next, change) {
  state = next;
  day.hear(change);
  if (change?.kind === "pitch.saved" && !fresh.has(change.data.pitch.id) && !known.has(change.data.pitch.id)) {
    fresh.set(change.data.pitch.id, Date.now());
    setTimeout(render, FRESH_FOR + 50);
  }
  render();
}

const known = new Set();

function render() {
  if (!state) return;
  const e = state.event;
  $("#event-name").textContent = e.name;
  document.title = plain(both(({ t }) => `${e.name} - ${t("on screen")}`));
  day.show(state);
  const short = e.join_url.replace(/^https?:\/\//, "");
  const cut = short.lastIndexOf("/") + 1;
  $("#join-host").textContent = short.slice(0, cut);
  $("#join-path").textContent = short.slice(cut);
  $("#join-code").textContent = e.join_url.split("/").pop();
  $("#qr").alt = plain(t("QR code that opens %(address)s", { address: short }));
  $("#phase").replaceChildren(
    h("li", { class: e.pitching_open ? "open" : "" }, e.pitching_open ? t("Pitching open") : t("Pitching closed")),
    h("li", { class: e.voting_open ? "open" : "" }, e.voting_open ? t("Voting open") : t("Voting closed")),
  );
  const pitches = state.pitches.filter((p) => !p.hidden);
  for (const p of pitches) known.add(p.id);
  // Last event's open actions are for the opening: once sessions are pitched, the dots take over.
  const carried = $("#carried");
  if (carried) carried.hidden = pitches.length > 0;

  const ranked = pitches.filter((p) => p.votes > 0).sort((a, b) => b.votes - a.votes || a.id - b.id).slice(0, RANKED);
  const most = Math.max(1, ...ranked.map((p) => p.votes));
  $("#ranking").replaceChildren(...ranked.map((p) => {
    const bar = h("span", { class: "bar", "aria-hidden": "true" });
    bar.style.setProperty("--w", `${Math.round((100 * p.votes) / most)}%`);
    return h("li", {}, h("span", { class: "t" }, p.title), h("span", { class: "n" }, tn("%(n)s dot", "%(n)s dots", p.votes)), bar);
  }));
  $("#ranking-empty").hidden = ranked.length > 0;
  put($("#ranking-empty"), e.totals_hidden ? t("The totals are hidden until the organiser reveals them.") : t("No dots yet."));

  const now = Date.now();
  const latest = [...pitches].sort((a, b) => b.id - a.id).slice(0, LATEST);
  const list = $("#latest");
  const rows = new Map([...list.children].map((li) => [Number(li.dataset.id), li]));
  const wanted = latest.map((p) => {
    const li = rows.get(p.id) || h("li", { "data-id": String(p.id) }, h("span", { class: "t" }), h("span", { class: "h" }));
    li.firstChild.textContent = p.title;
    li.lastChild.textContent = p.host ? plain(t("by %(host)s", { host: p.host })) : "";
    li.classList.toggle("fresh", now - (fresh.get(p.id) || 0) < FRESH_FOR);
    return li;
  });
  // Keep existing rows in place so the live region only announces the new ones.
  for (const li of [...list.children]) if (!wanted.includes(li)) li.remove();
  wanted.forEach((li, i) => { if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null); });
  $("#latest-empty").hidden = latest.length > 0;
  $("#pitch-count").textContent = pitches.length ? `(${pitches.length})` : "";
}

ready.then(() => new Live({ slug, token: null, statusEl: $("#conn"), words: { t, tn }, onState }).start());
setInterval(render, 30000);
