/**
 * The largest GROUP BY groups without sorting them all: a query grouping a million events by
 * `event_id` has a million groups, and sorting them held the event loop for seconds. A heap of
 * the `limit` best seen so far costs (groups × log limit) and only `limit` are sorted.
 */

/** A group under its key's JSON text, which breaks ties so the order is the same every time. */
interface KeyedGroup<G extends { count: number }> {
  id: string;
  group: G;
}

/** Count descending, then key ascending (api.md: largest first). */
function before<G extends { count: number }>(a: KeyedGroup<G>, b: KeyedGroup<G>): boolean {
  return a.group.count !== b.group.count ? a.group.count > b.group.count : a.id < b.id;
}

/** The `limit` first groups (by key id) in count-descending, key-ascending order. */
export function largestGroups<G extends { count: number }>(groups: Map<string, G>, limit: number): G[] {
  // A min-heap by that order: its root is the group that would be dropped first.
  const heap: KeyedGroup<G>[] = [];
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let last = i;
      if (left < heap.length && before(heap[last]!, heap[left]!)) last = left;
      if (right < heap.length && before(heap[last]!, heap[right]!)) last = right;
      if (last === i) return;
      [heap[i], heap[last]] = [heap[last]!, heap[i]!];
      i = last;
    }
  };
  for (const [id, group] of groups) {
    const entry = { id, group };
    if (heap.length < limit) {
      heap.push(entry);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent]!, heap[i]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (limit > 0 && before(entry, heap[0]!)) {
      heap[0] = entry;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1)).map((entry) => entry.group);
}
