import { readFileSync } from 'node:fs';
import type * as Fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runFix } from '../../../src/fix/fix-command.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { ESTATE, deps, fixOptions, noClients, undoOptions, workspace } from './command-fixture.js';
import { MemoryCloud } from './memory-cloud.js';

/*
 * A journal undo cannot append to (read-only media; tests run as root, so file modes cannot make it so): opening it for
 * writing fails with EROFS. The undo says so in one line and restores anyway.
 */
const readOnly = vi.hoisted(() => new Set<string>());

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const openSync = ((path: Parameters<typeof fs.openSync>[0], flags: Parameters<typeof fs.openSync>[1] = 'r', mode?: Parameters<typeof fs.openSync>[2]) => {
    if (readOnly.has(String(path)) && flags !== 'r' && flags !== fs.constants.O_RDONLY) {
      throw Object.assign(new Error(`EROFS: read-only file system, open '${String(path)}'`), { code: 'EROFS' });
    }
    return fs.openSync(path, flags, mode);
  }) as typeof fs.openSync;
  return { ...fs, openSync, default: { ...fs, openSync } };
});

describe('undo --apply of a journal it cannot append to', () => {
  it('says so in one line, restores everything, and leaves the journal as it was', async () => {
    const { dir, inventory, dictionary } = workspace();
    const cloud = new MemoryCloud(ESTATE);
    expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(0);
    const journal = join(dir, 'fix.jsonl');
    const bytes = readFileSync(journal);
    readOnly.add(journal);

    const d = deps(dir);
    expect(await runUndo(undoOptions('fix.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(cloud.snapshot()).toEqual(ESTATE);
    expect(readFileSync(journal).equals(bytes)).toBe(true);
    const said = d.err.text().split('\n').filter((l) => l.includes('cannot record'));
    expect(said).toEqual(['tagaudit: fix.jsonl: cannot record in it that it was undone (EROFS); a later fix --resume of it will not know: do not resume it']);
    readOnly.clear();
  });
});
