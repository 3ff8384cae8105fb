// Where a command writes: results on stdout, notes, warnings and progress on stderr (so
// `canopy list tools --json | jq` stays clean).
import { startProgress, type Progress, type ProgressOptions } from './progress.ts';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Output {
  /** A line of the command's result (stdout). */
  line(text?: string): void;
  /** A value as indented JSON (stdout), for `--json`. */
  json(value: unknown): void;
  /** A line for the user that is not the result (stderr). */
  note(text: string): void;
  /** `warning: <text>` (stderr). */
  warn(text: string): void;
  /** Spinner (terminal) or plain lines (otherwise) on stderr until stopped. */
  progress(text: string, options?: ProgressOptions): Progress;
  /** stdout's width when it is a terminal (tables fit it); undefined in pipes. */
  readonly width: number | undefined;
}

export function createOutput(stdout: OutputStream, stderr: OutputStream): Output {
  return {
    line: (text = '') => stdout.write(`${text}\n`),
    json: (value) => stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => stderr.write(`${text}\n`),
    warn: (text) => stderr.write(`warning: ${text}\n`),
    progress: (text, options) => startProgress(stderr, Boolean(stderr.isTTY), text, options),
    width: stdout.isTTY && stdout.columns ? stdout.columns : undefined,
  };
}
