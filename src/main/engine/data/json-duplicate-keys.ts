// JSON.parse resolves a key given twice by keeping the last value ({"a":1,"a":0} is {"a":0}), so a
// record that says two things would import one of them silently. No parser we ship reports
// duplicates, so this reads the raw text of one record that JSON.parse has already accepted
// (valid JSON: no error handling needed here) and names the first key given twice.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const STRUCTURE = /["{}[\]]/g;

/** The dotted path of the first key that appears twice in one object of `json`, or null. */
export function duplicateKey(json: string): string | null {
  // One entry per open object or array: its path, and an object's keys so far (null for an array).
  const stack: { keys: Set<string> | null; path: string }[] = [];
  let lastKey = '';
  STRUCTURE.lastIndex = 0;
  for (let m = STRUCTURE.exec(json); m; m = STRUCTURE.exec(json)) {
    const at = m.index;
    const c = json.charCodeAt(at);
    if (c !== QUOTE) {
      if (c === 0x7b || c === 0x5b) {
        const parent = stack[stack.length - 1];
        const path = !parent ? '' : parent.keys ? pathOf(parent.path, lastKey) : `${parent.path}[]`;
        stack.push({ keys: c === 0x7b ? new Set() : null, path });
      } else stack.pop();
      continue;
    }
    // A string: find its closing quote (one not escaped by an odd run of backslashes).
    let end = at + 1;
    for (;;) {
      end = json.indexOf('"', end);
      let slashes = 0;
      while (json.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break;
      end++;
    }
    STRUCTURE.lastIndex = end + 1;
    let next = end + 1;
    while (next < json.length && json.charCodeAt(next) <= 0x20) next++;
    const top = stack[stack.length - 1];
    if (json.charCodeAt(next) !== 0x3a || !top?.keys) continue; // a value, not a key
    const raw = json.slice(at + 1, end);
    const key = raw.includes('\\') ? (JSON.parse(json.slice(at, end + 1)) as string) : raw;
    if (top.keys.has(key)) return pathOf(top.path, key);
    top.keys.add(key);
    lastKey = key;
  }
  return null;
}

const pathOf = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
