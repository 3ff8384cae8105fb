/** What a secret value looks like wherever Canopy shows a config (API, exports, UI). */
export const REDACTED = '********';
