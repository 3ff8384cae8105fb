// Waits for work, but not forever: quitting must finish even when an upstream hangs.

export type BoundedResult = 'done' | 'failed' | 'timed-out';

export async function withinTime(work: () => Promise<unknown>, timeoutMs: number): Promise<BoundedResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<BoundedResult>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  const finished = work().then(
    (): BoundedResult => 'done',
    (): BoundedResult => 'failed',
  );
  try {
    return await Promise.race([finished, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
