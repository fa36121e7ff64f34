import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../support/cli.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Acceptance s12 D3: past the first 1,000 errors, a second kind of bad inventory line (50 invalid ARNs after 1,500
// lines of garbage) is still listed once in errors[] and in the SARIF notifications, then counted per cause, with
// one thread or several.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});
vi.mock('../../../src/audit/parallel/usable-cpus.js', () => ({ usableCpus: () => 2 }));

const DICTIONARY = resolve('dictionaries/anycompany.yaml');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-error-causes-'));
  const lines: string[] = [];
  for (let i = 0; i < 1500; i++) lines.push(`garbage${i}`);
  for (let i = 0; i < 50; i++) lines.push(JSON.stringify({ arn: `arn:aws:foo${i}` }));
  lines.push(JSON.stringify({ arn: 'arn:aws:lambda:us-east-1:123456789012:function:ok' }));
  writeFileSync(join(dir, 'manybad.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ScanErrorJson {
  source: string;
  message: string;
  code?: string;
}

const scan = (format: 'json' | 'sarif', threads: string) =>
  runCli(['scan', '-d', DICTIONARY, '-i', 'manybad.jsonl', '--format', format, '--threads', threads, '--fail-on', 'none'], { cwd: dir });

describe('inventory errors past the first 1,000: one cause per kind of bad line', () => {
  it('lists the first invalid ARN and counts the rest per cause in errors[], the same with --threads 1 and 2', async () => {
    const before = pools.started;
    const one = await scan('json', '1');
    expect(pools.started).toBe(before);
    const two = await scan('json', '2');
    expect(pools.started, '--threads 2 ran on worker threads').toBe(before + 1);
    expect(one.code).toBe(3);
    expect(two.stdout).toBe(one.stdout);
    const errors = (JSON.parse(one.stdout) as { errors: ScanErrorJson[] }).errors;
    expect(errors).toHaveLength(1003);
    expect(errors.slice(0, 1000).every((e) => e.code === 'invalid-json')).toBe(true);
    expect(errors.slice(1000)).toEqual([
      { source: 'inventory', message: 'manybad.jsonl:1501: invalid ARN "arn:aws:foo0"', code: 'invalid-arn' },
      { source: 'inventory', message: '… and 500 more inventory errors (invalid-json) not listed', code: 'invalid-json' },
      { source: 'inventory', message: '… and 49 more inventory errors (invalid-arn) not listed', code: 'invalid-arn' },
    ]);
  });

  it.each(['1', '2'])('shows the invalid-ARN cause in the SARIF notifications (--threads %s)', async (threads) => {
    const r = await scan('sarif', threads);
    expect(r.code).toBe(3);
    const sarif = JSON.parse(r.stdout) as { runs: { invocations: { toolExecutionNotifications: { message: { text: string }; descriptor?: { id: string } }[] }[] }[] };
    const notes = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notes).toHaveLength(1003);
    expect(notes.filter((n) => n.descriptor?.id === 'invalid-arn').map((n) => n.message.text)).toEqual([
      'scan gap (inventory): manybad.jsonl:1501: invalid ARN "arn:aws:foo0"',
      'scan gap (inventory): … and 49 more inventory errors (invalid-arn) not listed',
    ]);
  });
});
