// `${VAR_NAME}` expansion for JSON config files. It runs where the file is read (the CLI process), so
// the gateway never sees a placeholder. `$${` writes a literal `${`.
import { ConfigError } from './config-error.ts';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function expandString(value: string, field: string, env: NodeJS.ProcessEnv): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (value.startsWith('${', i)) {
      const end = value.indexOf('}', i + 2);
      if (end < 0) throw new ConfigError(`field '${field}': unclosed "\${" (write "$\${" for a literal "\${")`, field);
      const name = value.slice(i + 2, end);
      if (name.length === 0) throw new ConfigError(`field '${field}': empty variable name in "\${}"`, field);
      if (!VAR_NAME.test(name)) throw new ConfigError(`field '${field}': "${name}" is not a valid variable name`, field);
      const resolved = env[name];
      if (resolved === undefined) {
        throw new ConfigError(`field '${field}': environment variable ${name} is not set`, field);
      }
      out += resolved;
      i = end + 1;
      continue;
    }
    out += value[i];
    i += 1;
  }
  return out;
}

/** Expands placeholders in every string of a parsed JSON value (object keys are left as they are). */
export function expandPlaceholders<T>(value: T, env: NodeJS.ProcessEnv = process.env, field = ''): T {
  if (typeof value === 'string') return expandString(value, field || '(value)', env) as T;
  if (Array.isArray(value)) {
    return value.map((item, index) => expandPlaceholders(item, env, `${field}[${index}]`)) as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = expandPlaceholders(item, env, field ? `${field}.${key}` : key);
    }
    return out as T;
  }
  return value;
}
