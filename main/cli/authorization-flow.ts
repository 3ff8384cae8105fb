// The CLI side of an upstream OAuth flow (after `register` or `authorize` returned an
// authorization URL): show the URL, open the browser, wait with progress, report the outcome.
import { openBrowser } from '../core/upstream/oauth/open-browser.ts';
import type { CliContext } from './context.ts';
import { CliError } from './errors.ts';
import { AUTHORIZATION_TIMEOUT_MS, waitForAuthorization, type AuthorizationOutcome } from './authorization-wait.ts';
import { formatDuration } from './format/duration.ts';
import { serverSummary } from './format/server-summary.ts';

export async function completeAuthorization(context: CliContext, name: string, authorizationUrl: string): Promise<void> {
  const { output } = context;
  output.line(`'${name}' needs authorization. Open this URL in your browser to approve access:`);
  output.line(`  ${authorizationUrl}`);
  // From here on Ctrl-C ends the wait with a hint, not the process mid-flow.
  const interrupted = new AbortController();
  const onInterrupt = () => interrupted.abort();
  process.once('SIGINT', onInterrupt);
  let outcome: AuthorizationOutcome;
  try {
    if (!(await openBrowser(authorizationUrl))) output.note('could not open a browser: open the URL above yourself');
    const progress = output.progress(`waiting for authorization of '${name}' (Ctrl-C to stop)`, { announce: true });
    try {
      outcome = await waitForAuthorization({ name, getServer: context.client().getServer, signal: interrupted.signal });
    } finally {
      progress.stop();
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  const again = `run \`canopy authorize ${name}\``;
  switch (outcome.result) {
    case 'authorized':
      output.line(`✓ authorized ${serverSummary(outcome.server)}`);
      return;
    case 'failed':
      throw new CliError(`authorization of '${name}' failed: ${outcome.server.state.lastError ?? 'the server reported an error'}; ${again} to try again`);
    case 'timeout':
      throw new CliError(
        `gave up waiting after ${formatDuration(AUTHORIZATION_TIMEOUT_MS)}: '${name}' stays registered and needs authorization; ${again} to try again`,
      );
    case 'interrupted':
      throw new CliError(`stopped waiting: '${name}' stays registered and needs authorization; ${again} to continue`, 130);
  }
}
