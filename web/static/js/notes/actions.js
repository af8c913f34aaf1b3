// The actions list: a Y.Array of Y.Maps, each with a "what" and an "owner" Y.Text, a "due"
// date (YYYY-MM-DD or "", the last one set wins) and an "id" given once, which the event's
// action board knows the action by. Rows are kept by the map they show, so focus stays put
// while others add or remove actions.
import * as Y from "../../vendor/yjs.mjs";
import { LOCAL } from "./sync.js";
import { bindText } from "./text.js";
import { t } from "../i18n.js";
import { announce, h } from "../ui.js";

let made = 0;
const DUE = /^\d{4}-\d{2}-\d{2}$/;

/** An action's identity: random, URL-safe, as the server names one (server/notes/document.py). */
function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * list: the <ol>; addButton: "Add an action"; empty: shown while there are none; allow: as for
 * bindText; editable(): may change now. Returns {lock(), unbind()}.
 */
export function bindActions(array, { list, addButton, empty }, { allow, editable }) {
  const rows = new Map(); // Y.Map -> row

  function makeRow(map) {
    made += 1;
    const id = `action-${made}`;
    const legend = h("legend", {});
    const input = (part, label, hint) => h("div", { class: "field" },
      h("label", { for: `${id}-${part}` }, label),
      hint ? h("p", { class: "hint", id: `${id}-${part}-hint` }, hint) : null,
      h("input", { type: "text", id: `${id}-${part}`, autocomplete: "off", "aria-describedby": hint ? `${id}-${part}-hint` : null }));
    const what = input("what", t("What needs doing"));
    const owner = input("owner", t("Who will do it"), t("A name, a team, or leave it blank."));
    const due = input("due", t("By when"), t("Leave it blank if there is no date."));
    const dueInput = due.querySelector("input");
    dueInput.type = "date";
    dueInput.addEventListener("change", () => {
      if (!editable()) return;
      const value = DUE.test(dueInput.value) ? dueInput.value : "";
      if (map.get("due") !== value) array.doc.transact(() => map.set("due", value), LOCAL);
    });
    const remove = h("button", { type: "button", class: "secondary small", onclick: () => removeRow(map) },
      t("Remove"), h("span", { class: "visually-hidden" }));
    const li = h("li", { class: "action" }, h("fieldset", {}, legend, h("div", { class: "action-fields" }, what, owner, due), remove));
    const row = { li, legend, remove, inputs: [what.querySelector("input"), owner.querySelector("input"), dueInput], texts: [] };
    row.bind = () => {
      const dueNow = map.get("due");
      dueInput.value = typeof dueNow === "string" && DUE.test(dueNow) ? dueNow : "";
      row.texts.forEach((unbind) => unbind());
      row.texts = ["what", "owner"].map((key, i) => {
        const text = map.get(key);
        const field = row.inputs[i];
        if (text instanceof Y.Text) {
          delete field.dataset.foreign;
          return bindText(text, field, { allow });
        }
        // Written by something other than this page: show it, read only.
        field.dataset.foreign = "1";
        field.value = typeof text === "string" ? text : "";
        field.readOnly = true;
        return () => {};
      });
      lock();
    };
    row.unbind = () => {
      map.unobserve(row.bind);
      row.texts.forEach((unbind) => unbind());
    };
    row.bind();
    map.observe(row.bind); // someone replaced a part wholesale
    return row;
  }

  function render() {
    const maps = array.toArray().filter((item) => item instanceof Y.Map);
    const present = new Set(maps);
    for (const [map, row] of rows) {
      if (present.has(map)) continue;
      row.unbind();
      row.li.remove();
      rows.delete(map);
    }
    maps.forEach((map, i) => {
      let row = rows.get(map);
      if (!row) { row = makeRow(map); rows.set(map, row); }
      if (list.children[i] !== row.li) list.insertBefore(row.li, list.children[i] || null);
      row.legend.textContent = t("Action %(n)s", { n: i + 1 });
      row.remove.lastChild.textContent = " " + t("action %(n)s", { n: i + 1 });
    });
    lock();
  }

  function lock() {
    const may = editable();
    for (const row of rows.values()) {
      for (const input of row.inputs) if (!input.dataset.foreign) input.readOnly = !may;
      row.remove.hidden = !may;
    }
    addButton.hidden = !may;
    empty.hidden = rows.size > 0;
  }

  function add() {
    if (!editable()) return;
    const map = new Y.Map();
    array.doc.transact(() => {
      map.set("what", new Y.Text());
      map.set("owner", new Y.Text());
      map.set("due", "");
      map.set("id", newId());
      array.push([map]);
    }, LOCAL);
    rows.get(map)?.inputs[0].focus();
  }

  function removeRow(map) {
    if (!editable()) return;
    const maps = array.toArray();
    const at = maps.indexOf(map);
    if (at < 0) return;
    array.doc.transact(() => array.delete(at, 1), LOCAL);
    const next = list.children[Math.min(at, list.children.length - 1)];
    (next ? next.querySelector("input") : addButton).focus();
    announce(t("Action %(n)s removed.", { n: at + 1 }));
  }

  addButton.addEventListener("click", add);
  array.observe(render);
  render();
  return {
    lock,
    unbind() {
      addButton.removeEventListener("click", add);
      array.unobserve(render);
      for (const row of rows.values()) { row.unbind(); row.li.remove(); }
      rows.clear();
    },
  };
}
