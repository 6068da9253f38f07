/**
 * Indices of t[0..n) in ascending time, stable. Arrival times in a minute are spread fairly
 * evenly, so a bucket sort (n buckets over [min, max], insertion sort inside each) is linear and
 * several times faster than Array.prototype.sort with a comparator; a crowded bucket (a burst
 * within a few microseconds) falls back to the comparator sort, so the worst case stays n log n.
 */
export function timeOrder(t: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = t[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(hi > lo)) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }
  const scale = (n / (hi - lo)) * (1 - 1e-9);
  const bucket = new Uint32Array(n);
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const b = Math.min(n - 1, Math.floor((t[i] - lo) * scale));
    bucket[i] = b;
    start[b + 1]++;
  }
  for (let b = 0; b < n; b++) start[b + 1] += start[b];
  const at = start.slice(0, n);
  for (let i = 0; i < n; i++) order[at[bucket[i]]++] = i;
  for (let b = 0; b < n; b++) {
    const from = start[b];
    const to = start[b + 1];
    if (to - from < 2) continue;
    if (to - from > 32) {
      const part = Array.from(order.subarray(from, to)).sort((x, y) => t[x] - t[y] || x - y);
      order.set(part, from);
      continue;
    }
    for (let i = from + 1; i < to; i++) {
      const k = order[i];
      const v = t[k];
      let j = i - 1;
      while (j >= from && t[order[j]] > v) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = k;
    }
  }
  return order;
}
