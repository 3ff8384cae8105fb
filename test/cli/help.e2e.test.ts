// Every command answers --help with a description and examples, right from bin/canopy.mjs.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const env = { ...process.env };

describe('canopy --help', () => {
  it('lists every command', async () => {
    const result = await runCli(['--help'], env);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'register', 'authorize', 'deregister', 'restart', 'logs', 'enable', 'disable', 'list', 'usage', 'invoke', 'import', 'export', 'status', 'doctor', 'login']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it.each([['register'], ['list', 'tools'], ['tool', 'override'], ['list', 'overrides'], ['invoke'], ['import'], ['export'], ['enable'], ['serve'], ['doctor']])(
    'canopy %s --help has examples',
    async (...command) => {
      const result = await runCli([...command, '--help'], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Examples:');
      expect(result.stdout).toContain(`$ canopy ${command.join(' ')}`);
    },
  );

  it('an unknown command is one error line', async () => {
    const result = await runCli(['bogus'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: unknown command 'bogus'\n");
  });
});
