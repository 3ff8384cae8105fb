// `canopy invoke`: a tool result as text. Text content is printed as it is; images, audio and
// resources are noted (type, size, URI); structured content is printed as JSON.
import type { CallToolResult } from '@modelcontextprotocol/client';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Decoded size of base64 data, without decoding it. */
function base64Size(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

type ContentItem = CallToolResult['content'][number];

function formatContent(item: ContentItem): string[] {
  switch (item.type) {
    case 'text':
      return [item.text];
    case 'image':
    case 'audio':
      return [`[${item.type}: ${item.mimeType}, ${formatBytes(base64Size(item.data))}]`];
    case 'resource': {
      const { resource } = item;
      const kind = resource.mimeType ? ` (${resource.mimeType})` : '';
      if ('text' in resource && typeof resource.text === 'string') return [`[resource: ${resource.uri}${kind}]`, resource.text];
      const size = 'blob' in resource && typeof resource.blob === 'string' ? `, ${formatBytes(base64Size(resource.blob))}` : '';
      return [`[resource: ${resource.uri}${kind}${size}]`];
    }
    case 'resource_link':
      return [`[resource link: ${item.uri}${item.name && item.name !== item.uri ? ` — ${item.name}` : ''}]`];
    default:
      return [`[${(item as { type: string }).type} content]`];
  }
}

/** A text block that only repeats the structured content (as the spec asks servers to send). */
function mirrorsStructured(item: ContentItem, structured: unknown): boolean {
  if (item.type !== 'text' || structured === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(item.text)) === JSON.stringify(structured);
  } catch {
    return false;
  }
}

export function formatToolResult(result: CallToolResult): string[] {
  const lines = result.content.filter((item) => !mirrorsStructured(item, result.structuredContent)).flatMap(formatContent);
  if (result.structuredContent !== undefined) {
    if (lines.length > 0) lines.push('');
    lines.push('Structured content:', JSON.stringify(result.structuredContent, null, 2));
  }
  return lines;
}
