/** An upstream OAuth authorization started: the user opens this URL to finish it. */
export interface AuthorizeResult {
  authorizationUrl: string;
}
