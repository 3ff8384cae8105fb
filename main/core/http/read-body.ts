// Request bodies are read with a size limit, counted as the bytes arrive (chunked bodies carry no
// Content-Length to check up front).

import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; text: string } | { ok: false; reason: 'too_large' };

export async function readBodyLimited(request: Request, limitBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) return { ok: false, reason: 'too_large' };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** The same, from Node's own request (the MCP endpoints read it there: no web-stream conversion). */
export function readIncomingBodyLimited(incoming: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  if (Number(incoming.headers['content-length'] ?? NaN) > limitBytes) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limitBytes) return void chunks.push(chunk);
      // The rest is drained unread (not destroyed), so the connection can still carry the answer.
      incoming.off('data', onData);
      incoming.resume();
      resolve({ ok: false, reason: 'too_large' });
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve({ ok: true, text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') }));
    incoming.once('error', reject);
  });
}
