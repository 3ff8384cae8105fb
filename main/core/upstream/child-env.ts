// The base environment stdio servers start from. Canopy's own settings are not theirs to read: the
// secret key, database URLs (with passwords), bootstrap and client tokens, telemetry headers.
// A server's own `env` can still set any of these on purpose.

const GATEWAY_ONLY = [/^CANOPY_/, /^DATABASE_URL$/, /^TEST_DATABASE_URL$/, /^OTEL_/, /^PG(PASSWORD|USER|HOST|DATABASE|PORT|SERVICE)$/];

export function childBaseEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !GATEWAY_ONLY.some((pattern) => pattern.test(name))));
}
