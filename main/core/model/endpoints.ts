/** Where the admin REST API lives on every gateway. */
export const API_PREFIX = '/api/v0';
