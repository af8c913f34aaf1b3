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
 * Where index, a place in a text, is after the changes in deltas (Y.Text deltas, oldest first):
 * {index, gone}. Text inserted exactly there goes before it; gone says the character that
 * followed the place was deleted (the place is then where that character was).
 */
function moved(index, deltas) {
  let gone = false;
  for (const delta of deltas) {
    let old = 0;
    let now = 0;
    let landed = null;
    for (const op of delta) {
      if (op.insert !== undefined) {
        now += typeof op.insert === "string" ? op.insert.length : 1;
        continue;
      }
      const size = op.retain ?? op.delete;
      if (index < old + size) {
        landed = op.retain ? now + index - old : now;
        gone ||= Boolean(op.delete);
        break;
      }
      old += size;
      if (op.retain) now += size;
    }
    index = landed ?? now + index - old;
  }
  return { index, gone };
}

/**
 * Makes on ytext the change {at, removed, added} made to an older copy of it, where deltas say
 * what others changed since. Like Yjs itself would: characters others deleted aren't deleted
 * again, what others wrote inside the removed part stays, and the new text goes after it.
 * Returns where the new text went and how many characters were deleted.
 */
function replay(ytext, { at, removed, added }, deltas) {
  const kept = [];
  for (let i = at; i < at + removed; i += 1) {
    const char = moved(i, deltas);
    if (!char.gone) kept.push(char.index);
  }
  // Deleted back to front in runs, so the places still to delete stay where they are.
  for (let last = kept.length - 1; last >= 0;) {
    let first = last;
    while (first > 0 && kept[first - 1] === kept[first] - 1) first -= 1;
    ytext.delete(kept[first], last - first + 1);
    last = first - 1;
  }
  const start = moved(at + removed, deltas).index - kept.length;
  if (added) ytext.insert(start, added);
  return { start, deleted: kept.length };
}

/**
 * field: textarea or input; ytext: Y.Text in a document; allow(growth) says whether the notes
 * may grow by that many characters (refusing puts the field back as it was).
 * Returns a function that unbinds.
 */
export function bindText(ytext, field, { allow = () => true } = {}) {
  const doc = ytext.doc;
  let shown = ytext.toString(); // the text as the field last showed it
  let caret = null;
  // Phone keyboards compose a word in the field (Android: nearly every word). Writing others'
  // changes into the field meanwhile breaks or doubles the word, so they wait, as Y.Text deltas,
  // and half-made words aren't sent.
  let composing = false;
  let missed = [];
  field.value = shown;

  /** Puts value in the field; selection: [start, end, direction] in value, or none. */
  const show = (value, selection) => {
    const { scrollTop } = field;
    shown = value;
    field.value = value;
    field.scrollTop = scrollTop;
    if (selection && document.activeElement === field) field.setSelectionRange(...selection);
  };

  const onInput = () => {
    if (composing) return;
    const next = field.value;
    const { at, removed, added } = difference(shown, next);
    const held = missed;
    missed = [];
    if (!held.length && !removed && !added) return;
    if (!allow(added.length - removed)) {
      const { index } = moved(at, held);
      show(ytext.toString(), [index, index]);
      return;
    }
    let made;
    doc.transact(() => { made = replay(ytext, { at, removed, added }, held); }, LOCAL);
    if (!held.length) { shown = next; return; }
    // The field lacks what others wrote while a word was composed: bring it up to date, the
    // caret kept beside the same characters.
    const place = (index) => (index <= at ? moved(index, held).index
      : index >= at + added.length ? moved(index - added.length + removed, held).index - made.deleted + added.length
        : made.start + index - at);
    show(ytext.toString(), [place(field.selectionStart), place(field.selectionEnd), field.selectionDirection]);
  };

  // Before someone else's change lands, remember the caret as positions in the text itself.
  const before = (transaction) => {
    if (transaction.origin === LOCAL || composing || document.activeElement !== field) { caret = null; return; }
    const { selectionStart: start, selectionEnd: end, selectionDirection: direction } = field;
    caret = {
      start: Y.createRelativePositionFromTypeIndex(ytext, start, start === end ? -1 : 0),
      end: Y.createRelativePositionFromTypeIndex(ytext, end, -1),
      direction,
    };
  };

  const observe = (event, transaction) => {
    if (transaction.origin === LOCAL) return;
    if (composing) { missed.push(event.delta); return; }
    const value = ytext.toString();
    if (value === field.value) return;
    if (!caret) { show(value, null); return; }
    const index = (position) => Y.createAbsolutePositionFromRelativePosition(position, doc)?.index ?? value.length;
    const start = index(caret.start);
    show(value, [start, Math.max(start, index(caret.end)), caret.direction]);
    caret = null;
  };

  const compose = () => { composing = true; };
  const composed = () => { composing = false; onInput(); };

  field.addEventListener("input", onInput);
  field.addEventListener("compositionstart", compose);
  field.addEventListener("compositionend", composed);
  doc.on("beforeTransaction", before);
  ytext.observe(observe);
  return () => {
    field.removeEventListener("input", onInput);
    field.removeEventListener("compositionstart", compose);
    field.removeEventListener("compositionend", composed);
    doc.off("beforeTransaction", before);
    ytext.unobserve(observe);
  };
}
