// "Your event's data" on the organiser's page: download the event's archive, and erase
// attendees' personal data after the event. manage.js shows the section to organisers only.
import { api, download } from "./api.js";
import { ready, t, tn } from "./i18n.js";
import { $, clearErrors, say, showErrors, slugFromPath, signIn } from "./ui.js";

const slug = slugFromPath();
await Promise.all([signIn(slug), ready]);
const base = `/api/e/${encodeURIComponent(slug)}`;
const form = $("#erase-form");
const input = $("#erase-confirm");

$("#erase-slug").textContent = slug;

const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "long", timeStyle: "short" });

function describe(data) {
  const held = [
    tn("%(n)s name of someone who joined.", "%(n)s names of people who joined.", data.named),
    tn("%(n)s host name on pitches.", "%(n)s host names on pitches.", data.hosts),
  ];
  if (!data.erased_at) {
    return [t("This event holds:"), ...held, tn("%(n)s person joined in all.", "%(n)s people joined in all.", data.attendees)].join(" ");
  }
  const erased = t("Personal data was erased on %(when)s.", { when: when(data.erased_at) });
  if (!data.named && !data.hosts) return erased;
  return [erased, t("Since then it has gained:"), ...held, t("Erase again to remove them.")].join(" ");
}

async function showSummary() {
  try {
    $("#personal-summary").textContent = describe(await api("GET", `${base}/personal-data`, { staff: true }));
  } catch {
    $("#personal-summary").textContent = "";  // not an organiser, or offline: the page says which
  }
}

async function saveArchive() {
  const status = $("#archive-status");
  say(status, t("Preparing the archive…"));
  try {
    const name = await download(`${base}/archive`, `snug-${slug}.json`);
    say(status, t("Downloaded %(name)s.", { name }));
  } catch (error) {
    say(status, t("Not downloaded: %(reason)s", { reason: error.message }), false);
  }
}

async function erase(event) {
  event.preventDefault();
  const status = $("#erase-status");
  clearErrors(form);
  if (input.value.trim() !== slug) {
    showErrors(form, [{ message: t("Type %(slug)s exactly, to show you mean to erase personal data.", { slug }), input }]);
    return;
  }
  say(status, t("Erasing…"));
  try {
    const data = await api("POST", `${base}/erase-personal-data`, { body: { confirm: input.value.trim() }, staff: true });
    input.value = "";
    const done = tn("Personal data erased: %(n)s attendee now anonymous.", "Personal data erased: %(n)s attendees now anonymous.", data.attendees);
    say(status, done);
    $("#personal-summary").textContent = describe(data);
  } catch (error) {
    say(status, t("Nothing erased: %(reason)s", { reason: error.detail || error.message }), false);
  }
}

$("#archive-download").addEventListener("click", saveArchive);
form.addEventListener("submit", erase);
showSummary();
