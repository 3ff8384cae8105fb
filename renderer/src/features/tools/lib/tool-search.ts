// Search across every server's tools: each word of the query must appear in the tool's name, title,
// description or server.
import type { ToolView } from '@core/api/contract.ts';

export function searchTools(tools: ToolView[], query: string): ToolView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return tools;
  return tools.filter((tool) => {
    const haystack = [tool.name, tool.title, tool.description, tool.server].filter(Boolean).join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
