import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = (args: string[]) => runCli(args, { cwd: ROOT });

describe('help and a missing command', () => {
  it('tagaudit help bogus is the unknown-command usage error tagaudit bogus gives (exit 2), not the overall help', async () => {
    const r = await run(['help', 'bogus']);
    expect(r.stderr).toBe("tagaudit: unknown command 'bogus' (see 'tagaudit --help')\n");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const typo = await run(['help', 'scna']);
    expect(typo.stderr).toBe("tagaudit: unknown command 'scna' (Did you mean scan?) (see 'tagaudit --help')\n");
    expect(typo.code).toBe(2);
  });

  it('tagaudit help --bogus is an unknown option (exit 2)', async () => {
    const r = await run(['help', '--bogus']);
    expect(r.stderr).toBe("tagaudit: unknown option '--bogus' (see 'tagaudit help --help')\n");
    expect(r.code).toBe(2);
  });

  it('a name after -- is still a command name, never a flag: help -- --version is an unknown command', async () => {
    const r = await run(['help', '--', '--version']);
    expect(r.stderr).toBe("tagaudit: unknown command '--version' (see 'tagaudit --help')\n");
    expect(r.code).toBe(2);
  });

  it('tagaudit help and tagaudit help <command> print that help on stdout, exit 0', async () => {
    const root = await run(['help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toBe((await run(['--help'])).stdout);
    expect(root.stdout).toMatch(/^Usage: tagaudit \[options\] \[command\]/);
    expect(root.stdout).toMatch(/\n {2}help \[command\] +display help for command\n/);
    const scan = await run(['help', 'scan']);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toBe((await run(['scan', '--help'])).stdout);
    expect(scan.stderr).toBe('');
  });

  it('a bare tagaudit (no command) prints the help on stderr and exits 2, a usage error', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe((await run(['--help'])).stdout);
  });
});
