// Structured logs (pino). Secrets never reach a log: config objects are logged redacted, and these
// paths are censored as a second line of defence.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

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

export interface LoggerOptions {
  level?: string;
  /** Where log lines go; default stderr. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'canopy',
      level: options.level ?? process.env.CANOPY_LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
