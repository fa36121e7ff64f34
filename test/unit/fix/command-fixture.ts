import type { UndoOptions } from '../../../src/fix/undo-command.js';
import { dictionaryYaml, environmentTag } from '../../support/dictionary-yaml.js';
import { inventoryWorkspace, type InventoryWorkspace } from '../../support/fix-command.js';

/** A one-key dictionary and an estate of Lambda functions for runFix / runUndo tests (in-memory AWS). */
export const ENV = 'anycompany:workload:environment';
export const DEV = '111122223333';
export const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:${DEV}:function:${name}`;

const DICTIONARY = dictionaryYaml('command-fixture', [environmentTag({ accountDefaults: { [DEV]: 'development' } })]);

/** a: a deprecated key (renamed); b: a miscased value (normalised); c: like a. */
export const ESTATE: Readonly<Record<string, Record<string, string>>> = {
  [lambdaArn('a')]: { env: 'prod' },
  [lambdaArn('b')]: { [ENV]: 'Prod' },
  [lambdaArn('c')]: { env: 'prod' },
};

export function workspace(estate: Readonly<Record<string, Record<string, string>>> = ESTATE): InventoryWorkspace {
  return inventoryWorkspace(
    Object.entries(estate).map(([arn, tags]) => ({ arn, tags })),
    DICTIONARY,
  );
}

export { deps, fixOptions, noClients, type TestDeps } from '../../support/fix-command.js';

export function undoOptions(journal: string, o: Partial<UndoOptions> = {}): UndoOptions {
  return { journal, apply: true, yes: true, format: 'table', quiet: false, ...o };
}
