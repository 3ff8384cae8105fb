// Its own module, without zod: the CLI checks for it on every error and should not load the schemas to do so.

/** A user-facing validation error: one line that names the field. */
export class ConfigError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
