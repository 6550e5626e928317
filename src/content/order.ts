/** Sorts by `order`, smallest first. Two files with the same order are a content error (see check.ts). */
export function sortByOrder<T extends { readonly data: { readonly order: number } }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.data.order - b.data.order);
}

/** Each entry whose order an earlier one already has, paired with that earlier one. */
export function orderClashes<T extends { readonly order: number }>(entries: readonly T[]): [first: T, twin: T][] {
  const firstWith = new Map<number, T>();
  const clashes: [T, T][] = [];
  for (const entry of entries) {
    const first = firstWith.get(entry.order);
    if (first) clashes.push([first, entry]);
    else firstWith.set(entry.order, entry);
  }
  return clashes;
}
