// "Proceedings" on the organiser's page: publish them at their public link or make them private
// again, and download every format with this page's key (which works before publishing too).
// manage.js shows the section to organisers only.
import { api } from "./api.js";
import { $, $$, copyRow, h, say, slugFromPath, staffKey } from "./ui.js";

const slug = slugFromPath();
const key = staffKey(slug);
const endpoint = `/api/e/${encodeURIComponent(slug)}/proceedings`;
let status = null;

function show() {
  const published = status.published;
  $("#proceedings-state").textContent = published
    ? "Published: anyone with the link can read them."
    : "Not published: only you and the facilitators can see them.";
  const toggle = $("#toggle-proceedings");
  toggle.hidden = false;
  toggle.textContent = published ? "Make the proceedings private" : "Publish the proceedings";
  toggle.className = published ? "warning" : "";
  $("#proceedings-link").replaceChildren(...(published
    ? [h("h3", {}, "Public link"), h("p", {}, h("a", { href: status.url }, "Open the proceedings")), copyRow(status.url, "proceedings link")]
    : []));
}

async function load() {
  try {
    status = await api("GET", endpoint, { token: key });
    show();
  } catch {
    $("#proceedings-state").textContent = "";  // not an organiser, or offline: the page says which
  }
}

$("#toggle-proceedings").addEventListener("click", async () => {
  const published = !status.published;
  const line = $("#proceedings-status");
  try {
    status = await api("PUT", endpoint, { token: key, body: { published } });
    show();
    const done = published ? "Published. Share the link below." : "The proceedings are private again; their link now says “not found”.";
    say(line, done);
  } catch (error) {
    say(line, `Not changed: ${error.detail || error.message}`, false);
  }
});

function filename(response, kind) {
  const found = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
  return found ? found[1] : `${slug}-proceedings.${kind}`;
}

async function download(kind) {
  const line = $("#download-status");
  say(line, kind === "pdf" ? "Making the PDF: this can take a few seconds…" : "Preparing the download…");
  try {
    const response = await fetch(status.downloads[kind], { headers: { Authorization: `Bearer ${key}` }, cache: "no-store" });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      throw new Error(problem?.detail || `Snug answered with error ${response.status}. Try again.`);
    }
    const name = filename(response, kind);
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say(line, `Downloaded ${name}.`);
  } catch (error) {
    say(line, `Not downloaded: ${error.message === "Failed to fetch" ? "Snug could not be reached." : error.message}`, false);
  }
}

for (const button of $$("[data-download]")) {
  button.addEventListener("click", () => { if (status) download(button.dataset.download); });
}

if (key) load();
