// Structured logs (pino). Secrets never reach a log: config objects are logged redacted, and these
// paths are censored as a second line of defence.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { prettyDestination } from './pretty-log.ts';

export type Logger = PinoLogger;

const REDACT_PATHS = [
  'bearer_token',
  '*.bearer_token',
  'oauth_client_secret',
  '*.oauth_client_secret',
  'headers',
  '*.headers',
  'env',
  '*.env',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
];

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface LoggerOptions {
  /** Default CANOPY_LOG_LEVEL, else `info`. */
  level?: string;
  /** `pretty`: one readable line per record (for a terminal); default `json`. Ignored with `destination`. */
  format?: LogFormat;
  /** Where log lines go; default stderr. */
  destination?: DestinationStream;
}

/** The log level from CANOPY_LOG_LEVEL; a bad value is an error that lists the good ones. */
export function logLevelFrom(env: NodeJS.ProcessEnv): string {
  const level = env.CANOPY_LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`CANOPY_LOG_LEVEL: "${env.CANOPY_LOG_LEVEL}" is not a log level (${LOG_LEVELS.join(', ')})`);
  }
  return level;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.CANOPY_LOG_LEVEL ?? 'info';
  const stderr = pino.destination({ fd: 2, sync: true });
  const destination =
    options.destination ??
    (options.format === 'pretty'
      ? prettyDestination({
          write: (line) => stderr.write(line),
          color: process.stderr.isTTY === true && !process.env.NO_COLOR,
          stacks: level === 'debug' || level === 'trace',
        })
      : pino.destination(2));
  return pino({ name: 'canopy', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
