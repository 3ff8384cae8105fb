// Plain-text tables: a header row, columns padded to their widest cell, two spaces between.
// Cells are one line; when a width is given, the last column is shortened with "…" to fit.

export interface Column<T> {
  header: string;
  value(row: T): string;
}

const GAP = '  ';
const MIN_LAST_COLUMN = 12;

/** First line of `text`, whitespace collapsed. */
export function oneLine(text: string | undefined): string {
  return (text ?? '').trim().split(/\r?\n/, 1)[0].replace(/\s+/g, ' ');
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? text.slice(0, max) : `${text.slice(0, max - 1)}…`;
}

export function formatTable<T>(columns: Column<T>[], rows: T[], width?: number): string[] {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((line) => line[index].length)));
  const last = columns.length - 1;
  if (width !== undefined) {
    const fixed = widths.slice(0, last).reduce((sum, w) => sum + w + GAP.length, 0);
    widths[last] = Math.max(Math.min(widths[last], width - fixed), MIN_LAST_COLUMN);
  }
  const render = (line: string[]) =>
    line
      .map((cell, index) => (index === last ? truncate(cell, widths[index]) : cell.padEnd(widths[index])))
      .join(GAP)
      .trimEnd();
  return [render(columns.map((column) => column.header)), ...cells.map(render)];
}
