// What this phone keeps in IndexedDB: the writes waiting to be sent (outbox) and each session's
// notes document (notes). A small promise wrapper, no library; where IndexedDB can't be opened
// (some private modes), it keeps things in memory for as long as the page is open.

const NAME = "snug";
const STORES = ["outbox", "notes"];
let opened = null;

function open() {
  opened ??= new Promise((resolve) => {
    try {
      const request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
        if (!db.objectStoreNames.contains("notes")) db.createObjectStore("notes");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opened;
}

const memory = Object.fromEntries(STORES.map((name) => [name, new Map()]));
let nextId = 1;

/** One request in its own transaction; resolves to its result once that transaction has
 * committed. make(store, null) makes the request; make(null, map) does it in memory instead. */
async function run(store, mode, make) {
  const db = await open();
  if (!db) return make(null, memory[store]);
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = make(tx.objectStore(store), null);
    tx.oncomplete = () => resolve(request?.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

export const kept = {
  get: (store, key) => run(store, "readonly", (s, m) => (s ? s.get(key) : m.get(key))),
  put: (store, value, key) => run(store, "readwrite", (s, m) => {
    if (s) return s.put(value, key);
    if (store === "outbox" && value.id === undefined) value.id = nextId++;
    m.set(key ?? value.id, value);
    return key ?? value.id;
  }),
  delete: (store, key) => run(store, "readwrite", (s, m) => (s ? s.delete(key) : m.delete(key))),
  /** Every value, in key order (the outbox: oldest first). */
  all: (store) => run(store, "readonly", (s, m) => (s ? s.getAll() : [...m.values()])),
};
