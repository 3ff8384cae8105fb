// A server's MCP era in words, the same in the CLI and the window. Pure: the renderer imports it too.
import type { ServerView } from './contract.ts';

/** "2026-07-28" (modern), "2025" (legacy: 2024-10-07 … 2025-11-25), undefined while not known. */
export function protocolEraLabel(era: ServerView['protocolEra']): string | undefined {
  if (era === 'modern') return '2026-07-28';
  if (era === 'legacy') return '2025';
  return undefined;
}
