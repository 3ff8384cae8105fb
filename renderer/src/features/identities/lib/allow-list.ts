// An allow-list as typed in one field: names separated by commas, spaces or new lines.
export function parseAllowList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
