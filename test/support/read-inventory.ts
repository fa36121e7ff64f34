import { expect } from 'vitest';
import { readInventory, type ReadInventoryOptions } from '../../src/inventory/read-inventory.js';
import { UsageError } from '../../src/errors.js';
import type { Resource } from '../../src/inventory/resource.js';
import type { ScanError } from '../../src/report/types.js';

/** Everything readInventory yields from `path`, and the gaps it reported. */
export async function read(path: string, options: ReadInventoryOptions = {}): Promise<{ resources: Resource[]; errors: ScanError[] }> {
  const errors: ScanError[] = [];
  const resources: Resource[] = [];
  for await (const r of readInventory(path, { onError: (e) => errors.push(e), ...options })) resources.push(r);
  return { resources, errors };
}

/** The UsageError reading `path` must end in. */
export async function readError(path: string, options: ReadInventoryOptions = {}): Promise<UsageError> {
  try {
    await read(path, options);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}
