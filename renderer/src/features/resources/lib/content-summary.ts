// What one item of a resources/read answer holds, in a line: its URI, type and size, and the text
// itself (a blob is base64: its decoded size is shown, not its bytes).
import type { ReadResourceView } from '@core/api/contract.ts';

export type ResourceContent = ReadResourceView['contents'][number];

export interface ContentSummary {
  uri: string;
  mimeType: string;
  kind: 'text' | 'blob';
  /** Characters of text, or decoded bytes of a blob. */
  size: number;
  text?: string;
}

export function summarize(content: ResourceContent): ContentSummary {
  const mimeType = content.mimeType ?? 'unknown type';
  if ('text' in content) return { uri: content.uri, mimeType, kind: 'text', size: content.text.length, text: content.text };
  const { blob } = content;
  const padding = blob.endsWith('==') ? 2 : blob.endsWith('=') ? 1 : 0;
  return { uri: content.uri, mimeType, kind: 'blob', size: Math.max(0, (blob.length * 3) / 4 - padding) };
}
