// First run: create an event, then show its secret organiser link and the links to share.
import { api } from "./api.js";
import { ready, t } from "./i18n.js";
import { $, clearErrors, copyRow, showErrors } from "./ui.js";
import { RoomsEditor, SlotsEditor, fillTimezones } from "./venue.js";

await ready; // the first room is named in the page's language
const form = $("#event-form");
const today = new Date();
const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
// A form the server drew again (something was wrong) keeps what was typed.
if (!form.elements.date.value) form.elements.date.value = iso(today);
fillTimezones(form.elements.timezone, form.elements.timezone.dataset.chosen);
$("#venue-editors").hidden = false; // rooms and slots are built here; without script, later
const rooms = new RoomsEditor($("#rooms"));
const slots = new SlotsEditor($("#slots"), () => form.elements.date.value);
rooms.set([{ name: t("Main room"), capacity: 100, features: ["step-free", "projector"] }]);
slots.set([{ starts_at: `${iso(today)}T10:00`, ends_at: `${iso(today)}T11:00`, label: "" }]);

// Slots that still sit on the old day follow the event's date when it changes.
let lastDate = form.elements.date.value;
form.elements.date.addEventListener("change", () => {
  for (const input of document.querySelectorAll("#slots input[type=date]")) {
    if (input.value === lastDate) input.value = form.elements.date.value;
  }
  lastDate = form.elements.date.value;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const get = (name) => form.elements[name].value.trim();
  const errors = [];
  const body = { name: get("name"), date: get("date"), timezone: get("timezone") };
  if (!body.name) errors.push({ message: t("Enter the event name"), input: form.elements.name });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(body.date)) errors.push({ message: t("Enter the date of the event"), input: form.elements.date });
  if (get("venue")) body.venue = get("venue");
  const dots = Number(get("dots"));
  if (!Number.isInteger(dots) || dots < 1 || dots > 20) {
    errors.push({ message: t("Dots for each attendee must be a whole number from 1 to 20"), input: form.elements.dots });
  }
  body.dots_per_attendee = dots;
  body.dots_stack = form.elements.stack.checked;
  body.languages = (form.elements.languages.value || "en").split(" "); // "cy en": both
  const r = rooms.read();
  const s = slots.read();
  errors.push(...r.errors, ...s.errors);
  body.rooms = r.rooms;
  body.slots = s.slots;
  if (errors.length) { showErrors(form, errors); return; }
  clearErrors(form);
  const button = $("#create");
  if (button.dataset.busy) return;
  button.dataset.busy = "1";
  button.textContent = t("Creating…");
  try {
    const made = await api("POST", "/api/events", { body });
    showCreated(made, body.name);
  } catch (error) {
    showErrors(form, [{ message: error.detail || error.message }]);
  } finally {
    delete button.dataset.busy;
    button.textContent = t("Create event");
  }
});

// The answer also signed this browser in as the organiser (a cookie no script can read), so
// the page keeps nothing; the link shown is how to organise from another device.
function showCreated(made, name) {
  $("#create-section").hidden = true;
  $("#created-section").hidden = false;
  $("#created-name").textContent = name;
  $("#organise-link").append(copyRow(made.links.organise, t("organiser link")));
  $("#join-link").append(copyRow(made.links.join, t("join link")));
  $("#screen-link").append(copyRow(made.links.screen, t("screen link")));
  $("#go-organise").href = made.links.organise;
  document.title = t("%(name)s is ready - Snug", { name });
  $("#created-panel").focus();
}
