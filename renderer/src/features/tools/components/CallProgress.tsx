// A running call's progress as the upstream reports it: a bar when it knows the total, else the count.
import type { Progress } from '@core/api/contract.ts';

export function CallProgress({ progress }: { progress: Progress | undefined }) {
  if (!progress) return <span className="muted small">Running…</span>;
  const { total, message } = progress;
  const label = `${progress.progress}${total ? ` of ${total}` : ''}${message ? `: ${message}` : ''}`;
  return (
    <span className="call-progress small">
      {total ? <progress max={total} value={progress.progress} aria-label="Tool progress" /> : null}
      <span role="status">Progress {label}</span>
    </span>
  );
}
