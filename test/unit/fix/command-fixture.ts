import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliDeps } from '../../../src/cli/deps.js';
import type { FixOptions } from '../../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import type { UndoOptions } from '../../../src/fix/undo-command.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut } from '../../support/cli.js';
import { tempDir } from './run.js';

/** A one-key dictionary and an estate of Lambda functions for runFix / runUndo tests (in-memory AWS). */
export const ENV = 'anycompany:workload:environment';
export const DEV = '111122223333';
export const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:${DEV}:function:${name}`;

const DICTIONARY = `version: 1
name: command-fixture
conventions:
  unknownKeys: off
tags:
  - key: ${ENV}
    category: workload
    purpose: Environment
    mandatory: true
    costAllocation: true
    values: [development, staging, production]
    valueAliases: { prod: production }
    aliases: [env]
    accountDefaults:
      "${DEV}": development
`;

/** a: a deprecated key (renamed); b: a miscased value (normalised); c: like a. */
export const ESTATE: Readonly<Record<string, Record<string, string>>> = {
  [lambdaArn('a')]: { env: 'prod' },
  [lambdaArn('b')]: { [ENV]: 'Prod' },
  [lambdaArn('c')]: { env: 'prod' },
};

export function workspace(estate: Readonly<Record<string, Record<string, string>>> = ESTATE): { dir: string; inventory: string; dictionary: string } {
  const dir = tempDir();
  const inventory = join(dir, 'estate.jsonl');
  const dictionary = join(dir, 'dictionary.yaml');
  writeFileSync(dictionary, DICTIONARY);
  writeFileSync(inventory, Object.entries(estate).map(([arn, tags]) => `${JSON.stringify({ arn, tags })}\n`).join(''));
  return { dir, inventory, dictionary };
}

export type TestDeps = CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> };

export function deps(dir: string, extra: Partial<CliDeps> = {}): TestDeps {
  const out = bufferOut();
  const err = bufferOut();
  return { stdout: out, stderr: err, out, err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false, ...extra };
}

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

export function undoOptions(journal: string, o: Partial<UndoOptions> = {}): UndoOptions {
  return { journal, apply: true, yes: true, format: 'table', quiet: false, ...o };
}

export const noClients = (): ClientFactory => {
  throw new Error('no AWS in this test');
};
