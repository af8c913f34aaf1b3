// Rooms and time slots editors (new event page and organiser page), and the time zone list.
import { ready, t } from "./i18n.js";
import { $$, bySlotTime, h, slotWords } from "./ui.js";

// The editors draw their labels as they are made: wait for the page's words first (this holds
// every script importing this one until they are in, which is at once in English).
await ready;

/** A room's features, named in the page's language. */
export const FEATURES = {
  "step-free": t("Step-free"), "hearing-loop": t("Hearing loop"), projector: t("Projector"), screen: t("Screen"),
  whiteboard: t("Whiteboard"), flipchart: t("Flip chart"), "video-call": t("Video call"), quiet: t("Quiet"),
};

let counter = 0;
const uid = (prefix) => `${prefix}-${++counter}`;

function field(label, input, extra = "") {
  return h("div", { class: `field ${extra}`.trim() }, h("label", { for: input.id }, label), input);
}

/** Fill a <select> with every IANA time zone, choosing `chosen` or the browser's. */
export function fillTimezones(select, chosen) {
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/London";
  let zones = [];
  try { zones = Intl.supportedValuesOf("timeZone"); } catch { zones = []; }
  const want = chosen || browser;
  if (!zones.includes(want)) zones = [want, ...zones];
  if (!zones.includes("UTC")) zones.push("UTC");
  select.replaceChildren(...zones.map((zone) => h("option", { value: zone }, zone.replaceAll("_", " "))));
  select.value = want;
}

const ROW_WORDS = {
  room: { legend: (n) => t("Room %(n)s", { n }), remove: (n) => t("Remove room %(n)s", { n }) },
  slot: { legend: (n) => t("Slot %(n)s", { n }), remove: (n) => t("Remove slot %(n)s", { n }) },
};

function renumber(list, kind) {
  $$(":scope > .row", list).forEach((row, i) => {
    row.querySelector("legend").textContent = ROW_WORDS[kind].legend(i + 1);
    row.querySelector("button.remove").textContent = ROW_WORDS[kind].remove(i + 1);
  });
}

export const SLOT_KINDS = { session: t("Sessions"), break: t("Break"), plenary: t("Plenary (everyone together)") };

/** Checkboxes, one per saved slot: legend, the slots, and which are ticked. */
export function slotChecks(legend, slots, ticked, hint = "") {
  const boxes = bySlotTime(slots).map((slot) => {
    const box = h("input", { type: "checkbox", id: uid("slot-check"), value: String(slot.id) });
    box.checked = ticked.includes(slot.id);
    return h("div", { class: "check" }, box, h("label", { for: box.id }, slotWords(slot)));
  });
  return h("fieldset", { class: "slot-checks" }, h("legend", {}, legend), hint ? h("p", { class: "hint" }, hint) : null,
    h("div", { class: "checks" }, boxes));
}

export class RoomsEditor {
  /** slotsOf(): the event's saved slots, for "not available in" (none on the new-event page). */
  constructor(root, slotsOf = null) {
    this.root = root;
    this.slotsOf = slotsOf;
    this.list = h("div");
    this.add = h("button", { type: "button", class: "secondary", onclick: () => this.addRow({}, true) }, t("Add a room"));
    root.append(this.list, this.add);
  }

  set(rooms) {
    this.list.replaceChildren();
    for (const room of rooms) this.addRow(room);
  }

  addRow(room, focus = false) {
    const name = h("input", { id: uid("room-name"), type: "text", maxlength: "80", value: room.name || "" });
    const capacity = h("input", { id: uid("room-capacity"), type: "number", min: "1", max: "100000", inputmode: "numeric", class: "narrow", value: room.capacity ? String(room.capacity) : "" });
    const features = h("fieldset", { class: "features" }, h("legend", {}, t("Features")),
      h("div", { class: "checks" }, Object.entries(FEATURES).map(([value, label]) => {
        const box = h("input", { type: "checkbox", id: uid("room-feature"), value });
        box.checked = (room.features || []).includes(value);
        return h("div", { class: "check" }, box, h("label", { for: box.id }, label));
      })));
    const slots = this.slotsOf ? this.slotsOf() || [] : [];
    const away = slots.length
      ? slotChecks(t("Not available in"), slots, room.unavailable || [], t("Tick the time slots when this room can’t be used."))
      : null;
    if (away) away.classList.add("away");
    const row = h("fieldset", { class: "row" }, h("legend", {}),
      h("div", { class: "row-fields" }, field(t("Room name"), name, "grow"), field(t("Seats"), capacity)),
      features, away,
      h("button", { type: "button", class: "secondary remove", onclick: () => { row.remove(); renumber(this.list, "room"); this.add.focus(); } }));
    if (room.id) row.dataset.id = room.id;
    this.list.append(row);
    renumber(this.list, "room");
    if (focus) name.focus();
  }

  /** {rooms, errors}: rooms as the API wants them (with ids kept). */
  read() {
    const rooms = [];
    const errors = [];
    $$(":scope > .row", this.list).forEach((row, i) => {
      const [name, capacity] = $$("input[type=text], input[type=number]", row);
      const room = {
        name: name.value.trim(),
        capacity: Number(capacity.value),
        features: $$(".features input[type=checkbox]:checked", row).map((b) => b.value),
      };
      if (this.slotsOf) room.unavailable = $$(".away input[type=checkbox]:checked", row).map((b) => Number(b.value));
      if (row.dataset.id) room.id = Number(row.dataset.id);
      if (!room.name) errors.push({ message: t("Enter a name for room %(n)s", { n: i + 1 }), input: name });
      if (!Number.isInteger(room.capacity) || room.capacity < 1) {
        errors.push({ message: t("Enter how many people room %(n)s seats, as a whole number", { n: i + 1 }), input: capacity });
      }
      rooms.push(room);
    });
    return { rooms, errors };
  }
}

function addHour(time) {
  const [hh, mm] = time.split(":").map(Number);
  return `${String(Math.min(23, hh + 1)).padStart(2, "0")}:${String(mm).padStart(2, "0")}`;
}

export class SlotsEditor {
  /** dateOf(): the event's date, the default day for a new slot. */
  constructor(root, dateOf) {
    this.root = root;
    this.dateOf = dateOf;
    this.list = h("div");
    this.add = h("button", { type: "button", class: "secondary", onclick: () => this.addRow(null, true) }, t("Add a time slot"));
    root.append(this.list, this.add);
  }

  set(slots) {
    this.list.replaceChildren();
    for (const slot of slots) this.addRow(slot);
  }

  addRow(slot, focus = false) {
    if (!slot) {
      const rows = $$(":scope > .row", this.list);
      const last = rows.at(-1);
      const start = last ? last.querySelectorAll("input[type=time]")[1].value || "10:00" : "10:00";
      const day = last ? last.querySelector("input[type=date]").value : this.dateOf();
      slot = { starts_at: `${day}T${start}`, ends_at: `${day}T${addHour(start)}`, label: "" };
    }
    const [day, start] = (slot.starts_at || "T").split("T");
    const end = (slot.ends_at || "T").split("T")[1];
    const date = h("input", { id: uid("slot-date"), type: "date", class: "mid", value: day || this.dateOf() || "" });
    const from = h("input", { id: uid("slot-start"), type: "time", class: "mid", value: start || "" });
    const to = h("input", { id: uid("slot-end"), type: "time", class: "mid", value: end || "" });
    const label = h("input", { id: uid("slot-label"), type: "text", maxlength: "80", value: slot.label || "" });
    const kind = h("select", { id: uid("slot-kind"), class: "kind" },
      Object.entries(SLOT_KINDS).map(([value, text]) => h("option", { value }, text)));
    kind.value = slot.kind || "session";
    const row = h("fieldset", { class: "row" }, h("legend", {}),
      h("div", { class: "row-fields" }, field(t("Day"), date), field(t("Starts"), from), field(t("Ends"), to)),
      h("div", { class: "row-fields" }, field(t("Label (optional)"), label, "grow"), field(t("What happens"), kind)),
      h("button", { type: "button", class: "secondary remove", onclick: () => { row.remove(); renumber(this.list, "slot"); this.add.focus(); } }));
    if (slot.id) row.dataset.id = slot.id;
    this.list.append(row);
    renumber(this.list, "slot");
    if (focus) date.focus();
  }

  read() {
    const slots = [];
    const errors = [];
    $$(":scope > .row", this.list).forEach((row, i) => {
      const date = row.querySelector("input[type=date]");
      const [from, to] = row.querySelectorAll("input[type=time]");
      const label = row.querySelector("input[type=text]");
      const n = i + 1;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value)) errors.push({ message: t("Enter the day of slot %(n)s", { n }), input: date });
      if (!/^\d{2}:\d{2}/.test(from.value)) errors.push({ message: t("Enter when slot %(n)s starts", { n }), input: from });
      if (!/^\d{2}:\d{2}/.test(to.value)) errors.push({ message: t("Enter when slot %(n)s ends", { n }), input: to });
      else if (from.value && to.value.slice(0, 5) <= from.value.slice(0, 5)) errors.push({ message: t("Slot %(n)s must end after it starts", { n }), input: to });
      const slot = {
        starts_at: `${date.value}T${from.value.slice(0, 5)}`,
        ends_at: `${date.value}T${to.value.slice(0, 5)}`,
        label: label.value.trim(),
        kind: row.querySelector("select.kind").value,
      };
      if (row.dataset.id) slot.id = Number(row.dataset.id);
      slots.push(slot);
    });
    return { slots, errors };
  }
}
