import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import { confirm } from '../../../src/fix/confirm.js';

const deps = {} as CliDeps;

/** Answers the prompt on a terminal-like stream by typing `keys` once the question is asked. */
async function answer(keys: string): Promise<{ ok: boolean; shown: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => {
    shown += d.toString('utf8');
    if (shown.includes('[y/N]')) setImmediate(() => input.write(keys));
  });
  const ok = await confirm(deps, 'Apply 2 edits to 2 resources? [y/N] ', { input, output });
  return { ok, shown };
}

describe('confirm on a terminal', () => {
  it('"y" and "yes" confirm; anything else, or Enter alone, does not', async () => {
    expect((await answer('y\r')).ok).toBe(true);
    expect((await answer('YES\r')).ok).toBe(true);
    expect((await answer('\r')).ok).toBe(false);
    expect((await answer('no\r')).ok).toBe(false);
  });

  it('Ctrl-C or Ctrl-D at the prompt is a "no", not a runtime error (nothing is written, exit 0)', async () => {
    await expect(answer('\x03')).resolves.toMatchObject({ ok: false });
    await expect(answer('\x04')).resolves.toMatchObject({ ok: false });
  });
});
