// Human-readable log lines for a terminal: `12:04:31 WARN  message  key=value …`. pino writes one
// JSON line per record; this turns each into one line. An error shows as its message and a short
// cause; its stack only at debug level (where a developer wants it).
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '36', 40: '33', 50: '31', 60: '35' };
/** pino's own fields, shown in the prefix (time, level, message) or not at all. */
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);

export interface PrettyOptions {
  /** Where the lines go (a terminal). */
  write(line: string): void;
  /** ANSI colours for the level. */
  color: boolean;
  /** Show error stacks (at debug level). */
  stacks: boolean;
}

interface ErrorLike {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  stack?: unknown;
  cause?: unknown;
}

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return date.toTimeString().slice(0, 8);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

/** `message (code)`, then `: cause` for the first cause: one line however deep the chain. */
function describeError(error: ErrorLike): string {
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? ` (${error.code})` : '';
  const message = typeof error.message === 'string' && error.message ? error.message : String(error.type ?? 'error');
  const cause = error.cause as ErrorLike | string | undefined;
  const causeText = typeof cause === 'string' ? cause : typeof cause?.message === 'string' ? cause.message : undefined;
  const firstLine = (text: string) => text.split('\n')[0];
  // pino's error serializer already appends the causes' messages to the message.
  const showCause = causeText !== undefined && !message.includes(causeText);
  return `${firstLine(message)}${code}${showCause ? ` — cause: ${firstLine(causeText)}` : ''}`;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && ('stack' in value || ('message' in value && 'type' in value));
}

export function formatRecord(record: Record<string, unknown>, { color, stacks }: Omit<PrettyOptions, 'write'>): string {
  const level = typeof record.level === 'number' ? record.level : 30;
  const label = (LEVELS[level] ?? String(level)).padEnd(5);
  const tag = color ? `\x1b[${COLORS[level] ?? '0'}m${label}\x1b[0m` : label;
  const parts = [`${clock(record.time)} ${tag} ${typeof record.msg === 'string' ? record.msg : ''}`];
  const trailing: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (OWN_FIELDS.has(key) || value === undefined) continue;
    if (isErrorLike(value)) {
      parts.push(`${key === 'err' ? 'error' : key}: ${describeError(value)}`);
      if (stacks && typeof value.stack === 'string') trailing.push(value.stack);
    } else {
      parts.push(`${key}=${scalar(value)}`);
    }
  }
  return [parts.join('  '), ...trailing].join('\n') + '\n';
}

/** A pino destination that writes formatted lines; a line that is not JSON passes through as it is. */
export function prettyDestination(options: PrettyOptions): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          options.write(`${line}\n`);
          continue;
        }
        options.write(typeof record === 'object' && record !== null ? formatRecord(record as Record<string, unknown>, options) : `${line}\n`);
      }
    },
  };
}
