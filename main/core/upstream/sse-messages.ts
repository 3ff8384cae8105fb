// The JSON-RPC messages of a streamable-HTTP response, as they arrive: a JSON body is one message
// (or a batch), an SSE stream one message per event's data. Anything that is not JSON is skipped.

/** Yields each JSON-RPC message of `response` in order; the body is read once. */
export async function* responseMessages(response: Response): AsyncGenerator<Record<string, unknown>> {
  if (!response.body) return;
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const parsed = parse(await response.text());
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) if (isObject(message)) yield message;
    return;
  }
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const events = buffer.split(/\r?\n\r?\n/);
    buffer = events.pop() ?? '';
    for (const event of events) {
      const message = parse(eventData(event));
      if (isObject(message)) yield message;
    }
  }
  const last = parse(eventData(buffer));
  if (isObject(last)) yield last;
}

/** The data of one SSE event (its `data:` lines joined). */
export function eventData(event: string): string {
  return event
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
    .join('\n');
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
