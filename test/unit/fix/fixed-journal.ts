import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliDeps } from '../../../src/cli/deps.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { bufferOut } from '../../support/cli.js';
import { lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir } from './run.js';

export const EMAIL = 'jane.doe@example.com';
export const RENAMED = lambda('rename', tagsWith({ 'anycompany:workload:environment': undefined, env: 'prod' }));
export const WITH_PII = lambda('pii', { ...COMPLIANT_TAGS, owner_email: EMAIL });

export interface FixedJournal {
  readonly dir: string;
  readonly journal: string;
  readonly vault: string;
  readonly cloud: MemoryCloud;
}

/** A real fix run (a rename and a PII removal) with its journal and PII vault, as `tagaudit fix --apply` leaves them. */
export async function fixedJournal(): Promise<FixedJournal> {
  const resources = [RENAMED, WITH_PII];
  const cloud = new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
  const dir = tempDir();
  const journal = join(dir, 'fix.jsonl');
  await applyWithJournal(planFromAudit(anycompanyPolicy(), resources, { fixPii: 'remove' }), cloud, journal);
  return { dir, journal, vault: `${journal}.pii-vault.jsonl`, cloud };
}

type Rec = Record<string, unknown>;

/** The journal's lines, parsed. */
export function journalRecords(path: string): Rec[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
}

/**
 * Rewrites the first record of type `t` with `edit` (which changes it in place); returns its 1-based line number.
 */
export function editRecord(path: string, t: string, edit: (rec: Rec) => void): number {
  const recs = journalRecords(path);
  const i = recs.findIndex((r) => r.t === t);
  if (i < 0) throw new Error(`no ${t} record in ${path}`);
  edit(recs[i]!);
  writeFileSync(path, recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return i + 1;
}

/** Runs `tagaudit undo` (dry run) against the in-memory cloud, with captured output. */
export async function undoDryRun(f: FixedJournal, journal = f.journal): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = bufferOut();
  const err = bufferOut();
  const deps: CliDeps = { stdout: out, stderr: err, env: {}, cwd: f.dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
  const code = await runUndo({ journal, apply: false, yes: false, format: 'table', quiet: false }, deps, {
    clients: () => {
      throw new Error('no AWS in unit tests');
    },
    backend: f.cloud.backend(),
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
