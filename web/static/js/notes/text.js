// Binds a textarea or input to a Y.Text. Typing becomes the smallest delete and insert that
// turn the old value into the new one, so two people in one paragraph both keep their words;
// others' changes land in the field with the caret kept beside the same characters.
import * as Y from "../../vendor/yjs.mjs";
import { LOCAL } from "./sync.js";

const isHigh = (code) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code) => code >= 0xdc00 && code <= 0xdfff;

/** Where old and next differ: {at, removed, added}, never splitting a surrogate pair. */
export function difference(old, next) {
  const limit = Math.min(old.length, next.length);
  let start = 0;
  while (start < limit && old.charCodeAt(start) === next.charCodeAt(start)) start += 1;
  if (start > 0 && isHigh(old.charCodeAt(start - 1))) start -= 1;
  let end = 0;
  while (end < limit - start && old.charCodeAt(old.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end += 1;
  if (end > 0 && isLow(old.charCodeAt(old.length - end))) end -= 1;
  return { at: start, removed: old.length - end - start, added: next.slice(start, next.length - end) };
}

/**
 * field: textarea or input; ytext: Y.Text in a document; allow(growth) says whether the notes
 * may grow by that many characters (refusing puts the field back as it was).
 * Returns a function that unbinds.
 */
export function bindText(ytext, field, { allow = () => true } = {}) {
  const doc = ytext.doc;
  let shown = ytext.toString();
  let caret = null;
  field.value = shown;

  const onInput = () => {
    const next = field.value;
    const { at, removed, added } = difference(shown, next);
    if (!removed && !added) return;
    if (!allow(added.length - removed)) {
      field.value = shown;
      field.setSelectionRange(at, at);
      return;
    }
    shown = next;
    doc.transact(() => {
      if (removed) ytext.delete(at, removed);
      if (added) ytext.insert(at, added);
    }, LOCAL);
  };

  // Before someone else's change lands, remember the caret as positions in the text itself.
  const before = (transaction) => {
    if (transaction.origin === LOCAL || document.activeElement !== field) { caret = null; return; }
    const { selectionStart: start, selectionEnd: end, selectionDirection: direction } = field;
    caret = {
      start: Y.createRelativePositionFromTypeIndex(ytext, start, start === end ? -1 : 0),
      end: Y.createRelativePositionFromTypeIndex(ytext, end, -1),
      direction,
    };
  };

  const observe = (_event, transaction) => {
    if (transaction.origin === LOCAL) return;
    const value = ytext.toString();
    if (value === field.value) return;
    const { scrollTop } = field;
    shown = value;
    field.value = value;
    field.scrollTop = scrollTop;
    if (caret) {
      const index = (position) => Y.createAbsolutePositionFromRelativePosition(position, doc)?.index ?? value.length;
      const start = index(caret.start);
      field.setSelectionRange(start, Math.max(start, index(caret.end)), caret.direction);
      caret = null;
    }
  };

  field.addEventListener("input", onInput);
  doc.on("beforeTransaction", before);
  ytext.observe(observe);
  return () => {
    field.removeEventListener("input", onInput);
    doc.off("beforeTransaction", before);
    ytext.unobserve(observe);
  };
}
