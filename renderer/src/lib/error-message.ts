// One line for the user from anything thrown: ApiError messages already say what to do.
import { ApiError } from '@core/api/client.ts';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'unauthorized') return `${error.message} — sign in again with a valid token`;
    if (error.code === 'forbidden') return `${error.message} — your token does not allow this; ask an administrator`;
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
