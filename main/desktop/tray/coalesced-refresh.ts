// Change events come in bursts (a server starting emits several); the menu is rebuilt once per
// burst: one refresh at a time, and at most one more queued behind it.
export function coalesced(refresh: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    running = true;
    do {
      again = false;
      try {
        await refresh();
      } catch (error) {
        onError(error);
      }
    } while (again);
    running = false;
  };
  return () => {
    if (running) again = true;
    else void run();
  };
}
