// Finds a free loopback port near the wanted one (so the new URL is easy to recognise).
import { createServer } from 'node:net';

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The first free port after `port` (at most `attempts` tried), or undefined. */
export async function nextFreePort(port: number, host = '127.0.0.1', attempts = 20): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + attempts, 65_535); candidate++) {
    if (await isFree(candidate, host)) return candidate;
  }
  return undefined;
}
