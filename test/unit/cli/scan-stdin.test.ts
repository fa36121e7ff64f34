import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('scan -i - (standard input)', () => {
  it('audits an inventory piped in, with the same report as from the file', () => {
    const demo = join(ROOT, 'examples/demo-estate.jsonl');
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, [join(ROOT, 'bin/tagaudit'), 'scan', '-f', 'json', '--fail-on', 'none', ...args], { input, encoding: 'utf8', cwd: ROOT });
    const piped = run(['-i', '-'], readFileSync(demo, 'utf8'));
    const fromFile = run(['-i', demo]);
    expect(piped.status).toBe(0);
    const summary = (out: string) => (JSON.parse(out) as { summary: unknown }).summary;
    expect(summary(piped.stdout)).toEqual(summary(fromFile.stdout));
    expect((JSON.parse(piped.stdout) as { summary: { resources: number } }).summary.resources).toBe(333);
  });

  it('names standard input when nothing was piped in (the command feeding it failed)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/tagaudit'), 'scan', '-i', '-'], { input: '', encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('tagaudit: -: standard input is empty (did the command feeding it fail?)');
  });
});
