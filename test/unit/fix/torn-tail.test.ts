import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/fix/journal.js';
import { beginJournal, resumeJournal } from '../../../src/fix/session.js';
import { openVault, readVault } from '../../../src/fix/vault.js';
import { digestId, tagDigest } from '../../../src/fix/digest.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';
import { tempDir } from './run.js';

const entry = (key: string, value: string): string => JSON.stringify({ digest: tagDigest(key, value), key, value });

// A kill can cut a write anywhere, also just before a record's newline: a last line without its newline was never
// flushed whole, so nothing depends on it, whether or not it parses. Reading drops it, as reopening to append does:
// otherwise a resumed run would count on a record (or a vault entry) that the reopen then cuts from the file.
describe('a last line without its newline', () => {
  it('journal: is not a record, so a resumed run journals that resource again (undo needs its first record)', async () => {
    const r = lambda('rename', tagsWith({ 'anycompany:workload:environment': undefined, env: 'prod' }));
    const plan = planFromAudit(anycompanyPolicy(), [r]);
    const path = join(tempDir(), 'j.jsonl');
    await beginJournal({ path, kind: 'fix', plan, now: new Date(), tool: 't' }).journal.close();
    const rec = { t: 'resource', arn: r.arn, accountId: r.accountId, region: r.region, resourceType: r.resourceType, before: [{ key: 'env', value: 'prod' }], changes: [] };
    appendFileSync(path, JSON.stringify(rec));

    const read = readJournal(path);
    expect(read.truncatedTail).toBe(true);
    expect(read.records.map((x) => x.t)).toEqual(['begin', 'plan']);

    const session = resumeJournal(path, new Date('2024-06-01T12:00:00Z'));
    await session.journal.close();
    expect(session.recorded.has(r.arn)).toBe(false);
    expect(readFileSync(path, 'utf8')).not.toContain('"t":"resource"');
  });

  it('vault: is not an entry, and appending after it first drops it, so every entry saved since reads back', async () => {
    const path = join(tempDir(), 'j.jsonl.pii-vault.jsonl');
    writeFileSync(path, `${entry('owner', 'jane.doe@example.com')}\n${entry('contact', '+1 415 555 0166')}`, { mode: 0o600 });
    const known = readVault(path);
    expect([...known.values()].map((e) => e.key)).toEqual(['owner']);

    const vault = openVault(path, known);
    vault.put('contact', '+1 415 555 0166');
    vault.put('manager', 'john.roe@example.com');
    await vault.close();
    expect([...readVault(path).keys()]).toEqual(
      [['owner', 'jane.doe@example.com'], ['contact', '+1 415 555 0166'], ['manager', 'john.roe@example.com']].map(([k, v]) => digestId(tagDigest(k!, v!))),
    );
  });

  it('vault: a torn fragment is dropped before appending', async () => {
    const path = join(tempDir(), 'j.jsonl.pii-vault.jsonl');
    writeFileSync(path, `${entry('owner', 'jane.doe@example.com')}\n{"digest":{"keySha256":"9f8`, { mode: 0o600 });
    const vault = openVault(path, readVault(path));
    vault.put('manager', 'john.roe@example.com');
    await vault.close();
    expect(readVault(path).size).toBe(2);
  });
});
