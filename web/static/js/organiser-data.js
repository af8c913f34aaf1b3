// "Your event's data" on the organiser's page: download the event's archive, and erase
// attendees' personal data after the event. manage.js shows the section to organisers only.
import { api, download } from "./api.js";
import { $, clearErrors, plural, say, showErrors, slugFromPath, signIn } from "./ui.js";

const slug = slugFromPath();
await signIn(slug);
const base = `/api/e/${encodeURIComponent(slug)}`;
const form = $("#erase-form");
const input = $("#erase-confirm");

$("#erase-slug").textContent = slug;

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });

function describe(data) {
  const held = `${plural(data.named, "name")} of people who joined and ${plural(data.hosts, "host name")} on pitches`;
  if (!data.erased_at) {
    return `This event holds ${held}; ${plural(data.attendees, "person", "people")} joined in all.`;
  }
  const since = data.named || data.hosts ? ` Since then it has gained ${held}: erase again to remove them.` : "";
  return `Personal data was erased on ${when(data.erased_at)}.${since}`;
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
  say(status, "Preparing the archive…");
  try {
    say(status, `Downloaded ${await download(`${base}/archive`, `snug-${slug}.json`)}.`);
  } catch (error) {
    say(status, `Not downloaded: ${error.message}`, false);
  }
}

async function erase(event) {
  event.preventDefault();
  const status = $("#erase-status");
  clearErrors(form);
  if (input.value.trim() !== slug) {
    showErrors(form, [{ message: `Type ${slug} exactly, to show you mean to erase personal data.`, input }]);
    return;
  }
  say(status, "Erasing…");
  try {
    const data = await api("POST", `${base}/erase-personal-data`, { body: { confirm: input.value.trim() }, staff: true });
    input.value = "";
    const done = `Personal data erased: ${plural(data.attendees, "attendee")} now anonymous.`;
    say(status, done);
    $("#personal-summary").textContent = describe(data);
  } catch (error) {
    say(status, `Nothing erased: ${error.detail || error.message}`, false);
  }
}

$("#archive-download").addEventListener("click", saveArchive);
form.addEventListener("submit", erase);
showSummary();
