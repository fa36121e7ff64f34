import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { CliDeps, TextOut } from '../../../src/cli/deps.js';
import { bufferOut } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const DICTIONARY = join(ROOT, 'dictionaries/anycompany.yaml');

const errno = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}, write`), { code, errno: -28, syscall: 'write' });
const ENOSPC = () => errno('ENOSPC', 'no space left on device');
const EPIPE = () => errno('EPIPE', 'broken pipe');

/** A stdout whose every write throws, as a full disk makes it (`> /dev/full`); counts the attempts. */
function failingOut(error: () => Error): TextOut & { writes: number } {
  const out = {
    writes: 0,
    write() {
      out.writes++;
      throw error();
    },
  };
  return out;
}

/** A stdout shaped like a Node stream: write() returns, and the error is left in `errored` (files and pipes do this). */
function erroredStream(error: () => Error): TextOut & { errored: Error | null } {
  const out = {
    errored: null as Error | null,
    write() {
      out.errored ??= error();
      return false;
    },
  };
  return out;
}

async function runWith(argv: string[], stdout: TextOut) {
  const stderr = bufferOut();
  const deps: CliDeps = { stdout, stderr, env: {}, cwd: ROOT, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
  const code = await main(argv, deps);
  return { code, stderr: stderr.text() };
}

const COMMANDS: string[][] = [
  ['rules'],
  ['rules', '--format', 'json'],
  ['validate', DICTIONARY],
  ['validate', DICTIONARY, '--format', 'json'],
  ['fix', '-i', DEMO, '-d', DICTIONARY],
  ['scan', '-i', DEMO, '-d', DICTIONARY, '--fail-on', 'none'],
  ['--help'],
  ['--version'],
  ['scan', '--help'],
  ['undo', '--help'],
  ['help', 'fix'],
];
const FULL = 'tagaudit: error: cannot write stdout: ENOSPC: no space left on device, write\n';

describe('stdout that cannot be written (disk full) is one line and exit 3 for every command, as for scan', () => {
  it.each(COMMANDS)('%s … (write throws ENOSPC)', async (...argv) => {
    const out = failingOut(ENOSPC);
    const r = await runWith(argv, out);
    expect(r.stderr).toBe(FULL);
    expect(r.code).toBe(3);
  });

  it.each(COMMANDS)('%s … (a stream that records the error)', async (...argv) => {
    const r = await runWith(argv, erroredStream(ENOSPC));
    expect(r.stderr).toBe(FULL);
    expect(r.code).toBe(3);
  });

  it('stops at the first failed write: nothing more is attempted', async () => {
    const out = failingOut(ENOSPC);
    await runWith(['rules'], out);
    expect(out.writes).toBe(1);
  });
});

describe('a reader that went away (EPIPE) is not an error: quiet, and the exit code is the command\'s own', () => {
  it.each([
    [['rules'], 0],
    [['--help'], 0],
    [['validate', DICTIONARY], 0],
    [['fix', '-i', DEMO, '-d', DICTIONARY], 1],
    [['scan', '-i', DEMO, '-d', DICTIONARY], 1],
  ] as const)('%j', async (argv, code) => {
    for (const out of [failingOut(EPIPE), erroredStream(EPIPE)]) {
      const r = await runWith([...argv], out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(code);
    }
  });
});

const BIN = join(ROOT, 'bin/tagaudit');
// The built CLI, as a user runs it: `npm test` builds first.
describe.skipIf(!existsSync('/dev/full') || !existsSync(join(ROOT, 'dist/cli/run.js')))('the built CLI with stdout on /dev/full or a closed pipe', () => {
  it.each([['rules'], ['validate', DICTIONARY], ['fix', '-i', DEMO, '-d', DICTIONARY], ['--help'], ['--version'], ['scan', '--help'], ['scan', '-i', DEMO, '-d', DICTIONARY]])(
    '%s … > /dev/full: one line, exit 3, no stack trace',
    (...argv) => {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { PATH: process.env.PATH } });
        expect(r.stderr).toBe(FULL);
        expect(r.status).toBe(3);
      } finally {
        closeSync(full);
      }
    },
  );

  it.each([['rules'], ['--help'], ['fix', '-i', DEMO, '-d', DICTIONARY]])('%s … | (reader gone): quiet', (...argv) => {
    const quoted = [BIN, ...argv].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('bash', ['-c', `'${process.execPath}' ${quoted} | head -c 1 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^rc=[01]\n$/);
  });
});
