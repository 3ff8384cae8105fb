// "1 tool", "2 tools": counts the UI shows next to a noun.
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
