// "Your event's data" on the organiser's page: download the event's archive, and erase
// attendees' personal data after the event. manage.js shows the section to organisers only.
import { api } from "./api.js";
import { $, clearErrors, h, plural, say, showErrors, slugFromPath, staffKey } from "./ui.js";

const slug = slugFromPath();
const key = staffKey(slug);
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
    $("#personal-summary").textContent = describe(await api("GET", `${base}/personal-data`, { token: key }));
  } catch {
    $("#personal-summary").textContent = "";  // not an organiser, or offline: the page says which
  }
}

function filename(response) {
  const found = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
  return found ? found[1] : `snug-${slug}.json`;
}

async function download() {
  const status = $("#archive-status");
  say(status, "Preparing the archive…");
  try {
    const response = await fetch(`${base}/archive`, { headers: { Authorization: `Bearer ${key}` }, cache: "no-store" });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      throw new Error(problem?.detail || `Snug answered with error ${response.status}. Try again.`);
    }
    const name = filename(response);
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say(status, `Downloaded ${name}.`);
  } catch (error) {
    say(status, `Not downloaded: ${error.message === "Failed to fetch" ? "Snug could not be reached." : error.message}`, false);
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
    const data = await api("POST", `${base}/erase-personal-data`, { body: { confirm: input.value.trim() }, token: key });
    input.value = "";
    const done = `Personal data erased: ${plural(data.attendees, "attendee")} now anonymous.`;
    say(status, done);
    $("#personal-summary").textContent = describe(data);
  } catch (error) {
    say(status, `Nothing erased: ${error.detail || error.message}`, false);
  }
}

$("#archive-download").addEventListener("click", download);
form.addEventListener("submit", erase);
if (key) showSummary();
