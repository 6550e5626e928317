export interface Ordered {
  readonly id: string;
  readonly filePath?: string | undefined;
  readonly data: { readonly order: number };
}

/** Sorts by `order` and refuses two files with the same order, naming both. */
export function sortByOrder<T extends Ordered>(entries: readonly T[]): T[] {
  const sorted = [...entries].sort((a, b) => a.data.order - b.data.order);
  const clashes = sorted.filter((entry, index) => sorted[index - 1]?.data.order === entry.data.order);
  if (clashes.length > 0) {
    const lines = clashes.map((entry) => {
      const twin = sorted.find((other) => other.data.order === entry.data.order)!;
      return `${twin.filePath ?? twin.id} und ${entry.filePath ?? entry.id} haben beide order ${entry.data.order}. Bitte jeder Frage eine eigene Zahl geben.`;
    });
    throw new Error(lines.join('\n'));
  }
  return sorted;
}
