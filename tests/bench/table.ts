/** Plain-text tables for the bench's sections: first column left-aligned, numbers right-aligned. */

export interface Column {
  readonly title: string;
  /** Default: right, as most cells are numbers. */
  readonly align?: 'left' | 'right';
}

/** The table's lines: a header row, then one row per entry, columns separated by two spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'left' ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.title)), ...rows.map(line)];
}

/** KB with one decimal; 1 KB = 1000 bytes, as in the page table. */
export function kb(bytes: number): string {
  return (bytes / 1000).toFixed(1);
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Milliseconds with one decimal. */
export function ms(value: number): string {
  return value.toFixed(1);
}
