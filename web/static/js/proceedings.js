// "Proceedings" on the organiser's page: publish them at their public link or make them private
// again, and download every format with this device's staff cookie (which works before publishing too).
// manage.js shows the section to organisers only.
import { api, download } from "./api.js";
import { ready, t } from "./i18n.js";
import { $, $$, copyRow, h, say, slugFromPath, signIn } from "./ui.js";

const slug = slugFromPath();
await Promise.all([signIn(slug), ready]);
const endpoint = `/api/e/${encodeURIComponent(slug)}/proceedings`;
let status = null;

function show() {
  const published = status.published;
  $("#proceedings-state").textContent = published
    ? t("Published: anyone with the link can read them.")
    : t("Not published: only you and the facilitators can see them.");
  const toggle = $("#toggle-proceedings");
  toggle.hidden = false;
  toggle.textContent = published ? t("Make the proceedings private") : t("Publish the proceedings");
  toggle.className = published ? "warning" : "";
  $("#proceedings-link").replaceChildren(...(published
    ? [h("h3", {}, t("Public link")), h("p", {}, h("a", { href: status.url }, t("Open the proceedings"))),
      // Translators: said after "Copy" on the button, for screen readers.
      copyRow(status.url, t("proceedings link"))]
    : []));
}

async function load() {
  try {
    status = await api("GET", endpoint, { staff: true });
    show();
  } catch {
    $("#proceedings-state").textContent = "";  // not an organiser, or offline: the page says which
  }
}

$("#toggle-proceedings").addEventListener("click", async () => {
  const published = !status.published;
  const line = $("#proceedings-status");
  try {
    status = await api("PUT", endpoint, { staff: true, body: { published } });
    show();
    const done = published
      ? t("Published. Share the link below.")
      : t("The proceedings are private again; their link now says “not found”.");
    say(line, done);
  } catch (error) {
    say(line, t("Not changed: %(reason)s", { reason: error.detail || error.message }), false);
  }
});

async function save(kind) {
  const line = $("#download-status");
  say(line, kind === "pdf" ? t("Making the PDF: this can take a few seconds…") : t("Preparing the download…"));
  try {
    const name = await download(status.downloads[kind], `${slug}-proceedings.${kind}`);
    say(line, t("Downloaded %(name)s.", { name }));
  } catch (error) {
    say(line, t("Not downloaded: %(reason)s", { reason: error.message }), false);
  }
}

for (const button of $$("[data-download]")) {
  button.addEventListener("click", () => { if (status) save(button.dataset.download); });
}

load();
