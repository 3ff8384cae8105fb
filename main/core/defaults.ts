// Constants cheap to import (the CLI loads them without loading the whole gateway).
import { createRequire } from 'node:module';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7450;
export const DEFAULT_REGISTRY_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
