// The sign-in pages Canopy renders itself (consent, errors): plain HTML, every value escaped, no
// script, never framed.
import { escapeHtml } from '../http/html.ts';

/** `body` is HTML the caller built from escaped values. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui;margin:3rem;max-width:40rem"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Headers of every sign-in page: no framing (clickjacking), no script, not cached. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  // Not no-referrer: Chromium then sends `Origin: null` with the consent form, which the origin guard refuses.
  'referrer-policy': 'same-origin',
};
