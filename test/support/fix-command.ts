import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliDeps } from '../../src/cli/deps.js';
import type { FixOptions } from '../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES } from '../../src/fix/plan.js';
import type { ClientFactory } from '../../src/scan/clients.js';
import { bufferOut } from './cli.js';

/** What runFix / runUndo tests call with (no AWS, output collected), and the files they read. */

export type TestDeps = CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> };

/** CLI dependencies with collected output, run in `dir`, at a fixed time, with no environment and no prompts unless `extra` says. */
export function deps(dir: string, extra: Partial<CliDeps> = {}): TestDeps {
  const out = bufferOut();
  const err = bufferOut();
  return { stdout: out, stderr: err, out, err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false, ...extra };
}

/** `tagaudit fix -d <dictionary> [-i <inventory>]` as runFix takes it: a dry run of the non-PII fixes unless `o` says. */
export function fixOptions(dictionary: string, o: Partial<FixOptions> & { inventory?: string }): FixOptions {
  const { inventory, ...rest } = o;
  return {
    scan: { dictionary, inventories: inventory ? [inventory] : [], strictInventory: false, format: 'table', failOn: 'error', colorFlag: false, quiet: false },
    apply: false,
    yes: false,
    fixTypes: new Set(NON_PII_FIX_TYPES),
    fixTypesGiven: false,
    liveFlags: [],
    ...rest,
  };
}

/** For runFix / runUndo tests whose backend is in memory: any AWS client asked for fails the test. */
export const noClients = (): ClientFactory => {
  throw new Error('no AWS in this test');
};

export interface InventoryWorkspace {
  readonly dir: string;
  /** estate.jsonl: one resource a line. */
  readonly inventory: string;
  /** dictionary.yaml (there when a dictionary was given). */
  readonly dictionary: string;
}

/** A new directory holding `resources` as estate.jsonl and, when given, `dictionary` as dictionary.yaml. */
export function inventoryWorkspace(resources: readonly object[], dictionary?: string): InventoryWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-fix-'));
  const inventory = join(dir, 'estate.jsonl');
  const file = join(dir, 'dictionary.yaml');
  writeFileSync(inventory, resources.map((r) => `${JSON.stringify(r)}\n`).join(''));
  if (dictionary !== undefined) writeFileSync(file, dictionary);
  return { dir, inventory, dictionary: file };
}
