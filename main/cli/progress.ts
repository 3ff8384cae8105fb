// Progress for long work. On a terminal: a spinner line with the elapsed time, redrawn in place.
// Otherwise (logs, CI, pipes): a "still …" line every `heartbeatMs`, so quick work prints nothing
// and scripts see one error line; `announce` also prints the text at once (for a wait on the user).
import { formatDuration } from './format/duration.ts';

export interface Progress {
  stop(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;
const DEFAULT_HEARTBEAT_MS = 30_000;

export interface ProgressOptions {
  /** Off a terminal, print the text at once rather than only after `heartbeatMs`. */
  announce?: boolean;
  heartbeatMs?: number;
}

export function startProgress(
  stream: ProgressStream,
  interactive: boolean,
  text: string,
  { announce = false, heartbeatMs = DEFAULT_HEARTBEAT_MS }: ProgressOptions = {},
): Progress {
  const startedAt = Date.now();
  let frame = 0;
  const elapsed = () => formatDuration(Date.now() - startedAt);
  const draw = () => {
    stream.write(`\r\x1b[K${FRAMES[frame % FRAMES.length]} ${text} ${elapsed()}`);
    frame += 1;
  };
  if (interactive) draw();
  else if (announce) stream.write(`${text}\n`);
  const timer = interactive
    ? setInterval(draw, FRAME_MS)
    : setInterval(() => stream.write(`still ${text} (${elapsed()})\n`), heartbeatMs);
  // A spinner never keeps the process alive on its own.
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (interactive) stream.write('\r\x1b[K');
    },
  };
}
