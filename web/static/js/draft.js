// A half-written form kept on this phone, so a reload, a lost tab or a flat battery doesn't lose
// it: only the words typed (never a key or token), dropped once the form is sent.

export function keepDraft(form, key, names) {
  const read = () => { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch { return null; } };
  const write = (value) => {
    try {
      if (value) localStorage.setItem(key, JSON.stringify(value)); else localStorage.removeItem(key);
    } catch { /* private mode or full: the draft just isn't kept */ }
  };
  const typed = (name) => form.elements[name].value.trim() !== "";
  return {
    /** Puts a kept draft back, unless any of the fields `unless` (those a person types into
     * first) already hold something, such as a form Snug sent back with an error. */
    restore(unless) {
      const kept = read();
      if (!kept || unless.some(typed)) return false;
      for (const name of names) if (typeof kept[name] === "string") form.elements[name].value = kept[name];
      return true;
    },
    /** Keeps the fields `names` hold now (less `skip`), or forgets the draft when `worth`
     * (the fields that make it a draft at all) are empty. */
    save(worth, skip = []) {
      if (!worth.some(typed)) { write(null); return; }
      write(Object.fromEntries(names.filter((n) => !skip.includes(n)).map((n) => [n, form.elements[n].value])));
    },
    clear() { write(null); },
  };
}
