// Request bodies are read with a size limit, counted as the bytes arrive (chunked bodies carry no
// Content-Length to check up front).
import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; text: string } | { ok: false; reason: 'too_large' };

/** Reads from Node's own request (no conversion to a web Request and its stream). */
export function readBodyLimited(incoming: IncomingMessage, limitBytes: number): Promise<BodyRead> {
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
